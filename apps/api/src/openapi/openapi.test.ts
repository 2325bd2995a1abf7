import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../testing/test-app';
import { buildOpenApiDocument, type OpenApiDocument } from './document';
import { documentedAs, type Operation } from './operation';
import { apiOperations, apiTags } from './operations';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp(inject('pgliteTemplateDir'));
});
afterEach(() => t.dispose());

const REFERENCE_ROUTES = new Set(['GET /openapi.json', 'GET /docs']);

/** "GET /v1/sources/{sourceId}" for each endpoint the app serves; middleware (method ALL) is not an endpoint. */
function servedRoutes(): string[] {
  const routes = t.app.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`)
    .filter((route) => !REFERENCE_ROUTES.has(route));
  return [...new Set(routes)];
}

async function servedDocument(): Promise<OpenApiDocument> {
  const response = await t.app.request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

describe('API reference coverage', () => {
  it('documents every route the app serves, and no route it does not', async () => {
    const document = await servedDocument();
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const served = servedRoutes();
    expect(served.filter((route) => !documented.includes(route)), 'served but not documented: add their operations to openapi/operations.ts').toEqual([]);
    expect(documented.filter((route) => !served.includes(route)), 'documented but not served').toEqual([]);
  });

  it('describes responses as the API really sends them', async () => {
    const admin = { Authorization: `Bearer ${t.adminToken}` };
    const created = await t.app.request('/v1/sources', {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Guide', config: { kind: 'zendesk', subdomain: 'acme', auth: { oauthToken: 'zd-token' } } }),
    });
    const sourceId = ((await created.clone().json()) as { source: { id: string } }).source.id;
    const exchanges: Array<[string, Response]> = [
      ['GET /healthz', await t.app.request('/healthz')],
      ['GET /readyz', await t.app.request('/readyz')],
      ['POST /v1/sources', created],
      ['GET /v1/sources', await t.app.request('/v1/sources', { headers: admin })],
      ['GET /v1/sources/{sourceId}', await t.app.request(`/v1/sources/${sourceId}`, { headers: admin })],
      ['POST /v1/sources/{sourceId}/sync', await t.app.request(`/v1/sources/${sourceId}/sync`, { method: 'POST', headers: admin })],
      ['GET /v1/sources/{sourceId}/runs', await t.app.request(`/v1/sources/${sourceId}/runs`, { headers: admin })],
      ['GET /v1/sources/{sourceId}/articles', await t.app.request(`/v1/sources/${sourceId}/articles`, { headers: admin })],
      ['GET /v1/agents/{agentId}/search', await t.app.request('/v1/agents/support/search?q=export', { headers: { Authorization: `Bearer ${t.agentToken}` } })],
    ];
    for (const [route, response] of exchanges) {
      const operation = apiOperations.find((candidate) => `${candidate.method.toUpperCase()} ${candidate.path}` === route)!;
      const schema = operation.responses[response.status]?.schema;
      expect(schema, `${route} answered ${response.status}, which it does not document`).toBeDefined();
      const parsed = schema!.safeParse(await response.json());
      expect(parsed.error?.issues ?? [], route).toEqual([]);
    }
  });
});

describe('OpenAPI document', () => {
  it('serves a 3.1 document with the shared error body, security schemes and implied errors', async () => {
    const document = await servedDocument();
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'https://relai.example.com' }]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(['agentToken', 'adminToken', 'metricsToken']);
    expect(document.components.schemas.Error).toMatchObject({
      properties: { error: { properties: { code: { enum: expect.arrayContaining(['invalid_request', 'not_found', 'payload_too_large']) } } } },
    });
    const createSource = document.paths['/v1/sources']!.post!;
    expect(Object.keys(createSource.responses)).toEqual(['201', '400', '401', '403', '409', '413', '415']);
    expect(createSource.responses['413']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(createSource.security).toEqual([{ adminToken: [] }]);
    expect(document.paths['/healthz']!.get!.security).toEqual([]);
  });

  it('documents request schemas as clients send them: defaults optional, coerced query numbers as numbers', async () => {
    const document = await servedDocument();
    const listArticles = document.paths['/v1/sources/{sourceId}/articles']!.get!;
    expect(listArticles.parameters).toContainEqual({ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } });
    expect(listArticles.parameters).toContainEqual(expect.objectContaining({ name: 'sourceId', in: 'path', required: true }));
    const webhook = document.paths['/v1/webhooks/sources/{sourceId}/articles']!.post!;
    expect(JSON.stringify(webhook.requestBody)).toContain('"updated_at":{"type":"string","format":"date-time"}');
  });

  it('names the operation and field of a schema JSON Schema cannot express, and takes its stated wire format', () => {
    const operation = (body: z.ZodType): Operation => ({
      method: 'post',
      path: '/v1/things',
      operationId: 'createThing',
      summary: 'Create a thing',
      tags: ['Things'],
      auth: 'admin',
      body,
      responses: { 201: { description: 'Created' } },
    });
    const options = { serverUrl: 'http://localhost', tags: apiTags, maxBodyBytes: 1024 };
    expect(() => buildOpenApiDocument([operation(z.object({ due: z.coerce.date() }))], options)).toThrow(
      /POST \/v1\/things request body: Date cannot be represented in JSON Schema \(at \/properties\/due\)\. .*documentedAs/,
    );
    const documented = buildOpenApiDocument([operation(z.object({ due: documentedAs(z.coerce.date(), { type: 'string', format: 'date' }) }))], options);
    expect(documented.paths['/v1/things']!.post!.requestBody!.content['application/json']!.schema).toMatchObject({
      properties: { due: { type: 'string', format: 'date' } },
    });
  });

  it('refuses a path parameter the params schema does not declare', () => {
    const options = { serverUrl: 'http://localhost', tags: apiTags, maxBodyBytes: 1024 };
    const operation: Operation = { method: 'get', path: '/v1/things/{thingId}', operationId: 'getThing', summary: 'A thing', tags: ['Things'], auth: 'admin', responses: { 200: { description: 'The thing' } } };
    expect(() => buildOpenApiDocument([operation], options)).toThrow(/GET \/v1\/things\/\{thingId\}: the params schema declares \[\], the path has \[thingId\]/);
  });
});

describe('docs page', () => {
  it('renders every operation as HTML, escaped, with its fields and example', async () => {
    const response = await t.app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    for (const operation of apiOperations) expect(page).toContain(`<code>${operation.path}</code>`);
    expect(page).toContain('<code>webhook_secret</code>');
    expect(page).toContain('when config.kind is &#34;zendesk&#34;');
    expect(page).toContain('&#34;Help center FR&#34;');
    expect(page).toContain('&#60;p&#62;Menu Paramètres…&#60;/p&#62;');
    expect(page).not.toMatch(/<script|https?:\/\/(?!relai\.example\.com)[^"<\s]+\.(css|js)/);
  });
});
