-- When a session began (Unix seconds), for its absolute lifetime. Sessions
-- from before cannot say, so they count as begun long ago and end.
ALTER TABLE sessions ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
