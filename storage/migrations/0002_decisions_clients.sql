-- Urgency decisions on cases, and the client directory the rules look at.

ALTER TABLE cases
    ADD COLUMN urgency   text CHECK (urgency IN ('urgent', 'normal')),
    ADD COLUMN score     integer,
    ADD COLUMN topic     text,
    ADD COLUMN unit      text,
    ADD COLUMN officer   text,
    ADD COLUMN term      text,
    ADD COLUMN deadline  timestamptz,
    -- Which rules fired and why, in the officer's words: [{id, why, effect, source}].
    ADD COLUMN decision  jsonb;

-- Looks up a sender's history quickly.
CREATE INDEX messages_from_address ON messages (lower(from_address), received_at);

-- The client directory: civil servants who write to the office, by e-mail address.
-- Loaded by `mailgate clients import FILE.csv`; a re-import updates rows.
CREATE TABLE clients (
    email              text PRIMARY KEY CHECK (email = lower(email)),
    full_name          text NOT NULL DEFAULT '',
    position           text NOT NULL DEFAULT '',
    position_category  text NOT NULL DEFAULT '',
    organisation       text NOT NULL DEFAULT '',
    unit               text NOT NULL DEFAULT '',
    updated_at         timestamptz NOT NULL DEFAULT now()
);
