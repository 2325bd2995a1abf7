import crypto from 'node:crypto';
import type { Queryable } from '@relai/db';

/** Who a bearer token speaks for. An agent token may only act on its own agent. */
export interface TokenIdentity {
  tokenId: string;
  tenantId: string;
  /** null for a tenant admin token. */
  agentId: string | null;
}

const TOKEN_PREFIX = 'rl_';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Issues a token; the clear value is returned once and only its hash is stored. */
export async function issueToken(
  db: Queryable,
  input: { tenantId: string; agentId?: string | null; label?: string },
): Promise<{ id: string; token: string }> {
  const token = `${TOKEN_PREFIX}${crypto.randomBytes(24).toString('base64url')}`;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO api_tokens (tenant_id, agent_id, token_hash, token_prefix, label)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.tenantId, input.agentId ?? null, hashToken(token), token.slice(0, TOKEN_PREFIX.length + 6), input.label ?? ''],
  );
  return { id: rows[0]!.id, token };
}

export async function authenticateToken(db: Queryable, token: string): Promise<TokenIdentity | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const { rows } = await db.query<{ id: string; tenant_id: string; agent_id: string | null }>(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE token_hash = $1 AND revoked_at IS NULL
     RETURNING id, tenant_id, agent_id`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row ? { tokenId: row.id, tenantId: row.tenant_id, agentId: row.agent_id } : null;
}

export async function revokeToken(db: Queryable, tenantId: string, tokenId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL',
    [tokenId, tenantId],
  );
  return rowCount === 1;
}

export interface TokenView {
  id: string;
  /** The first characters, to tell tokens apart; the token itself is never stored. */
  prefix: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listAgentTokens(db: Queryable, tenantId: string, agentId: string): Promise<TokenView[]> {
  const { rows } = await db.query<{ id: string; token_prefix: string; label: string; created_at: Date; last_used_at: Date | null }>(
    `SELECT id, token_prefix, label, created_at, last_used_at FROM api_tokens
     WHERE tenant_id = $1 AND agent_id = $2 AND revoked_at IS NULL ORDER BY created_at`,
    [tenantId, agentId],
  );
  return rows.map((row) => ({ id: row.id, prefix: row.token_prefix, label: row.label, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
}
