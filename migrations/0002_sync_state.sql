-- What the sync engine needs beyond the foundation schema.

-- At most one running sync per source, across processes and queue backends. A run whose heartbeat
-- stopped (crashed worker) is marked failed by the next run before it starts.
ALTER TABLE sync_runs ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sync_runs ADD COLUMN cursor jsonb;
-- Single-article runs (webhooks) are exempt: an edit must not wait for a weekly full sync to end.
CREATE UNIQUE INDEX sync_runs_one_running_idx ON sync_runs (source_id) WHERE status = 'running' AND mode <> 'article';

-- The model that embedded an article's chunks: a new model makes every article "changed".
ALTER TABLE articles ADD COLUMN embedding_model text;
-- Removed from the index by an operator: later syncs keep it out until it is restored.
ALTER TABLE articles ADD COLUMN excluded_at timestamptz;
-- Why an article is not (fully) searchable, from its last sync: shown in the API.
ALTER TABLE articles ADD COLUMN last_error text;
CREATE INDEX articles_source_idx ON articles (source_id, state);

-- Webhook deliveries already accepted, to drop the platform's retries (Zendesk invocation id, etc.).
CREATE TABLE webhook_deliveries (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider text NOT NULL,
  delivery_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider, delivery_id)
);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);

-- Per-source secret for the generic signed article webhook and the Zendesk signing secret.
ALTER TABLE sources ADD COLUMN webhook_secret text;
