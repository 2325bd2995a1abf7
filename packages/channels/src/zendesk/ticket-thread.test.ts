import { describe, expect, it } from 'vitest';
import type { ZendeskTicketEvent } from './ticket-event';
import { customerMessage } from './ticket-thread';
import type { TicketThread, ZendeskComment } from './zendesk-tickets-client';

const AGENT = '900';
const CUSTOMER = '100';
const HUMAN = '200';

const comment = (id: string, authorId: string, text: string, isPublic = true): ZendeskComment => ({ id, authorId, text, public: isPublic });
const thread = (...comments: ZendeskComment[]): TicketThread => ({
  comments,
  users: new Map([
    [AGENT, { id: AGENT, name: 'Agent IA', role: 'agent' }],
    [CUSTOMER, { id: CUSTOMER, name: 'Marie Curie', email: 'marie@example.fr', role: 'end-user' }],
    [HUMAN, { id: HUMAN, name: 'Paul', role: 'admin' }],
  ]),
});
const event = (commentId: string, authorId = CUSTOMER, text: string | null = null): ZendeskTicketEvent => ({ ticketId: '35436', commentId, authorId, text });

describe('the customer message of a ticket comment', () => {
  it('is the comment without its quote, with the public conversation before it as history', () => {
    const ticket = thread(
      comment('1', CUSTOMER, 'Comment activer la double authentification ?'),
      comment('2', AGENT, "Voici ce que j'ai trouvé : …"),
      comment('3', HUMAN, 'Note : client VIP', false),
      comment('4', CUSTOMER, "Et si je perds mon téléphone ?\n\nLe lun. 3 nov. 2026, Facturo a écrit :\n> Voici ce que j'ai trouvé"),
      comment('5', AGENT, 'Later reply'),
    );
    expect(customerMessage(event('4'), ticket, AGENT)).toEqual({
      kind: 'answer',
      text: 'Et si je perds mon téléphone ?',
      turns: [
        { role: 'user', text: 'Comment activer la double authentification ?' },
        { role: 'agent', text: "Voici ce que j'ai trouvé : …" },
        { role: 'user', text: 'Et si je perds mon téléphone ?' },
      ],
      user: { id: CUSTOMER, name: 'Marie Curie', email: 'marie@example.fr' },
    });
  });

  it("ignores the AI agent's own comment, an agent's reply and an internal note", () => {
    const ticket = thread(comment('1', CUSTOMER, 'Bonjour'), comment('2', AGENT, 'Réponse'), comment('3', HUMAN, 'Je reprends'), comment('4', CUSTOMER, 'note', false));
    expect(customerMessage(event('2', AGENT), ticket, AGENT)).toEqual({ kind: 'ignore', reason: 'a comment by an agent' });
    expect(customerMessage(event('3', HUMAN), ticket, AGENT)).toEqual({ kind: 'ignore', reason: 'a comment by an agent' });
    expect(customerMessage(event('4'), ticket, AGENT)).toEqual({ kind: 'ignore', reason: 'an internal note' });
  });

  it('ignores a comment with nothing new in it (only a quote or a signature)', () => {
    expect(customerMessage(event('1'), thread(comment('1', CUSTOMER, '> old text\n')), AGENT)).toEqual({ kind: 'ignore', reason: 'an empty comment' });
  });

  it("falls back on the webhook's text for a comment the API does not list yet, else asks to retry", () => {
    const ticket = thread(comment('1', CUSTOMER, 'Première question'));
    expect(customerMessage(event('2', CUSTOMER, 'Deuxième question'), ticket, AGENT)).toMatchObject({
      kind: 'answer',
      text: 'Deuxième question',
      turns: [{ role: 'user', text: 'Première question' }, { role: 'user', text: 'Deuxième question' }],
    });
    expect(customerMessage(event('2'), ticket, AGENT)).toEqual({ kind: 'not_listed' });
  });

  it("prefers the trigger's requester details and tags for the customer's profile", () => {
    const withRequester = { ...event('1'), requester: { id: CUSTOMER, name: 'Marie C.', email: 'mc@example.fr' }, tags: ['vip'] };
    expect(customerMessage(withRequester, thread(comment('1', CUSTOMER, 'Bonjour, où sont mes factures ?')), AGENT)).toMatchObject({
      user: { id: CUSTOMER, name: 'Marie C.', email: 'mc@example.fr', tags: ['vip'] },
    });
  });
});
