-- A registered message and a case's registration are evidence: once written they are never
-- changed, and only the retention step removes them. The triggers hold for every role, the
-- owner and a superuser included, so they hold whatever role the daemon logs in as.
--
-- Retention (a later issue) is the one place that may remove these rows: it runs
--   SET LOCAL mailgate.retention = 'on';
-- in its own transaction. Nothing else in mailgate sets that setting.

CREATE FUNCTION refuse_registration_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('mailgate.retention', true), '') = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% of % refused: a registration is never changed or removed (only retention may remove it)',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- messages: the bytes as fetched, their digest and size, where they came from and when.
CREATE TRIGGER messages_registration_fixed
    BEFORE UPDATE OF id, mailbox, uidvalidity, uid, raw, raw_sha256, raw_size, received_at,
                     fetched_at ON messages
    FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id
          OR OLD.mailbox IS DISTINCT FROM NEW.mailbox
          OR OLD.uidvalidity IS DISTINCT FROM NEW.uidvalidity
          OR OLD.uid IS DISTINCT FROM NEW.uid
          OR OLD.raw_sha256 IS DISTINCT FROM NEW.raw_sha256
          OR OLD.raw_size IS DISTINCT FROM NEW.raw_size
          OR OLD.received_at IS DISTINCT FROM NEW.received_at
          OR OLD.fetched_at IS DISTINCT FROM NEW.fetched_at
          OR OLD.raw IS DISTINCT FROM NEW.raw)
    EXECUTE FUNCTION refuse_registration_change();
CREATE TRIGGER messages_no_delete BEFORE DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION refuse_registration_change();
CREATE TRIGGER messages_no_truncate BEFORE TRUNCATE ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_registration_change();

-- cases: the registration number, when and from which message it was registered. Status,
-- deadline, officer and the rest are the case's work and stay writable.
CREATE TRIGGER cases_registration_fixed
    BEFORE UPDATE OF id, regno, reg_year, reg_seq, message_id, channel, received_at,
                     registered_at ON cases
    FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id
          OR OLD.regno IS DISTINCT FROM NEW.regno
          OR OLD.reg_year IS DISTINCT FROM NEW.reg_year
          OR OLD.reg_seq IS DISTINCT FROM NEW.reg_seq
          OR OLD.message_id IS DISTINCT FROM NEW.message_id
          OR OLD.channel IS DISTINCT FROM NEW.channel
          OR OLD.received_at IS DISTINCT FROM NEW.received_at
          OR OLD.registered_at IS DISTINCT FROM NEW.registered_at)
    EXECUTE FUNCTION refuse_registration_change();
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION refuse_registration_change();
CREATE TRIGGER cases_no_truncate BEFORE TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_registration_change();

-- The daemon's role (0005) besides: no DELETE or TRUNCATE of these tables, and UPDATE only
-- of the columns that are not registration. Column privileges need the table-wide UPDATE
-- taken away first; the columns are listed from the catalogue, so a column a later migration
-- adds to either table needs its own GRANT UPDATE (col) when the daemon is to change it.
REVOKE DELETE, TRUNCATE ON messages, cases FROM mailgate_daemon;
REVOKE UPDATE ON messages, cases FROM mailgate_daemon;
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema()
           AND ((table_name = 'messages' AND column_name NOT IN
                   ('id', 'mailbox', 'uidvalidity', 'uid', 'raw', 'raw_sha256', 'raw_size',
                    'received_at', 'fetched_at'))
             OR (table_name = 'cases' AND column_name NOT IN
                   ('id', 'regno', 'reg_year', 'reg_seq', 'message_id', 'channel',
                    'received_at', 'registered_at')))
    LOOP
        EXECUTE format('GRANT UPDATE (%I) ON %I TO mailgate_daemon', col.column_name,
                       col.table_name);
    END LOOP;
END
$$;
