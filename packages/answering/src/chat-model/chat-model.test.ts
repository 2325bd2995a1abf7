import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatModelError } from './chat-model-error';
import { createChatModel, type ChatModelSettings } from './chat-model';
import { startFakeChatServer, type FakeChatServer } from './fake-chat-server';
import type { GroundedAnswerRequest } from './grounded-answer';

describe('createChatModel', () => {
  let server: FakeChatServer;
  beforeEach(async () => {
    server = await startFakeChatServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const chatModel = (settings: Partial<ChatModelSettings> = {}) =>
    createChatModel({ baseURL: server.baseURL, apiKey: 'sk-test', model: 'mistral-small-latest', ...settings });

  const request = (overrides: Partial<GroundedAnswerRequest> = {}): GroundedAnswerRequest => ({
    messages: [
      { role: 'user', text: 'Bonjour, je voudrais passer à la formule Pro.' },
      { role: 'agent', text: 'Depuis Réglages > Abonnement.' },
      { role: 'user', text: 'Et le changement est immédiat ?' },
    ],
    passages: [
      {
        articleId: 'art-plans',
        title: 'Changer de formule',
        url: 'https://help.example.com/fr/changer-de-formule',
        headingPath: ['Facturation'],
        text: 'Le changement de formule est immédiat. La facture suivante est ajustée au prorata.',
      },
      { articleId: 'art-billing', title: 'Factures', url: null, headingPath: [], text: 'Les factures sont envoyées le 1er du mois.' },
    ],
    user: { name: 'Marie' },
    tone: 'friendly',
    language: 'fr',
    ...overrides,
  });

  const reply = (answer: object) => ({ kind: 'answer' as const, content: JSON.stringify(answer) });

  const failure = async (attempt: Promise<unknown>): Promise<ChatModelError> => {
    const error = await attempt.then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(ChatModelError);
    return error as ChatModelError;
  };

  it('returns the grounded answer with its citations', async () => {
    server.script.push(reply({ answer: 'Oui Marie, le changement est immédiat.', cited_article_ids: ['art-plans'], answered: true }));
    expect(await chatModel().generateAnswer(request())).toEqual({
      answer: 'Oui Marie, le changement est immédiat.',
      citedArticleIds: ['art-plans'],
      answered: true,
    });
  });

  it('sends the model name, the bearer key, JSON mode, the passages and at most the last 12 messages', async () => {
    const messages = Array.from({ length: 14 }, (_, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('agent' as const), text: `tour ${i + 1}` }));
    await chatModel().generateAnswer(request({ messages }));

    expect(server.requests).toHaveLength(1);
    const [{ headers, body }] = server.requests as [FakeChatServer['requests'][number]];
    expect(headers.authorization).toBe('Bearer sk-test');
    expect(body.model).toBe('mistral-small-latest');
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.temperature).toBeLessThanOrEqual(0.2);
    expect(body.stream).toBeFalsy();
    expect(body.messages.map((message) => message.role)).toEqual(['system', 'user']);
    const [system, user] = body.messages.map((message) => message.content) as [string, string];
    expect(system).toContain('Répondez uniquement à partir des extraits numérotés');
    expect(user).toContain('<passage number="1" article_id="art-plans">');
    expect(user).toContain('Le changement de formule est immédiat. La facture suivante est ajustée au prorata.');
    expect(user).toContain('<passage number="2" article_id="art-billing">');
    expect(user.split('<message from=').length - 1).toBe(12);
    expect(user).not.toContain('tour 2<');
    expect(user).toContain('<message from="customer">tour 3</message>');
    expect(user).toContain('<message from="agent">tour 14</message>');
  });

  it("sends no temperature to OpenAI's reasoning models, which refuse one", async () => {
    await chatModel({ model: 'gpt-5-mini' }).generateAnswer(request());
    await chatModel({ model: 'gpt-5-chat-latest' }).generateAnswer(request());
    expect(server.requests.map((r) => r.body.temperature)).toEqual([undefined, 0.1]);
  });

  it('answers from the passages it was given by default, for end-to-end tests', async () => {
    expect(await chatModel().generateAnswer(request())).toEqual({
      answer: 'Le changement de formule est immédiat.',
      citedArticleIds: ['art-plans'],
      answered: true,
    });
    expect(await chatModel().generateAnswer(request({ passages: [] }))).toMatchObject({ answered: false, citedArticleIds: [] });
  });

  it('drops cited ids that are not among the passages', async () => {
    server.script.push(reply({ answer: 'Oui.', cited_article_ids: ['art-unknown', 'art-billing', 'art-plans', 'art-billing'], answered: true }));
    expect((await chatModel().generateAnswer(request())).citedArticleIds).toEqual(['art-billing', 'art-plans']);
  });

  it('surfaces the model saying the passages do not answer', async () => {
    server.script.push(reply({ answer: "Je n'ai pas trouvé la réponse.", cited_article_ids: [], answered: false }));
    expect(await chatModel().generateAnswer(request())).toEqual({ answer: "Je n'ai pas trouvé la réponse.", citedArticleIds: [], answered: false });
  });

  it('tolerates the JSON in a ```json block', async () => {
    server.script.push({ kind: 'answer', content: '```json\n{"answer": "Oui.", "cited_article_ids": ["art-plans"], "answered": true}\n```' });
    expect(await chatModel().generateAnswer(request())).toEqual({ answer: 'Oui.', citedArticleIds: ['art-plans'], answered: true });
  });

  it('reports content that is not the requested JSON as a malformed response, without retrying', async () => {
    server.script.push({ kind: 'answer', content: 'Oui, le changement est immédiat.' });
    expect((await failure(chatModel().generateAnswer(request()))).code).toBe('malformed_response');
    server.script.push(reply({ reply: 'Oui.' }));
    expect((await failure(chatModel().generateAnswer(request()))).code).toBe('malformed_response');
    expect(server.requests).toHaveLength(2);
  });

  it('reports a body that is not a chat completion as a malformed response', async () => {
    server.script.push({ kind: 'raw', contentType: 'application/json', body: '{"choices": [' });
    expect((await failure(chatModel().generateAnswer(request()))).code).toBe('malformed_response');
    server.script.push({ kind: 'raw', contentType: 'text/html', body: '<html>Welcome to nginx</html>' });
    expect((await failure(chatModel().generateAnswer(request()))).code).toBe('malformed_response');
  });

  it('retries once after a server error', async () => {
    server.script.push({ kind: 'status', status: 500 });
    expect((await chatModel().generateAnswer(request())).answered).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries with the status as code', async () => {
    server.script.push({ kind: 'status', status: 503 }, { kind: 'status', status: 502 });
    const error = await failure(chatModel().generateAnswer(request()));
    expect(error).toMatchObject({ code: 'unavailable', status: 502 });
    expect(server.requests).toHaveLength(2);
  });

  it('waits for Retry-After after a 429, then retries', async () => {
    server.script.push({ kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached' } } });
    const started = Date.now();
    expect((await chatModel().generateAnswer(request())).answered).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(server.requests).toHaveLength(2);
  });

  it('reports the rate limit at once when Retry-After exceeds the time budget', async () => {
    server.script.push({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const started = Date.now();
    const error = await failure(chatModel({ timeoutMs: 5000 }).generateAnswer(request()));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('fails at once on an authentication error or an exhausted quota', async () => {
    server.script.push({ kind: 'status', status: 401, body: { error: { message: 'Invalid API key' } } });
    expect(await failure(chatModel().generateAnswer(request()))).toMatchObject({ code: 'http_error', status: 401 });
    server.script.push({ kind: 'status', status: 429, body: { error: { message: 'No credits left', code: 'insufficient_quota' } } });
    expect(await failure(chatModel().generateAnswer(request()))).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(server.requests).toHaveLength(2);
  });

  it('times out within the time budget when the server never answers', async () => {
    server.script.push({ kind: 'hang' });
    const started = Date.now();
    const error = await failure(chatModel({ timeoutMs: 300 }).generateAnswer(request()));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('did not answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('counts the wait between attempts in the time budget', async () => {
    server.script.push({ kind: 'status', status: 500 });
    const started = Date.now();
    expect((await failure(chatModel({ timeoutMs: 300 }).generateAnswer(request()))).code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('reports an unreachable endpoint as unavailable', async () => {
    await server.close();
    expect((await failure(chatModel({ maxRetries: 0 }).generateAnswer(request()))).code).toBe('unavailable');
  });

  it("passes the caller's abort on as is: the caller gave up, there is nothing to fall back to", async () => {
    server.script.push({ kind: 'hang' });
    const controller = new AbortController();
    const attempt = chatModel().generateAnswer(request(), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('conversation closed')), 50);
    await expect(attempt).rejects.toThrow('conversation closed');
  });

  describe('condenseQuestion', () => {
    const turns = [
      { role: 'user' as const, text: 'Comment passer à la formule Pro ?' },
      { role: 'agent' as const, text: 'Depuis Réglages > Abonnement.' },
      { role: 'user' as const, text: 'et ça coûte combien ?' },
    ];

    it("returns the model's rewrite, on one line, without quotes", async () => {
      server.script.push({ kind: 'answer', content: '  « Combien coûte la formule Pro ? »\n' });
      expect(await chatModel().condenseQuestion(turns)).toBe('Combien coûte la formule Pro ?');
      const [{ body }] = server.requests as [FakeChatServer['requests'][number]];
      expect(body.response_format).toBeUndefined();
      expect(body.messages[1]?.content).toContain('<message from="customer">et ça coûte combien ?</message>\n</conversation>');
    });

    it("echoes the customer's last message by default, for end-to-end tests", async () => {
      expect(await chatModel().condenseQuestion(turns)).toBe('et ça coûte combien ?');
    });

    it('rewrites the last customer message, not a later agent turn', async () => {
      server.script.push({ kind: 'answer', content: 'Combien coûte la formule Pro ?' });
      await chatModel().condenseQuestion([...turns, { role: 'agent', text: 'Un instant…' }]);
      expect(server.requests[0]?.body.messages[1]?.content).not.toContain('Un instant');
    });

    it('keeps at most 300 characters, cut between words', async () => {
      server.script.push({ kind: 'answer', content: `${'combien coûte la formule '.repeat(20)}?` });
      const question = await chatModel().condenseQuestion(turns);
      expect(question.length).toBeLessThanOrEqual(300);
      expect(question).toMatch(/ formule$/);
    });

    it('reports an empty rewrite as a malformed response', async () => {
      server.script.push({ kind: 'answer', content: ' \n ' });
      expect((await failure(chatModel().condenseQuestion(turns))).code).toBe('malformed_response');
    });

    it('returns a first message as typed, without calling the model', async () => {
      expect(await chatModel().condenseQuestion([{ role: 'user', text: '  Comment exporter mes factures ?\n' }])).toBe('Comment exporter mes factures ?');
      expect(server.requests).toHaveLength(0);
    });
  });
});
