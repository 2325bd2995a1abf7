import type { SecretBox } from '@relai/config';
import type { Queryable } from '@relai/db';
import type { Platform, StoredChannel } from './interface';

interface ChannelRow {
  id: string;
  tenant_id: string;
  agent_id: string;
  platform: Platform;
  enabled: boolean;
  settings: unknown;
  secrets: string;
  created_at: Date;
  updated_at: Date;
}

export interface ChannelRecord extends StoredChannel<Record<string, unknown>, Record<string, unknown>> {
  createdAt: Date;
  updatedAt: Date;
}

/** Channels with their secrets sealed at rest (AES-GCM) and opened only when a job or a webhook needs them. */
export class ChannelStore {
  constructor(
    private readonly db: Queryable,
    private readonly box: SecretBox,
  ) {}

  async get(tenantId: string, agentId: string, platform: Platform): Promise<ChannelRecord | null> {
    const { rows } = await this.db.query<ChannelRow>('SELECT * FROM channels WHERE tenant_id = $1 AND agent_id = $2 AND platform = $3', [tenantId, agentId, platform]);
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  /** For inbound webhooks: the URL names the agent and platform, the signature proves the caller. */
  async findForWebhook(agentId: string, platform: Platform): Promise<ChannelRecord | null> {
    const { rows } = await this.db.query<ChannelRow>('SELECT * FROM channels WHERE agent_id = $1 AND platform = $2', [agentId, platform]);
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  async byId(channelId: string): Promise<ChannelRecord | null> {
    const { rows } = await this.db.query<ChannelRow>('SELECT * FROM channels WHERE id = $1', [channelId]);
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  async list(tenantId: string, agentId: string): Promise<ChannelRecord[]> {
    const { rows } = await this.db.query<ChannelRow>('SELECT * FROM channels WHERE tenant_id = $1 AND agent_id = $2 ORDER BY platform', [tenantId, agentId]);
    return rows.map((row) => this.toRecord(row));
  }

  /** Creates or replaces the agent's channel on a platform (validated by the caller). */
  async put(input: { tenantId: string; agentId: string; platform: Platform; enabled: boolean; settings: unknown; secrets: unknown }): Promise<ChannelRecord> {
    const { rows } = await this.db.query<ChannelRow>(
      `INSERT INTO channels (tenant_id, agent_id, platform, enabled, settings, secrets) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agent_id, platform) DO UPDATE SET enabled = EXCLUDED.enabled, settings = EXCLUDED.settings, secrets = EXCLUDED.secrets, updated_at = now()
       WHERE channels.tenant_id = EXCLUDED.tenant_id
       RETURNING *`,
      [input.tenantId, input.agentId, input.platform, input.enabled, JSON.stringify(input.settings), this.box.seal(JSON.stringify(input.secrets))],
    );
    return this.toRecord(rows[0]!);
  }

  async setEnabled(tenantId: string, agentId: string, platform: Platform, enabled: boolean): Promise<ChannelRecord | null> {
    const { rows } = await this.db.query<ChannelRow>(
      'UPDATE channels SET enabled = $4, updated_at = now() WHERE tenant_id = $1 AND agent_id = $2 AND platform = $3 RETURNING *',
      [tenantId, agentId, platform, enabled],
    );
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  async remove(tenantId: string, agentId: string, platform: Platform): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM channels WHERE tenant_id = $1 AND agent_id = $2 AND platform = $3', [tenantId, agentId, platform]);
    return rowCount === 1;
  }

  private toRecord(row: ChannelRow): ChannelRecord {
    return {
      id: row.id,
      tenantId: row.tenant_id,
      agentId: row.agent_id,
      platform: row.platform,
      enabled: row.enabled,
      settings: row.settings as Record<string, unknown>,
      secrets: JSON.parse(this.box.open(row.secrets)) as Record<string, unknown>,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
