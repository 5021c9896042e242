// Which console pages a set of roles may see (menu filtering; the server still decides).
import type { RouteMeta } from 'vue-router';
import type { Role } from '@/api/types';

export function allowed(meta: RouteMeta, roles: Role[]): boolean {
  if (meta.roles && !meta.roles.some((role) => roles.includes(role))) return false;
  if (meta.orgRead && !roles.some((role) => role !== 'audit_admin')) return false;
  return true;
}
