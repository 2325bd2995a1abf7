import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conversationTurns, customerProfile, intercomConversationSchema, type IntercomConversation } from './intercom-conversation';

const customer = { type: 'user', id: 'c1', name: 'Camille Martin', email: 'camille@example.fr' };
const admin = { type: 'admin', id: '991', name: 'Relai', email: 'relai@example.com' };
const part = (id: string, part_type: string, author: object, body: string | null) => ({ id, part_type, author, body });

function conversation(parts: object[], extra: object = {}): IntercomConversation {
  return intercomConversationSchema.parse({
    id: '524',
    source: { id: 's1', subject: '', body: '<p>Comment exporter mes factures ?</p>', author: customer },
    conversation_parts: { conversation_parts: parts },
    ...extra,
  });
}

describe('the history of an Intercom conversation', () => {
  const parts = [
    part('1', 'comment', admin, "<p>Voici ce que j'ai trouvé :</p><ul><li><a href=\"https://help.example/a\">Exporter</a></li></ul>"),
    part('2', 'note', admin, '<p>Réponse proposée (à vérifier)</p>'),
    part('3', 'assign_and_reopen', admin, null),
    part('4', 'comment', { type: 'bot', id: '278', name: 'Fin' }, '<p>Can I help further?</p>'),
    part('5', 'comment', customer, '<p>Et en PDF&nbsp;?</p>'),
    part('6', 'comment', admin, '<p>Oui, depuis le menu.</p>'),
  ];

  it('reads the customer as the user and admins and bots as the agent, without notes, up to the message handled', () => {
    expect(conversationTurns(conversation(parts), { id: '5', text: 'Et en PDF ?' })).toEqual([
      { role: 'user', text: 'Comment exporter mes factures ?' },
      { role: 'agent', text: "Voici ce que j'ai trouvé :\n- Exporter" },
      { role: 'agent', text: 'Can I help further?' },
      { role: 'user', text: 'Et en PDF ?' },
    ]);
  });

  it('ends with the message handled even when the API does not show it yet', () => {
    const turns = conversationTurns(conversation(parts.slice(0, 1)), { id: '5', text: 'Et en PDF ?' });
    expect(turns.map((turn) => turn.role)).toEqual(['user', 'agent', 'user']);
    expect(turns.at(-1)).toEqual({ role: 'user', text: 'Et en PDF ?' });
  });

  it('starts from the opening message for a new conversation', () => {
    expect(conversationTurns(conversation([]), { id: 's1', text: 'Comment exporter mes factures ?' })).toEqual([{ role: 'user', text: 'Comment exporter mes factures ?' }]);
  });

  it('puts an email subject before its body', () => {
    const email = conversation([], { source: { id: 's1', subject: 'Export impossible', body: '<p>Le bouton ne répond pas.</p>', author: customer } });
    expect(conversationTurns(email, { id: 'later', text: 'Toujours rien' })[0]).toEqual({ role: 'user', text: 'Export impossible\nLe bouton ne répond pas.' });
  });

  it('reads the documented GET /conversations/{id} example (integer part ids, parts without body)', () => {
    const documented = JSON.parse(readFileSync(new URL('./fixtures/GET_conversations_id.json', import.meta.url), 'utf8')).example;
    const parsed = intercomConversationSchema.parse(documented);
    expect(parsed.admin_assignee_id).toBe('991267715');
    expect(conversationTurns(parsed, { id: 'new', text: 'Bonjour' })).toEqual([
      { role: 'agent', text: 'this is the message body' },
      { role: 'agent', text: 'Okay!' },
      { role: 'user', text: 'Bonjour' },
    ]);
  });
});

describe('the customer profile', () => {
  it("takes the author's identity, the conversation's tags and custom attributes", () => {
    const tagged = conversation([], { tags: { tags: [{ name: 'VIP' }] }, custom_attributes: { plan: 'pro' } });
    expect(customerProfile(tagged, customer)).toEqual({ id: 'c1', name: 'Camille Martin', email: 'camille@example.fr', tags: ['VIP'], custom_attributes: { plan: 'pro' } });
  });

  it('falls back on the contact id and leaves out what Intercom does not know', () => {
    const anonymous = conversation([], { contacts: { contacts: [{ id: 'lead-7' }] } });
    expect(customerProfile(anonymous, { type: 'lead', id: null, name: null, email: null })).toEqual({ id: 'lead-7' });
  });
});
