-- Bookings (a trip's claim on a ride or a stay), their history, the email
-- outbox, one-time tokens and private calendar feeds.

ALTER TABLE rides ADD COLUMN instant_accept BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stays ADD COLUMN instant_accept BIGINT NOT NULL DEFAULT 0;

-- status: requested | accepted | declined | withdrawn | expired | cancelled.
-- Exactly one of ride_id / stay_id is set. A stay booking holds the nights
-- first_night..=last_night.
CREATE TABLE bookings (
    id {{ID}},
    trip_id BIGINT NOT NULL REFERENCES trips (id),
    traveller_id BIGINT NOT NULL REFERENCES users (id),
    owner_id BIGINT NOT NULL REFERENCES users (id),
    ride_id BIGINT REFERENCES rides (id),
    stay_id BIGINT REFERENCES stays (id),
    party_size BIGINT NOT NULL,
    first_night TEXT,
    last_night TEXT,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    reminded_at TEXT,
    day_before_sent BIGINT NOT NULL DEFAULT 0,
    cancel_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX bookings_trip ON bookings (trip_id);
CREATE INDEX bookings_ride ON bookings (ride_id, status);
CREATE INDEX bookings_stay ON bookings (stay_id, status);
CREATE INDEX bookings_owner ON bookings (owner_id, status);
CREATE INDEX bookings_due ON bookings (status, expires_at);
-- One live request or booking per trip and offer; the database refuses a second.
CREATE UNIQUE INDEX bookings_live_ride ON bookings (trip_id, ride_id)
    WHERE ride_id IS NOT NULL AND status IN ('requested', 'accepted');
CREATE UNIQUE INDEX bookings_live_stay ON bookings (trip_id, stay_id)
    WHERE stay_id IS NOT NULL AND status IN ('requested', 'accepted');

-- Every transition: who (NULL for the system) and when.
CREATE TABLE booking_events (
    id {{ID}},
    booking_id BIGINT NOT NULL REFERENCES bookings (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_id BIGINT,
    note TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX booking_events_booking ON booking_events (booking_id);

-- Single-use links (email verification, account claim, password reset,
-- email change, accept/decline from an email). Only a hash is stored.
CREATE TABLE tokens (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    booking_id BIGINT REFERENCES bookings (id),
    new_email TEXT,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);

-- Email is written here in the transaction that causes it; a worker sends it.
CREATE TABLE outbox (
    id {{ID}},
    message_id TEXT NOT NULL UNIQUE,
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until TEXT,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
