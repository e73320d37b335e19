-- Rides home. A ride has a direction: 'to_office' (every ride so far) or
-- 'from_office', home from the office on depart_date to the driver's
-- destination. Either way the from_* columns hold the driver's far end (the
-- start of a ride there, the destination of a ride home), so matching, the
-- offer index and every read keep one set of columns.
--
-- A return date was a promise to drive back: each ride that had one gets its
-- ride home, from the office on that date to the start, with the same seats,
-- detour and preferences; nobody has booked it yet. Then the column goes.
-- Trips can need a ride home; bookings say which way their ride goes, so a
-- trip may hold one accepted ride there and one accepted ride home.

ALTER TABLE rides ADD COLUMN direction TEXT NOT NULL DEFAULT 'to_office'
    CHECK (direction IN ('to_office', 'from_office'));

INSERT INTO rides (owner_id, office_id, from_zip, from_city, from_state, from_lat, from_lon,
    depart_date, depart_time, seats, seats_taken, max_detour_km, luggage, smoking,
    pets_welcome, step_free, notes, status, created_at, updated_at, instant_accept, direction)
SELECT owner_id, office_id, from_zip, from_city, from_state, from_lat, from_lon,
    return_date, '09:00', seats, 0, max_detour_km, luggage, smoking,
    pets_welcome, step_free, notes, status, created_at, {{NOW}}, instant_accept, 'from_office'
FROM rides WHERE return_date IS NOT NULL AND return_date <> '' ORDER BY id;

ALTER TABLE rides DROP COLUMN return_date;

ALTER TABLE trips ADD COLUMN needs_ride_home BIGINT NOT NULL DEFAULT 0;

ALTER TABLE bookings ADD COLUMN ride_home BIGINT NOT NULL DEFAULT 0;

DROP INDEX bookings_one_accepted_ride;
CREATE UNIQUE INDEX bookings_one_accepted_ride ON bookings (trip_id, ride_home)
    WHERE status = 'accepted' AND ride_id IS NOT NULL;
