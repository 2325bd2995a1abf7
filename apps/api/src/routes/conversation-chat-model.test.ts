import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createChatModel } from '@relai/answering';
import { answerFromFirstPassage, startFakeChatServer, type FakeChatServer } from '@relai/answering/testing';
import { syncSampleHelpCenter } from '../testing/sample-help-center';
import { createTestApp, type TestApp } from '../testing/test-app';
import { sendCustomerMessage } from '../testing/customer-messages';

/**
 * The chat-model path through POST .../messages: the real app and database with the sample help
 * center, and a local OpenAI-compatible server (the fake) as the model. Every failure of the model
 * must still give the customer an answer (extractive), with a reason that says why.
 */


const TIMEOUT_MS = 2000;
let fake: FakeChatServer;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeChatServer();
  t = await createTestApp(inject('pgliteTemplateDir'), undefined, {
    chatModel: createChatModel({ baseURL: fake.baseURL, apiKey: 'k', model: 'fake-model', timeoutMs: TIMEOUT_MS }),
  });
  await syncSampleHelpCenter(t);
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  await fake?.close();
});

beforeEach(async () => {
  fake.requests.length = 0;
  fake.script.length = 0;
  fake.respond = answerFromFirstPassage;
  await t.handle.db.query(`UPDATE agents SET settings = $2 WHERE tenant_id = $1 AND id = 'support'`, [
    t.tenantId,
    { teams: [{ id: 'support', name: 'Support' }], default_team: 'support' },
  ]);
});

let conversations = 0;
const newConversation = () => `chat-${++conversations}`;

const say = (conversationId: string, text: string, extra: Record<string, unknown> = {}) => sendCustomerMessage(t, conversationId, text, extra);

/** Requests for a grounded answer (JSON mode), as opposed to condensing a question. */
const answerRequests = () => fake.requests.filter((request) => request.body.response_format?.type === 'json_object');
const condenseRequests = () => fake.requests.filter((request) => request.body.response_format === undefined);
const promptOf = (request: FakeChatServer['requests'][number]) => ({
  system: request.body.messages.find((message) => message.role === 'system')?.content ?? '',
  user: request.body.messages.find((message) => message.role === 'user')?.content ?? '',
});
const passageIds = (prompt: string) => [...prompt.matchAll(/<passage number="\d+" article_id="([^"]+)">/g)].map((match) => match[1]);
const modelReply = (answer: string, cited: unknown[], answered = true) => ({ kind: 'answer' as const, content: JSON.stringify({ answer, cited_article_ids: cited, answered }) });

describe('answers written by the chat model', () => {
  it.each([
    { language: 'fr', question: 'Comment réinitialiser mon mot de passe ?', article: 'fr-1001', title: 'Réinitialiser votre mot de passe', rule: 'Répondez uniquement à partir des extraits numérotés', more: 'Pour plus de détails :' },
    { language: 'en', question: 'How do I reset my password?', article: 'en-1001', title: 'Reset your password', rule: 'Write in English', more: 'For more details:' },
  ])('sends the retrieved passages and returns the model’s answer with its citation ($language)', async (c) => {
    const reply = await say(newConversation(), c.question, { user: { name: 'Camille' } });
    expect(answerRequests()).toHaveLength(1);
    // A first message stands alone: nothing to condense.
    expect(condenseRequests()).toHaveLength(0);
    const [request] = answerRequests();
    expect(request!.headers.authorization).toBe('Bearer k');
    expect(request!.body.model).toBe('fake-model');
    const prompt = promptOf(request!);
    expect(prompt.system).toContain(c.rule);
    const passages = passageIds(prompt.user);
    expect(passages[0]).toBe(c.article);
    expect(passages.length).toBeGreaterThanOrEqual(2);
    expect(passages.length).toBeLessThanOrEqual(4);
    expect(prompt.user).toContain(`Article: ${c.title}`);
    expect(prompt.user).toContain(`<message from="customer">${c.question}</message>`);
    expect(prompt.user).toContain('Camille');

    const modelAnswer = (JSON.parse(answerFromFirstPassage(request!.body)) as { answer: string }).answer;
    expect(modelAnswer.length).toBeGreaterThan(20);
    expect(reply).toMatchObject({ action: 'answer', language: c.language, generated_by: 'chat_model', escalation: null });
    expect(reply.reply.text).toBe(`${modelAnswer}\n\n${c.more}`);
    expect(reply.citations.map((citation) => citation.article_id)).toEqual([c.article]);
    expect(reply.reply.components).toEqual([expect.objectContaining({ type: 'link', article_id: c.article, title: c.title })]);
  });

  it('keeps only the citations of articles it retrieved', async () => {
    fake.script.push(modelReply('Le lien de réinitialisation est valable 1 heure.', ['fr-9999', 'en-2050', 'fr-1001', 'fr-1001']));
    const reply = await say(newConversation(), 'Comment réinitialiser mon mot de passe ?');
    const passages = passageIds(promptOf(answerRequests()[0]!).user);
    // en-2050 exists in the help center but was not among the passages the model was given.
    expect(passages).toContain('fr-1001');
    expect(passages).not.toContain('en-2050');
    expect(reply).toMatchObject({ action: 'answer', generated_by: 'chat_model' });
    expect(reply.reply.text).toBe('Le lien de réinitialisation est valable 1 heure.\n\nPour plus de détails :');
    expect(reply.citations.map((citation) => citation.article_id)).toEqual(['fr-1001']);
    expect(reply.reply.components.map((component) => (component.type === 'link' ? component.article_id : 'options'))).toEqual(['fr-1001']);
  });

  it('does not call the model for escalations and small talk', async () => {
    const refund = await say(newConversation(), 'I want a refund');
    expect(refund).toMatchObject({ action: 'escalate', escalation: { reason: 'sensitive_topic' }, generated_by: 'template' });
    const thanks = await say(newConversation(), 'Merci !');
    expect(thanks).toMatchObject({ action: 'answer', reasons: ['small talk: thanks'], generated_by: 'template', citations: [] });
    expect(answerRequests()).toHaveLength(0);
  });
});

describe('the model finds no answer', () => {
  it.each([
    { language: 'fr', question: 'Comment réinitialiser mon mot de passe ?', refusal: "Je n'ai pas trouvé la réponse.", reply: "Notre centre d'aide n'a pas de réponse à cette question. Je la transmets à un conseiller de l'équipe Support, qui vous répondra dès que possible." },
    { language: 'en', question: 'How do I reset my password?', refusal: "I couldn't find the answer.", reply: "Our help center doesn't have an answer to this question. I'm passing it to an agent from the Support team, who will get back to you as soon as possible." },
  ])('escalates no_answer when the model says the passages do not answer ($language)', async (c) => {
    fake.script.push(modelReply(c.refusal, [], false));
    const reply = await say(newConversation(), c.question);
    expect(reply).toMatchObject({
      action: 'escalate',
      language: c.language,
      generated_by: 'template',
      citations: [],
      escalation: { reason: 'no_answer', team: { id: 'support' } },
      team: { id: 'support' },
      reply: { text: c.reply, components: [] },
      conversation: { status: 'escalated' },
    });
    expect(reply.reasons.at(-1)).toBe('the chat model found no answer in the passages');
    expect(reply.reply.text).not.toContain(c.refusal);
    expect(reply.escalation!.note.reason).toBe('no_answer');
    expect(reply.escalation!.note.last_question).toBe(c.question);
  });

  it("escalates no_answer when the model cites only articles it was not given, to the team of the article's rule", async () => {
    await t.handle.db.query(`UPDATE agents SET settings = $2 WHERE tenant_id = $1 AND id = 'support'`, [
      t.tenantId,
      {
        teams: [{ id: 'support', name: 'Support' }, { id: 'security', name: 'Sécurité' }],
        default_team: 'support',
        rules: [{ when: { collection: 'Compte et sécurité' }, action: 'answer', team: 'security' }],
      },
    ]);
    fake.script.push(modelReply('Voir notre article.', ['fr-9999']));
    const reply = await say(newConversation(), 'Comment réinitialiser mon mot de passe ?');
    expect(reply).toMatchObject({ action: 'escalate', escalation: { reason: 'no_answer', team: { id: 'security' } }, team: { id: 'security' }, citations: [] });
    expect(reply.reply.text).toBe("Notre centre d'aide n'a pas de réponse à cette question. Je la transmets à un conseiller de l'équipe Sécurité, qui vous répondra dès que possible.");
    expect(reply.reasons.at(-1)).toBe('the chat model cited no retrieved article');
  });
});

describe('the model fails: the customer still gets an extractive answer', () => {
  it.each([
    { failure: 'a server error twice', language: 'fr', question: 'Comment réinitialiser mon mot de passe ?', article: 'fr-1001', intro: "Voici ce que j'ai trouvé :", code: 'unavailable', script: [{ kind: 'status', status: 500 }, { kind: 'status', status: 500 }] as const, calls: 2 },
    { failure: 'malformed JSON', language: 'en', question: 'How do I reset my password?', article: 'en-1001', intro: "Here's what I found:", code: 'malformed_response', script: [{ kind: 'raw', contentType: 'application/json', body: '{"choices": [' }] as const, calls: 1 },
    { failure: 'an answer that is not the JSON asked for', language: 'fr', question: 'Comment réinitialiser mon mot de passe ?', article: 'fr-1001', intro: "Voici ce que j'ai trouvé :", code: 'malformed_response', script: [{ kind: 'answer', content: 'Bien sûr, voici comment faire.' }] as const, calls: 1 },
    { failure: 'a hang past the timeout', language: 'en', question: 'How do I reset my password?', article: 'en-1001', intro: "Here's what I found:", code: 'timeout', script: [{ kind: 'hang' }] as const, calls: 1 },
  ])('on $failure ($language)', async (c) => {
    fake.script.push(...c.script);
    const started = performance.now();
    const reply = await say(newConversation(), c.question);
    const elapsed = performance.now() - started;
    expect(answerRequests()).toHaveLength(c.calls);
    expect(reply).toMatchObject({ action: 'answer', language: c.language, generated_by: 'extractive', escalation: null });
    expect(reply.reasons).toContain(`chat model failed (${c.code}): extractive answer`);
    expect(reply.citations.map((citation) => citation.article_id)).toEqual([c.article]);
    expect(reply.reply.text.startsWith(`${c.intro}\n\n`)).toBe(true);
    expect(reply.reply.text.length).toBeGreaterThan(c.intro.length + 40);
    // The time budget bounds the wait, whatever the failure (with room for retrieval on a busy machine).
    if (c.code === 'timeout') expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 3000);
  });
});

describe('the conversation the model sees', () => {
  it('sends at most the last 12 messages', async () => {
    const id = newConversation();
    const smallTalk = ['Bonjour', 'Merci !', 'Salut', 'Merci beaucoup', 'Coucou', 'Merci bien'];
    for (const text of smallTalk) expect((await say(id, text)).generated_by).toBe('template');
    expect(answerRequests()).toHaveLength(0);

    const question = 'Comment réinitialiser mon mot de passe ?';
    const reply = await say(id, question);
    expect(reply).toMatchObject({ action: 'answer', generated_by: 'chat_model' });
    const { user } = promptOf(answerRequests()[0]!);
    // 7 customer messages and 6 agent replies: the oldest one is left out.
    const messages = [...user.matchAll(/<message from="(customer|agent)">([\s\S]*?)<\/message>/g)].map((match) => [match[1], match[2]]);
    expect(messages).toHaveLength(12);
    expect(messages[0]).toEqual(['agent', 'Bonjour ! Comment puis-je vous aider ?']);
    expect(messages[1]).toEqual(['customer', 'Merci !']);
    expect(messages.at(-1)).toEqual(['customer', question]);
    expect(messages.filter(([role]) => role === 'customer').map(([, text]) => text)).toEqual([...smallTalk.slice(1), question]);
  });

  it.each([
    {
      language: 'fr',
      first: 'Comment réinitialiser mon mot de passe ?',
      followUp: 'Et le lien reste valable combien de temps ?',
      standalone: 'Combien de temps le lien de réinitialisation du mot de passe reste-t-il valable ?',
      article: 'fr-1001',
    },
    { language: 'en', first: 'How do I reset my password?', followUp: 'And how long does the link last?', standalone: 'How long is the password reset link valid?', article: 'en-1001' },
  ])('condenses a follow-up into a standalone question before retrieval ($language)', async (c) => {
    const id = newConversation();
    expect((await say(id, c.first)).generated_by).toBe('chat_model');
    expect(condenseRequests()).toHaveLength(0);

    fake.requests.length = 0;
    fake.script.push({ kind: 'answer', content: c.standalone });
    const followUp = await say(id, c.followUp);
    expect(fake.requests.map((request) => (request.body.response_format ? 'answer' : 'condense'))).toEqual(['condense', 'answer']);
    const condense = promptOf(condenseRequests()[0]!);
    expect(condense.system).toContain('standalone question');
    expect(condense.user).toContain(`<message from="customer">${c.first}</message>`);
    expect(condense.user).toContain(`<message from="customer">${c.followUp}</message>\n</conversation>`);
    expect(condense.user).toContain('<message from="agent">');

    expect(followUp).toMatchObject({ action: 'answer', language: c.language, generated_by: 'chat_model' });
    expect(followUp.citations[0]!.article_id).toBe(c.article);
    // The model answers the customer's own words; the rewrite only served the search.
    const answer = promptOf(answerRequests()[0]!).user;
    expect(passageIds(answer)[0]).toBe(c.article);
    expect(answer).toContain(`<message from="customer">${c.followUp}</message>`);
    expect(answer).not.toContain(c.standalone);
  });

  it('still answers a follow-up when condensing it fails', async () => {
    const id = newConversation();
    await say(id, 'How do I reset my password?');
    fake.requests.length = 0;
    fake.script.push({ kind: 'answer', content: '   ' });
    const followUp = await say(id, 'And how long does the link last?');
    expect(fake.requests.map((request) => (request.body.response_format ? 'answer' : 'condense'))).toEqual(['condense', 'answer']);
    expect(followUp).toMatchObject({ action: 'answer', generated_by: 'chat_model' });
    expect(followUp.citations[0]!.article_id).toBe('en-1001');
  });
});
