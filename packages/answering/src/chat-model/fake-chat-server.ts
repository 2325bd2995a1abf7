import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Test double for POST /v1/chat/completions, on 127.0.0.1 and a free port. */
export interface FakeChatServer {
  /** For ChatModelSettings.baseURL. */
  baseURL: string;
  requests: Array<{ headers: IncomingHttpHeaders; body: ChatCompletionRequestBody }>;
  /** Replies to the next requests, in order; once it is empty, `respond` answers. */
  script: FakeChatReply[];
  /** The assistant message content for a request the script does not cover. */
  respond: (body: ChatCompletionRequestBody) => string;
  close(): Promise<void>;
}

export interface ChatCompletionRequestBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string };
  [key: string]: unknown;
}

export type FakeChatReply =
  /** A completion whose assistant message has this content. */
  | { kind: 'answer'; content: string }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; contentType: string; body: string }
  /** Never answers: for timeouts. */
  | { kind: 'hang' };

const PASSAGE = /<passage number="\d+" article_id="([^"]*)">\n[\s\S]*?\n\n([\s\S]*?)\n<\/passage>/;
const CUSTOMER_MESSAGE = /<message from="customer">([\s\S]*?)<\/message>/g;

/**
 * The default responder: a grounded answer made of the first passage's first sentence, citing its
 * article, or answered=false without passages; for a request without JSON mode (condensing a
 * question), the customer's last message as is.
 */
export function answerFromFirstPassage(body: ChatCompletionRequestBody): string {
  const prompt = body.messages.map((message) => message.content).join('\n');
  if (body.response_format?.type !== 'json_object') return [...prompt.matchAll(CUSTOMER_MESSAGE)].at(-1)?.[1]?.trim() ?? '';
  const passage = PASSAGE.exec(prompt);
  if (!passage) return JSON.stringify({ answer: '', cited_article_ids: [], answered: false });
  const [, articleId = '', text = ''] = passage;
  const firstSentence = text.trim().split(/(?<=[.!?])\s/)[0] ?? '';
  return JSON.stringify({ answer: firstSentence, cited_article_ids: [articleId], answered: true });
}

export async function startFakeChatServer(options: { respond?: FakeChatServer['respond'] } = {}): Promise<FakeChatServer> {
  const fake: FakeChatServer = {
    baseURL: '',
    requests: [],
    script: [],
    respond: options.respond ?? answerFromFirstPassage,
    close: async () => {},
  };
  let completions = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as ChatCompletionRequestBody;
      fake.requests.push({ headers: req.headers, body });
      const reply = fake.script.shift() ?? { kind: 'answer', content: fake.respond(body) };
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      switch (reply.kind) {
        case 'answer': {
          completions += 1;
          const promptTokens = Math.ceil(raw.length / 4);
          const completionTokens = Math.ceil(reply.content.length / 4);
          return send(200, {
            id: `chatcmpl-fake-${completions}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
            usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
          });
        }
        case 'status':
          return send(reply.status, reply.body ?? { error: { message: `status ${reply.status}`, type: 'fake_error' } }, reply.headers);
        case 'raw':
          return res.writeHead(200, { 'content-type': reply.contentType }).end(reply.body);
        case 'hang':
          return;
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
