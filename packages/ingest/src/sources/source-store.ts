import { redactSecrets, type SecretBox, timeZoneSchema } from '@relai/config';
import type { Queryable } from '@relai/db';
import { sourceConfigSchema, type SourceConfig } from '@relai/sources';
import { z } from 'zod';

/** How often a source is synced; validated here so that API and CLI share one rule. */
export const sourceScheduleSchema = z.object({
  full_sync_cron: z
    .string()
    .trim()
    .regex(/^(\S+\s+){4}\S+$/, 'expected a 5-field cron expression such as "0 3 * * 1"')
    .default('0 3 * * 1'),
  timezone: timeZoneSchema.default('Europe/Paris'),
  incremental_every_minutes: z.number().int().min(0).max(7 * 24 * 60).default(10),
});

export const newSourceSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    config: sourceConfigSchema,
  })
  .extend(sourceScheduleSchema.shape);

export type NewSource = z.infer<typeof newSourceSchema>;

export interface SourceRecord {
  id: string;
  tenantId: string;
  name: string;
  kind: SourceConfig['kind'];
  /** Decrypted: never return it to a client as is (see `publicSource`). */
  config: SourceConfig;
  fullSyncCron: string;
  timezone: string;
  incrementalEveryMinutes: number;
  cursor: Record<string, unknown> | null;
  lastSyncedAt: Date | null;
  webhookSecret: string | null;
}

interface SourceRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: SourceConfig['kind'];
  config: SourceConfig;
  full_sync_cron: string;
  timezone: string;
  incremental_every_minutes: number;
  cursor: Record<string, unknown> | null;
  last_synced_at: Date | null;
  webhook_secret: string | null;
}

const COLUMNS = 'id, tenant_id, name, kind, config, full_sync_cron, timezone, incremental_every_minutes, cursor, last_synced_at, webhook_secret';

export class SourceStore {
  constructor(
    private readonly db: Queryable,
    private readonly box: SecretBox,
  ) {}

  async create(tenantId: string, input: NewSource, webhookSecret: string): Promise<SourceRecord> {
    const { rows } = await this.db.query<SourceRow>(
      `INSERT INTO sources (tenant_id, name, kind, config, full_sync_cron, timezone, incremental_every_minutes, webhook_secret)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        tenantId,
        input.name,
        input.config.kind,
        this.box.sealFields(input.config),
        input.full_sync_cron,
        input.timezone,
        input.incremental_every_minutes,
        this.box.seal(webhookSecret),
      ],
    );
    return this.toRecord(rows[0]!);
  }

  async get(tenantId: string, sourceId: string): Promise<SourceRecord | null> {
    if (!isUuid(sourceId)) return null;
    const { rows } = await this.db.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE id = $1 AND tenant_id = $2`, [sourceId, tenantId]);
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  /** By id or by name, for operators typing `relai sync <source>`. */
  async find(tenantId: string | null, idOrName: string): Promise<SourceRecord[]> {
    const { rows } = await this.db.query<SourceRow>(
      `SELECT ${COLUMNS} FROM sources WHERE ($1::uuid IS NULL OR tenant_id = $1) AND (id::text = $2 OR name = $2) ORDER BY created_at`,
      [tenantId, idOrName],
    );
    return rows.map((row) => this.toRecord(row));
  }

  async list(tenantId: string | null): Promise<SourceRecord[]> {
    const { rows } = await this.db.query<SourceRow>(
      `SELECT ${COLUMNS} FROM sources WHERE $1::uuid IS NULL OR tenant_id = $1 ORDER BY created_at`,
      [tenantId],
    );
    return rows.map((row) => this.toRecord(row));
  }

  async updateConfig(tenantId: string, sourceId: string, config: SourceConfig): Promise<SourceRecord | null> {
    const { rows } = await this.db.query<SourceRow>(
      `UPDATE sources SET config = $3, kind = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING ${COLUMNS}`,
      [sourceId, tenantId, this.box.sealFields(config), config.kind],
    );
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  /** Also drops the source from the agents limited to it, whose settings would otherwise name a missing source. */
  async delete(tenantId: string, sourceId: string): Promise<boolean> {
    if (!isUuid(sourceId)) return false;
    const { rowCount } = await this.db.query(
      `WITH agents_limited AS (
         UPDATE agents SET settings = jsonb_set(settings, '{source_ids}', (SELECT coalesce(jsonb_agg(id), '[]') FROM jsonb_array_elements(settings->'source_ids') id WHERE id <> to_jsonb($1::text)))
         WHERE tenant_id = $2 AND jsonb_typeof(settings->'source_ids') = 'array' AND settings->'source_ids' @> to_jsonb(ARRAY[$1::text])
       )
       DELETE FROM sources WHERE id = $1 AND tenant_id = $2`,
      [sourceId, tenantId],
    );
    return rowCount === 1;
  }

  async saveCursor(sourceId: string, cursor: Record<string, unknown>): Promise<void> {
    await this.db.query('UPDATE sources SET cursor = $2, last_synced_at = now(), updated_at = now() WHERE id = $1', [sourceId, cursor]);
  }

  private toRecord(row: SourceRow): SourceRecord {
    return {
      id: row.id,
      tenantId: row.tenant_id,
      name: row.name,
      kind: row.kind,
      config: this.box.openFields(row.config),
      fullSyncCron: row.full_sync_cron,
      timezone: row.timezone,
      incrementalEveryMinutes: row.incremental_every_minutes,
      cursor: row.cursor,
      lastSyncedAt: row.last_synced_at,
      webhookSecret: row.webhook_secret ? this.box.open(row.webhook_secret) : null,
    };
  }
}

/** What clients see of a source: credentials redacted, webhook secret omitted. */
export function publicSource(source: SourceRecord) {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    config: redactSecrets(source.config),
    full_sync_cron: source.fullSyncCron,
    timezone: source.timezone,
    incremental_every_minutes: source.incrementalEveryMinutes,
    last_synced_at: source.lastSyncedAt?.toISOString() ?? null,
  };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
