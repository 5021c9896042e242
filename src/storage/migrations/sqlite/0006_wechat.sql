-- WeChat official accounts: callback configuration, keyword auto-replies (FAQ rules) and the
-- inbound message log that deduplicates WeChat's retries.
CREATE TABLE wechat_accounts (
  id INTEGER PRIMARY KEY,
  -- The registry entry (platform 'wechat') whose unit owns this account; access follows it.
  channel_account_id INTEGER NOT NULL UNIQUE REFERENCES channel_accounts(id),
  name TEXT NOT NULL,
  app_id TEXT NOT NULL UNIQUE,
  token_sealed TEXT NOT NULL,                 -- DataProtector::Seal of the Token
  aes_key_sealed TEXT NOT NULL DEFAULT '',    -- DataProtector::Seal of the EncodingAESKey
  mode TEXT NOT NULL CHECK (mode IN ('plain', 'compatible', 'safe')),
  welcome_text TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',          -- appeal category for consultations; '' = default
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE faq_rules (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES wechat_accounts(id),
  keywords TEXT NOT NULL,                     -- JSON array of strings
  match_mode TEXT NOT NULL CHECK (match_mode IN ('exact', 'contains')),
  reply_text TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,        -- higher first; ties by id
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX faq_rules_account ON faq_rules(account_id, priority);

CREATE TABLE wechat_messages (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES wechat_accounts(id),
  -- No foreign key on appeal_id: appeals may live elsewhere (the intake is an interface).
  -- "m:" + MsgId, or "e:" + LookupHash(FromUserName) + ":" + CreateTime for events.
  dedupe_key TEXT NOT NULL,
  from_user_hash TEXT NOT NULL,               -- DataProtector::LookupHash of the OpenID
  msg_type TEXT NOT NULL,                     -- text, image, ..., or event:subscribe, ...
  received_at INTEGER NOT NULL,
  appeal_id INTEGER,                          -- the appeal it became or was added to
  reply_kind TEXT NOT NULL DEFAULT 'pending', -- pending, none, faq, welcome, appeal, thread, error
  reply_sealed TEXT NOT NULL DEFAULT '',      -- DataProtector::Seal of the passive reply text
  reply_summary TEXT NOT NULL DEFAULT '',     -- e.g. "faq:12", "appeal:YJ20260101000001"
  UNIQUE (account_id, dedupe_key)
);
CREATE INDEX wechat_messages_received ON wechat_messages(account_id, received_at);
