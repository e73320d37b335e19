-- What the purge after the election leaves behind: per office and arrival
-- day, how many trips and people came. Anonymous figures, no one's name.
CREATE TABLE office_day_counts (
    office_id BIGINT NOT NULL REFERENCES offices (id),
    day TEXT NOT NULL,
    trips BIGINT NOT NULL,
    people BIGINT NOT NULL,
    PRIMARY KEY (office_id, day)
);
