// Which console pages a set of roles may see (menu filtering; the server still decides).
import type { RouteMeta } from 'vue-router';
import type { Role } from '@/api/types';

/** True for a materialised path of the root unit ("/1/"); unknown paths count as not root. */
export function isRootPath(unitPath: string | undefined): boolean {
  return !!unitPath && /^\/\d+\/$/.test(unitPath);
}

export function allowed(meta: RouteMeta, roles: Role[], unitPath?: string): boolean {
  if (meta.roles && !meta.roles.some((role) => roles.includes(role))) return false;
  if (meta.rootOnly && unitPath !== undefined && !isRootPath(unitPath)) return false;
  if (meta.orgRead && !roles.some((role) => role !== 'audit_admin')) return false;
  return true;
}
