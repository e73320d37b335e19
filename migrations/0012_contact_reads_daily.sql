-- Contact reads, one row per staff member, traveller, office and day (UTC)
-- instead of one per page view: a day page read over and over updates its
-- rows (last time seen, count) rather than adding rows. Older rows are
-- folded into the new form, so nothing logged before is lost.

CREATE TABLE contact_reads_daily (
    staff_id BIGINT NOT NULL REFERENCES users (id),
    traveller_id BIGINT NOT NULL REFERENCES users (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    day TEXT NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    read_count BIGINT NOT NULL,
    PRIMARY KEY (staff_id, traveller_id, office_id, day)
);

INSERT INTO contact_reads_daily
    (staff_id, traveller_id, office_id, day, first_at, last_at, read_count)
SELECT staff_id, traveller_id, office_id, substr(at, 1, 10), MIN(at), MAX(at), COUNT(*)
FROM contact_reads
GROUP BY staff_id, traveller_id, office_id, substr(at, 1, 10);

DROP TABLE contact_reads;
ALTER TABLE contact_reads_daily RENAME TO contact_reads;
CREATE INDEX contact_reads_office ON contact_reads (office_id, day);
