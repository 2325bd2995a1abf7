import type { Logger } from '@relai/config';
import type { ConversationStore } from '@relai/conversations';
import type { JobHandler } from '@relai/queue';

/** Ends the sessions whose lifetime passed (each agent's own), so that they count as finished. */
export function expireSessionsHandler(conversations: ConversationStore, logger: Logger): JobHandler<Record<string, never>> {
  return async () => {
    const ended = await conversations.expireIdleSessions();
    if (ended) logger.info('idle sessions ended', { ended });
  };
}
