// Shapes of the API's JSON (see team api.md / docs/openapi.yaml).

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface PageQuery {
  page?: number;
  page_size?: number;
}

export type Platform = 'weibo' | 'wechat' | 'douyin' | 'forum' | 'website';
export const PLATFORMS: Platform[] = ['weibo', 'wechat', 'douyin', 'forum', 'website'];

export type Role =
  | 'system_admin'
  | 'security_admin'
  | 'audit_admin'
  | 'pr_officer'
  | 'unit_head'
  | 'officer'
  | 'viewer';
export const ROLES: Role[] = [
  'system_admin',
  'security_admin',
  'audit_admin',
  'pr_officer',
  'unit_head',
  'officer',
  'viewer',
];

export type UnitKind = 'city_bureau' | 'district_bureau' | 'police_type' | 'station' | 'beat';
export const UNIT_KINDS: UnitKind[] = ['city_bureau', 'district_bureau', 'police_type', 'station', 'beat'];

/** Which kinds of unit may sit directly under a unit of the given kind. */
export const CHILD_KINDS: Record<UnitKind, UnitKind[]> = {
  city_bureau: ['district_bureau', 'police_type'],
  district_bureau: ['station'],
  police_type: ['station'],
  station: ['beat'],
  beat: [],
};

export interface Ref {
  id: number;
  name: string;
}

export interface PublicAccount {
  id: number;
  platform: Platform;
  name: string;
  handle: string;
  url: string;
  followers: number;
  verified: boolean;
  unit?: Ref;
}

export interface PublicDistrict {
  id: number;
  name: string;
  code: string;
  kind: 'district_bureau';
  public_phone: string;
  address: string;
  accounts: PublicAccount[];
}

export interface PublicPoliceType {
  id: number;
  name: string;
  public_phone: string;
  accounts: PublicAccount[];
}

export interface PublicBureau {
  id: number;
  name: string;
  public_phone: string;
  address: string;
  accounts: PublicAccount[];
  police_types: PublicPoliceType[];
}

export interface PublicStation {
  id: number;
  name: string;
  public_phone: string;
  address: string;
}

export interface PublicBeat {
  id: number;
  name: string;
  communities: string[];
  station: PublicStation;
  district: { id: number; name: string; code: string };
  officer: { name: string; title: string } | null;
}

export interface AccountUnit {
  id: number;
  name: string;
  path?: string;
}

export interface SignedInAccount {
  id: number;
  username: string;
  display_name: string;
  unit: AccountUnit;
  roles: Role[];
}

export interface SignInResult {
  account: SignedInAccount;
  csrf_token: string;
}

export interface SessionInfo {
  id: string | number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_ip: string;
  user_agent: string;
  current: boolean;
}

export interface StaffAccount {
  id: number;
  username: string;
  display_name: string;
  officer: { id: number; name: string; badge_no: string } | null;
  unit: Ref;
  roles: Role[];
  active: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  version: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  account_id: number | null;
  username: string;
  unit_id: number | null;
  action: string;
  target: string;
  result: 'ok' | 'denied' | 'failed';
  detail: string;
  client_ip: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  first_bad_id: number | null;
}

export interface Unit {
  id: number;
  parent_id: number | null;
  path: string;
  depth: number;
  kind: UnitKind;
  name: string;
  code: string | null;
  public_phone: string | null;
  address: string | null;
  communities: string[];
  beat_officer: { id: number; name: string; title: string } | null;
  active: boolean;
  version: number;
  child_count: number;
  children?: Unit[];
  ancestors?: Ref[];
}

export interface Officer {
  id: number;
  badge_no: string;
  name: string;
  unit: Ref;
  title: string;
  phone: string;
  active: boolean;
  version: number;
}

export interface ChannelAccount {
  id: number;
  platform: Platform;
  name: string;
  handle: string;
  url: string;
  unit: Ref;
  followers: number;
  verified: boolean;
  operator: Ref | null;
  active: boolean;
  version: number;
}

export interface ImportResult {
  created: number;
}
