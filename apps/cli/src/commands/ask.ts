import { parseAgentSettings, type AgentReply } from '@relai/answering';
import { findAgent, listAgents, type Agent } from '@relai/tenants';
import { DEMO_AGENT_ID } from '../demo';
import type { Runtime } from '../runtime';
import { UsageError } from '../usage-error';

/**
 * `relai ask "message" ["follow-up" ...] [--agent id] [--tenant id] [--json]`: what an agent would
 * reply, through the same engine as the API; nothing is stored. Each argument is a customer message.
 */
export async function askCommand(runtime: Runtime, messages: string[], options: { agent?: string; tenant?: string }): Promise<AgentReply> {
  if (!messages.length || messages.some((message) => !message.trim())) throw new UsageError('relai ask "your question" [--agent <id>] [--json]');
  const agent = await resolveAgent(runtime, options.agent, options.tenant);
  return runtime.answers.answer({
    tenantId: agent.tenantId,
    settings: parseAgentSettings(agent.settings),
    turns: messages.map((text) => ({ role: 'user' as const, text })),
    priorDecisions: [],
    user: {},
    handedOver: false,
  });
}

async function resolveAgent(runtime: Runtime, agentId: string | undefined, tenant: string | undefined): Promise<Agent> {
  const { rows } = await runtime.db.query<{ id: string }>('SELECT id FROM tenants ORDER BY created_at');
  const tenants = tenant ? rows.filter((row) => row.id === tenant) : rows;
  if (!tenants.length) throw new UsageError(tenant ? `--tenant: no tenant "${tenant}"` : 'No tenant yet: run `npm start` once, or create one');
  if (tenants.length > 1) throw new UsageError('Several tenants exist: add --tenant <tenant id>');
  const tenantId = tenants[0]!.id;
  if (agentId) {
    const agent = await findAgent(runtime.db, tenantId, agentId);
    if (!agent) throw new UsageError(`--agent: no AI agent "${agentId}"`);
    return agent;
  }
  const agents = await listAgents(runtime.db, tenantId);
  const chosen = agents.length === 1 ? agents[0] : agents.find((agent) => agent.id === DEMO_AGENT_ID);
  if (!chosen) throw new UsageError(`--agent: name the AI agent (${agents.map((agent) => agent.id).join(', ') || 'none exists'})`);
  return chosen;
}

/** The reply as an operator reads it: decision first, then what the customer would see, then why. */
export function formatReply(reply: AgentReply): string {
  const lines = [`${reply.action.toUpperCase()}  confidence ${reply.confidence.toFixed(2)}  (${reply.language}, ${reply.generatedBy})`, ''];
  if (reply.reply.text) lines.push(reply.reply.text, '');
  for (const component of reply.reply.components) {
    if (component.type === 'link') lines.push(`  → ${component.title}: ${component.url}`);
    else for (const option of component.options) lines.push(`  ${option.number}. ${option.label}`);
  }
  if (reply.citations.length) {
    lines.push('', 'Citations:');
    for (const citation of reply.citations) lines.push(`  [${citation.articleId}] ${citation.title}${citation.url ? ` ${citation.url}` : ''}`);
  }
  if (reply.escalation) lines.push('', `Escalation (${reply.escalation.reason}) to ${reply.escalation.team?.name ?? 'the unassigned queue'}:`, reply.escalation.note.text);
  lines.push('', `Why: ${reply.reasons.join('; ')}`);
  return lines.join('\n');
}
