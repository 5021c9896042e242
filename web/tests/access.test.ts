import { describe, expect, it } from 'vitest';
import { allowed, isRootPath } from '@/router/access';
import { consoleRoutes } from '@/router/modules/console';

function visible(roles: Parameters<typeof allowed>[1]): string[] {
  return (consoleRoutes.children ?? []).filter((r) => r.meta && allowed(r.meta, roles)).map((r) => r.path);
}

describe('console menu filtering', () => {
  it('shows staff accounts only to security admins and audit only to audit admins', () => {
    expect(visible(['system_admin'])).toEqual(['', 'appeal-categories', 'reply-templates', 'org', 'officers', 'channel-accounts', 'sessions']);
    expect(visible(['security_admin'])).toContain('accounts');
    expect(visible(['security_admin'])).not.toContain('audit');
    expect(visible(['audit_admin'])).toEqual(['', 'sessions', 'audit']);
  });

  it('shows the appeal pages to the roles that may read, handle or configure them', () => {
    for (const role of ['pr_officer', 'unit_head', 'officer', 'viewer'] as const) {
      expect(visible([role])).toContain('appeals');
      expect(visible([role])).toContain('appeal-metrics');
    }
    expect(visible(['viewer'])).not.toContain('appeals/hotline');
    expect(visible(['officer'])).toContain('appeals/hotline');
    expect(visible(['pr_officer'])).toEqual(expect.arrayContaining(['appeal-categories', 'reply-templates']));
    for (const role of ['unit_head', 'officer', 'viewer', 'security_admin', 'audit_admin'] as const) {
      expect(visible([role])).not.toContain('appeal-categories');
      expect(visible([role])).not.toContain('reply-templates');
    }
    expect(visible(['security_admin'])).not.toContain('appeals');
    expect(visible(['system_admin'])).not.toContain('appeals');
  });

  it('keeps city-wide configuration to accounts of the root unit', () => {
    const categories = (consoleRoutes.children ?? []).find((r) => r.path === 'appeal-categories')!.meta!;
    expect(allowed(categories, ['pr_officer'], '/1/')).toBe(true);
    expect(allowed(categories, ['pr_officer'], '/1/4/')).toBe(false);
    expect(isRootPath('/1/')).toBe(true);
    expect(isRootPath('/1/4/17/')).toBe(false);
    expect(isRootPath(undefined)).toBe(false);
  });
});
