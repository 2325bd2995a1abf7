import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { syncSampleHelpCenter } from '../testing/sample-help-center';
import { createTestApp, type TestApp } from '../testing/test-app';
import { sendCustomerMessage } from '../testing/customer-messages';

/**
 * Every decision of the policy, in French and in English, through POST .../messages on the real app:
 * embedded Postgres, the sample help center synced from its JSONL file, the agent's settings set with
 * the admin API. No chat model: replies are extractive or templates.
 */

let t: TestApp;
let disposeSample: () => void;

beforeAll(async () => {
  t = await createTestApp(inject('pgliteTemplateDir'));
  // The sample has no tags: the tag rule below needs some on the accounting-export articles.
  const { summary, dispose } = await syncSampleHelpCenter(t, { tags: { 'fr-1041': ['export-comptable'], 'en-1041': ['export-comptable'] } });
  disposeSample = dispose;
  expect(summary.counts).toMatchObject({ seen: 35, created: 35, failed: 0 });
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  disposeSample?.();
});

const SETTINGS_KEYS = ['source_ids', 'thresholds', 'tone', 'default_language', 'session_ttl_minutes', 'escalation', 'teams', 'default_team', 'business_hours', 'rules', 'answer'];

/** Replaces the agent's whole settings through the admin API (unlisted keys back to their defaults). */
async function configure(settings: Record<string, unknown>): Promise<void> {
  const reset = Object.fromEntries(SETTINGS_KEYS.map((key) => [key, null]));
  const response = await t.app.request('/v1/agents/support', {
    method: 'PATCH',
    headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ settings: { ...reset, ...settings } }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

let conversations = 0;
/** A fresh platform conversation id per scenario. */
const newConversation = () => `conv-${++conversations}`;

const say = (conversationId: string, text: string, extra: Record<string, unknown> = {}) => sendCustomerMessage(t, conversationId, text, extra);

const TEAMS = [
  { id: 'support', name: 'Support' },
  { id: 'billing', name: 'Facturation' },
  { id: 'accounting', name: 'Comptabilité', external_id: 'intercom-team-77' },
  { id: 'security', name: 'Sécurité' },
];

beforeEach(async () => {
  await configure({ teams: TEAMS, default_team: 'support' });
});

describe('explicit request for a human', () => {
  it.each([
    {
      language: 'fr',
      question: 'Comment réinitialiser mon mot de passe ?',
      request: 'Je voudrais parler à un conseiller, s’il vous plaît.',
      reply: "Bien sûr ! Je vous mets en relation avec un conseiller de l'équipe Support. Vous aurez une réponse dès que possible.",
      reasonText: 'Le client a demandé à parler à un humain.',
      article: { article_id: 'fr-1001', title: 'Réinitialiser votre mot de passe' },
      summary: ['Question initiale : Comment réinitialiser mon mot de passe ?', "L'agent a répondu 1 fois, en dernier : « Voici ce que j'ai trouvé"],
      profile: ['Client :', 'Nom : Camille Martin', 'E-mail : camille@example.fr', 'Segments : Pro', 'Attributs : plan = pro'],
    },
    {
      language: 'en',
      question: 'How do I reset my password?',
      request: 'I want to talk to a human please',
      reply: "Of course! I'm connecting you with an agent from the Support team. They'll get back to you as soon as possible.",
      reasonText: 'The customer asked to talk to a human.',
      article: { article_id: 'en-1001', title: 'Reset your password' },
      summary: ['First question: How do I reset my password?', 'The agent replied 1 time, last: "Here\'s what I found'],
      profile: ['Customer:', 'Name: Camille Martin', 'Email: camille@example.fr', 'Segments: Pro', 'Attributes: plan = pro'],
    },
  ])('escalates with a complete handoff note, to the default team ($language)', async (c) => {
    const id = newConversation();
    const user = { name: 'Camille Martin', email: 'camille@example.fr', segments: ['Pro'], custom_attributes: { plan: 'pro' } };
    const answered = await say(id, c.question, { user });
    expect(answered).toMatchObject({ action: 'answer', language: c.language, citations: [expect.objectContaining({ article_id: c.article.article_id })] });

    const human = await say(id, c.request);
    expect(human).toMatchObject({
      action: 'escalate',
      language: c.language,
      reply: { text: c.reply, components: [] },
      citations: [],
      reasons: ['the customer asked for a human'],
      team: { id: 'support', name: 'Support', external_id: null },
      generated_by: 'template',
      conversation: { status: 'escalated', session: 1 },
    });
    const escalation = human.escalation!;
    expect(escalation.reason).toBe('requested_human');
    expect(escalation.team).toEqual({ id: 'support', name: 'Support', external_id: null });
    expect(escalation.note.reason).toBe('requested_human');
    expect(escalation.note.reason_text).toBe(c.reasonText);
    expect(escalation.note.last_question).toBe(c.request);
    for (const line of c.summary) expect(escalation.note.summary).toContain(line);
    // The topic of the conversation is in the articles the agent consulted, for the human to open.
    expect(escalation.note.articles_consulted[0]).toMatchObject({ ...c.article, url: expect.stringContaining('https://help.facturo.example/') });
    expect(escalation.note.articles_consulted.length).toBeLessThanOrEqual(3);
    // The profile given with the first message, as the platform sent it.
    expect(escalation.note.user_profile).toEqual(user);
    for (const line of [...c.profile, c.request, c.article.title, 'Support']) expect(escalation.note.text).toContain(line);
  });

  it('routes a request for a human to no team when no default team is set, and not at all when disabled', async () => {
    await configure({ teams: TEAMS });
    const unrouted = await say(newConversation(), 'Je veux parler à un humain');
    expect(unrouted).toMatchObject({ action: 'escalate', escalation: { reason: 'requested_human', team: null }, team: null });
    expect(unrouted.reply.text).toBe('Bien sûr ! Je vous mets en relation avec un conseiller. Vous aurez une réponse dès que possible.');

    await configure({ teams: TEAMS, escalation: { on_human_request: false } });
    const kept = await say(newConversation(), 'I want to talk to a human, how do I reset my password?');
    expect(kept.escalation?.reason).not.toBe('requested_human');
    expect(kept.reasons).not.toContain('the customer asked for a human');
  });
});

describe('business hours', () => {
  const allWeek = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [{ from: '00:00', to: '24:00' }]]));

  it('tells the customer the team is away, in a structured field too, when no team is open', async () => {
    await configure({ teams: TEAMS, default_team: 'support', business_hours: { timezone: 'Europe/Paris', weekly: {} } });
    const away = await say(newConversation(), 'Je veux parler à un humain');
    expect(away).toMatchObject({ action: 'escalate', escalation: { reason: 'requested_human', humans_available: false, next_opening: null } });
    expect(away.reply.text).toBe("Bien sûr ! Je vous mets en relation avec un conseiller de l'équipe Support. Vous aurez une réponse dès que possible. Notre équipe est absente pour le moment.");
    expect(away.escalation!.note.text).toContain('Hors horaires : aucune ouverture prévue dans les 60 jours');
  });

  it('hands over to a team open around the clock, whose hours override the agent\'s', async () => {
    const teams = [...TEAMS, { id: 'follow-the-sun', name: 'Support 24/7', hours: { timezone: 'UTC', weekly: allWeek } }];
    await configure({ teams, default_team: 'follow-the-sun', business_hours: { timezone: 'Europe/Paris', weekly: {} } });
    const open = await say(newConversation(), 'I want to talk to a human');
    expect(open).toMatchObject({ action: 'escalate', team: { id: 'follow-the-sun' }, escalation: { humans_available: true, next_opening: null } });
  });

  it('refuses hours it cannot read, naming the field', async () => {
    const response = await t.app.request('/v1/agents/support', {
      method: 'PATCH',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { business_hours: { timezone: 'Paris', weekly: { monday: [{ from: '18:00', to: '09:00' }] } } } }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('settings.business_hours.timezone');
    expect(error.message).toContain('settings.business_hours.weekly.monday.0');
  });
});

describe('sensitive topics', () => {
  const refundRules = [
    { name: 'Abonnement', when: { collection: 'Abonnement et facturation Facturo' }, action: 'answer', team: 'billing' },
    { name: 'Plans & billing', when: { collection: 'Plans & billing' }, action: 'answer', team: 'billing' },
  ];

  it.each([
    { language: 'fr', text: 'je veux être remboursé', keyword: 'rembours*', article: 'fr-1013', reply: "Pour ce type de demande, je passe la main à un conseiller de l'équipe Facturation. Vous aurez une réponse dès que possible." },
    { language: 'en', text: 'I want a refund', keyword: 'refund*', article: 'en-1013', reply: "This is best handled by a person, so I'm passing your request to an agent from the Facturation team. They'll get back to you as soon as possible." },
  ])('escalates a refund to the team of the rule of the refund article ($language)', async (c) => {
    await configure({ teams: TEAMS, default_team: 'support', rules: refundRules });
    const refund = await say(newConversation(), c.text);
    expect(refund).toMatchObject({
      action: 'escalate',
      language: c.language,
      reasons: [`sensitive topic "refund" (keyword "${c.keyword}")`],
      escalation: { reason: 'sensitive_topic', team: { id: 'billing' } },
      team: { id: 'billing' },
      reply: { text: c.reply },
      citations: [],
      conversation: { status: 'escalated' },
    });
    expect(refund.escalation!.note.reason_text).toContain('(refund)');
    expect(refund.escalation!.note.articles_consulted[0]!.article_id).toBe(c.article);
  });

  it.each([
    { language: 'fr', text: 'Je veux être remboursé de mon abonnement' },
    { language: 'en', text: 'I want my money back for this month' },
  ])("escalates to the topic's own team, before any rule ($language)", async (c) => {
    await configure({
      teams: TEAMS,
      default_team: 'support',
      rules: refundRules,
      escalation: { sensitive_topics: [{ name: 'refund', keywords: ['rembours*', 'refund*', 'money back'], team: 'accounting' }] },
    });
    const refund = await say(newConversation(), c.text);
    expect(refund).toMatchObject({
      action: 'escalate',
      escalation: { reason: 'sensitive_topic', team: { id: 'accounting', name: 'Comptabilité', external_id: 'intercom-team-77' } },
      team: { id: 'accounting' },
      language: c.language,
    });
  });

  it.each([
    {
      language: 'fr',
      sensitive: 'Comment réinitialiser mon mot de passe ?',
      keyword: 'mot de passe',
      notAnyMore: 'Quelle est votre politique de remboursement ?',
      answeredBy: 'fr-1013',
    },
    { language: 'en', sensitive: 'How do I reset my password?', keyword: 'password*', notAnyMore: 'What is your refund policy?', answeredBy: 'en-1013' },
  ])("uses the agent's own topic list instead of the defaults ($language)", async (c) => {
    await configure({
      teams: TEAMS,
      default_team: 'support',
      escalation: { sensitive_topics: [{ name: 'security', keywords: ['mot de passe', 'password*'], team: 'security' }] },
    });
    const security = await say(newConversation(), c.sensitive);
    expect(security).toMatchObject({
      action: 'escalate',
      reasons: [`sensitive topic "security" (keyword "${c.keyword}")`],
      escalation: { reason: 'sensitive_topic', team: { id: 'security' } },
    });
    expect(security.escalation!.note.reason_text).toContain('(security)');

    // Refunds are no longer a sensitive topic for this agent: the refund policy is answered.
    const refund = await say(newConversation(), c.notAnyMore);
    expect(refund).toMatchObject({ action: 'answer', escalation: null, language: c.language });
    expect(refund.citations[0]!.article_id).toBe(c.answeredBy);
  });
});

describe('frustration', () => {
  it.each([
    { language: 'fr', question: 'Comment réinitialiser mon mot de passe ?', first: 'ça ne marche toujours pas !!', second: "c'est inutile", reply: "Toutes mes excuses, mes réponses n'ont pas résolu votre problème. Je vous mets en relation avec un conseiller de l'équipe Support, qui va reprendre votre demande." },
    { language: 'en', question: 'How do I reset my password?', first: 'still not working', second: 'this is useless', reply: "I'm sorry my answers didn't help. I'm connecting you with an agent from the Support team, who will take it from here." },
  ])('escalates on the second negative message in a row, not on the first ($language)', async (c) => {
    const id = newConversation();
    expect((await say(id, c.question)).action).toBe('answer');
    const first = await say(id, c.first);
    expect(first.action).not.toBe('escalate');
    expect(first.conversation.status).toBe('active');
    const second = await say(id, c.second);
    expect(second).toMatchObject({
      action: 'escalate',
      language: c.language,
      reasons: ['frustration: 2 negative messages'],
      escalation: { reason: 'frustration', team: { id: 'support' } },
      reply: { text: c.reply },
      conversation: { status: 'escalated' },
    });
    expect(second.escalation!.note.last_question).toBe(c.second);
  });

  it('does not escalate frustration when the agent is set not to', async () => {
    await configure({ teams: TEAMS, default_team: 'support', escalation: { frustration: false } });
    const id = newConversation();
    await say(id, 'How do I reset my password?');
    await say(id, 'still not working');
    const second = await say(id, 'this is useless');
    expect(second.escalation?.reason).not.toBe('frustration');
  });
});

describe('too many turns', () => {
  it.each([
    { language: 'fr', messages: ['Bonjour', 'Comment réinitialiser mon mot de passe ?', 'Merci !'], fourth: 'Et pour activer la double authentification ?', reply: "Pour avancer plus vite, je vous mets en relation avec un conseiller de l'équipe Support, qui aura tout l'historique de notre échange." },
    { language: 'en', messages: ['Hello', 'How do I reset my password?', 'Thanks!'], fourth: 'And how do I turn on two-factor authentication?', reply: "To move things along, I'm connecting you with an agent from the Support team, who will see our whole conversation." },
  ])('hands over at the second question when max_turns is 1: greetings and thanks do not count ($language)', async (c) => {
    await configure({ teams: TEAMS, default_team: 'support', escalation: { max_turns: 1 } });
    const id = newConversation();
    const actions = [];
    for (const message of c.messages) actions.push((await say(id, message)).action);
    expect(actions).toEqual(['clarify', 'answer', 'answer']);
    const fourth = await say(id, c.fourth);
    expect(fourth).toMatchObject({
      action: 'escalate',
      language: c.language,
      reasons: ['2 customer questions > max_turns 1'],
      escalation: { reason: 'too_many_turns', team: { id: 'support' } },
      reply: { text: c.reply },
    });
    expect(fourth.escalation!.note.summary).toContain(c.language === 'fr' ? "L'agent a répondu 3 fois" : 'The agent replied 3 times');
  });
});

describe('low confidence', () => {
  it.each([
    { language: 'fr', text: 'Quelle est la recette de la tarte tatin ?', reply: "Je n'ai pas trouvé de réponse sûre à votre question dans notre centre d'aide. Je la transmets à un conseiller de l'équipe Support, qui vous répondra dès que possible." },
    { language: 'en', text: 'What is the capital of Peru?', reply: "I couldn't find a reliable answer to your question in our help center. I'm passing it to an agent from the Support team, who will get back to you as soon as possible." },
  ])('escalates an off-topic question ($language)', async (c) => {
    const offTopic = await say(newConversation(), c.text);
    expect(offTopic).toMatchObject({
      action: 'escalate',
      language: c.language,
      escalation: { reason: 'low_confidence', team: { id: 'support' } },
      reply: { text: c.reply, components: [] },
      citations: [],
      generated_by: 'template',
    });
    expect(offTopic.confidence).toBeLessThan(0.4);
    expect(offTopic.reasons).toEqual([expect.stringMatching(/^confidence 0\.[0-3]\d < 0\.40$/)]);
  });
});

describe('topic rules', () => {
  it.each([
    { language: 'fr', collection: 'Compte et sécurité', text: 'Comment réinitialiser mon mot de passe ?', title: 'Réinitialiser votre mot de passe' },
    // Names compare without case or accents.
    { language: 'en', collection: 'account & SECURITY', text: 'How do I reset my password?', title: 'Reset your password' },
  ])('"nothing" on a collection: the agent stays out, with an empty reply ($language)', async (c) => {
    await configure({ teams: TEAMS, default_team: 'support', rules: [{ when: { collection: c.collection }, action: 'nothing' }] });
    const id = newConversation();
    const ignored = await say(id, c.text);
    expect(ignored).toMatchObject({
      action: 'ignore',
      reply: { text: '', components: [] },
      citations: [],
      escalation: null,
      team: null,
      reasons: [`rule (collection "${c.collection}") on "${c.title}": nothing`],
      conversation: { status: 'active' },
    });
    // Not a handover: the agent still replies to the next message (a handed-over session gets "ignore").
    const next = await say(id, c.language === 'fr' ? 'Merci !' : 'Thanks!');
    expect(next).toMatchObject({ action: 'answer', reasons: ['small talk: thanks'], conversation: { status: 'active' } });
  });

  it.each([
    { language: 'fr', section: 'Banque et comptabilité', text: 'Comment exporter mes données comptables pour mon expert-comptable ?', article: 'fr-1041', reply: "Je transmets votre demande à un conseiller de l'équipe Comptabilité, qui vous répondra dès que possible." },
    { language: 'en', section: 'Bank & accounting', text: 'How do I export my accounting data for my accountant?', article: 'en-1041', reply: "I'm passing your request to an agent from the Comptabilité team, who will get back to you as soon as possible." },
  ])('"send" on a section: escalates topic_rule to the rule\'s team ($language)', async (c) => {
    await configure({ teams: TEAMS, default_team: 'support', rules: [{ name: 'Export comptable', when: { section: c.section }, action: 'send', team: 'accounting', backup_team: 'billing' }] });
    const sent = await say(newConversation(), c.text);
    expect(sent).toMatchObject({
      action: 'escalate',
      language: c.language,
      escalation: { reason: 'topic_rule', team: { id: 'accounting', external_id: 'intercom-team-77' } },
      team: { id: 'accounting' },
      reply: { text: c.reply },
      citations: [],
      conversation: { status: 'escalated' },
    });
    expect(sent.reasons.at(-1)).toMatch(/^rule "Export comptable" on ".+": send$/);
    expect(sent.escalation!.note.reason_text).toContain('(Export comptable)');
    expect(sent.escalation!.note.articles_consulted[0]!.article_id).toBe(c.article);
  });

  it('"send" without a team goes to the backup team, else to the default team', async () => {
    await configure({ teams: TEAMS, default_team: 'support', rules: [{ when: { section: 'Bank & accounting' }, action: 'send', backup_team: 'billing' }] });
    const backup = await say(newConversation(), 'How do I export my accounting data for my accountant?');
    expect(backup).toMatchObject({ action: 'escalate', escalation: { reason: 'topic_rule', team: { id: 'billing' } } });

    await configure({ teams: TEAMS, default_team: 'support', rules: [{ when: { section: 'Banque et comptabilité' }, action: 'send' }] });
    const fallback = await say(newConversation(), 'Comment exporter mes données comptables pour mon expert-comptable ?');
    expect(fallback).toMatchObject({ action: 'escalate', escalation: { reason: 'topic_rule', team: { id: 'support' } } });
  });

  it('refuses a "send" rule without any team to send to', async () => {
    const response = await t.app.request('/v1/agents/support', {
      method: 'PATCH',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { default_team: null, rules: [{ when: { tag: 'export-comptable' }, action: 'send' }] } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('rules.0.team');
  });

  it.each([
    { language: 'fr', text: 'Comment exporter mes données comptables pour mon expert-comptable ?', article: 'fr-1041', header: 'Réponse proposée (à vérifier avant envoi) :', intro: "Voici ce que j'ai trouvé :" },
    { language: 'en', text: 'How do I export my accounting data for my accountant?', article: 'en-1041', header: 'Suggested reply (review before sending):', intro: "Here's what I found:" },
  ])('"suggest" on a tag: a proposed answer for the rule\'s team ($language)', async (c) => {
    await configure({ teams: TEAMS, default_team: 'support', rules: [{ when: { tag: 'Export-Comptable' }, action: 'suggest', team: 'accounting' }] });
    const suggested = await say(newConversation(), c.text);
    expect(suggested).toMatchObject({
      action: 'suggest',
      language: c.language,
      team: { id: 'accounting', name: 'Comptabilité', external_id: 'intercom-team-77' },
      escalation: null,
      generated_by: 'extractive',
      conversation: { status: 'active' },
    });
    expect(suggested.reasons.at(-1)).toMatch(/^rule \(tag "Export-Comptable"\) on ".+": suggest$/);
    expect(suggested.citations[0]!.article_id).toBe(c.article);
    const [header, intro, extract] = suggested.reply.text.split('\n\n');
    expect(header).toBe(c.header);
    expect(intro).toBe(c.intro);
    expect(extract!.length).toBeGreaterThan(40);
    expect(suggested.reply.components[0]).toMatchObject({ type: 'link', article_id: c.article });
  });
});

describe('clarification', () => {
  it.each([
    { language: 'fr', question: 'facture', options: ['fr-1022', 'fr-1021', 'fr-1025'], prompt: 'Votre question peut concerner plusieurs sujets. Lequel correspond ? Répondez par le numéro.', pick: '2', intro: "Voici ce que j'ai trouvé :" },
    { language: 'en', question: 'card payment', options: ['en-2010', 'en-1030', 'en-2031'], prompt: 'Your question could be about a few different things. Which one fits? Reply with its number.', pick: 'the second one', intro: "Here's what I found:" },
  ])('offers numbered options, then answers from the one picked ($language)', async (c) => {
    const id = newConversation();
    const clarify = await say(id, c.question);
    expect(clarify).toMatchObject({ action: 'clarify', language: c.language, citations: [], escalation: null, generated_by: 'template' });
    expect(clarify.reply.text).toBe(c.prompt);
    const component = clarify.reply.components[0]!;
    expect(component.type).toBe('options');
    const options = component.type === 'options' ? component.options : [];
    expect(options.map((option) => option.article_id)).toEqual(c.options);
    expect(options.map((option) => option.number)).toEqual([1, 2, 3]);

    const picked = await say(id, c.pick);
    expect(picked).toMatchObject({ action: 'answer', language: c.language, generated_by: 'extractive' });
    expect(picked.reasons).toEqual([`the customer chose option 2 ("${options[1]!.label}")`]);
    expect(picked.citations.map((citation) => citation.article_id)).toEqual([options[1]!.article_id]);
    expect(picked.reply.text.startsWith(`${c.intro}\n\n`)).toBe(true);
    expect(picked.reply.components).toEqual([expect.objectContaining({ type: 'link', article_id: options[1]!.article_id, title: options[1]!.label })]);
  });
});

describe('small talk', () => {
  it.each([
    { language: 'fr', greeting: 'Bonjour', greetingReply: 'Bonjour ! Comment puis-je vous aider ?', thanks: 'Merci !', thanksReply: "Avec plaisir ! N'hésitez pas si vous avez une autre question." },
    { language: 'en', greeting: 'Hello', greetingReply: 'Hi there! How can I help you?', thanks: 'Thanks!', thanksReply: "You're welcome! Let me know if there's anything else." },
  ])('asks for the question after a greeting, and answers thanks without citations ($language)', async (c) => {
    const id = newConversation();
    const greeting = await say(id, c.greeting);
    expect(greeting).toMatchObject({
      action: 'clarify',
      language: c.language,
      reply: { text: c.greetingReply, components: [] },
      reasons: ['small talk: greeting'],
      citations: [],
      escalation: null,
      generated_by: 'template',
    });
    const thanks = await say(id, c.thanks);
    expect(thanks).toMatchObject({
      action: 'answer',
      language: c.language,
      reply: { text: c.thanksReply, components: [] },
      reasons: ['small talk: thanks'],
      citations: [],
      escalation: null,
      generated_by: 'template',
      conversation: { status: 'active' },
    });
  });
});

describe('sessions', () => {
  it.each([
    { language: 'fr', escalate: 'Je veux parler à un conseiller', after: 'Allô ? Vous êtes là ?' },
    { language: 'en', escalate: 'Can I speak to a real person?', after: 'Hello? Anyone there?' },
  ])('stays out of the conversation once it has been handed over ($language)', async (c) => {
    const id = newConversation();
    expect((await say(id, c.escalate)).action).toBe('escalate');
    const after = await say(id, c.after);
    expect(after).toMatchObject({
      action: 'ignore',
      reply: { text: '', components: [] },
      reasons: ['a human has taken over this conversation'],
      citations: [],
      escalation: null,
      new_session: false,
      conversation: { session: 1, status: 'escalated' },
    });
    // Even a question it could answer.
    const question = await say(id, c.language === 'fr' ? 'Comment réinitialiser mon mot de passe ?' : 'How do I reset my password?');
    expect(question.action).toBe('ignore');

    const history = await t.app.request(`/v1/agents/support/conversations/${id}`, { headers: { authorization: `Bearer ${t.agentToken}` } });
    const body = (await history.json()) as { messages: Array<{ role: string; decision: { action: string } | null }> };
    expect(body.messages.map((message) => message.decision?.action ?? message.role)).toEqual(['user', 'escalate', 'user', 'ignore', 'user', 'ignore']);
  });

  it.each([
    { language: 'fr', ttl: null, idle: 121, stillAlive: 119, escalate: 'Je veux parler à un conseiller', question: 'Comment réinitialiser mon mot de passe ?', article: 'fr-1001' },
    { language: 'en', ttl: 30, idle: 31, stillAlive: 29, escalate: 'I need a human agent', question: 'How do I reset my password?', article: 'en-1001' },
  ])('starts a new session for a message after the session expired ($language, ttl $ttl)', async (c) => {
    if (c.ttl) await configure({ teams: TEAMS, default_team: 'support', session_ttl_minutes: c.ttl });
    const id = newConversation();
    const escalated = await say(id, c.escalate);
    expect(escalated.conversation).toMatchObject({ session: 1, status: 'escalated' });
    const age = (minutes: number) =>
      t.handle.db.query(`UPDATE conversations SET last_message_at = now() - make_interval(mins => $2) WHERE tenant_id = $1 AND external_id = $3`, [t.tenantId, minutes, id]);

    // Just within the lifetime: still the handed-over session.
    await age(c.stillAlive);
    const within = await say(id, 'Allô ?');
    expect(within).toMatchObject({ action: 'ignore', new_session: false, conversation: { session: 1 } });

    await age(c.idle);
    const fresh = await say(id, c.question);
    expect(fresh).toMatchObject({ action: 'answer', new_session: true, language: c.language, conversation: { session: 2, status: 'active' } });
    expect(fresh.citations[0]!.article_id).toBe(c.article);
    // The new session starts from scratch: the handover and its messages belong to the old one.
    const history = (await (await t.app.request(`/v1/agents/support/conversations/${id}`, { headers: { authorization: `Bearer ${t.agentToken}` } })).json()) as {
      conversation: { session: number };
      messages: Array<{ role: string; text: string }>;
    };
    expect(history.conversation.session).toBe(2);
    expect(history.messages.map((message) => message.role)).toEqual(['user', 'agent']);
    const sessions = await t.handle.db.query<{ session_number: number; status: string; ended_at: Date | null }>(
      'SELECT session_number, status, ended_at FROM conversations WHERE tenant_id = $1 AND external_id = $2 ORDER BY session_number',
      [t.tenantId, id],
    );
    expect(sessions.rows.map((row) => [row.session_number, row.status, row.ended_at !== null])).toEqual([
      [1, 'ended', true],
      [2, 'active', false],
    ]);
  });
});

describe("the customer's language", () => {
  it('answers an English question in English from the English article, a French one in French', async () => {
    const id = newConversation();
    const fr = await say(id, 'Comment réinitialiser mon mot de passe ?');
    expect(fr).toMatchObject({ action: 'answer', language: 'fr' });
    expect(fr.citations.map((citation) => citation.article_id)).toEqual(['fr-1001']);
    expect(fr.reply.text.startsWith("Voici ce que j'ai trouvé :\n\n")).toBe(true);
    expect(fr.reply.text).toContain('Pour plus de détails :');

    const en = await say(newConversation(), 'How do I reset my password?');
    expect(en).toMatchObject({ action: 'answer', language: 'en' });
    expect(en.citations.map((citation) => citation.article_id)).toEqual(['en-1001']);
    expect(en.reply.text.startsWith("Here's what I found:\n\n")).toBe(true);
    expect(en.reply.text).toContain('For more details:');
    expect(en.reply.text).not.toMatch(/mot de passe|Voici/);
    expect(en.reply.components).toEqual([
      { type: 'link', article_id: 'en-1001', title: 'Reset your password', url: 'https://help.facturo.example/en/articles/en-1001-reset-your-password' },
    ]);
  });

  it('follows a customer who switches from French to English within a session', async () => {
    const id = newConversation();
    expect((await say(id, 'Bonjour')).language).toBe('fr');
    const en = await say(id, 'How do I reset my password?');
    expect(en).toMatchObject({ action: 'answer', language: 'en' });
    expect(en.citations[0]!.article_id).toBe('en-1001');
  });
});
