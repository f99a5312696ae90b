-- A message over [limits] max_message_bytes is registered with its header fields and raw
-- bytes, and never parsed further.
ALTER TABLE messages DROP CONSTRAINT messages_parse_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_parse_status_check
    CHECK (parse_status IN ('parsed', 'unparsed', 'oversized'));
