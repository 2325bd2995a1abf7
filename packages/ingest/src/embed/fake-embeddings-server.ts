import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Test double for POST /v1/embeddings, on 127.0.0.1 and a free port. */
export interface FakeEmbeddingsServer {
  baseURL: string;
  requests: { headers: IncomingHttpHeaders; body: { model: string; input: string[] | string; [key: string]: unknown } }[];
  /** Answers for the next requests, in order; afterwards every request succeeds. */
  script: Answer[];
  close(): Promise<void>;
}

export type Answer =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; contentType: string; body: string }
  | { kind: 'json'; body: unknown };

/** A deterministic vector per text: its length, its first char code, then ones. */
export function fakeVector(text: string, dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_, i) => (i === 0 ? text.length : i === 1 ? text.charCodeAt(0) : 1));
}

export async function startFakeEmbeddingsServer(dimensions = 4): Promise<FakeEmbeddingsServer> {
  const fake: FakeEmbeddingsServer = { baseURL: '', requests: [], script: [], close: async () => {} };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as FakeEmbeddingsServer['requests'][number]['body'];
      fake.requests.push({ headers: req.headers, body });
      const answer = fake.script.shift() ?? { kind: 'ok' };
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      switch (answer.kind) {
        case 'ok': {
          const inputs = Array.isArray(body.input) ? body.input : [body.input];
          const size = typeof body.dimensions === 'number' ? body.dimensions : dimensions;
          return send(200, {
            object: 'list',
            data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, size) })),
            model: body.model,
            usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
          });
        }
        case 'status':
          return send(answer.status, answer.body ?? { error: { message: `status ${answer.status}` } }, answer.headers);
        case 'json':
          return send(200, answer.body);
        case 'raw':
          res.writeHead(200, { 'content-type': answer.contentType }).end(answer.body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}
