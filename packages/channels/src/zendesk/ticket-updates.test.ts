import { describe, expect, it } from 'vitest';
import type { AgentReply } from '@relai/answering';
import { agentReply as baseAgentReply } from '@relai/answering/testing';
import { planTicketUpdates, zendeskGroupId } from './ticket-updates';
import { zendeskSettingsSchema } from './zendesk-settings';

const settings = (overrides: Record<string, unknown> = {}) => zendeskSettingsSchema.parse({ subdomain: 'acme', agent_user_id: '900', ...overrides });

const PASSWORD = { articleId: 'fr-1001', title: 'Réinitialiser votre mot de passe', url: 'https://help.facturo.example/fr/articles/fr-1001' };
const agentReply = (overrides: Partial<AgentReply>) =>
  baseAgentReply({
    reply: { text: "Voici ce que j'ai trouvé :\n\nCliquez sur « Mot de passe oublié ».\n\nPour plus de détails :", components: [{ type: 'link', ...PASSWORD }] },
    confidence: 0.91,
    citations: [{ ...PASSWORD, score: 0.03 }],
    ...overrides,
  });

const billing = { id: 'billing', name: 'Facturation', external_id: '360001' };
const handoff = {
  reason: 'requested_human' as const,
  team: billing,
  note: { reason: 'requested_human' as const, reasonText: 'Le client a demandé à parler à un humain.', summary: '', lastQuestion: '', articlesConsulted: [], userProfile: {}, team: billing, text: 'Transfert à un humain\nMotif : Le client a demandé à parler à un humain.' },
};

describe('what a decision does to the ticket', () => {
  it('answers with a public HTML comment, links as anchors, and leaves the ticket pending', () => {
    expect(planTicketUpdates(agentReply({}), settings())).toEqual([
      {
        step: 'reply',
        update: {
          comment: {
            html_body:
              "<p>Voici ce que j'ai trouvé :</p><p>Cliquez sur « Mot de passe oublié ».</p><p>Pour plus de détails :</p>" +
              '<ul><li><a href="https://help.facturo.example/fr/articles/fr-1001">Réinitialiser votre mot de passe</a></li></ul>',
            public: true,
          },
          status: 'pending',
        },
      },
    ]);
  });

  it('makes anchors of web links only, and escapes titles', () => {
    const reply = agentReply({ reply: { text: 'Voir :', components: [{ type: 'link', articleId: 'x', title: '<b>Piège</b>', url: 'javascript:alert(1)' }] } });
    expect(planTicketUpdates(reply, settings())[0]!.update.comment).toMatchObject({ html_body: '<p>Voir :</p><ul><li>&lt;b&gt;Piège&lt;/b&gt;: javascript:alert(1)</li></ul>' });
  });

  it('solves the ticket on answer when asked to, and writes plain text when the format is text', () => {
    const [step] = planTicketUpdates(agentReply({}), settings({ solve_on_answer: true, comment_format: 'text' }));
    expect(step!.update).toEqual({
      comment: {
        body: "Voici ce que j'ai trouvé :\n\nCliquez sur « Mot de passe oublié ».\n\nPour plus de détails :\n\n- Réinitialiser votre mot de passe: https://help.facturo.example/fr/articles/fr-1001",
        public: true,
      },
      status: 'solved',
    });
  });

  it('in review mode, leaves the answer as an internal note marked as not sent, with its evidence', () => {
    const [step] = planTicketUpdates(agentReply({}), settings({ reply_mode: 'internal', comment_format: 'text' }));
    expect(step!.step).toBe('note');
    expect(step!.update.status).toBeUndefined();
    expect(step!.update.comment.public).toBe(false);
    expect(step!.update.comment).toMatchObject({ body: expect.stringMatching(/^Réponse proposée par l'agent IA, non envoyée au client :\n\nVoici/) });
    expect(step!.update.comment).toMatchObject({ body: expect.stringContaining('Confiance : 0.91\n\nSources :\n\n- Réinitialiser votre mot de passe: https://') });
  });

  it('asks to clarify with the options numbered, and waits for the customer', () => {
    const reply = agentReply({
      action: 'clarify',
      language: 'en',
      reply: { text: 'Which one fits? Reply with its number.', components: [{ type: 'options', options: [{ number: 1, label: 'Card declined', articleId: 'en-2010' }, { number: 2, label: 'Payouts & <fees>', articleId: 'en-2031' }] }] },
    });
    expect(planTicketUpdates(reply, settings())[0]!.update).toEqual({
      comment: { html_body: '<p>Which one fits? Reply with its number.</p><ol><li>Card declined</li><li>Payouts &amp; &lt;fees&gt;</li></ol>', public: true },
      status: 'pending',
    });
    expect(planTicketUpdates(reply, settings({ comment_format: 'text' }))[0]!.update.comment).toEqual({ body: 'Which one fits? Reply with its number.\n\n1. Card declined\n2. Payouts & <fees>', public: true });
  });

  it("suggests with an internal note for the team's group, the ticket's status untouched", () => {
    const reply = agentReply({ action: 'suggest', team: billing, reply: { text: 'Réponse proposée (à vérifier avant envoi) :\n\nVoici…', components: [] } });
    const [step] = planTicketUpdates(reply, settings());
    expect(step).toEqual({ step: 'note', update: { comment: { html_body: expect.stringContaining('<p>Confiance : 0.91</p><p>Sources :</p><ul><li><a href='), public: false }, group_id: 360001 } });
  });

  it('escalates with a public message, then the handoff note for the group, the ticket reopened', () => {
    const reply = agentReply({ action: 'escalate', reply: { text: 'Je transmets votre demande à un conseiller.', components: [] }, escalation: handoff, citations: [] });
    expect(planTicketUpdates(reply, settings({ comment_format: 'text' }))).toEqual([
      { step: 'reply', update: { comment: { body: 'Je transmets votre demande à un conseiller.', public: true } } },
      { step: 'handoff', update: { comment: { body: 'Transfert à un humain\nMotif : Le client a demandé à parler à un humain.', public: false }, status: 'open', group_id: 360001 } },
    ]);
  });

  it('escalates silently in review mode or when the public message is off', () => {
    const reply = agentReply({ action: 'escalate', reply: { text: 'Je transmets.', components: [] }, escalation: handoff });
    expect(planTicketUpdates(reply, settings({ reply_mode: 'internal' })).map((step) => step.step)).toEqual(['handoff']);
    expect(planTicketUpdates(reply, settings({ escalation_public_reply: false })).map((step) => step.step)).toEqual(['handoff']);
  });

  it('does nothing on ignore', () => {
    expect(planTicketUpdates(agentReply({ action: 'ignore', reply: { text: '', components: [] } }), settings())).toEqual([]);
  });

  it("takes the team's numeric external_id as group, else the channel's default group, else none", () => {
    expect(zendeskGroupId(billing, settings({ escalation_group_default: '77' }))).toBe(360001);
    expect(zendeskGroupId({ id: 'n2', name: 'N2', external_id: 'intercom-team-7' }, settings({ escalation_group_default: 77 }))).toBe(77);
    expect(zendeskGroupId(null, settings())).toBeUndefined();
  });
});
