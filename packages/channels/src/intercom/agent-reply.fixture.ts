import type { AgentReply, HandoffNote, Team } from '@relai/answering';

/** Agent replies as the answer engine builds them, for the rendering and planning tests. */

export const ACCOUNTING: Team = { id: 'accounting', name: 'Comptabilité', external_id: '5017691' };

const LINK = { type: 'link', articleId: 'fr-1041', title: 'Exporter vos données comptables', url: 'https://help.facturo.example/fr/articles/1041' } as const;

export function agentReply(overrides: Partial<AgentReply> = {}): AgentReply {
  return {
    action: 'answer',
    reply: { text: "Voici ce que j'ai trouvé :\n\nOuvrez Paramètres > Export.\n\nPour plus de détails :", components: [LINK] },
    confidence: 0.82,
    reasons: ['confidence 0.82 >= 0.75'],
    citations: [{ articleId: 'fr-1041', title: 'Exporter vos données comptables', url: LINK.url, score: 0.8123 }],
    language: 'fr',
    escalation: null,
    team: null,
    generatedBy: 'extractive',
    features: null,
    ...overrides,
  };
}

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
