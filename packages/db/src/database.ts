import fs from 'node:fs';
import pg from 'pg';
import type { Config, Logger } from '@relai/config';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';

export type QueryParams = unknown[];

/** Anything that runs SQL: the database itself or a transaction's client. */
/** A named statement is parsed and planned once per connection: worth it for hot, complex queries. */
export interface PreparedSql {
  name: string;
  text: string;
}

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string | PreparedSql, params?: QueryParams): Promise<pg.QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `work` in one transaction on one client. Inside, use only `tx`: on PGlite the pool has a
   * single connection, so a query through the database itself would wait for this transaction forever.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Holds one client for a session-level operation (advisory locks). Same rule as transaction. */
  withClient<T>(work: (client: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * - With a WHERE on tenant and model, a plain HNSW scan can return fewer rows than asked (it filters
 *   after the scan); iterative scans keep going until the LIMIT is met.
 * - Named statements (the hot search query) are planned once: planning it costs more than running it.
 */
const SESSION_SETUP = 'SET hnsw.iterative_scan = relaxed_order; SET plan_cache_mode = force_generic_plan';

export async function openDatabase(database: Config['database'], logger?: Logger): Promise<Database> {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    pool.on('error', (error) => logger?.error('idle Postgres client failed', { error }));
    pool.on('connect', (client) => {
      client.query(SESSION_SETUP).catch((error) => logger?.error('session setup failed', { error }));
    });
    return wrapPool('postgres', pool, async () => pool.end());
  }
  return openPglite(database.dataDir, logger);
}

async function openPglite(dataDir: string, logger?: Logger): Promise<Database> {
  const lock: DataDirLock = acquireDataDirLock(dataDir);
  try {
    // Loaded lazily: the WASM runtime is only needed for the embedded default.
    const [{ PGlite }, { vector }, { unaccent }, { pg_trgm }, { createPgConfig }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
      import('@electric-sql/pglite/contrib/unaccent'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('@electric-sql/pglite/node-postgres'),
    ]);
    const isNew = !fs.existsSync(`${dataDir}/PG_VERSION`);
    if (isNew) logger?.info('creating the embedded database (first start takes a few seconds)', { dataDir });
    fs.mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir, { extensions: { vector, unaccent, pg_trgm } });
    await pglite.exec(SESSION_SETUP);
    // One connection only: a second one shares PGlite's single backend and corrupts the protocol.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 });
    return wrapPool('pglite', pool, async () => {
      await pool.end();
      await pglite.close();
      lock.release();
    });
  } catch (error) {
    lock.release();
    throw error;
  }
}

function wrapPool(kind: Database['kind'], pool: pg.Pool, end: () => Promise<void>): Database {
  let closed: Promise<void> | null = null;
  const withClient = async <T>(work: (client: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };
  return {
    kind,
    // Not pool.query: on an SQL error it releases the client as broken, and PGlite's adapter reuses one
    // connection object, so the next query would read the dead client's messages (wrong results).
    // An SQL error leaves a connection usable; only the caller's statement failed.
    query: (sql, params) => withClient((client) => client.query(sql, params)),
    withClient,
    transaction: (work) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    close: () => (closed ??= end()),
  };
}
