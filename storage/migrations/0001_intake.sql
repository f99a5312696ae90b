-- Intake: the registration journal of incoming e-mail.
-- Raw bytes are kept exactly as fetched, so every message can be parsed again later.

-- Where intake stands in each mailbox. last_uid lets a pass skip database look-ups for UIDs
-- it has never seen; rematch_below_uid marks the messages that were already in the mailbox
-- when its UIDVALIDITY changed: those are matched to earlier registrations by sha256.
CREATE TABLE mailbox_state (
    mailbox            text PRIMARY KEY,
    uidvalidity        bigint NOT NULL,
    last_uid           bigint NOT NULL DEFAULT 0,
    rematch_below_uid  bigint NOT NULL DEFAULT 0,
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Parse attempts are counted and committed before parsing, so a message that kills the
-- process is known on the next start and ends in quarantine instead of a crash loop.
CREATE TABLE intake_attempts (
    mailbox      text   NOT NULL,
    uidvalidity  bigint NOT NULL,
    uid          bigint NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    last_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mailbox, uidvalidity, uid)
);

-- One row per year: the last registration number given. Updated inside the registering
-- transaction, so numbers have no gaps (a SEQUENCE would leave gaps on rollback).
CREATE TABLE registration_counters (
    year      integer PRIMARY KEY,
    last_seq  integer NOT NULL
);

CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    mailbox         text   NOT NULL,
    uidvalidity     bigint NOT NULL,
    uid             bigint NOT NULL,
    raw             bytea  NOT NULL,
    raw_sha256      text   NOT NULL,
    raw_size        integer NOT NULL,
    parse_status    text   NOT NULL CHECK (parse_status IN ('parsed', 'unparsed')),
    parse_error     text,
    message_id      text,
    from_name       text,
    from_address    text,
    to_addrs        jsonb  NOT NULL DEFAULT '[]',
    cc_addrs        jsonb  NOT NULL DEFAULT '[]',
    reply_to_addrs  jsonb  NOT NULL DEFAULT '[]',
    sent_at         timestamptz,
    subject         text,
    in_reply_to     text,
    refs            text[] NOT NULL DEFAULT '{}',
    auto_submitted  text,
    body_text       text,
    body_type       text,
    defects         text[] NOT NULL DEFAULT '{}',
    received_at     timestamptz NOT NULL,
    fetched_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mailbox, uidvalidity, uid)
);
CREATE INDEX messages_raw_sha256 ON messages (raw_sha256);
CREATE INDEX messages_message_id ON messages (message_id);

-- Attachment facts; the bytes themselves stay inside messages.raw.
CREATE TABLE attachments (
    message_id    bigint  NOT NULL REFERENCES messages (id),
    ordinal       integer NOT NULL,
    filename      text    NOT NULL,
    content_type  text    NOT NULL,
    size          bigint  NOT NULL,
    sha256        text    NOT NULL,
    nested        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (message_id, ordinal)
);

CREATE TABLE cases (
    id             bigserial PRIMARY KEY,
    regno          text    NOT NULL UNIQUE,
    reg_year       integer NOT NULL,
    reg_seq        integer NOT NULL,
    message_id     bigint  NOT NULL UNIQUE REFERENCES messages (id),
    channel        text    NOT NULL DEFAULT 'email',
    status         text    NOT NULL,
    received_at    timestamptz NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (reg_year, reg_seq)
);

-- The case history: what happened, when, in words and facts.
CREATE TABLE case_events (
    id       bigserial PRIMARY KEY,
    case_id  bigint NOT NULL REFERENCES cases (id),
    at       timestamptz NOT NULL DEFAULT now(),
    kind     text NOT NULL,
    detail   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events (case_id);

-- ISO 8601 with the offset of the given zone, e.g. 2026-03-25T17:19:02+03:00.
CREATE FUNCTION iso8601(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
         || CASE WHEN off < 0 THEN '-' ELSE '+' END
         || to_char(abs(off) / 3600, 'FM00') || ':' || to_char((abs(off) % 3600) / 60, 'FM00')
  FROM (SELECT extract(epoch FROM (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC'))::int AS off) o
$$;
