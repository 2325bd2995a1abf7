import { publishExpiredSessions } from '@relai/channels';
import type { Logger } from '@relai/config';
import type { ConversationStore } from '@relai/conversations';
import type { JobHandler } from '@relai/queue';

/** Ends the sessions whose lifetime passed (each agent's own) and tells integrations they ended. */
export function expireSessionsHandler(conversations: ConversationStore, logger: Logger): JobHandler<Record<string, never>> {
  return async () => {
    const ended = await conversations.expireIdleSessions(new Date(), publishExpiredSessions);
    if (ended) logger.info('idle sessions ended', { ended });
  };
}
