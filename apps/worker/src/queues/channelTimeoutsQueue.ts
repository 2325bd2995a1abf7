import { sweepHootsuiteTimeouts, type ChannelServices } from '@relai/channels';
import type { Logger } from '@relai/config';
import type { JobHandler } from '@relai/queue';

/** Conversations whose agent or contact stayed silent too long go to the queue the channel names. */
export function channelTimeoutsHandler(services: ChannelServices, logger: Logger): JobHandler<Record<string, never>> {
  return async () => {
    const report = await sweepHootsuiteTimeouts(services, new Date());
    if (report.handedOff.length || report.failed.length) logger.info('channel timeouts', { handedOff: report.handedOff.length, failed: report.failed.length });
  };
}
