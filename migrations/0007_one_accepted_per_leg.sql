-- A trip holds at most one accepted booking per leg: one on a ride (the
-- ride there) and one on a stay (its nights); the two partial unique indexes
-- below make the database refuse a second, even when two accepts race.
--
-- Before the rule, a trip could hold two. For each trip and leg the booking
-- accepted first is kept (then the lowest id: an accepted booking's
-- updated_at is when it was accepted); every other accepted one on the leg
-- is cancelled with a reason in its history, and its seats or beds are given
-- back, before the indexes are made. Nobody is emailed (a migration cannot
-- compose mail); the booking's page and history say what happened.
--
-- "A later accepted booking of the same trip and leg" is spelled out in
-- each statement: an accepted booking `b` for which an accepted booking `k`
-- of the same trip and leg was accepted before it. The one kept is never
-- changed, so each statement finds the same rows whatever order it visits
-- them in.

UPDATE rides SET seats_taken = seats_taken - CASE
    WHEN seats_taken >= (
        SELECT CAST(COALESCE(SUM(b.party_size), 0) AS BIGINT) FROM bookings b
        WHERE b.ride_id = rides.id AND b.status = 'accepted' AND EXISTS (
            SELECT 1 FROM bookings k WHERE k.trip_id = b.trip_id AND k.status = 'accepted'
            AND k.ride_id IS NOT NULL
            AND (k.updated_at < b.updated_at OR (k.updated_at = b.updated_at AND k.id < b.id))))
    THEN (
        SELECT CAST(COALESCE(SUM(b.party_size), 0) AS BIGINT) FROM bookings b
        WHERE b.ride_id = rides.id AND b.status = 'accepted' AND EXISTS (
            SELECT 1 FROM bookings k WHERE k.trip_id = b.trip_id AND k.status = 'accepted'
            AND k.ride_id IS NOT NULL
            AND (k.updated_at < b.updated_at OR (k.updated_at = b.updated_at AND k.id < b.id))))
    ELSE seats_taken END
WHERE id IN (
    SELECT b.ride_id FROM bookings b
    WHERE b.ride_id IS NOT NULL AND b.status = 'accepted' AND EXISTS (
        SELECT 1 FROM bookings k WHERE k.trip_id = b.trip_id AND k.status = 'accepted'
        AND k.ride_id IS NOT NULL
        AND (k.updated_at < b.updated_at OR (k.updated_at = b.updated_at AND k.id < b.id))));

UPDATE stay_nights_taken SET beds_taken = beds_taken - CASE
    WHEN beds_taken >= (
        SELECT CAST(COALESCE(SUM(b.party_size), 0) AS BIGINT) FROM bookings b
        WHERE b.stay_id = stay_nights_taken.stay_id AND b.status = 'accepted'
        AND b.first_night <= stay_nights_taken.night AND b.last_night >= stay_nights_taken.night
        AND EXISTS (
            SELECT 1 FROM bookings k WHERE k.trip_id = b.trip_id AND k.status = 'accepted'
            AND k.stay_id IS NOT NULL
            AND (k.updated_at < b.updated_at OR (k.updated_at = b.updated_at AND k.id < b.id))))
    THEN (
        SELECT CAST(COALESCE(SUM(b.party_size), 0) AS BIGINT) FROM bookings b
        WHERE b.stay_id = stay_nights_taken.stay_id AND b.status = 'accepted'
        AND b.first_night <= stay_nights_taken.night AND b.last_night >= stay_nights_taken.night
        AND EXISTS (
            SELECT 1 FROM bookings k WHERE k.trip_id = b.trip_id AND k.status = 'accepted'
            AND k.stay_id IS NOT NULL
            AND (k.updated_at < b.updated_at OR (k.updated_at = b.updated_at AND k.id < b.id))))
    ELSE beds_taken END
WHERE stay_id IN (
    SELECT b.stay_id FROM bookings b
    WHERE b.stay_id IS NOT NULL AND b.status = 'accepted' AND EXISTS (
        SELECT 1 FROM bookings k WHERE k.trip_id = b.trip_id AND k.status = 'accepted'
        AND k.stay_id IS NOT NULL
        AND (k.updated_at < b.updated_at OR (k.updated_at = b.updated_at AND k.id < b.id))));

INSERT INTO booking_events (booking_id, from_status, to_status, actor_id, note, at)
SELECT b.id, 'accepted', 'cancelled', NULL,
    'Another booking for the same leg of this trip was confirmed first.', {{NOW}}
FROM bookings b
WHERE b.status = 'accepted' AND EXISTS (
    SELECT 1 FROM bookings k WHERE k.trip_id = b.trip_id AND k.status = 'accepted'
    AND ((k.ride_id IS NOT NULL AND b.ride_id IS NOT NULL) OR (k.stay_id IS NOT NULL AND b.stay_id IS NOT NULL))
    AND (k.updated_at < b.updated_at OR (k.updated_at = b.updated_at AND k.id < b.id)));

UPDATE bookings SET status = 'cancelled', updated_at = {{NOW}},
    cancel_reason = 'Another booking for the same leg of this trip was confirmed first.'
WHERE status = 'accepted' AND EXISTS (
    SELECT 1 FROM bookings k WHERE k.trip_id = bookings.trip_id AND k.status = 'accepted'
    AND ((k.ride_id IS NOT NULL AND bookings.ride_id IS NOT NULL)
        OR (k.stay_id IS NOT NULL AND bookings.stay_id IS NOT NULL))
    AND (k.updated_at < bookings.updated_at OR (k.updated_at = bookings.updated_at AND k.id < bookings.id)));

CREATE UNIQUE INDEX bookings_one_accepted_ride ON bookings (trip_id)
    WHERE status = 'accepted' AND ride_id IS NOT NULL;
CREATE UNIQUE INDEX bookings_one_accepted_stay ON bookings (trip_id)
    WHERE status = 'accepted' AND stay_id IS NOT NULL;
