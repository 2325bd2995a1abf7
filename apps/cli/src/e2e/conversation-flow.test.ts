import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '@relai/api';
import { createLogger, loadConfig } from '@relai/config';
import { startWorkers } from '@relai/worker';
import { runtimeApp } from '../commands/serve';
import { ensureDemoTenant, ensureSampleSource, DEMO_AGENT_ID } from '../demo';
import { openRuntime, type Runtime } from '../runtime';

/**
 * The product end to end, as `npm start` builds it: the sample help center synced through the job
 * queue (in-process, then BullMQ on a real Redis), and a support conversation driven over HTTP.
 */
describe.each([
  { backend: 'in-process', redis: false },
  { backend: 'bullmq', redis: true },
])('a support conversation on the $backend queue', ({ redis }) => {
  let root: string;
  let runtime: Runtime;
  let app: App;
  let agentToken: string;
  let adminToken: string;

  const call = (method: string, url: string, body?: unknown, token = agentToken, headers: Record<string, string> = {}) =>
    app.request(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const say = async (conversationId: string, text: string, extra: Record<string, unknown> = {}) => {
    const response = await call('POST', `/v1/agents/${DEMO_AGENT_ID}/conversations/${conversationId}/messages`, { text, ...extra });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, any>;
  };
  const messageCount = async () => Number((await runtime.db.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]!.n);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-e2e-'));
    fs.cpSync(inject('pgliteTemplateDir'), path.join(root, 'data'), { recursive: true });
    const config = loadConfig({
      RELAI_DATA_DIR: path.join(root, 'data'),
      REDIS_URL: redis ? inject('redisUrl') : '',
      PUBLIC_URL: 'http://relai.test',
      LOG_LEVEL: 'silent',
    });
    runtime = await openRuntime(config, createLogger('silent'), { queuePrefix: `relai-e2e-${crypto.randomUUID()}` });
    await startWorkers(runtime.queue, runtime.workerDeps, runtime.logger);
    const demo = await ensureDemoTenant(runtime.db, runtime.config);
    agentToken = demo.agentToken;
    adminToken = demo.adminToken;
    app = runtimeApp(runtime);

    const source = await ensureSampleSource(runtime.sources, demo.tenantId);
    const sync = await call('POST', `/v1/sources/${source.id}/sync`, { mode: 'full' }, adminToken);
    expect(sync.status).toBe(202);
    // The worker picks the job from the queue; poll the run like an operator would.
    for (let attempt = 0; ; attempt++) {
      const runs = (await (await call('GET', `/v1/sources/${source.id}/runs`, undefined, adminToken)).json()) as { runs: Array<{ status: string }> };
      if (runs.runs[0]?.status === 'succeeded') break;
      if (runs.runs[0]?.status === 'failed' || attempt > 300) throw new Error(`the sample sync did not succeed: ${JSON.stringify(runs.runs[0])}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers, follows up with history, clarifies, escalates on request, then ends', async () => {
    const start = await call('POST', `/v1/agents/${DEMO_AGENT_ID}/conversations`, {
      conversation_id: 'intercom-42',
      user: { name: 'Camille Martin', email: 'camille@example.fr', segments: ['Pro'] },
      meta_data: { plan: 'pro' },
    });
    expect(start.status).toBe(201);
    const resumed = await call('POST', `/v1/agents/${DEMO_AGENT_ID}/conversations`, { conversation_id: 'intercom-42' });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ resumed: true, conversation: { session: 1, meta_data: { plan: 'pro' } } });

    const first = await say('intercom-42', "J'ai oublié mon mot de passe, comment le réinitialiser ?");
    expect(first).toMatchObject({ action: 'answer', language: 'fr', escalation: null });
    expect(first.citations[0].article_id).toBe('fr-1001');
    expect(first.reply.text.length).toBeLessThan(900);
    expect(first.reply.components).toContainEqual(expect.objectContaining({ type: 'link', article_id: 'fr-1001', url: expect.stringContaining('help.facturo.example') }));

    // Means nothing alone: the history says it is about the reset link.
    const followUp = await say('intercom-42', 'Et le lien reste valable combien de temps ?');
    expect(followUp.citations[0]?.article_id ?? followUp.reply.components[0]?.options?.[0]?.article_id).toBe('fr-1001');

    const human = await say('intercom-42', 'Je voudrais parler à un conseiller, s’il vous plaît.');
    expect(human).toMatchObject({ action: 'escalate', escalation: { reason: 'requested_human' } });
    expect(human.escalation.note.last_question).toContain('conseiller');
    expect(human.escalation.note.text).toContain('Camille Martin');
    expect(human.escalation.note.articles_consulted.length).toBeGreaterThan(0);

    // A human has the conversation now: the agent stays out of it.
    const after = await say('intercom-42', 'Allô ?');
    expect(after.action).toBe('ignore');
    expect(after.conversation.status).toBe('escalated');

    const ended = await call('POST', `/v1/agents/${DEMO_AGENT_ID}/conversations/intercom-42/end`);
    expect(ended.status).toBe(200);
    expect(await ended.json()).toMatchObject({ conversation: { status: 'ended' } });
    const next = await say('intercom-42', 'How do I reset my password?');
    expect(next).toMatchObject({ new_session: true, conversation: { session: 2 }, language: 'en', action: 'answer' });
    expect(next.citations[0].article_id).toBe('en-1001');

    const history = (await (await call('GET', `/v1/agents/${DEMO_AGENT_ID}/conversations/intercom-42`)).json()) as Record<string, any>;
    expect(history.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'agent']);
  });

  it('offers options when a question matches several articles, and answers the one picked', async () => {
    const clarify = await say('web-7', 'facture');
    expect(clarify.action).toBe('clarify');
    const options = clarify.reply.components.find((component: { type: string }) => component.type === 'options').options;
    expect(options.length).toBeGreaterThanOrEqual(2);
    const picked = await say('web-7', '2');
    expect(picked).toMatchObject({ action: 'answer' });
    expect(picked.citations[0].article_id).toBe(options[1].article_id);
  });

  it('refuses bad tokens, unknown ids and bad bodies, and stores nothing for them', async () => {
    const before = await messageCount();
    const url = `/v1/agents/${DEMO_AGENT_ID}/conversations/c-1/messages`;
    expect((await call('POST', url, { text: 'Bonjour' }, 'rl_not-a-token')).status).toBe(401);
    expect((await call('POST', `/v1/agents/nobody/conversations/c-1/messages`, { text: 'Bonjour' })).status).toBe(404);
    expect((await call('POST', `/v1/agents/${DEMO_AGENT_ID}/conversations/unknown/end`)).status).toBe(404);
    const malformed = await call('POST', url, '{"text": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const invalid = await call('POST', url, { text: 'Bonjour', user: { email: 'not-an-email' } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toContain('user.email');
    expect((await call('POST', url, { text: 'x'.repeat(3 * 1024 * 1024) })).status).toBe(413);
    expect((await call('POST', url, { text: '   ' })).status).toBe(400);
    expect(await messageCount()).toBe(before);
  });

  it('reports the agent\'s metrics for the period', async () => {
    const response = await call('GET', `/v1/agents/${DEMO_AGENT_ID}/metrics`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as Record<string, any>;
    expect(report.conversations).toBeGreaterThanOrEqual(2);
    expect(report.escalations_by_reason.requested_human).toBe(1);
    expect(report.first_response_ms.p50).toBeGreaterThan(0);
  });
});
