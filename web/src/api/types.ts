// Shapes of the API's JSON (see team api.md / docs/openapi.yaml).

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
  /** Set by the appeals inbox when more than `total` (10,000) match. */
  total_capped?: boolean;
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

// ---- Appeals (诉求): the JSON of src/appeals/routes.cc ----

export type AppealKind = 'consultation' | 'complaint' | 'report' | 'suggestion' | 'praise';
export const APPEAL_KINDS: AppealKind[] = ['consultation', 'complaint', 'report', 'suggestion', 'praise'];

export type AppealChannel = 'web' | 'wechat' | 'weibo' | 'forum' | 'hotline' | 'event' | 'survey' | 'open311';
export const APPEAL_CHANNELS: AppealChannel[] = ['web', 'wechat', 'weibo', 'forum', 'hotline', 'event', 'survey', 'open311'];

export type AppealState =
  | 'submitted'
  | 'acknowledged'
  | 'assigned'
  | 'verifying'
  | 'replied'
  | 'rectifying'
  | 'follow_up'
  | 'closed'
  | 'merged';
export const APPEAL_STATES: AppealState[] = [
  'submitted',
  'acknowledged',
  'assigned',
  'verifying',
  'replied',
  'rectifying',
  'follow_up',
  'closed',
  'merged',
];

export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';
export const RATINGS: Rating[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];

export type NotificationKind = 'new_assignment' | 'warning' | 'escalation';
export const NOTIFICATION_KINDS: NotificationKind[] = ['new_assignment', 'warning', 'escalation'];

/** A category; the public list carries only code, name and description. */
export interface AppealCategory {
  code: string;
  name: string;
  description: string;
  active?: boolean;
  sort_order?: number;
}

export interface AppealLocation {
  district_code: string | null;
  address: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

/** What the portal's form sends (POST /api/v1/public/appeals). */
export interface PublicSubmission {
  kind: AppealKind;
  category: string;
  text: string;
  location: AppealLocation;
  citizen_name?: string;
  citizen_phone?: string;
  publish_reply: boolean;
  attachment_ids: number[];
}

/** The receipt: the tracking number and the 6-character access code (staff also get the id). */
export interface AppealReceipt {
  id?: number;
  tracking_number: string;
  access_code: string;
  submitted_at: string;
}

/** An appeal anyone may see (similar appeals, the track page): no personal data. */
export interface PublicAppeal {
  tracking_number: string;
  kind: AppealKind;
  category: string;
  state: AppealState;
  open: boolean;
  status_notes: string | null;
  agency: string | null;
  location: AppealLocation;
  text: string;
  channel: AppealChannel;
  requested_at: string;
  updated_at: string;
  expected_at: string | null;
}

/** A timeline entry; the public timeline carries only at, actor, action, states and note. */
export interface TimelineEntry {
  at: string;
  actor: 'staff' | 'citizen' | 'system';
  action: string;
  from_state: AppealState | null;
  to_state: AppealState | null;
  note: string | null;
  id?: number;
  actor_name?: string | null;
  public?: boolean;
  data?: Record<string, unknown>;
}

/** POST /api/v1/public/appeals/track (and rate, reopen). */
export interface TrackView extends PublicAppeal {
  reply_text: string | null;
  rating: Rating | null;
  can_rate: boolean;
  can_reopen: boolean;
  /** Set when the tracked appeal was merged: the rest is the original's. */
  merged_into: string | null;
  timeline: TimelineEntry[];
}

export interface WallEntry {
  tracking_number: string;
  kind: AppealKind;
  category: string;
  district_code: string | null;
  text: string;
  reply_text: string;
  unit_name: string;
  requested_at: string;
  replied_at: string;
}

export interface AttachmentInfo {
  id: number;
  width: number;
  height: number;
  /** Public uploads only: the token and path that show the image without signing in. */
  token?: string;
  url?: string;
}

/** An appeal as staff see it: the citizen's name and phone masked ("张*", "138****1234"). */
export interface Appeal {
  id: number;
  tracking_number: string;
  kind: AppealKind;
  category: string;
  channel: AppealChannel;
  state: AppealState;
  resolved: boolean;
  text: string;
  citizen: { name: string | null; phone: string | null; has_contact: boolean };
  publish_reply: boolean;
  location: AppealLocation;
  source_url: string | null;
  unit: Ref;
  merged_into: number | null;
  ack_text: string | null;
  reply_text: string | null;
  acknowledged_at: string | null;
  replied_at: string | null;
  rating: Rating | null;
  rating_comment: string | null;
  rated_at: string | null;
  rectification: { task: string | null; deadline: string | null; result: string | null; completed_at: string | null };
  follow_up_count: number;
  closed_at: string | null;
  reopened_count: number;
  deadlines: { acknowledge: string; reply: string; resolve: string };
  due_at: string | null;
  warn_at: string | null;
  warned_at: string | null;
  escalated_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AppealDetail extends Appeal {
  timeline: TimelineEntry[];
}

export interface SavedView {
  id: number;
  name: string;
  filter: Record<string, unknown>;
  created_at: string;
}

export interface ReplyTemplate {
  id: number;
  unit: Ref;
  title: string;
  text: string;
  version: number;
}

export interface AppealNotification {
  id: number;
  kind: NotificationKind;
  appeal_id: number;
  tracking_number: string;
  read_at: string | null;
  created_at: string;
}

/** One set of the DOMAIN.md numbers for the cohort accepted in the period (src/appeals/metrics.h); ratios 0..1. */
export interface AppealMetricValues {
  accepted: number;
  acknowledged_on_time: number;
  replied: number;
  reply_rate: number;
  replied_on_time: number;
  resolved: number;
  resolution_rate: number;
  rated: number;
  /** Rated satisfied or basically satisfied. */
  satisfied: number;
  satisfaction_rate: number;
  /** Rated unsatisfied at least once. */
  unsatisfied: number;
  rectified: number;
  follow_up_visits: number;
}

export interface AppealMetrics {
  unit: Ref;
  /** "2026-01-01", inclusive (+08:00). */
  from: string;
  to: string;
  total: AppealMetricValues;
  by_channel: ({ channel: AppealChannel } & AppealMetricValues)[];
  by_kind: ({ kind: AppealKind } & AppealMetricValues)[];
  /** "2026-11" or "2026-11-23": every bucket of the period. */
  trend: ({ period: string } & AppealMetricValues)[];
}
