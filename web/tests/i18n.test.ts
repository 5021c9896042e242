import { describe, expect, it } from 'vitest';
import zhCN from '@/i18n/zh-CN';
import en from '@/i18n/en';
import { ROLES, PLATFORMS, UNIT_KINDS } from '@/api/types';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

describe('locales', () => {
  it('zh-CN and en have identical key sets', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });
  it('no message is empty', () => {
    for (const messages of [zhCN, en]) {
      for (const key of keys(messages)) {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
        expect(typeof value === 'string' && value.length > 0, key).toBe(true);
      }
    }
  });
  it('names every role, platform and unit kind', () => {
    for (const role of ROLES) expect(zhCN.role[role]).toBeTruthy();
    for (const platform of PLATFORMS) expect(zhCN.platform[platform]).toBeTruthy();
    for (const kind of UNIT_KINDS) expect(zhCN.unitKind[kind]).toBeTruthy();
    expect(zhCN.role.system_admin).toBe('系统管理员');
    expect(zhCN.errors.stale).toBe('已被他人修改，请刷新后重试');
  });
});
