-- The account a session is signed in to (NULL: nobody), so that a password
-- reset or change and an email change can end the account's other sessions.
-- Older sessions cannot be attributed, so they end here: everyone logs in
-- once more.
ALTER TABLE sessions ADD COLUMN user_id BIGINT;
CREATE INDEX sessions_user ON sessions (user_id);
DELETE FROM sessions;
