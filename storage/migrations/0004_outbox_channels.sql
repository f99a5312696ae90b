-- Outgoing mail (the transactional outbox), the channels each client chose, follow-ups that
-- join a case, and the loop-safety facts about incoming mail.

-- A follow-up (a client's reply carrying the case tag or one of our Message-IDs) joins an
-- existing case: its message row points at the case. The message that opened a case is
-- cases.message_id, and its case_id stays NULL.
ALTER TABLE messages ADD COLUMN case_id bigint REFERENCES cases (id);
CREATE INDEX messages_case ON messages (case_id) WHERE case_id IS NOT NULL;
-- Why no acknowledgement was sent automatically: auto_reply, bounce, mailing_list,
-- no_reply, own_mail (NULL: ordinary mail).
ALTER TABLE messages ADD COLUMN automatic text;

-- Facts about a case an officer should see in `case list`: "auto_reply", "ack_rate_limited",
-- "ack_suppressed", "linked:<regno>" (a stranger quoted another case's tag), ...
ALTER TABLE cases ADD COLUMN flags text[] NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN notify text[] NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN kb_links text[] NOT NULL DEFAULT '{}';

-- Where a client wants to be answered: the primary channel (Reply-To, else From of the
-- message that opened the case) and additional channels (R3, R8). A removed channel keeps
-- its row, with removed_at, so the history shows it.
CREATE TABLE case_channels (
    case_id     bigint NOT NULL REFERENCES cases (id),
    address     text   NOT NULL CHECK (address = lower(address)),
    kind        text   NOT NULL CHECK (kind IN ('primary', 'additional')),
    -- message: the client's first message; reply: a later message of the case;
    -- request: a plain request in the text; directory: the client directory.
    source      text   NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    removed_at  timestamptz,
    PRIMARY KEY (case_id, address)
);

-- Additional channels a client keeps for every case (from the directory import).
ALTER TABLE clients ADD COLUMN additional_channels text[] NOT NULL DEFAULT '{}';

-- Every outgoing mail, written in the same transaction as its cause, composed in full.
-- A worker locks a due row (FOR UPDATE SKIP LOCKED), sends it and records the outcome in
-- the same transaction, so two workers never send one row.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    case_id          bigint REFERENCES cases (id),
    kind             text   NOT NULL,   -- the template: acknowledgement, officer_alert, ...
    channel          text   NOT NULL,   -- primary, additional, officer, head
    recipient        text   NOT NULL,   -- envelope RCPT TO
    envelope_from    text   NOT NULL,   -- MAIL FROM ('' is the null sender)
    message_id       text   NOT NULL UNIQUE,
    raw              bytea  NOT NULL,
    status           text   NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_case ON outbox (case_id);
CREATE INDEX outbox_recipient ON outbox (lower(recipient), created_at);

-- An address whose mail failed permanently gets no automatic mail until `until`.
CREATE TABLE suppressed_addresses (
    address    text PRIMARY KEY CHECK (address = lower(address)),
    reason     text NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now(),
    until      timestamptz NOT NULL
);
