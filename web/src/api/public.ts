// Public portal calls: no sign-in, no personal data.
import { http } from './http';
import type { Page, PageQuery, Platform, PublicAccount, PublicBeat, PublicBureau, PublicDistrict, PublicStation } from './types';

export const getBureau = () => http.get<PublicBureau>('/api/v1/public/bureau');

export const listDistricts = () => http.get<{ items: PublicDistrict[] }>('/api/v1/public/districts');

export const listStations = (districtId: number) =>
  http.get<{ items: PublicStation[] }>(`/api/v1/public/units/${districtId}/stations`);

export interface BeatQuery extends PageQuery {
  district_id?: number;
  station_id?: number;
  q?: string;
}
export const searchBeats = (query: BeatQuery) => http.get<Page<PublicBeat>>('/api/v1/public/beats', { ...query });

export interface PublicAccountQuery extends PageQuery {
  platform?: Platform | '';
}
export const listPublicAccounts = (query: PublicAccountQuery) =>
  http.get<Page<PublicAccount>>('/api/v1/public/accounts', { ...query });
