import crypto from 'node:crypto';
import path from 'node:path';
import { newSourceSchema, publicSource, scheduleSourceSyncs } from '@relai/ingest';
import type { Runtime } from '../runtime';
import { UsageError } from '../usage-error';

/** `relai sources list` and `relai sources add --name N --config JSON [--tenant T]`. */
export async function sourcesCommand(
  runtime: Runtime,
  args: string[],
  options: { tenant?: string; name?: string; config?: string },
): Promise<number> {
  const [action] = args;
  if (action === 'list') {
    const sources = await runtime.sources.list(options.tenant ?? null);
    for (const source of sources) {
      process.stdout.write(`${source.id}  ${source.kind.padEnd(9)}  ${source.name}  (last sync: ${source.lastSyncedAt?.toISOString() ?? 'never'})\n`);
    }
    if (!sources.length) process.stdout.write('No sources yet.\n');
    return 0;
  }
  if (action === 'add') {
    const tenantId = await resolveTenant(runtime, options.tenant);
    let config: unknown;
    try {
      config = JSON.parse(options.config ?? '');
    } catch {
      throw new UsageError('--config: expected a JSON object, e.g. \'{"kind":"jsonl","path":"./articles.jsonl"}\'');
    }
    if (config && typeof config === 'object' && 'path' in config && typeof config.path === 'string') {
      config = { ...config, path: path.resolve(config.path) };
    }
    const parsed = newSourceSchema.safeParse({ name: options.name, config });
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path[0] === 'name' ? 'name' : 'config'} ${issue.path.slice(1).join('.')}: ${issue.message}`).join('\n'));
    }
    const source = await runtime.sources.create(tenantId, parsed.data, crypto.randomBytes(24).toString('base64url'));
    await scheduleSourceSyncs(runtime.queue, source);
    process.stdout.write(`${JSON.stringify(publicSource(source), null, 2)}\nSync it now with: relai sync ${source.id} --full\n`);
    return 0;
  }
  throw new UsageError('relai sources: use `list` or `add`');
}

async function resolveTenant(runtime: Runtime, tenant?: string): Promise<string> {
  if (tenant) return tenant;
  const { rows } = await runtime.db.query<{ id: string }>('SELECT id FROM tenants ORDER BY created_at LIMIT 2');
  if (rows.length === 1) return rows[0]!.id;
  throw new UsageError(rows.length ? 'Several tenants exist: add --tenant <tenant id>' : 'No tenant yet: run `npm start` once, or create one');
}
