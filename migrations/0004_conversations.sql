-- An agent answers from a chosen subset of the tenant's sources: chunks carry their source so that the
-- filter sits inside both rankings (and inside pgvector's iterative scan) without a join.
ALTER TABLE chunks ADD COLUMN source_id uuid REFERENCES sources (id) ON DELETE CASCADE;
UPDATE chunks c SET source_id = a.source_id FROM articles a WHERE a.id = c.article_id;
ALTER TABLE chunks ALTER COLUMN source_id SET NOT NULL;

-- Sessions: the latest session of a platform conversation id is found by this index.
CREATE INDEX conversations_agent_external_idx ON conversations (agent_id, external_id, session_number DESC);
CREATE INDEX conversations_agent_started_idx ON conversations (agent_id, started_at);
-- Why and to whom a session was handed over; null while the agent handles it.
ALTER TABLE conversations ADD COLUMN escalation jsonb;

-- Every agent turn is a decision record: its action, confidence and latency as columns for the metrics,
-- the rest (features, citations, reasons, reply) in the decision document.
ALTER TABLE messages ADD COLUMN action text CHECK (action IN ('answer', 'suggest', 'clarify', 'escalate', 'ignore'));
ALTER TABLE messages ADD COLUMN confidence real;
ALTER TABLE messages ADD COLUMN latency_ms integer;
-- A customer message's platform context (meta_data, user) as received.
ALTER TABLE messages ADD COLUMN context jsonb;
ALTER TABLE messages ADD CONSTRAINT messages_agent_has_action CHECK ((role = 'agent') = (action IS NOT NULL));
