import type { Config } from './config';

/** One JSON line per event on stderr: readable by humans, parseable by log shippers. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

export function createLogger(level: Config['logLevel'], base: Record<string, unknown> = {}): Logger {
  const threshold = levels[level];
  const write = (name: keyof typeof levels, message: string, fields?: Record<string, unknown>) => {
    if (levels[name] < threshold) return;
    const line = { time: new Date().toISOString(), level: name, msg: message, ...base, ...fields };
    process.stderr.write(`${JSON.stringify(line, errorReplacer)}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}

function errorReplacer(_key: string, value: unknown) {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
