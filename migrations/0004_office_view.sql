-- The field office's view: check-ins, a log of staff reading contact
-- details, private office calendar feeds and the daily digest marker.

-- status: 'arrived' | 'no_show'; one check-in per trip.
CREATE TABLE checkins (
    trip_id BIGINT PRIMARY KEY REFERENCES trips (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    status TEXT NOT NULL,
    by_user BIGINT NOT NULL REFERENCES users (id),
    at TEXT NOT NULL
);
CREATE INDEX checkins_office ON checkins (office_id);

CREATE TABLE contact_reads (
    id {{ID}},
    staff_id BIGINT NOT NULL REFERENCES users (id),
    traveller_id BIGINT NOT NULL REFERENCES users (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    at TEXT NOT NULL
);
CREATE INDEX contact_reads_office ON contact_reads (office_id, at);

CREATE TABLE office_feeds (
    office_id BIGINT PRIMARY KEY REFERENCES offices (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- One digest per office per day, whichever instance sends it.
CREATE TABLE digests_sent (
    office_id BIGINT NOT NULL REFERENCES offices (id),
    day TEXT NOT NULL,
    PRIMARY KEY (office_id, day)
);

-- Arrivals by office and dates: trips overlapping a range.
CREATE INDEX trips_office_leave ON trips (office_id, leave);
