// Values the global test setup provides to every test file (see vitest.config.ts).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real Redis for the BullMQ path. */
    redisUrl: string;
    /** A migrated PGlite data folder to copy (packages/db/src/testing.ts). */
    pgliteTemplateDir: string;
  }
}
