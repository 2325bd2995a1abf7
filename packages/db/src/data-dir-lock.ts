import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite has no lock of its own: two processes opening one data folder silently lose writes. This
 * lock file sits beside the folder (PGlite owns the folder's contents) and records who holds it.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockOwner,
  ) {
    super(
      `The embedded database at ${dataDir} is already open in process ${holder.pid}` +
        ` on ${holder.hostname} (since ${holder.startedAt}).` +
        ' Only one Relai process may open it: stop that process, use another RELAI_DATA_DIR,' +
        ' or set DATABASE_URL to a Postgres server shared by several processes.' +
        ` If you are sure no process uses it, delete ${lockPathFor(dataDir)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface DataDirLock {
  path: string;
  release(): void;
}

export function lockPathFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const lockPath = lockPathFor(dataDir);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        if (readOwner(lockPath)?.pid === me.pid) fs.rmSync(lockPath, { force: true });
      };
      // A crash still runs 'exit' handlers for normal exits; SIGKILL leaves a stale lock that the next start detects.
      process.on('exit', release);
      return { path: lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lockPath);
    if (owner && !isStale(owner)) throw new DataDirLockedError(dataDir, owner);
    // Stale: move it aside atomically so that of two starters racing here only one removes it.
    try {
      fs.renameSync(lockPath, `${lockPath}.stale-${process.pid}`);
      fs.rmSync(`${lockPath}.stale-${process.pid}`, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`Could not take the lock ${lockPath}: it keeps changing hands`);
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? 'unknown') };
  } catch {
    return null; // unreadable or half-written: treated as stale
  }
}

function isStale(owner: LockOwner): boolean {
  // On another host (shared volume) we cannot tell: assume it is alive.
  if (owner.hostname !== os.hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
