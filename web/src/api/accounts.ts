// Staff accounts (security_admin within the subtree).
import { http } from './http';
import type { Page, PageQuery, Role, StaffAccount } from './types';

export interface AccountQuery extends PageQuery {
  q?: string;
  unit_id?: number | null;
  role?: Role | '';
}
export const listAccounts = (query: AccountQuery) => http.get<Page<StaffAccount>>('/api/v1/accounts', { ...query });

export interface AccountCreate {
  username: string;
  display_name: string;
  unit_id: number;
  officer_id?: number | null;
  roles: Role[];
  password: string;
}
export const createAccount = (body: AccountCreate) => http.post<StaffAccount>('/api/v1/accounts', body);

export const getAccount = (id: number) => http.get<StaffAccount>(`/api/v1/accounts/${id}`);

export interface AccountPatch {
  version: number;
  display_name?: string;
  unit_id?: number;
  roles?: Role[];
  active?: boolean;
}
export const updateAccount = (id: number, body: AccountPatch) =>
  http.patch<StaffAccount>(`/api/v1/accounts/${id}`, body);

export const resetAccountPassword = (id: number, password: string) =>
  http.post<void>(`/api/v1/accounts/${id}/password`, { password });

export const unlockAccount = (id: number) => http.post<void>(`/api/v1/accounts/${id}/unlock`);
