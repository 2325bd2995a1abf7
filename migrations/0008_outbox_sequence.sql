-- A conversation's events are delivered in the order they were written. clock_timestamp() could not
-- order them: the embedded database's clock ticks in milliseconds, so events written in the same
-- millisecond tied and the random uuid decided. A sequence is strictly increasing.
ALTER TABLE outbox_events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX outbox_events_conversation_idx ON outbox_events (channel_id, (payload->>'conversation_id'), seq) WHERE status = 'pending';
