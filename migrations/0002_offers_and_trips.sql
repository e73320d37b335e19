-- Ride offers, stay offers and trips. Places are stored as resolved points
-- (ZIP or town) so matching never needs the gazetteer. Dates are YYYY-MM-DD.
-- status: 'active' | 'paused' | 'cancelled'.

CREATE TABLE rides (
    id {{ID}},
    owner_id BIGINT NOT NULL REFERENCES users (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    from_zip TEXT,
    from_city TEXT NOT NULL,
    from_state TEXT NOT NULL,
    from_lat DOUBLE PRECISION NOT NULL,
    from_lon DOUBLE PRECISION NOT NULL,
    depart_date TEXT NOT NULL,
    depart_time TEXT NOT NULL,
    return_date TEXT,
    seats BIGINT NOT NULL,
    seats_taken BIGINT NOT NULL DEFAULT 0,
    max_detour_km DOUBLE PRECISION NOT NULL,
    luggage BIGINT NOT NULL DEFAULT 0,
    smoking BIGINT NOT NULL DEFAULT 0,
    pets_welcome BIGINT NOT NULL DEFAULT 0,
    step_free BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Candidate rides for a trip: one office, a few departure days.
CREATE INDEX rides_office_date ON rides (office_id, depart_date);
CREATE INDEX rides_owner ON rides (owner_id);

CREATE TABLE stays (
    id {{ID}},
    owner_id BIGINT NOT NULL REFERENCES users (id),
    zip TEXT,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    street TEXT,
    beds BIGINT NOT NULL,
    first_night TEXT NOT NULL,
    last_night TEXT NOT NULL,
    pets_in_home BIGINT NOT NULL DEFAULT 0,
    smoking BIGINT NOT NULL DEFAULT 0,
    children_welcome BIGINT NOT NULL DEFAULT 0,
    step_free BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Spatial prefilter: a latitude range scan, longitude and dates checked in
-- the index before any row is read.
CREATE INDEX stays_geo ON stays (lat, lon, first_night, last_night);
CREATE INDEX stays_owner ON stays (owner_id);

CREATE TABLE stay_blocked_nights (
    stay_id BIGINT NOT NULL REFERENCES stays (id),
    night TEXT NOT NULL,
    PRIMARY KEY (stay_id, night)
);

-- Beds taken per night by accepted bookings (filled by the bookings feature).
CREATE TABLE stay_nights_taken (
    stay_id BIGINT NOT NULL REFERENCES stays (id),
    night TEXT NOT NULL,
    beds_taken BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (stay_id, night)
);

CREATE TABLE trips (
    id {{ID}},
    owner_id BIGINT NOT NULL REFERENCES users (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    from_zip TEXT,
    from_city TEXT NOT NULL,
    from_state TEXT NOT NULL,
    from_lat DOUBLE PRECISION NOT NULL,
    from_lon DOUBLE PRECISION NOT NULL,
    arrive TEXT NOT NULL,
    leave TEXT NOT NULL,
    party_size BIGINT NOT NULL,
    needs_ride BIGINT NOT NULL,
    needs_bed BIGINT NOT NULL,
    flex_days BIGINT NOT NULL,
    max_stay_km DOUBLE PRECISION NOT NULL,
    need_step_free BIGINT NOT NULL DEFAULT 0,
    need_no_pets BIGINT NOT NULL DEFAULT 0,
    need_no_smoking BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX trips_office_arrive ON trips (office_id, arrive);
CREATE INDEX trips_owner ON trips (owner_id);
