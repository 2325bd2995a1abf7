import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  /** Exactly as sent: the signature is computed over these bytes. */
  rawBody: string;
  event: { id: string; type: string; conversation_id: string; session: number; data: Record<string, any> } & Record<string, unknown>;
}

export type ReceiverAnswer = { status?: number; json?: unknown } | 'hang';

/**
 * An integration's webhook endpoint on 127.0.0.1 for tests: records every delivery with its raw body
 * and answers as the test says (a status, a JSON body, or never). It can be stopped and restarted on
 * the same port, like a receiver that goes down and comes back.
 */
export class FakeReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  answer: (delivery: ReceivedDelivery) => ReceiverAnswer = () => ({ status: 200 });
  private server: Server | null = null;

  private constructor(private port: number) {}

  static async start(): Promise<FakeReceiver> {
    const receiver = new FakeReceiver(0);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/relai-events`;
  }

  /** Deliveries of one type, in arrival order. */
  ofType(type: string): ReceivedDelivery[] {
    return this.deliveries.filter((delivery) => delivery.event.type === type);
  }

  /** Listens again on the same port (connections are refused while it is down). */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const delivery: ReceivedDelivery = { headers: req.headers, rawBody, event: JSON.parse(rawBody) };
        this.deliveries.push(delivery);
        const answer = this.answer(delivery);
        if (answer === 'hang') return;
        // No keep-alive: once down, the next attempt is refused rather than failing on a dead pooled socket.
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', connection: 'close' });
        res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }
}
