-- Portable DDL for SQLite and PostgreSQL. `{{ID}}` is the one spelling that
-- differs (an auto-assigned integer key); store::db substitutes it per backend.
-- Booleans are BIGINT 0/1, timestamps RFC 3339 UTC text, dates YYYY-MM-DD text.

CREATE TABLE users (
    id {{ID}},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    phone TEXT,
    home_zip TEXT,
    home_city TEXT,
    home_state TEXT,
    home_lat DOUBLE PRECISION,
    home_lon DOUBLE PRECISION,
    is_admin BIGINT NOT NULL DEFAULT 0,
    email_verified BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE offices (
    id {{ID}},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    zip TEXT,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    timezone TEXT NOT NULL,
    contact_email TEXT,
    needed_per_day BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX offices_state ON offices (state, name_key);

CREATE TABLE office_staff (
    office_id BIGINT NOT NULL REFERENCES offices (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (office_id, user_id)
);
CREATE INDEX office_staff_user ON office_staff (user_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    id {{ID}},
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE app_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
