-- Images attached to appeals (a citizen's photos) and to verification notes (an officer's).
-- Only re-encoded JPEGs without metadata are kept, as files under the attachments directory
-- (path relative to it: aa/bb/<sha256>.jpg, named by the content's hash); the row describes
-- the file. An upload exists before its appeal: appeal_id stays NULL until the appeal is
-- created (AttachmentService::Attach), and unattached rows are purged after a day.
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('appeal', 'verification')),
  appeal_id INTEGER,                      -- no FK: keeps 0008 independent of 0004's evolution
  sha256 TEXT NOT NULL,                   -- of the stored JPEG, hex
  content_type TEXT NOT NULL DEFAULT 'image/jpeg' CHECK (content_type = 'image/jpeg'),
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL DEFAULT 0   -- the staff account; 0 for a citizen
);
CREATE INDEX attachments_appeal ON attachments(appeal_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);
CREATE INDEX attachments_unattached ON attachments(created_at) WHERE appeal_id IS NULL;
