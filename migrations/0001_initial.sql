-- Foundation schema. Every row belongs to a tenant; queries filter by tenant_id in SQL.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is STABLE (it depends on search_path), so it cannot feed a generated column; this
-- wrapper names its dictionary explicitly and is safe to declare IMMUTABLE. Queries use it too.
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN public.unaccent('public.unaccent'::regdictionary, $1);

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- An AI agent answers conversations for a tenant; its id appears in URLs (/v1/agents/{id}/...).
CREATE TABLE agents (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_tenant_idx ON agents (tenant_id);

-- Tokens are shown once and stored as SHA-256: they are random, so a slow hash adds nothing.
-- agent_id NULL means a tenant admin token (sources, agents); otherwise the token of one agent.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent_id text REFERENCES agents (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  token_prefix text NOT NULL,
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id);

CREATE TABLE sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('intercom', 'zendesk', 'html-site', 'jsonl', 'folder')),
  -- Connector settings; credentials inside are encrypted by the application before they get here.
  config jsonb NOT NULL,
  full_sync_cron text NOT NULL DEFAULT '0 3 * * 1',
  timezone text NOT NULL DEFAULT 'Europe/Paris',
  incremental_every_minutes integer NOT NULL DEFAULT 10 CHECK (incremental_every_minutes >= 0),
  cursor jsonb,
  last_synced_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE articles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  external_id text NOT NULL,
  title text NOT NULL,
  url text,
  collection_path text[] NOT NULL DEFAULT '{}',
  tags text[] NOT NULL DEFAULT '{}',
  locale text,
  -- 'fr', 'en' or NULL: normalised from the locale, or detected from the text.
  language text,
  state text NOT NULL CHECK (state IN ('published', 'draft', 'deleted')),
  content_hash text NOT NULL,
  source_updated_at timestamptz,
  deleted_at timestamptz,
  indexed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, external_id)
);
CREATE INDEX articles_tenant_state_idx ON articles (tenant_id, state);

-- Only published articles have chunks: unpublishing or deleting an article deletes its chunks in the
-- same transaction, so search never sees them again.
CREATE TABLE chunks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  position integer NOT NULL,
  heading_path text[] NOT NULL DEFAULT '{}',
  -- Title and heading path: indexed with weight A so that they count more than the body.
  context text NOT NULL,
  text text NOT NULL,
  ts_config regconfig NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(ts_config, immutable_unaccent(context)), 'A') ||
    setweight(to_tsvector(ts_config, immutable_unaccent(text)), 'B')
  ) STORED,
  -- No fixed dimension: each embedding model gets its own partial HNSW index (see vector-index.ts),
  -- and searches always filter on the model so two models never mix.
  embedding vector,
  embedding_model text,
  UNIQUE (article_id, position)
);
CREATE INDEX chunks_tenant_idx ON chunks (tenant_id);
CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv);
CREATE INDEX chunks_model_idx ON chunks (embedding_model);

CREATE TABLE sync_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('full', 'incremental', 'article')),
  trigger text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  seen integer NOT NULL DEFAULT 0,
  created integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  deleted integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  error text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX sync_runs_source_idx ON sync_runs (source_id, started_at DESC);

CREATE TABLE sync_run_errors (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  external_id text NOT NULL,
  title text,
  -- 'failed': not indexed; 'truncated': indexed in part.
  kind text NOT NULL CHECK (kind IN ('failed', 'truncated')),
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_run_errors_run_idx ON sync_run_errors (run_id);

-- A conversation is one session under the platform's conversation id: a message after the session
-- ended starts the next session number under the same external id.
CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent_id text NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  external_id text NOT NULL,
  session_number integer NOT NULL DEFAULT 1,
  status text NOT NULL CHECK (status IN ('active', 'ended', 'escalated')),
  user_profile jsonb NOT NULL DEFAULT '{}',
  params jsonb NOT NULL DEFAULT '{}',
  started_at timestamptz NOT NULL DEFAULT now(),
  last_message_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  UNIQUE (agent_id, external_id, session_number)
);
CREATE INDEX conversations_tenant_idx ON conversations (tenant_id, started_at DESC);

CREATE TABLE messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('user', 'agent', 'system')),
  text text NOT NULL,
  -- For agent messages: the decision (action, confidence, features, citations) that produced it.
  decision jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);
