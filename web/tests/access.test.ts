import { describe, expect, it } from 'vitest';
import { allowed } from '@/router/access';
import { consoleRoutes } from '@/router/modules/console';

function visible(roles: Parameters<typeof allowed>[1]): string[] {
  return (consoleRoutes.children ?? []).filter((r) => r.meta && allowed(r.meta, roles)).map((r) => r.path);
}

describe('console menu filtering', () => {
  it('shows staff accounts only to security admins and audit only to audit admins', () => {
    expect(visible(['system_admin'])).toEqual(['', 'org', 'officers', 'channel-accounts', 'sessions']);
    expect(visible(['security_admin'])).toContain('accounts');
    expect(visible(['security_admin'])).not.toContain('audit');
    expect(visible(['audit_admin'])).toEqual(['', 'sessions', 'audit']);
  });
});
