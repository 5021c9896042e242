-- Staff sign-in: accounts, their roles, server-side sessions, and the hash-chained audit log.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,          -- lower-case, [a-z0-9._-]{3,32}
  display_name TEXT NOT NULL,
  officer_id INTEGER REFERENCES officers(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  password_hash TEXT NOT NULL,            -- Argon2id (libsodium crypto_pwhash_str)
  active INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  last_login_at INTEGER,
  password_changed_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX accounts_unit ON accounts(unit_id);
CREATE INDEX accounts_officer ON accounts(officer_id);

CREATE TABLE account_roles (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  role TEXT NOT NULL CHECK (role IN ('system_admin', 'security_admin', 'audit_admin',
                                     'pr_officer', 'unit_head', 'officer', 'viewer')),
  PRIMARY KEY (account_id, role)
);
CREATE INDEX account_roles_role ON account_roles(role);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  -- SHA-256 hex of the 256-bit token; the token itself is never stored.
  token_hash TEXT NOT NULL UNIQUE,
  -- SHA-256 hex of the CSRF token (which is derived from the session token, never stored).
  csrf_hash TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  client_ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions(account_id);

-- Append-only. Each row's hash is SHA-256 over the previous row's hash and this row's fields;
-- `lianxin audit verify` walks the chain. Rows are kept at least 180 days.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  account_id INTEGER NOT NULL DEFAULT 0,  -- 0: nobody signed in
  username TEXT NOT NULL DEFAULT '',
  unit_id INTEGER NOT NULL DEFAULT 0,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
  detail TEXT NOT NULL DEFAULT '',
  client_ip TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_username_at ON audit_log(username, at);
CREATE INDEX audit_log_action_at ON audit_log(action, at);
CREATE INDEX audit_log_unit ON audit_log(unit_id);
