import { describe, expect, it } from 'vitest';
import type { AgentReply } from '@relai/answering';
import { agentReply } from '@relai/answering/testing';
import type { Session } from '@relai/conversations';
import { agentEventsFor, envelope } from './agent-events';
import { integrationSettingsSchema } from './settings';

const session: Session = {
  id: '2b3c1d6e-0000-4000-8000-000000000001',
  tenantId: 't',
  agentId: 'support',
  externalId: 'wa-33612345678',
  sessionNumber: 2,
  status: 'active',
  userProfile: {},
  params: { email: 'camille@example.fr', plan: 'pro' },
  startedAt: new Date('2025-03-01T10:00:00Z'),
  lastMessageAt: new Date('2025-03-01T10:00:00Z'),
  endedAt: null,
  escalation: null,
};

const settings = integrationSettingsSchema.parse({
  webhook_url: 'https://bridge.example.com/relai',
  actions: [
    { name: 'get_account', on: 'conversation.started', params: ['email', 'crm_id'] },
    { name: 'close_ticket', on: 'conversation.ended' },
    { name: 'tag_resolved_by_bot', on: 'answer', params: ['plan'] },
    { name: 'tag_escalated', on: 'escalation' },
  ],
});

const reply = (overrides: Partial<AgentReply>) => agentReply({ confidence: 0.91234, ...overrides });

const passwordArticle = { articleId: 'fr-1001', title: 'Réinitialiser votre mot de passe', url: 'https://help.example/fr-1001', score: 0.03 };
const twoFactorArticle = { articleId: 'fr-1002', title: 'Double authentification', url: 'https://help.example/fr-1002', score: 0.02 };

describe('agent.message', () => {
  it('renders article links as buttons and a single citation without a carousel', () => {
    const [message] = agentEventsFor(settings, session, {
      type: 'agent.replied',
      messageId: '42',
      reply: reply({
        reply: { text: 'Voici…', components: [{ type: 'link', articleId: 'fr-1001', title: passwordArticle.title, url: passwordArticle.url }] },
        citations: [passwordArticle],
      }),
    });
    expect(message).toEqual({
      type: 'agent.message',
      data: {
        message_id: '42',
        action: 'answer',
        text: 'Voici…',
        buttons: [{ title: passwordArticle.title, url: passwordArticle.url, article_id: 'fr-1001' }],
        carousel: [],
        confidence: 0.912,
        language: 'fr',
        citations: [{ article_id: 'fr-1001', title: passwordArticle.title, url: passwordArticle.url, score: 0.03 }],
        team: null,
      },
    });
  });

  it('renders the options of a clarification as a carousel whose cards reply with their number', () => {
    const [message] = agentEventsFor(settings, session, {
      type: 'agent.replied',
      messageId: '43',
      reply: reply({
        action: 'clarify',
        reply: {
          text: 'Lequel correspond ?',
          components: [{ type: 'options', options: [{ number: 1, label: 'Télécharger une facture', articleId: 'fr-1022' }, { number: 2, label: 'Modifier une facture', articleId: 'fr-1021' }] }],
        },
      }),
    });
    expect(message?.data).toMatchObject({
      action: 'clarify',
      buttons: [],
      carousel: [
        { title: 'Télécharger une facture', article_id: 'fr-1022', url: null, reply: '1' },
        { title: 'Modifier une facture', article_id: 'fr-1021', url: null, reply: '2' },
      ],
    });
  });

  it('renders several citations as a carousel of articles', () => {
    const [message] = agentEventsFor(settings, session, {
      type: 'agent.replied',
      messageId: '44',
      reply: reply({ action: 'suggest', citations: [passwordArticle, twoFactorArticle], team: { id: 'support', name: 'Support', external_id: 'skill-9' } }),
    });
    expect(message?.data).toMatchObject({
      action: 'suggest',
      carousel: [
        { title: passwordArticle.title, article_id: 'fr-1001', url: passwordArticle.url, reply: null },
        { title: twoFactorArticle.title, article_id: 'fr-1002', url: twoFactorArticle.url, reply: null },
      ],
      team: { id: 'support', name: 'Support', external_id: 'skill-9' },
    });
  });

  it('sends nothing when the agent stays silent (ignore)', () => {
    expect(agentEventsFor(settings, session, { type: 'agent.replied', messageId: '45', reply: reply({ action: 'ignore', reply: { text: '', components: [] } }) })).toEqual([]);
  });
});

describe('action.triggered', () => {
  it('sends the listed session params on start, null for a missing one', () => {
    expect(agentEventsFor(settings, session, { type: 'conversation.started' })).toEqual([
      { type: 'action.triggered', data: { name: 'get_account', on: 'conversation.started', params: { email: 'camille@example.fr', crm_id: null } } },
    ]);
    expect(agentEventsFor(settings, session, { type: 'conversation.ended' })).toEqual([
      { type: 'action.triggered', data: { name: 'close_ticket', on: 'conversation.ended', params: {} } },
    ]);
  });

  it('follows an answer with the actions on "answer", but not a suggestion or a clarification', () => {
    const answered = agentEventsFor(settings, session, { type: 'agent.replied', messageId: '46', reply: reply({}) });
    expect(answered.map((event) => event.type)).toEqual(['agent.message', 'action.triggered']);
    expect(answered[1]?.data).toEqual({ name: 'tag_resolved_by_bot', on: 'answer', params: { plan: 'pro' } });
    for (const action of ['suggest', 'clarify'] as const) {
      expect(agentEventsFor(settings, session, { type: 'agent.replied', messageId: '47', reply: reply({ action }) }).map((event) => event.type)).toEqual(['agent.message']);
    }
  });
});

describe('escalation.requested', () => {
  const team = { id: 'billing', name: 'Facturation', external_id: 'lp-skill-5512' };
  const escalation: NonNullable<AgentReply['escalation']> = {
    reason: 'requested_human',
    team,
    note: {
      reason: 'requested_human',
      reasonText: 'Le client a demandé à parler à un humain.',
      summary: 'Question initiale : ma facture est fausse',
      lastQuestion: 'Je veux parler à un conseiller',
      articlesConsulted: [{ articleId: 'fr-1021', title: 'Modifier une facture', url: 'https://help.example/fr-1021' }],
      userProfile: { name: 'Camille Martin' },
      team,
      text: 'Transfert : le client a demandé à parler à un humain…',
    },
  };
  const escalated = reply({ action: 'escalate', reply: { text: 'Je vous mets en relation…', components: [] }, escalation, team });

  it('comes after the message and the actions on "escalation", with the team to escalate to and the handoff note', () => {
    const events = agentEventsFor(settings, session, { type: 'agent.replied', messageId: '48', reply: escalated });
    expect(events.map((event) => [event.type, 'name' in event.data ? event.data.name : null])).toEqual([
      ['agent.message', null],
      ['action.triggered', 'tag_escalated'],
      ['escalation.requested', null],
    ]);
    expect(events[2]?.data).toEqual({
      message_id: '48',
      escalateTo: { id: 'billing', name: 'Facturation', external_id: 'lp-skill-5512' },
      reason: 'requested_human',
      reason_text: 'Le client a demandé à parler à un humain.',
      note: {
        text: 'Transfert : le client a demandé à parler à un humain…',
        summary: 'Question initiale : ma facture est fausse',
        last_question: 'Je veux parler à un conseiller',
        articles_consulted: [{ article_id: 'fr-1021', title: 'Modifier une facture', url: 'https://help.example/fr-1021' }],
        user_profile: { name: 'Camille Martin' },
      },
    });
  });

  it('leaves the note out when the channel says so', () => {
    const withoutNote = { ...settings, include_handoff_note: false };
    const events = agentEventsFor(withoutNote, session, { type: 'agent.replied', messageId: '49', reply: escalated });
    expect(events.at(-1)).toMatchObject({ type: 'escalation.requested', data: { escalateTo: { id: 'billing' }, reason: 'requested_human', note: null } });
  });
});

it('wraps an event with its id, the agent, the platform conversation id and the session number', () => {
  const [draft] = agentEventsFor(settings, session, { type: 'conversation.ended' });
  expect(envelope(draft!, { id: 'e-1', agentId: 'support', session, createdAt: new Date('2025-03-01T10:05:00Z') })).toEqual({
    id: 'e-1',
    type: 'action.triggered',
    agent_id: 'support',
    conversation_id: 'wa-33612345678',
    session: 2,
    created_at: '2025-03-01T10:05:00.000Z',
    data: { name: 'close_ticket', on: 'conversation.ended', params: {} },
  });
});
