-- Core tables every module relies on: scheduler leases and idempotency keys.

-- One row per periodic job: the node holding it runs the job until expires_at (Unix millis).
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);

-- The stored response of a POST that carried an Idempotency-Key, replayed on a retry.
CREATE TABLE idempotency_keys (
  key TEXT NOT NULL,
  scope TEXT NOT NULL,          -- who sent it (account id or client) and the route
  response_status INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
