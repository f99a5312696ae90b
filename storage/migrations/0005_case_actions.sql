-- Officers' actions on a case (59-FZ arts. 8, 11, 12) and an append-only case history.

ALTER TABLE cases
    ADD COLUMN outcome            text,          -- answered, refused, forwarded, no_answer:<reason>
    ADD COLUMN closed_at          timestamptz,
    ADD COLUMN extended_days      integer,       -- the one extension granted (art. 12 p. 2)
    ADD COLUMN original_deadline  timestamptz,   -- the deadline before the extension
    ADD COLUMN forwarded_to       text,          -- the competent body's id
    ADD COLUMN forwarded_at       timestamptz;

-- The case history is evidence: rows are only ever added. The trigger holds for every role,
-- the owner included; the grants below hold for the role the daemon runs as.
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER case_events_no_update_delete BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();

-- The daemon's role: everything it needs, and on case_events only SELECT and INSERT.
-- Deployments log the daemon in as a member of this role (GRANT mailgate_daemon TO ...);
-- migrations run as the schema owner.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mailgate_daemon') THEN
        CREATE ROLE mailgate_daemon NOLOGIN;
    END IF;
END
$$;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mailgate_daemon;
REVOKE UPDATE, DELETE, TRUNCATE ON case_events FROM mailgate_daemon;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO mailgate_daemon;
