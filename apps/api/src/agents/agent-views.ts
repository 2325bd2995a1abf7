import { agentSettingsSchema, parseAgentSettings } from '@relai/answering';
import type { SourceStore } from '@relai/ingest';
import type { Agent } from '@relai/tenants';
import { ApiError, describeZodError } from '../errors';

/**
 * Settings are stored as the admin wrote them and completed with defaults when read, so that a
 * default improved later reaches agents that never set it. They are validated before every write.
 */
export async function validateAgentSettings(input: Record<string, unknown>, tenantId: string, sources: SourceStore): Promise<void> {
  const parsed = agentSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const prefixed = parsed.error.issues.map((issue) => ({ ...issue, path: ['settings', ...issue.path] }));
    throw new ApiError('invalid_request', describeZodError({ issues: prefixed }));
  }
  // The schema drops keys it does not know: a misspelt one ("session_ttl") would be stored and never apply.
  const unknown = unknownKeys(input, parsed.data, ['settings']);
  if (unknown.length) {
    throw new ApiError('invalid_request', unknown.slice(0, 5).map((path) => `${path.join('.')}: unknown setting`).join('; '));
  }
  // Postgres's jsonb refuses "\u0000" (the insert would fail as a 500).
  const nul = nulPath(input, ['settings']);
  if (nul) throw new ApiError('invalid_request', `${nul.join('.')}: must not contain the NUL character`);
  for (const [index, sourceId] of parsed.data.source_ids.entries()) {
    if (!(await sources.get(tenantId, sourceId))) throw new ApiError('invalid_request', `settings.source_ids.${index}: no source "${sourceId}"`);
  }
}

/** Paths of the input's object keys that the parsed output does not have (the schema stripped them). */
function unknownKeys(input: unknown, output: unknown, path: Array<string | number>): Array<Array<string | number>> {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((item, index) => unknownKeys(item, output[index], [...path, index]));
  }
  if (isObject(input) && isObject(output)) {
    return Object.keys(input).flatMap((key) => (Object.hasOwn(output, key) ? unknownKeys(input[key], output[key], [...path, key]) : [[...path, key]]));
  }
  return [];
}

/** The path of the first string (or key) containing U+0000, or null. */
function nulPath(value: unknown, path: Array<string | number>): Array<string | number> | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, [...path, index]);
      if (found) return found;
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes('\u0000') ? [...path, key] : nulPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function agentView(agent: Agent) {
  return { id: agent.id, name: agent.name, settings: parseAgentSettings(agent.settings) };
}
