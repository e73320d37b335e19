-- A booking the office requested for a traveller from its proposals: which
-- staff member sent it and when (NULL: the traveller asked). No foreign key,
-- as booking_events.actor_id: the history outlives an erased account.
ALTER TABLE bookings ADD COLUMN proposed_by BIGINT;
ALTER TABLE bookings ADD COLUMN proposed_at TEXT;
