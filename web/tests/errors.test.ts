import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/http';
import { describeError, fieldErrors } from '@/utils/errors';
import { serverField, serverMessage } from '@/utils/serverText';
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
        { field: 'name', message: 'something odd' },
        { field: 'name', message: 'second' },
        { field: 'public_phone', message: 'is not a phone number' },
      ],
    });
    expect(fieldErrors(error)).toEqual({ name: 'something odd', public_phone: '电话号码格式不正确' });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});

describe('server wording in Chinese', () => {
  it('lists the field problems of a 422 instead of the generic English sentence', () => {
    const error = new ApiError({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'Some fields are invalid.',
      errors: [{ field: 'name', message: 'is required' }],
    });
    expect(describeError(error, t)).toBe('填写的内容有误：名称：必填');
  });
  it('translates field messages with numbers', () => {
    const error = new ApiError({ status: 422, title: 'x', errors: [{ field: 'address', message: 'must be at most 200 characters' }] });
    expect(fieldErrors(error)).toEqual({ address: '不能超过 200 个字' });
  });
  it('translates a conflict and keeps its field for the form', () => {
    const error = new ApiError({
      status: 409,
      title: 'Conflict',
      detail: 'the parent already has a unit of this name',
      errors: [{ field: 'name', message: 'the parent already has a unit of this name' }],
    });
    expect(describeError(error, t)).toBe('操作冲突：上级单位下已有同名单位');
    expect(fieldErrors(error)).toEqual({ name: '上级单位下已有同名单位' });
  });
  it('names CSV lines and columns', () => {
    expect(serverField('line 3, column kind', 'zh-CN')).toBe('第 3 行，类型（kind）');
    expect(serverField('line 1, column 5', 'zh-CN')).toBe('第 1 行第 5 列');
    expect(serverField('line 2', 'zh-CN')).toBe('第 2 行');
    expect(serverMessage('expected 3 columns, found 2', 'zh-CN')).toBe('应有 3 列，实际 2 列');
    expect(serverMessage('unknown column "foo"', 'zh-CN')).toBe('未知的列“foo”');
  });
  it('translates password policy messages and leaves unknown ones and English alone', () => {
    expect(serverMessage('Password must have at least 12 characters.', 'zh-CN')).toBe('密码至少 12 位');
    expect(serverMessage('Something new.', 'zh-CN')).toBe('Something new.');
    expect(serverMessage('is required', 'en')).toBe('is required');
    expect(serverField('line 3, column kind', 'en')).toBe('line 3, column kind');
  });
});
