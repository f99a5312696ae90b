-- The worker picks the next row by (next_attempt_at, id) among pending rows: an index in
-- that order lets it stop at the first unlocked row instead of sorting the whole queue.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
