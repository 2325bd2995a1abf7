import { isUniqueViolation, type Queryable } from '@relai/db';

export type SyncMode = 'full' | 'incremental' | 'article';

export interface SyncCounts {
  seen: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

export const emptyCounts = (): SyncCounts => ({ seen: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 });

export class SyncAlreadyRunningError extends Error {
  override name = 'SyncAlreadyRunningError';
  constructor(readonly sourceId: string) {
    super(`A sync of source ${sourceId} is already running`);
  }
}

/** A running sync that has not beaten for this long belongs to a crashed process. */
const ABANDONED_AFTER_SECONDS = 120;

export class SyncRunStore {
  constructor(private readonly db: Queryable) {}

  /** Starts a run, or throws SyncAlreadyRunningError when another full/incremental run is alive. */
  async start(tenantId: string, sourceId: string, mode: SyncMode, trigger: string): Promise<string> {
    await this.db.query(
      `UPDATE sync_runs SET status = 'failed', finished_at = now(),
         error = 'abandoned: the process running it stopped (no heartbeat since ' || heartbeat_at || ')'
       WHERE source_id = $1 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $2)`,
      [sourceId, ABANDONED_AFTER_SECONDS],
    );
    try {
      const { rows } = await this.db.query<{ id: string }>(
        `INSERT INTO sync_runs (tenant_id, source_id, mode, trigger, status) VALUES ($1, $2, $3, $4, 'running') RETURNING id`,
        [tenantId, sourceId, mode, trigger],
      );
      return rows[0]!.id;
    } catch (error) {
      if (isUniqueViolation(error)) throw new SyncAlreadyRunningError(sourceId);
      throw error;
    }
  }

  /** Saves progress (visible in the API while the run goes on) and proves the run is alive. */
  async heartbeat(runId: string, counts: SyncCounts): Promise<void> {
    await this.db.query(
      `UPDATE sync_runs SET heartbeat_at = now(), seen = $2, created = $3, updated = $4, unchanged = $5, deleted = $6, failed = $7
       WHERE id = $1 AND status = 'running'`,
      [runId, counts.seen, counts.created, counts.updated, counts.unchanged, counts.deleted, counts.failed],
    );
  }

  async recordArticleProblem(
    runId: string,
    tenantId: string,
    problem: { externalId: string; title: string | null; kind: 'failed' | 'truncated'; reason: string },
  ): Promise<void> {
    await this.db.query(
      'INSERT INTO sync_run_errors (run_id, tenant_id, external_id, title, kind, reason) VALUES ($1, $2, $3, $4, $5, $6)',
      [runId, tenantId, problem.externalId, problem.title, problem.kind, problem.reason.slice(0, 2000)],
    );
  }

  async finish(runId: string, counts: SyncCounts, outcome: { error: string | null; cursor?: Record<string, unknown> | null }): Promise<void> {
    await this.db.query(
      `UPDATE sync_runs SET status = $2, error = $3, cursor = $4, finished_at = now(), heartbeat_at = now(),
         seen = $5, created = $6, updated = $7, unchanged = $8, deleted = $9, failed = $10
       WHERE id = $1`,
      [
        runId,
        outcome.error ? 'failed' : 'succeeded',
        outcome.error,
        outcome.cursor ?? null,
        counts.seen,
        counts.created,
        counts.updated,
        counts.unchanged,
        counts.deleted,
        counts.failed,
      ],
    );
  }
}

export interface SyncRunView {
  id: string;
  mode: SyncMode;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed';
  counts: SyncCounts;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface SyncRunProblem {
  external_id: string;
  title: string | null;
  kind: 'failed' | 'truncated';
  reason: string;
}

interface RunRow extends SyncCounts {
  id: string;
  mode: SyncMode;
  trigger: string;
  status: SyncRunView['status'];
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const RUN_COLUMNS = 'id, mode, trigger, status, seen, created, updated, unchanged, deleted, failed, error, started_at, finished_at';

function toRunView(row: RunRow): SyncRunView {
  return {
    id: row.id,
    mode: row.mode,
    trigger: row.trigger,
    status: row.status,
    counts: { seen: row.seen, created: row.created, updated: row.updated, unchanged: row.unchanged, deleted: row.deleted, failed: row.failed },
    error: row.error,
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}

/** Read side of sync runs, for the API and the CLI. Always scoped by tenant in SQL. */
export async function listSyncRuns(db: Queryable, tenantId: string, sourceId: string, limit: number): Promise<SyncRunView[]> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE tenant_id = $1 AND source_id = $2 ORDER BY started_at DESC, id LIMIT $3`,
    [tenantId, sourceId, limit],
  );
  return rows.map(toRunView);
}

export async function getSyncRun(
  db: Queryable,
  tenantId: string,
  sourceId: string,
  runId: string,
): Promise<(SyncRunView & { problems: SyncRunProblem[] }) | null> {
  const { rows } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM sync_runs WHERE tenant_id = $1 AND source_id = $2 AND id = $3`, [
    tenantId,
    sourceId,
    runId,
  ]);
  if (!rows[0]) return null;
  const problems = await db.query<SyncRunProblem>(
    'SELECT external_id, title, kind, reason FROM sync_run_errors WHERE run_id = $1 AND tenant_id = $2 ORDER BY id LIMIT 1000',
    [runId, tenantId],
  );
  return { ...toRunView(rows[0]), problems: problems.rows };
}
