-- A log of every change that can alter which offers match: the in-memory
-- offer index (src/offer_index.rs) reads it to stay in step with the database
-- when other instances or the command line write. Triggers fill it, so no
-- write path can forget to. SQLite runs one writer at a time, so sequence
-- order is commit order and `xid` stays 0.

CREATE TABLE offer_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    xid BIGINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    offer_id BIGINT NOT NULL
);
CREATE INDEX offer_changes_cursor ON offer_changes (xid, seq);

CREATE TRIGGER rides_inserted AFTER INSERT ON rides
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('ride', NEW.id); END;
CREATE TRIGGER rides_updated AFTER UPDATE ON rides
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('ride', NEW.id); END;

CREATE TRIGGER stays_inserted AFTER INSERT ON stays
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('stay', NEW.id); END;
CREATE TRIGGER stays_updated AFTER UPDATE ON stays
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('stay', NEW.id); END;

CREATE TRIGGER stay_blocked_inserted AFTER INSERT ON stay_blocked_nights
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('stay', NEW.stay_id); END;
CREATE TRIGGER stay_blocked_deleted AFTER DELETE ON stay_blocked_nights
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('stay', OLD.stay_id); END;

CREATE TRIGGER stay_taken_inserted AFTER INSERT ON stay_nights_taken
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('stay', NEW.stay_id); END;
CREATE TRIGGER stay_taken_updated AFTER UPDATE ON stay_nights_taken
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('stay', NEW.stay_id); END;
CREATE TRIGGER stay_taken_deleted AFTER DELETE ON stay_nights_taken
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('stay', OLD.stay_id); END;

-- Matches show the owner's name and email.
CREATE TRIGGER users_renamed AFTER UPDATE OF name, email ON users
BEGIN INSERT INTO offer_changes (kind, offer_id) VALUES ('user', NEW.id); END;
