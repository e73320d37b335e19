-- A log of every change that can alter which offers match: the in-memory
-- offer index (src/offer_index.rs) reads it to stay in step with the database
-- when other instances or the command line write. Triggers fill it, so no
-- write path can forget to. PostgreSQL commits concurrent transactions in any
-- order, so each row carries its transaction id: the index only moves its
-- cursor past transactions older than every one still running.

CREATE TABLE offer_changes (
    seq BIGSERIAL PRIMARY KEY,
    xid BIGINT NOT NULL DEFAULT CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT),
    kind TEXT NOT NULL,
    offer_id BIGINT NOT NULL
);
CREATE INDEX offer_changes_cursor ON offer_changes (xid, seq);

CREATE FUNCTION offer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := to_jsonb(OLD);
    ELSE
        r := to_jsonb(NEW);
    END IF;
    INSERT INTO offer_changes (kind, offer_id) VALUES (TG_ARGV[0], CAST(r ->> TG_ARGV[1] AS BIGINT));
    RETURN NULL;
END
$$;

CREATE TRIGGER rides_changed AFTER INSERT OR UPDATE ON rides
    FOR EACH ROW EXECUTE FUNCTION offer_changed('ride', 'id');
CREATE TRIGGER stays_changed AFTER INSERT OR UPDATE ON stays
    FOR EACH ROW EXECUTE FUNCTION offer_changed('stay', 'id');
CREATE TRIGGER stay_blocked_changed AFTER INSERT OR DELETE ON stay_blocked_nights
    FOR EACH ROW EXECUTE FUNCTION offer_changed('stay', 'stay_id');
CREATE TRIGGER stay_taken_changed AFTER INSERT OR UPDATE OR DELETE ON stay_nights_taken
    FOR EACH ROW EXECUTE FUNCTION offer_changed('stay', 'stay_id');
-- Matches show the owner's name and email.
CREATE TRIGGER users_renamed AFTER UPDATE OF name, email ON users
    FOR EACH ROW EXECUTE FUNCTION offer_changed('user', 'id');
