-- Officers' commands carried out by mail (issue 12 item 6): each at most once per Message-ID
-- and once per digest (the case, the action and the command's text, cases/command_guard).
-- Written in the transaction that applies the command, so a crash never leaves one without
-- the other; the unique keys are the last word when two deliveries race.
CREATE TABLE executed_commands (
    id          bigserial PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    message_id  text UNIQUE,
    digest      text NOT NULL UNIQUE,
    executed_at timestamptz NOT NULL DEFAULT now()
);

-- The daemon's role records commands and looks them up; it never rewrites or forgets one.
REVOKE ALL ON executed_commands FROM PUBLIC;
GRANT SELECT, INSERT ON executed_commands TO mailgate_daemon;
GRANT USAGE, SELECT ON SEQUENCE executed_commands_id_seq TO mailgate_daemon;
