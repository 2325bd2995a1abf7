-- Messaging platforms an agent works on (Intercom, Zendesk tickets, Hootsuite Inbox, an integration
-- receiving agent events). One per agent and platform; secrets are sealed by the application.
CREATE TABLE channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent_id text NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  platform text NOT NULL CHECK (platform IN ('intercom', 'zendesk', 'hootsuite', 'integration')),
  -- A paused channel stays connected: deliveries are acknowledged and ignored.
  enabled boolean NOT NULL DEFAULT true,
  settings jsonb NOT NULL DEFAULT '{}',
  -- Sealed JSON (AES-GCM): webhook secrets, platform tokens.
  secrets text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agent_id, platform)
);
CREATE INDEX channels_tenant_idx ON channels (tenant_id);

-- Side effects already performed on a platform (a reply posted, a conversation assigned), by a key
-- derived from the event: a retried job skips them, so a platform's 5xx never causes a double reply.
CREATE TABLE channel_actions (
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  action_key text NOT NULL,
  result jsonb,
  done_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, action_key)
);

-- Durable outbox of events for an integration's webhook: written in the transaction that produced
-- them, delivered by a job with retries and backoff, never lost while the receiver is down.
CREATE TABLE outbox_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX outbox_events_due_idx ON outbox_events (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_events_channel_idx ON outbox_events (channel_id, created_at DESC);

-- Every delivery attempt, for the integration's delivery log.
CREATE TABLE outbox_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES outbox_events (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  status_code integer,
  error text,
  duration_ms integer NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_attempts_event_idx ON outbox_attempts (event_id, id);
