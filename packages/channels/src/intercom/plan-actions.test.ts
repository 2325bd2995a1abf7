import { describe, expect, it } from 'vitest';
import { ACCOUNTING, agentReply, escalation } from './agent-reply.fixture';
import { planActions } from './plan-actions';

const settings = { close_on_answer: false };
const kinds = (actions: ReturnType<typeof planActions>) => actions.map((action) => (action.kind === 'assign' ? `assign ${action.assigneeId}` : action.kind));

describe('what each decision does in Intercom', () => {
  it('answers the customer with a comment, and closes the conversation only when asked to', () => {
    const [comment] = planActions(agentReply(), settings);
    expect(comment).toMatchObject({ kind: 'comment', body: expect.stringContaining('<a href="https://help.facturo.example/fr/articles/1041">') });
    expect(kinds(planActions(agentReply(), settings))).toEqual(['comment']);
    expect(kinds(planActions(agentReply(), { close_on_answer: true }))).toEqual(['comment', 'close']);
  });

  it('asks the customer to clarify with a comment', () => {
    const clarify = agentReply({ action: 'clarify', reply: { text: 'Bonjour ! Comment puis-je vous aider ?', components: [] }, citations: [] });
    expect(planActions(clarify, { close_on_answer: true })).toEqual([{ kind: 'comment', body: '<p>Bonjour ! Comment puis-je vous aider ?</p>' }]);
  });

  it("suggests to the team in a note, then assigns the conversation to the team's Intercom id; nothing for the customer", () => {
    const actions = planActions(agentReply({ action: 'suggest', team: ACCOUNTING }), settings);
    expect(kinds(actions)).toEqual(['note', 'assign 5017691']);
    expect(actions[0]).toMatchObject({ body: expect.stringContaining('Sources :') });
  });

  it('escalates with a word to the customer, the handoff note for teammates, and the assignment', () => {
    const actions = planActions(escalation(ACCOUNTING), settings);
    expect(kinds(actions)).toEqual(['comment', 'note', 'assign 5017691']);
    expect(actions[0]).toEqual({ kind: 'comment', body: '<p>Bien sûr ! Je vous mets en relation avec un conseiller.</p>' });
    expect(actions[1]).toMatchObject({ body: expect.stringContaining('Transfert à un humain') });
  });

  it('hands over to Unassigned when there is no team, or the team has no Intercom id', () => {
    expect(kinds(planActions(escalation(null), settings))).toEqual(['comment', 'note', 'assign 0']);
    const withoutId = { id: 'support', name: 'Support' };
    expect(planActions(agentReply({ action: 'suggest', team: withoutId }), settings)[1]).toEqual({ kind: 'assign', assigneeId: '0', team: withoutId });
  });

  it('does nothing when the agent stays out, or has nothing to say', () => {
    expect(planActions(agentReply({ action: 'ignore', reply: { text: '', components: [] } }), settings)).toEqual([]);
    expect(planActions(agentReply({ reply: { text: '  ', components: [] } }), { close_on_answer: true })).toEqual([]);
  });
});
