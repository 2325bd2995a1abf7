import { parseArgs } from 'node:util';
import { ConfigError, createLogger, loadConfig } from '@relai/config';
import { viewReply } from '@relai/api';
import { DataDirLockedError, MigrationError } from '@relai/db';
import { isUuid } from '@relai/ingest';
import { askCommand, formatReply } from './commands/ask';
import { serve, worker } from './commands/serve';
import { start } from './commands/start';
import { describeSummary, syncCommand } from './commands/sync';
import { evalCommand } from './commands/eval';
import { sourcesCommand } from './commands/sources';
import { openRuntime } from './runtime';
import { UsageError } from './usage-error';

const USAGE = `Usage: relai <command> [options]

  start                      demo: migrate, demo tenant + agent, sync the sample help center, serve the API
  serve                      serve the API (and run jobs in-process when REDIS_URL is unset)
  worker                     run the job workers (needs REDIS_URL)
  migrate                    apply database migrations
  sync <source> [--full]     sync one source now (by id or name), with progress and a summary
  ask "message" ["follow-up"…] what an agent replies (--agent <id>, --json); nothing is stored
  eval <set-dir> --out <file> evaluate retrieval on a set (articles.jsonl + conversations.jsonl)
  sources list               list sources
  sources add --name <name> --config '<json>'   add a source (e.g. '{"kind":"jsonl","path":"./articles.jsonl"}')

Options: --tenant <id> picks the tenant when several exist. Configuration comes from the environment (see README).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      full: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      name: { type: 'string' },
      config: { type: 'string' },
      out: { type: 'string' },
      'database-url': { type: 'string' },
      'features-out': { type: 'string' },
      agent: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.tenant !== undefined && !isUuid(values.tenant)) throw new UsageError(`--tenant: expected a tenant id (a UUID), got "${values.tenant}"`);
  if (!command || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 1;
  }
  if (command === 'eval') {
    if (!rest[0] || !values.out) throw new UsageError('relai eval <set-dir> --out <results.jsonl> [--database-url postgres://…]');
    await evalCommand({ setDir: rest[0], out: values.out, databaseUrl: values['database-url'], featuresOut: values['features-out'] });
    return 0;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  switch (command) {
    case 'start':
      await start(await openRuntime(config, logger));
      return -1; // keeps serving
    case 'serve':
      await serve(await openRuntime(config, logger));
      return -1;
    case 'worker':
      await worker(await openRuntime(config, logger));
      return -1;
    case 'migrate': {
      const runtime = await openRuntime(config, logger);
      await runtime.close();
      process.stdout.write('Database is up to date.\n');
      return 0;
    }
    case 'sync': {
      if (!rest[0]) throw new UsageError('relai sync: name the source (its id or name), e.g. `relai sync "Help center" --full`');
      const runtime = await openRuntime(config, logger);
      try {
        const summary = await syncCommand(runtime, rest[0], { full: values.full ?? false, tenant: values.tenant });
        process.stdout.write(`${describeSummary(summary)}\n`);
        return summary.status === 'succeeded' ? 0 : 1;
      } finally {
        await runtime.close();
      }
    }
    case 'ask': {
      const runtime = await openRuntime(config, logger);
      try {
        const reply = await askCommand(runtime, rest, { agent: values.agent, tenant: values.tenant });
        process.stdout.write(`${values.json ? JSON.stringify(viewReply(reply), null, 2) : formatReply(reply)}\n`);
        return 0;
      } finally {
        await runtime.close();
      }
    }
    case 'sources': {
      const runtime = await openRuntime(config, logger);
      try {
        return await sourcesCommand(runtime, rest, values);
      } finally {
        await runtime.close();
      }
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    const known = [ConfigError, DataDirLockedError, MigrationError, UsageError].some((type) => error instanceof type);
    process.stderr.write(`relai: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
