import { ChannelRateLimits, channelEventJob, processChannelEvent, type ChannelServices } from '@relai/channels';
import { createLogger } from '@relai/config';
import { InProcessQueue, type JobEvent } from '@relai/queue';
import { syncSampleHelpCenter } from './sample-help-center';
import { createTestApp, type TestApp } from './test-app';

export interface ChannelHarness {
  t: TestApp;
  services: ChannelServices;
  /** Runs every queued job (channel events) to completion, retries included. */
  runJobs(): Promise<void>;
  /** Every outcome the queue reported (completed, failed with or without a retry), in order. */
  jobEvents: JobEvent[];
  /** POSTs a raw body to the platform webhook of agent "support". */
  deliver(platform: string, rawBody: string, headers: Record<string, string>): Promise<Response>;
  dispose(): Promise<void>;
}

/**
 * The API and the worker in one process for channel tests: the real webhook route, the real queue
 * job and adapter, the sample help center synced. Platform calls go to local fakes; retries wait
 * no real time (`sleep` resolves at once).
 */
export async function startChannelHarness(templateDir: string): Promise<ChannelHarness> {
  const queue = new InProcessQueue(1);
  const t = await createTestApp(templateDir, queue);
  const sample = await syncSampleHelpCenter(t);
  const services: ChannelServices = {
    db: t.handle.db,
    channels: t.deps.channels.store,
    conversations: t.deps.conversations,
    answers: t.deps.answers,
    adapters: t.deps.channels.adapters,
    logger: createLogger('silent'),
    rateLimits: new ChannelRateLimits(),
    http: { sleep: async () => {}, random: () => 0, timeoutMs: 2_000 },
  };
  queue.process(channelEventJob, (payload) => processChannelEvent(services, payload));
  const jobEvents: JobEvent[] = [];
  queue.onEvent((event) => jobEvents.push(event));
  await queue.start();
  return {
    t,
    services,
    runJobs: () => queue.whenIdle(),
    jobEvents,
    deliver: (platform, rawBody, headers) =>
      Promise.resolve(t.app.request(`/v1/channels/${platform}/support/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: rawBody })),
    dispose: async () => {
      sample.dispose();
      await t.dispose();
    },
  };
}
