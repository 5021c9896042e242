-- The organisation: units tree, officers, channel accounts.
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES units(id),
  -- Materialised path of ids, "/1/4/17/": the subtree of a unit is every path with its prefix.
  path TEXT NOT NULL UNIQUE,
  depth INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('city_bureau', 'district_bureau', 'police_type', 'station', 'beat')),
  name TEXT NOT NULL,
  code TEXT,                 -- GB/T 2260 code of a district or county bureau
  public_phone TEXT,         -- the unit's public desk number (not personal data)
  address TEXT,
  communities TEXT,          -- a beat's communities, separated by '、'
  beat_officer_id INTEGER REFERENCES officers(id),
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_kind ON units(kind);
-- Lists walk units in display order and stop after one page instead of sorting them all.
CREATE INDEX units_display_order ON units(depth, sort_order, id);
CREATE UNIQUE INDEX units_sibling_name ON units(COALESCE(parent_id, 0), name);

CREATE TABLE officers (
  id INTEGER PRIMARY KEY,
  badge_no TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  title TEXT NOT NULL DEFAULT '',
  phone_sealed TEXT NOT NULL DEFAULT '',   -- DataProtector::Seal of the phone number
  phone_hash TEXT NOT NULL DEFAULT '',     -- DataProtector::LookupHash, for look-ups
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX officers_unit ON officers(unit_id);
CREATE INDEX officers_phone_hash ON officers(phone_hash);

CREATE TABLE channel_accounts (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL CHECK (platform IN ('weibo', 'wechat', 'douyin', 'forum', 'website')),
  name TEXT NOT NULL,
  handle TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  unit_id INTEGER NOT NULL REFERENCES units(id),
  followers INTEGER NOT NULL DEFAULT 0,
  verified INTEGER NOT NULL DEFAULT 0,
  operator_officer_id INTEGER REFERENCES officers(id),
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (platform, handle)
);
CREATE INDEX channel_accounts_unit ON channel_accounts(unit_id);
