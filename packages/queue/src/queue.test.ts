import { afterEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { BullmqQueue } from './bullmq-queue';
import { InProcessQueue } from './in-process-queue';
import { isPermanentJobError, JobPayloadError, PermanentJobError, type JobDefinition, type JobEvent, type JobQueue } from './interface';

const greet: JobDefinition<{ name: string; times: number }> = {
  name: 'test-greet',
  schema: z.object({ name: z.string().min(1), times: z.number().int().positive() }),
  retry: { attempts: 3, backoffMs: 10 },
};

const backends: Array<[string, () => JobQueue]> = [
  ['in-process', () => new InProcessQueue(2)],
  // A fresh prefix per test keeps runs apart on a shared Redis.
  ['bullmq', () => new BullmqQueue(inject('redisUrl'), { concurrency: 2, prefix: `relai-test-${Date.now()}-${Math.random().toString(36).slice(2)}` })],
];

describe.each(backends)('%s queue', (_backend, createQueue) => {
  let queue: JobQueue;
  afterEach(async () => {
    await queue.close(2_000);
  });

  function collect(queue: JobQueue, until: (events: JobEvent[]) => boolean): Promise<JobEvent[]> {
    const events: JobEvent[] = [];
    return new Promise((resolve) => {
      queue.onEvent((event) => {
        events.push(event);
        if (until(events)) resolve(events);
      });
    });
  }

  it('runs a job defined once with its validated payload', async () => {
    queue = createQueue();
    const seen: Array<{ name: string; times: number }> = [];
    queue.process(greet, async (payload) => {
      seen.push(payload);
    });
    await queue.start();
    const done = collect(queue, (events) => events.some((event) => event.type === 'completed'));
    await queue.enqueue(greet, { name: 'Camille', times: 2 });
    await done;
    expect(seen).toEqual([{ name: 'Camille', times: 2 }]);
  });

  it('rejects a malformed payload at enqueue time without running anything', async () => {
    queue = createQueue();
    let ran = false;
    queue.process(greet, async () => {
      ran = true;
    });
    await queue.start();
    await expect(queue.enqueue(greet, { name: '', times: -1 })).rejects.toBeInstanceOf(JobPayloadError);
    await expect(queue.enqueue(greet, { name: 'x' } as never)).rejects.toThrow(/times/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ran).toBe(false);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    queue = createQueue();
    let calls = 0;
    queue.process(greet, async (_payload, context) => {
      calls++;
      if (context.attempt < 3) throw new Error(`flaky ${context.attempt}`);
    });
    await queue.start();
    const events = collect(queue, (all) => all.some((event) => event.type === 'completed'));
    await queue.enqueue(greet, { name: 'Alex', times: 1 });
    const seen = await events;
    expect(calls).toBe(3);
    expect(seen.filter((event) => event.type === 'failed').map((event) => event.type === 'failed' && event.willRetry)).toEqual([true, true]);
  });

  it('fails a job that throws a PermanentJobError once, without retrying, and reports the original error', async () => {
    queue = createQueue();
    // Domain errors subclass it (the channels' ChannelPermanentError).
    class CredentialsRefused extends PermanentJobError {
      override name = 'CredentialsRefused';
    }
    let calls = 0;
    queue.process(greet, async () => {
      calls++;
      throw new CredentialsRefused('HTTP 401: the token was revoked');
    });
    await queue.start();
    const failed = collect(queue, (events) => events.some((event) => event.type === 'failed'));
    await queue.enqueue(greet, { name: 'Sam', times: 1 });
    const [event] = await failed;
    expect(event).toMatchObject({ type: 'failed', job: 'test-greet', attempt: 1, willRetry: false, permanent: true });
    const error = event?.type === 'failed' ? event.error : null;
    expect(error).toBeInstanceOf(CredentialsRefused);
    expect(error?.message).toBe('HTTP 401: the token was revoked');
    // Three attempts allowed, backoff 10 ms: a retry would have run by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toBe(1);
  });

  it('still retries an ordinary error, reported as not permanent', async () => {
    queue = createQueue();
    queue.process(greet, async (_payload, context) => {
      if (context.attempt === 1) throw new Error('flaky');
    });
    await queue.start();
    const events = collect(queue, (all) => all.some((event) => event.type === 'completed'));
    await queue.enqueue(greet, { name: 'Lou', times: 1 });
    const [failed] = (await events).filter((event) => event.type === 'failed');
    expect(failed).toMatchObject({ willRetry: true, permanent: false });
  });

  it('drops a second job with the same dedupe key while the first is pending', async () => {
    queue = createQueue();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    queue.process(greet, async () => {
      calls++;
      await gate;
    });
    await queue.start();
    const done = collect(queue, (events) => events.some((event) => event.type === 'completed'));
    const first = await queue.enqueue(greet, { name: 'A', times: 1 }, { dedupeKey: 'sync:source-1' });
    const second = await queue.enqueue(greet, { name: 'A', times: 1 }, { dedupeKey: 'sync:source-1' });
    expect(first.deduplicated).toBe(false);
    expect(second.deduplicated).toBe(true);
    release();
    await done;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(1);
  });

  it('runs recurring schedules', async () => {
    queue = createQueue();
    let calls = 0;
    queue.process(greet, async () => {
      calls++;
    });
    await queue.start();
    const twice = collect(queue, (events) => events.filter((event) => event.type === 'completed').length >= 2);
    await queue.schedule('greet-often', greet, { name: 'tick', times: 1 }, { everyMs: 150 });
    await twice;
    await queue.unschedule('greet-often');
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});

describe('isPermanentJobError', () => {
  it('recognises PermanentJobError, its subclasses, and errors flagged permanent by another copy of the module', () => {
    class Gone extends PermanentJobError {}
    const foreign = Object.assign(new Error('from another copy'), { permanent: true });
    expect([new PermanentJobError('x'), new Gone('y'), foreign].map(isPermanentJobError)).toEqual([true, true, true]);
    expect([new Error('z'), new JobPayloadError('job', []), 'text', null, { permanent: true }].map(isPermanentJobError)).toEqual([false, false, false, false, false]);
  });
});

describe('bullmq queue', () => {
  it('fails a job whose stored payload breaks its schema, without retrying it', async () => {
    const prefix = `relai-test-${Date.now()}-bad`;
    const queue = new BullmqQueue(inject('redisUrl'), { prefix });
    let ran = false;
    queue.process(greet, async () => {
      ran = true;
    });
    await queue.start();
    const failed = new Promise<JobEvent>((resolve) => queue.onEvent((event) => event.type === 'failed' && resolve(event)));
    // Another producer (older code, a hand-written script) put a bad payload straight into Redis.
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    const raw = new Queue(greet.name, { connection, prefix });
    await raw.add(greet.name, { name: 42 }, { attempts: 3 });
    const event = await failed;
    expect(event.type === 'failed' && event.willRetry).toBe(false);
    expect(event.type === 'failed' && event.permanent).toBe(true);
    expect(event.type === 'failed' && event.error.message).toMatch(/Invalid payload for job "test-greet"/);
    expect(ran).toBe(false);
    await raw.close();
    await connection.quit();
    await queue.close(2_000);
  });
});
