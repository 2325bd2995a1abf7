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
  for (const [index, sourceId] of parsed.data.source_ids.entries()) {
    if (!(await sources.get(tenantId, sourceId))) throw new ApiError('invalid_request', `settings.source_ids.${index}: no source "${sourceId}"`);
  }
}

export function agentView(agent: Agent) {
  return { id: agent.id, name: agent.name, settings: parseAgentSettings(agent.settings) };
}
