-- Answering a booking retires its other links: without this index that
-- UPDATE scanned every token ever issued.
CREATE INDEX tokens_booking ON tokens (booking_id);
