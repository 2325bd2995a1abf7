export { openDatabase } from './database';
export type { Database, Queryable, QueryParams, PreparedSql } from './database';
export { acquireDataDirLock, DataDirLockedError, lockPathFor } from './data-dir-lock';
export { migrate, readMigrations, MigrationError, defaultMigrationsDir } from './migrate';
export { ensureVectorIndex, vectorIndexName } from './vector-index';
export { isUniqueViolation } from './errors';
