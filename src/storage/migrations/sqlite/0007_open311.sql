-- Open311 GeoReport v2: the client applications allowed to post requests (one API key each)
-- and the token handed out for every request they post.
CREATE TABLE open311_clients (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  -- SHA-256 hex of the API key; the key itself is shown once and never stored.
  api_key_hash TEXT NOT NULL UNIQUE,
  key_hint TEXT NOT NULL DEFAULT '',  -- the key's first characters, to tell keys apart
  unit_id INTEGER NOT NULL REFERENCES units(id),
  active INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER NOT NULL REFERENCES accounts(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX open311_clients_unit ON open311_clients(unit_id);

-- GET tokens/{token}: the request a token stands for. appeal_id is an appeals(id).
CREATE TABLE open311_tokens (
  id INTEGER PRIMARY KEY,
  token TEXT NOT NULL UNIQUE,
  client_id INTEGER NOT NULL REFERENCES open311_clients(id),
  appeal_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX open311_tokens_appeal ON open311_tokens(appeal_id);
