// Officers; phones arrive masked, revealing one is a separate audited call.
import { http } from './http';
import type { Officer, Page, PageQuery } from './types';

export interface OfficerQuery extends PageQuery {
  unit_id?: number | null;
  q?: string;
}
export const listOfficers = (query: OfficerQuery) => http.get<Page<Officer>>('/api/v1/officers', { ...query });

export interface OfficerCreate {
  badge_no: string;
  name: string;
  unit_id: number;
  title: string;
  phone?: string;
}
export const createOfficer = (body: OfficerCreate) => http.post<Officer>('/api/v1/officers', body);

export const getOfficer = (id: number) => http.get<Officer>(`/api/v1/officers/${id}`);

export interface OfficerPatch {
  version: number;
  name?: string;
  unit_id?: number;
  title?: string;
  phone?: string;
  active?: boolean;
}
export const updateOfficer = (id: number, body: OfficerPatch) => http.patch<Officer>(`/api/v1/officers/${id}`, body);

export const revealOfficerPhone = (id: number) => http.post<{ phone: string }>(`/api/v1/officers/${id}/reveal-phone`);
