import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/http';
import { describeError, fieldErrors } from '@/utils/errors';
import { i18n } from '@/i18n';

const t = i18n.global.t as unknown as Parameters<typeof describeError>[1];

describe('describeError', () => {
  it('words 412 as the stale-version message', () => {
    expect(describeError(new ApiError({ status: 412, title: 'Precondition Failed' }), t)).toBe('已被他人修改，请刷新后重试');
  });
  it('includes the detail of a 409', () => {
    expect(describeError(new ApiError({ status: 409, title: 'Conflict', detail: 'unit has active children' }), t)).toContain(
      'unit has active children',
    );
  });
  it('gives the wait time of a 429', () => {
    expect(describeError(new ApiError({ status: 429, title: 'Too Many', retryAfter: 30 }), t)).toContain('30');
  });
  it('maps 422 errors to fields', () => {
    const error = new ApiError({
      status: 422,
      title: 'Invalid',
      errors: [
        { field: 'name', message: 'too long' },
        { field: 'name', message: 'second' },
        { field: 'public_phone', message: 'bad' },
      ],
    });
    expect(fieldErrors(error)).toEqual({ name: 'too long', public_phone: 'bad' });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
