-- A new channel for an existing case takes effect only once the client confirms it from a
-- channel the case already has (issue 12, item 3): until then the request waits here, with
-- the one-time code the confirmation mail to the case's primary channel carries. Anyone can
-- put the client's address in From, so a request alone must never send a case's answers to
-- a new address.
CREATE TABLE channel_confirmations (
    id            bigserial PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cases (id),
    address       text   NOT NULL CHECK (address = lower(address)),
    code          text   NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    state         text   NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'confirmed', 'expired', 'cancelled')),
    decided_at    timestamptz
);
-- One open request per case and address.
CREATE UNIQUE INDEX channel_confirmations_pending ON channel_confirmations (case_id, address)
    WHERE state = 'pending';
-- The hourly caps on automatic mail count outbox rows by time (issue 12, item 4).
CREATE INDEX outbox_created ON outbox (created_at);
GRANT SELECT, INSERT, UPDATE ON channel_confirmations TO mailgate_daemon;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE channel_confirmations_id_seq TO mailgate_daemon;
