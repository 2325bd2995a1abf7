import type { Queryable } from '@relai/db';

export interface Tenant {
  id: string;
  name: string;
}

export interface Agent {
  id: string;
  tenantId: string;
  name: string;
  settings: Record<string, unknown>;
}

export const AGENT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

type AgentRow = { id: string; tenant_id: string; name: string; settings: Record<string, unknown> };
const toAgent = (row: AgentRow): Agent => ({ id: row.id, tenantId: row.tenant_id, name: row.name, settings: row.settings });

export async function createTenant(db: Queryable, name: string): Promise<Tenant> {
  const { rows } = await db.query<Tenant>('INSERT INTO tenants (name) VALUES ($1) RETURNING id, name', [name]);
  return rows[0]!;
}

export async function createAgent(
  db: Queryable,
  input: { tenantId: string; id: string; name: string; settings?: Record<string, unknown> },
): Promise<Agent> {
  if (!AGENT_ID_PATTERN.test(input.id)) {
    throw new Error(`agent id "${input.id}": use 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit`);
  }
  const { rows } = await db.query<AgentRow>(
    'INSERT INTO agents (id, tenant_id, name, settings) VALUES ($1, $2, $3, $4) RETURNING id, tenant_id, name, settings',
    [input.id, input.tenantId, input.name, input.settings ?? {}],
  );
  return toAgent(rows[0]!);
}

export async function listAgents(db: Queryable, tenantId: string): Promise<Agent[]> {
  const { rows } = await db.query<AgentRow>('SELECT id, tenant_id, name, settings FROM agents WHERE tenant_id = $1 ORDER BY id', [tenantId]);
  return rows.map(toAgent);
}

/** Replaces the name and settings given; null when the agent is not the tenant's. */
export async function updateAgent(
  db: Queryable,
  tenantId: string,
  agentId: string,
  changes: { name?: string; settings?: Record<string, unknown> },
): Promise<Agent | null> {
  const { rows } = await db.query<AgentRow>(
    `UPDATE agents SET name = coalesce($3, name), settings = coalesce($4, settings), updated_at = now()
     WHERE id = $1 AND tenant_id = $2 RETURNING id, tenant_id, name, settings`,
    [agentId, tenantId, changes.name ?? null, changes.settings ?? null],
  );
  return rows[0] ? toAgent(rows[0]) : null;
}

/** Deletes the agent with its tokens and conversations. */
export async function deleteAgent(db: Queryable, tenantId: string, agentId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM agents WHERE id = $1 AND tenant_id = $2', [agentId, tenantId]);
  return rowCount === 1;
}

/**
 * Scoped by tenant in SQL: an agent of another tenant is as absent as a missing one. An id that
 * cannot be an agent's (it comes from the URL) is absent without a query: a NUL byte in a query
 * parameter is an encoding error, and on PGlite one breaks the connection for every later request.
 */
export async function findAgent(db: Queryable, tenantId: string, agentId: string): Promise<Agent | null> {
  if (!AGENT_ID_PATTERN.test(agentId)) return null;
  const { rows } = await db.query<AgentRow>('SELECT id, tenant_id, name, settings FROM agents WHERE id = $1 AND tenant_id = $2', [agentId, tenantId]);
  return rows[0] ? toAgent(rows[0]) : null;
}
