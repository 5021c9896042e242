-- Outbound messages to citizens (WeChat customer-service messages, SMS): written in the same
-- transaction as the change that causes them, delivered later by Outbox::DeliverDue with
-- retries and backoff. The recipient is sealed (DataProtector) and looked up by its keyed hash.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('wechat_cs', 'sms')),
  recipient_sealed TEXT NOT NULL,
  recipient_hash TEXT NOT NULL,
  payload TEXT NOT NULL,                  -- a JSON object, the adapter's message content
  appeal_id INTEGER,                      -- the appeal it concerns, if any (no FK: 0004 owns it)
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  -- pending: when the next attempt is due; sending: when the claim lapses and another
  -- deliverer may take the row over (a node that died mid-send).
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,                        -- a reason without recipient or content
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_appeal ON outbox(appeal_id);
CREATE INDEX outbox_recipient ON outbox(recipient_hash);
