import type { AgentReply, HandoffNote, Team } from '@relai/answering';
import { agentReply } from '@relai/answering/testing';

export { agentReply };

/** Agent replies as the answer engine builds them, for the rendering and planning tests. */

export const ACCOUNTING: Team = { id: 'accounting', name: 'Comptabilité', external_id: '5017691' };

export function handoffNote(team: Team | null): HandoffNote {
  return {
    reason: 'requested_human',
    reasonText: 'Le client a demandé à parler à un humain.',
    summary: 'Question initiale : je veux parler à un humain',
    lastQuestion: 'je veux parler à un humain',
    articlesConsulted: [],
    userProfile: { name: 'Camille <Martin>' },
    team,
    text: 'Transfert à un humain\nMotif : Le client a demandé à parler à un humain.\n\nArticles consultés :\n- Export — https://help.facturo.example/fr/articles/1041\n\nClient :\nNom : Camille <Martin>',
  };
}

export function escalation(team: Team | null): AgentReply {
  return agentReply({
    action: 'escalate',
    reply: { text: 'Bien sûr ! Je vous mets en relation avec un conseiller.', components: [] },
    citations: [],
    escalation: { reason: 'requested_human', team, note: handoffNote(team) },
    team,
    generatedBy: 'template',
  });
}
