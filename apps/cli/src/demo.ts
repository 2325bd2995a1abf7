import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@relai/config';
import type { Database } from '@relai/db';
import type { SourceRecord, SourceStore } from '@relai/ingest';
import { authenticateToken, createAgent, createTenant, issueToken } from '@relai/tenants';

export const SAMPLE_HELP_CENTER = fileURLToPath(new URL('../../../samples/help-center/articles.jsonl', import.meta.url));
export const DEMO_AGENT_ID = 'demo';

/**
 * The demo agent routes like a real team would: billing topics (and refunds, a sensitive topic) to
 * the billing team, everything else it cannot answer to first-line support.
 */
export const DEMO_AGENT_SETTINGS = {
  tone: 'friendly',
  teams: [
    { id: 'support', name: 'Support niveau 1' },
    { id: 'billing', name: 'Facturation' },
  ],
  default_team: 'support',
  rules: [
    { name: 'Abonnement', when: { collection: 'Abonnement et facturation Facturo' }, action: 'answer', team: 'billing', backup_team: 'support' },
    { name: 'Plans & billing', when: { collection: 'Plans & billing' }, action: 'answer', team: 'billing', backup_team: 'support' },
  ],
} as const;

export interface DemoCredentials {
  tenantId: string;
  agentId: string;
  /** Tenant admin token: sources, runs, articles. */
  adminToken: string;
  /** The demo agent's token: conversations and search. */
  agentToken: string;
}

/**
 * The demo tenant, its `demo` agent and their tokens. Tokens are stored hashed, so the clear values
 * are kept in a local file (mode 0600) for the next `npm start` to print again; if they no longer
 * authenticate, new ones are issued.
 */
export async function ensureDemoTenant(db: Database, config: Config): Promise<DemoCredentials> {
  const file = credentialsFile(config);
  const saved = readCredentials(file);
  if (saved && (await authenticateToken(db, saved.adminToken)) && (await authenticateToken(db, saved.agentToken))) return saved;

  const credentials = await db.transaction(async (tx) => {
    const existing = await tx.query<{ tenant_id: string }>('SELECT tenant_id FROM agents WHERE id = $1', [DEMO_AGENT_ID]);
    let tenantId = existing.rows[0]?.tenant_id;
    if (!tenantId) {
      tenantId = (await createTenant(tx, 'Relai demo')).id;
      await createAgent(tx, { tenantId, id: DEMO_AGENT_ID, name: 'Facturo support (demo)', settings: structuredClone(DEMO_AGENT_SETTINGS) as Record<string, unknown> });
    }
    const admin = await issueToken(tx, { tenantId, label: 'demo admin (npm start)' });
    const agent = await issueToken(tx, { tenantId, agentId: DEMO_AGENT_ID, label: 'demo agent (npm start)' });
    return { tenantId, agentId: DEMO_AGENT_ID, adminToken: admin.token, agentToken: agent.token };
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

/** The shipped sample help center as a JSONL source of the demo tenant (its path follows the checkout). */
export async function ensureSampleSource(sources: SourceStore, tenantId: string): Promise<SourceRecord> {
  const name = 'Sample help center (Facturo)';
  const [existing] = await sources.find(tenantId, name);
  if (existing && existing.config.kind === 'jsonl' && existing.config.path === SAMPLE_HELP_CENTER) return existing;
  if (existing) return (await sources.updateConfig(tenantId, existing.id, { kind: 'jsonl', path: SAMPLE_HELP_CENTER }))!;
  return sources.create(
    tenantId,
    { name, config: { kind: 'jsonl', path: SAMPLE_HELP_CENTER }, full_sync_cron: '0 3 * * 1', timezone: 'Europe/Paris', incremental_every_minutes: 10 },
    crypto.randomUUID(),
  );
}

function credentialsFile(config: Config): string {
  return config.database.kind === 'pglite' ? `${config.database.dataDir}.demo-credentials.json` : path.resolve('.relai/demo-credentials.json');
}

function readCredentials(file: string): DemoCredentials | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DemoCredentials>;
    return parsed.tenantId && parsed.adminToken && parsed.agentToken && parsed.agentId ? (parsed as DemoCredentials) : null;
  } catch {
    return null;
  }
}
