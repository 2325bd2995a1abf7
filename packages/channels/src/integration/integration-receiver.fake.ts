import type { IncomingHttpHeaders } from 'node:http';
import { FakeHttpServer, type FakeResponse, type RecordedRequest } from '@relai/sources/testing';

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
  private server: FakeHttpServer | null = null;

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
    this.server = await FakeHttpServer.start((request) => this.receive(request), { port: this.port });
    this.port = Number(new URL(this.server.baseUrl).port);
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await server.close();
  }

  private receive(request: RecordedRequest): FakeResponse | 'hang' {
    const delivery: ReceivedDelivery = { headers: request.headers, rawBody: request.body, event: request.json as ReceivedDelivery['event'] };
    this.deliveries.push(delivery);
    const answer = this.answer(delivery);
    if (answer === 'hang') return 'hang';
    // No keep-alive: once down, the next attempt is refused rather than failing on a dead pooled socket.
    return { status: answer.status, json: answer.json, contentType: 'application/json', headers: { connection: 'close' } };
  }
}
