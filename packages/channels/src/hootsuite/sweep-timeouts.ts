import { findAgent, type Agent } from '@relai/tenants';
import type { StoredChannel } from '../interface';
import { channelContext, type ChannelServices } from '../process-channel-event';
import { inboxClientFor } from './handle';
import { effectEntry, readConversationLedger, releaseEntry } from './ledger';
import { hootsuiteSecretsSchema, hootsuiteSettingsSchema, type HootsuiteSecrets, type HootsuiteSettings } from './settings';
import { decideTimeout, type TimeoutDecision } from './timeouts';

const EXTERNAL_ID_PREFIX = 'hootsuite:';
/**
 * Conversations quiet for longer than the longest timeout plus this are not looked at again: the
 * sweep runs every minute or so, they were handled long before. Bounds each sweep's work.
 */
const LOOKBACK_MARGIN_MINUTES = 24 * 60;

export interface HootsuiteTimeoutHandoff {
  channelId: string;
  conversationId: string;
  decision: TimeoutDecision;
}

export interface HootsuiteTimeoutSweepReport {
  handedOff: HootsuiteTimeoutHandoff[];
  failed: Array<{ channelId: string; conversationId: string; error: string }>;
}

/**
 * Applies the VA timeout rules of every enabled Hootsuite channel: a conversation the VA still
 * holds, where the VA or the contact stayed silent too long, goes to the configured queue ("New":
 * a handoff; "Resolved": resolved), with the timeout topic. Each timeout acts once (keyed by the
 * contact's last message), so the sweep can run as often as wanted; meant for a scheduled job.
 */
export async function sweepHootsuiteTimeouts(services: ChannelServices, now: Date): Promise<HootsuiteTimeoutSweepReport> {
  const report: HootsuiteTimeoutSweepReport = { handedOff: [], failed: [] };
  const { rows } = await services.db.query<{ id: string }>(`SELECT id FROM channels WHERE platform = 'hootsuite' AND enabled ORDER BY id`);
  for (const { id } of rows) {
    const stored = await services.channels.byId(id);
    const settings = hootsuiteSettingsSchema.safeParse(stored?.settings);
    const secrets = hootsuiteSecretsSchema.safeParse(stored?.secrets);
    if (!stored || !settings.success || !secrets.success) {
      services.logger.warn('hootsuite timeout sweep skipped a channel with invalid settings', { channelId: id });
      continue;
    }
    const agent = await findAgent(services.db, stored.tenantId, stored.agentId);
    if (!agent) continue;
    const channel: StoredChannel<HootsuiteSettings, HootsuiteSecrets> = { ...stored, settings: settings.data, secrets: secrets.data };
    await sweepChannel(services, channel, agent, now, report);
  }
  return report;
}

async function sweepChannel(
  services: ChannelServices,
  channel: StoredChannel<HootsuiteSettings, HootsuiteSecrets>,
  agent: Agent,
  now: Date,
  report: HootsuiteTimeoutSweepReport,
): Promise<void> {
  const context = channelContext(services, channel, agent);
  const client = inboxClientFor(channel, context.http);
  const { timeouts, topics } = channel.settings;
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const shortest = Math.min(timeouts.agent_silent_minutes, timeouts.contact_silent_minutes);
  const longest = Math.max(timeouts.agent_silent_minutes, timeouts.contact_silent_minutes);
  // Every session of a conversation id counts: a session may expire long before the contact timeout.
  const { rows } = await services.db.query<{ external_id: string; last_contact_at: Date }>(
    `SELECT c.external_id, max(m.created_at) AS last_contact_at
     FROM conversations c JOIN messages m ON m.conversation_id = c.id AND m.role = 'user'
     WHERE c.tenant_id = $1 AND c.agent_id = $2 AND starts_with(c.external_id, $3) AND c.last_message_at > $5
     GROUP BY c.external_id
     HAVING max(c.last_message_at) <= $4`,
    [channel.tenantId, channel.agentId, EXTERNAL_ID_PREFIX, minutesAgo(shortest), minutesAgo(longest + LOOKBACK_MARGIN_MINUTES)],
  );
  for (const row of rows) {
    const conversationId = row.external_id.slice(EXTERNAL_ID_PREFIX.length);
    try {
      const ledger = await readConversationLedger(services.db, channel.id, conversationId);
      const decision = decideTimeout({ lastContactAt: row.last_contact_at, ...ledger }, timeouts, now);
      if (!decision) continue;
      const key = `${conversationId}:${row.last_contact_at.toISOString()}`;
      const topic = topics.timeout;
      if (topic) {
        await context.once(`timeout-topic:${key}`, async () => {
          await client.applyTopics(conversationId, [topic]);
          return effectEntry(conversationId, now);
        });
      }
      await context.once(`timeout:${key}`, async () => {
        if (decision.queue === 'resolved') await client.resolve(conversationId);
        else await client.transfer(conversationId, { to: 'new' });
        return releaseEntry(conversationId, now, decision.queue);
      });
      report.handedOff.push({ channelId: channel.id, conversationId, decision });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      services.logger.warn('hootsuite timeout handoff failed, the next sweep retries it', { channelId: channel.id, conversationId, error: message });
      report.failed.push({ channelId: channel.id, conversationId, error: message });
    }
  }
}
