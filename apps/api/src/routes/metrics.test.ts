import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createApp } from '../app';
import { createTestApp, type TestApp } from '../testing/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp(inject('pgliteTemplateDir'));
});
afterEach(() => t.dispose());

describe('GET /metrics', () => {
  it('counts requests by route pattern, never by raw path', async () => {
    const admin = { Authorization: `Bearer ${t.adminToken}` };
    await t.app.request('/v1/sources/00000000-0000-4000-8000-000000000000', { headers: admin });
    await t.app.request('/v1/sources/00000000-0000-4000-8000-000000000001');
    await t.app.request('/v1/nope/42');
    const response = await t.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('http_requests_total{method="GET",route="/v1/sources/:sourceId",status="404"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/v1/sources/:sourceId",status="401"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/sources\/:sourceId"\} 2/);
    expect(text).not.toContain('00000000-0000');
  });

  it('shows the decisions the conversation code records', async () => {
    t.deps.metrics.recordDecision({ agentId: 'support', action: 'clarify', confidence: 0.5, escalationReason: null, generatedBy: 'template', latencyMs: 12 });
    expect(await (await t.app.request('/metrics')).text()).toContain('relai_decisions_total{agent="support",action="clarify"} 1');
  });

  it('requires METRICS_TOKEN as a bearer token when it is set', async () => {
    const token = 'metrics-token-0123456789';
    const app = createApp({ ...t.deps, config: { ...t.deps.config, metricsToken: token } });
    const anonymous = await app.request('/metrics');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/METRICS_TOKEN/) } });
    expect((await app.request('/metrics', { headers: { Authorization: `Bearer ${t.adminToken}` } })).status).toBe(401);
    expect((await app.request('/metrics', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
