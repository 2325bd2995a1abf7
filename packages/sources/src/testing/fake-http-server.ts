import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Absolute, with the fake server's origin. */
  url: URL;
  headers: IncomingHttpHeaders;
  /** The request body as text (UTF-8); '' when there was none (a GET). */
  body: string;
  /** The body decoded as JSON; undefined when it is empty or not JSON. */
  json: unknown;
  /** The status answered, a fault's included; undefined until then (and for a request left hanging). */
  status?: number;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Serialized with JSON.stringify, served as application/json. */
  json?: unknown;
  /** Served as is (HTML, XML, robots.txt, or deliberately broken JSON). */
  text?: string;
  contentType?: string;
}

/** `hang` never answers: the client's per-request timeout must fire. */
export type Fault = { kind: 'respond'; response: FakeResponse } | { kind: 'hang' };

interface FaultRule {
  matches: (request: RecordedRequest) => boolean;
  fault: Fault;
  remaining: number;
}

/** `'hang'` leaves the request unanswered, as a `hang` fault does. */
export type FakeHandler = (request: RecordedRequest) => FakeResponse | 'hang';

function decodeJson(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A real HTTP server on 127.0.0.1 (random port) that records requests, bodies included, and can be
 * told to misbehave. The handler and the fault rules see a request once its body is fully read.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: FaultRule[] = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  /** `port`: 0 (the default) for a free one; another to listen again where a closed fake was. */
  static async start(handle: FakeHandler, options: { port?: number } = {}): Promise<FakeHttpServer> {
    let fake: FakeHttpServer | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
          headers: req.headers,
          body: text,
          json: decodeJson(text),
        };
        fake?.requests.push(recorded);
        const fault = fake?.takeFault(recorded);
        const response = fault ? (fault.kind === 'respond' ? fault.response : 'hang') : handle(recorded);
        if (response === 'hang') return;
        recorded.status = response.status ?? 200;
        const body = response.json !== undefined ? JSON.stringify(response.json) : (response.text ?? '');
        const contentType = response.contentType ?? (response.json !== undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
        res.writeHead(recorded.status, { 'content-type': contentType, ...response.headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    fake = new FakeHttpServer(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** The next `times` requests that match get `fault` instead of the normal answer. */
  inject(matches: (request: RecordedRequest) => boolean, fault: Fault, times = 1): void {
    this.faults.push({ matches, fault, remaining: times });
  }

  requestsTo(pathname: string): RecordedRequest[] {
    return this.requests.filter((request) => request.url.pathname === pathname);
  }

  async close(): Promise<void> {
    // Hanging requests keep their sockets open; drop them so close() returns.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private takeFault(request: RecordedRequest): Fault | undefined {
    const rule = this.faults.find((candidate) => candidate.remaining > 0 && candidate.matches(request));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }
}

export function serverError(status = 503, json: unknown = { error: 'service unavailable' }): Fault {
  return { kind: 'respond', response: { status, json } };
}

/** A 200 whose JSON body is cut short, as a broken proxy would send it. */
export function malformedJson(): Fault {
  return { kind: 'respond', response: { text: '{"type":"list","data":[{"id":"1",', contentType: 'application/json' } };
}

export function isPath(pathname: string, query: Record<string, string> = {}): (request: RecordedRequest) => boolean {
  return (request) =>
    request.url.pathname === pathname && Object.entries(query).every(([key, value]) => request.url.searchParams.get(key) === value);
}
