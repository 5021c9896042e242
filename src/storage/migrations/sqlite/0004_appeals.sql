-- Appeals (诉求): the appeal, its timeline, categories, reply templates, saved inbox views,
-- in-console notifications, the working-day calendar and the deadline settings.
-- Personal data (citizen name and phone, a channel reference such as a WeChat OpenID) is
-- sealed with DataProtector; *_hash columns are DataProtector::LookupHash for look-ups.

CREATE TABLE appeal_categories (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL DEFAULT 0
);
-- Configurable data: a starting list.
INSERT INTO appeal_categories (code, name, sort_order) VALUES
  ('public_order', '治安管理', 10),
  ('traffic', '交通管理', 20),
  ('household', '户籍管理', 30),
  ('exit_entry', '出入境管理', 40),
  ('fraud', '防范电信诈骗', 50),
  ('noise', '噪音扰民', 60),
  ('service', '执法服务', 70),
  ('other', '其他', 1000);

-- Deadlines per kind (working hours / working days on the calendar below).
CREATE TABLE deadline_settings (
  kind TEXT PRIMARY KEY CHECK (kind IN ('consultation', 'complaint', 'report', 'suggestion', 'praise')),
  acknowledge_hours INTEGER NOT NULL CHECK (acknowledge_hours BETWEEN 1 AND 720),
  reply_working_days INTEGER NOT NULL CHECK (reply_working_days BETWEEN 1 AND 120),
  resolve_working_days INTEGER NOT NULL CHECK (resolve_working_days BETWEEN 1 AND 365),
  version BIGINT NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO deadline_settings (kind, acknowledge_hours, reply_working_days, resolve_working_days) VALUES
  ('consultation', 24, 5, 15),
  ('complaint', 24, 5, 15),
  ('report', 24, 5, 15),
  ('suggestion', 24, 5, 15),
  ('praise', 24, 5, 15);

-- Exceptions to "Monday to Friday work": public holidays and make-up working days (调休).
-- Configurable data. 2026 is the State Council's published schedule; 2027 holds only the
-- statutory days as far as they are known (provisional: replace when the schedule is out).
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY CHECK (length(day) = 10),  -- "2026-10-01" (+08:00)
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL DEFAULT ''
);
INSERT INTO calendar_days (day, kind, name) VALUES
  ('2026-01-01', 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'), ('2026-01-03', 'holiday', '元旦'),
  ('2026-01-04', 'workday', '元旦调休'),
  ('2026-02-14', 'workday', '春节调休'),
  ('2026-02-15', 'holiday', '春节'), ('2026-02-16', 'holiday', '春节'), ('2026-02-17', 'holiday', '春节'),
  ('2026-02-18', 'holiday', '春节'), ('2026-02-19', 'holiday', '春节'), ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'), ('2026-02-22', 'holiday', '春节'), ('2026-02-23', 'holiday', '春节'),
  ('2026-02-28', 'workday', '春节调休'),
  ('2026-04-04', 'holiday', '清明节'), ('2026-04-05', 'holiday', '清明节'), ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'), ('2026-05-02', 'holiday', '劳动节'), ('2026-05-03', 'holiday', '劳动节'),
  ('2026-05-04', 'holiday', '劳动节'), ('2026-05-05', 'holiday', '劳动节'),
  ('2026-05-09', 'workday', '劳动节调休'),
  ('2026-06-19', 'holiday', '端午节'), ('2026-06-20', 'holiday', '端午节'), ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-20', 'workday', '国庆节调休'),
  ('2026-09-25', 'holiday', '中秋节'), ('2026-09-26', 'holiday', '中秋节'), ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'), ('2026-10-02', 'holiday', '国庆节'), ('2026-10-03', 'holiday', '国庆节'),
  ('2026-10-04', 'holiday', '国庆节'), ('2026-10-05', 'holiday', '国庆节'), ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-10-10', 'workday', '国庆节调休'),
  ('2027-01-01', 'holiday', '元旦（暂定）'),
  ('2027-02-05', 'holiday', '春节（暂定）'), ('2027-02-06', 'holiday', '春节（暂定）'),
  ('2027-02-07', 'holiday', '春节（暂定）'), ('2027-02-08', 'holiday', '春节（暂定）'),
  ('2027-04-05', 'holiday', '清明节（暂定）'),
  ('2027-05-01', 'holiday', '劳动节（暂定）'), ('2027-05-02', 'holiday', '劳动节（暂定）'),
  ('2027-06-09', 'holiday', '端午节（暂定）'),
  ('2027-09-15', 'holiday', '中秋节（暂定）'),
  ('2027-10-01', 'holiday', '国庆节（暂定）'), ('2027-10-02', 'holiday', '国庆节（暂定）'),
  ('2027-10-03', 'holiday', '国庆节（暂定）');

-- The daily sequence behind tracking numbers "YJ" + yyyymmdd + 6 digits.
CREATE TABLE appeal_sequences (
  day INTEGER PRIMARY KEY,  -- yyyymmdd (+08:00)
  last_value BIGINT NOT NULL
);

CREATE TABLE appeals (
  id INTEGER PRIMARY KEY,
  tracking_number TEXT NOT NULL UNIQUE,
  access_code_hash TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('consultation', 'complaint', 'report', 'suggestion', 'praise')),
  category TEXT NOT NULL REFERENCES appeal_categories(code),
  channel TEXT NOT NULL CHECK (channel IN ('web', 'wechat', 'weibo', 'forum', 'hotline', 'event', 'survey', 'open311')),
  state TEXT NOT NULL CHECK (state IN ('submitted', 'acknowledged', 'assigned', 'verifying', 'replied', 'rectifying', 'follow_up', 'closed', 'merged')),
  resolved INTEGER NOT NULL DEFAULT 0,      -- closed as resolved (rated, auto-closed, followed up)
  text TEXT NOT NULL,
  citizen_name_sealed TEXT NOT NULL DEFAULT '',
  citizen_phone_sealed TEXT NOT NULL DEFAULT '',
  citizen_phone_hash TEXT NOT NULL DEFAULT '',
  publish_reply INTEGER NOT NULL DEFAULT 0,
  district_code TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  channel_ref_sealed TEXT NOT NULL DEFAULT '',
  channel_ref_hash TEXT NOT NULL DEFAULT '',
  source_url TEXT NOT NULL DEFAULT '',
  unit_id INTEGER NOT NULL REFERENCES units(id),   -- the unit handling it now
  unit_path TEXT NOT NULL,                      -- that unit's path, for subtree filters
  merged_into INTEGER REFERENCES appeals(id),
  ack_text TEXT NOT NULL DEFAULT '',            -- the public acknowledgement
  reply_text TEXT NOT NULL DEFAULT '',
  replied_at BIGINT,
  acknowledged_at BIGINT,
  accepted_day INTEGER,                         -- yyyymmdd (+08:00) of acknowledged_at
  rating TEXT CHECK (rating IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  rating_comment TEXT NOT NULL DEFAULT '',
  rated_at BIGINT,
  ever_unsatisfied INTEGER NOT NULL DEFAULT 0,
  rectification_task TEXT NOT NULL DEFAULT '',
  rectification_deadline BIGINT,
  rectification_result TEXT NOT NULL DEFAULT '',
  rectified_at BIGINT,
  follow_up_count INTEGER NOT NULL DEFAULT 0,
  closed_at BIGINT,
  reopened_count INTEGER NOT NULL DEFAULT 0,
  ack_deadline BIGINT NOT NULL,
  reply_deadline BIGINT NOT NULL,
  resolve_deadline BIGINT NOT NULL,
  due_at BIGINT,            -- the deadline of the current step; NULL when none runs
  warn_at BIGINT,           -- 80% of the way to due_at
  warned_at BIGINT,         -- when the unit was warned about due_at
  escalated_at BIGINT,      -- when the overdue step was escalated to the parent unit
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX appeals_inbox ON appeals(unit_path, state, created_at);

CREATE INDEX appeals_created ON appeals(created_at);
CREATE INDEX appeals_state_created ON appeals(state, created_at);
CREATE INDEX appeals_channel_ref ON appeals(channel_ref_hash, created_at);
CREATE INDEX appeals_phone_hash ON appeals(citizen_phone_hash);
CREATE INDEX appeals_accepted_day ON appeals(accepted_day, unit_path);
CREATE INDEX appeals_warn ON appeals(warn_at);
CREATE INDEX appeals_due ON appeals(due_at);
CREATE INDEX appeals_merged_into ON appeals(merged_into);
CREATE INDEX appeals_wall ON appeals(publish_reply, state, replied_at);

-- The metrics rollup: per period, handling unit, channel and kind, the appeals'
-- contributions to each metric (see src/appeals/metrics.h). A period is an accepted day
-- (yyyymmdd, 8 digits) or an accepted month (yyyymm, 6 digits): every appeal counts in one
-- row of each, so queries over whole months read the smaller month rows. AppealService keeps it
-- in step with every change of an appeal (old contribution out, new one in, same
-- transaction); AppealMetrics::Rebuild recomputes it from appeals.
CREATE TABLE appeal_metric_rollup (
  period INTEGER NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  unit_path TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  accepted BIGINT NOT NULL DEFAULT 0,
  acknowledged_on_time BIGINT NOT NULL DEFAULT 0,
  replied BIGINT NOT NULL DEFAULT 0,
  replied_on_time BIGINT NOT NULL DEFAULT 0,
  resolved BIGINT NOT NULL DEFAULT 0,
  rated BIGINT NOT NULL DEFAULT 0,
  satisfied BIGINT NOT NULL DEFAULT 0,
  unsatisfied BIGINT NOT NULL DEFAULT 0,
  rectified BIGINT NOT NULL DEFAULT 0,
  follow_up_visits BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (period, unit_id, channel, kind)
);

-- The timeline: every transition and note, who and when.
CREATE TABLE appeal_events (
  id INTEGER PRIMARY KEY,
  appeal_id INTEGER NOT NULL REFERENCES appeals(id),
  at BIGINT NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('staff', 'citizen', 'system')),
  account_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  unit_id INTEGER,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  public INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'   -- JSON object
);
CREATE INDEX appeal_events_appeal ON appeal_events(appeal_id, at);

CREATE TABLE reply_templates (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX reply_templates_unit ON reply_templates(unit_id);

CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  filter TEXT NOT NULL,     -- JSON object of inbox filters
  created_at BIGINT NOT NULL,
  UNIQUE (account_id, name)
);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  account_id INTEGER,          -- one person, or
  unit_id INTEGER REFERENCES units(id),   -- everyone of a unit
  kind TEXT NOT NULL CHECK (kind IN ('new_assignment', 'warning', 'escalation')),
  appeal_id INTEGER NOT NULL REFERENCES appeals(id),
  message TEXT NOT NULL DEFAULT '',
  read_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX notifications_account ON notifications(account_id, created_at);
CREATE INDEX notifications_unit ON notifications(unit_id, created_at);

-- Chinese full-text search over the text and the reply: trigrams (queries of 1-2 characters
-- fall back to LIKE in the repository). External content, kept in sync by triggers.
CREATE VIRTUAL TABLE appeals_fts USING fts5(text, reply_text, content='appeals', content_rowid='id', tokenize='trigram');
CREATE TRIGGER appeals_fts_insert AFTER INSERT ON appeals BEGIN
  INSERT INTO appeals_fts(rowid, text, reply_text) VALUES (new.id, new.text, new.reply_text);
END;
CREATE TRIGGER appeals_fts_delete AFTER DELETE ON appeals BEGIN
  INSERT INTO appeals_fts(appeals_fts, rowid, text, reply_text) VALUES ('delete', old.id, old.text, old.reply_text);
END;
CREATE TRIGGER appeals_fts_update AFTER UPDATE OF text, reply_text ON appeals BEGIN
  INSERT INTO appeals_fts(appeals_fts, rowid, text, reply_text) VALUES ('delete', old.id, old.text, old.reply_text);
  INSERT INTO appeals_fts(rowid, text, reply_text) VALUES (new.id, new.text, new.reply_text);
END;
