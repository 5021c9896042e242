// Official channel accounts (Weibo, WeChat, ...).
import { http } from './http';
import type { ChannelAccount, Page, PageQuery, Platform } from './types';

export interface ChannelAccountQuery extends PageQuery {
  platform?: Platform | '';
  unit_id?: number | null;
  q?: string;
}
export const listChannelAccounts = (query: ChannelAccountQuery) =>
  http.get<Page<ChannelAccount>>('/api/v1/channel-accounts', { ...query });

export interface ChannelAccountBody {
  platform: Platform;
  name: string;
  handle: string;
  url?: string;
  unit_id: number;
  followers?: number;
  verified?: boolean;
  operator_officer_id?: number | null;
}
export const createChannelAccount = (body: ChannelAccountBody) =>
  http.post<ChannelAccount>('/api/v1/channel-accounts', body);

export const getChannelAccount = (id: number) => http.get<ChannelAccount>(`/api/v1/channel-accounts/${id}`);

export type ChannelAccountPatch = Partial<ChannelAccountBody> & { version: number; active?: boolean };
export const updateChannelAccount = (id: number, body: ChannelAccountPatch) =>
  http.patch<ChannelAccount>(`/api/v1/channel-accounts/${id}`, body);
