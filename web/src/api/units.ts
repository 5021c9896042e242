// The organisation tree.
import { http } from './http';
import type { Page, PageQuery, Unit, UnitKind } from './types';

export const getUnitTree = (query: { root_id?: number; depth?: number } = {}) =>
  http.get<{ root: Unit }>('/api/v1/units/tree', { ...query });

export interface UnitQuery extends PageQuery {
  parent_id?: number;
  q?: string;
  kind?: UnitKind | '';
  active?: boolean;
}
export const listUnits = (query: UnitQuery) => http.get<Page<Unit>>('/api/v1/units', { ...query });

export const getUnit = (id: number) => http.get<Unit>(`/api/v1/units/${id}`);

export interface UnitCreate {
  parent_id: number;
  kind: UnitKind;
  name: string;
  code?: string;
  public_phone?: string;
  address?: string;
  communities?: string[];
  beat_officer_id?: number | null;
}
export const createUnit = (body: UnitCreate) => http.post<Unit>('/api/v1/units', body);

export interface UnitPatch {
  version: number;
  name?: string;
  code?: string;
  public_phone?: string;
  address?: string;
  communities?: string[];
  beat_officer_id?: number | null;
}
export const updateUnit = (id: number, body: UnitPatch) => http.patch<Unit>(`/api/v1/units/${id}`, body);

export const moveUnit = (id: number, version: number, parent_id: number) =>
  http.post<Unit>(`/api/v1/units/${id}/move`, { version, parent_id });

export const deactivateUnit = (id: number, version: number) =>
  http.post<Unit>(`/api/v1/units/${id}/deactivate`, { version });

export const activateUnit = (id: number, version: number) =>
  http.post<Unit>(`/api/v1/units/${id}/activate`, { version });
