-- Alerts ("tell me when something fits"). One row per trip (kind 'trip') or
-- offer ('ride', 'stay') once the alert job has taken stock of it or its
-- owner has switched it. A trip without a row is watched (the default); an
-- offer without one is not (owners opt in).
CREATE TABLE alert_watches (
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    enabled BIGINT NOT NULL,
    -- The secret of the one-click unsubscribe link: it turns only this
    -- alert off, so it is kept as is and put in every alert.
    token TEXT NOT NULL UNIQUE,
    -- Whether the job has taken stock: what fitted when watching began is
    -- not news, only what fits later.
    started BIGINT NOT NULL DEFAULT 0,
    -- What fits now and was already told (or was there when watching
    -- began), as space-separated keys ("r12 s5"). A key leaves once its
    -- offer stops fitting (no room, withdrawn), so it is told again only
    -- after it fits again.
    seen TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, target_id)
);

-- The guard that an alert goes out once per watch and office day, whichever
-- instance sends it: inserted in the transaction that queues the email.
CREATE TABLE alerts_sent (
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (kind, target_id, day)
);

-- RFC 8058 one-click unsubscribe: the POST address an alert's
-- List-Unsubscribe header carries (NULL for every other email).
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT;
