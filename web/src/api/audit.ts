// The audit log (audit_admin).
import { http } from './http';
import type { AuditEntry, AuditVerifyResult, Page, PageQuery } from './types';

export interface AuditQuery extends PageQuery {
  username?: string;
  action?: string;
  result?: 'ok' | 'denied' | 'failed' | '';
  from?: string;
  to?: string;
}
export const listAudit = (query: AuditQuery) => http.get<Page<AuditEntry>>('/api/v1/audit', { ...query });

export const verifyAudit = () => http.get<AuditVerifyResult>('/api/v1/audit/verify');
