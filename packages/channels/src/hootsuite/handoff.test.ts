import { describe, expect, it } from 'vitest';
import type { AgentReply, HandoffNote, Team } from '@relai/answering';
import { agentReply } from '@relai/answering/testing';
import { planHandoff } from './handoff';
import { renderReply } from './render';
import { hootsuiteSettingsSchema, type HootsuiteSettingsInput } from './settings';

const TEAM: Team = { id: 'billing', name: 'Facturation', external_id: 'hs-team-3' };
const LINK = { type: 'link' as const, articleId: 'fr-1013', title: 'Remboursements', url: 'https://help.example/fr-1013' };

const reply = (fields: Partial<AgentReply>) => agentReply({ confidence: 0.42, ...fields });

const note = { text: 'Note de passation : le client a demandé un humain.' } as HandoffNote;
const escalation = (team: Team | null) =>
  reply({ action: 'escalate', reply: { text: 'Je vous mets en relation avec un conseiller.', components: [] }, escalation: { reason: 'requested_human', team, note }, team });
const settings = (input: Partial<HootsuiteSettingsInput> = {}) => hootsuiteSettingsSchema.parse({ api_base_url: 'https://inbox.example', ...input });
const conversation = { id: 'c-1', delegated_by: { id: 'agent-7' } };

describe('renderReply', () => {
  it('puts the sources under the text, one per line', () => {
    const text = renderReply({ text: "Voici ce que j'ai trouvé : …", components: [LINK, { ...LINK, title: 'Factures', url: 'https://help.example/fr-1022' }] });
    expect(text).toBe("Voici ce que j'ai trouvé : …\n\n• Remboursements — https://help.example/fr-1013\n• Factures — https://help.example/fr-1022");
  });

  it('numbers the options for the contact to answer with a number', () => {
    const options = [1, 2].map((number) => ({ number, label: `Article ${number}`, articleId: `a-${number}` }));
    expect(renderReply({ text: 'Lequel correspond ?', components: [{ type: 'options', options }] })).toBe('Lequel correspond ?\n\n1. Article 1\n2. Article 2');
  });
});

describe('planHandoff', () => {
  it('escalates in inception: the reply for the contact, the handoff note, reason and team topics, attributes, to "New" with the team', () => {
    const plan = planHandoff(escalation(TEAM), conversation, settings({ topics: { escalation_reasons: { requested_human: 't-human' }, teams: { billing: 't-billing' } } }));
    expect(plan).toEqual({
      message: 'Je vous mets en relation avec un conseiller.',
      note: note.text,
      topicIds: ['t-human', 't-billing'],
      attributes: { relai_escalation_reason: 'requested_human', relai_last_confidence: '0.42' },
      target: { to: 'new' },
      teamId: 'hs-team-3',
    });
  });

  it("follows the delegation handoff rule: back to the agent who delegated, or to 'New'", () => {
    expect(planHandoff(escalation(null), conversation, settings({ activation: 'delegation' }))?.target).toEqual({ to: 'previous_agent', agentId: 'agent-7' });
    expect(planHandoff(escalation(null), { id: 'c-2' }, settings({ activation: 'delegation' }))?.target).toEqual({ to: 'previous_agent', agentId: null });
    expect(planHandoff(escalation(null), conversation, settings({ activation: 'delegation', delegation_handoff: 'new' }))?.target).toEqual({ to: 'new' });
  });

  it('hands a suggestion over silently, the proposed answer as the note', () => {
    const suggestion = reply({ action: 'suggest', reply: { text: 'Réponse proposée (à vérifier avant envoi) :\n\nVoici…', components: [LINK] }, team: TEAM });
    const plan = planHandoff(suggestion, conversation, settings({ topics: { suggestion: 't-review', teams: { billing: 't-review' } } }));
    expect(plan).toEqual({
      message: null,
      note: 'Réponse proposée (à vérifier avant envoi) :\n\nVoici…\n\n• Remboursements — https://help.example/fr-1013',
      topicIds: ['t-review'],
      attributes: null,
      target: { to: 'new' },
      teamId: 'hs-team-3',
    });
  });

  it.each(['answer', 'clarify', 'ignore'] as const)('is no handoff for %s', (action) => {
    expect(planHandoff(reply({ action }), conversation, settings())).toBeNull();
  });
});
