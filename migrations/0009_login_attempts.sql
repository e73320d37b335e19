-- Password checks per account (keyed by the address as typed, whether or not
-- an account uses it) in the current throttling window. A check is taken
-- with one guarded upsert before the password is hashed, so parallel
-- requests and several instances never check more than the limit.
CREATE TABLE login_attempts (
    email TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    n BIGINT NOT NULL
);
