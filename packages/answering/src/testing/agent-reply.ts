import type { AgentReply } from '../types';

/** A complete `AgentReply` for tests (an extractive French answer citing one article); pass only the fields a test cares about. */
export function agentReply(overrides: Partial<AgentReply> = {}): AgentReply {
  const link = { type: 'link', articleId: 'fr-1041', title: 'Exporter vos données comptables', url: 'https://help.facturo.example/fr/articles/1041' } as const;
  return {
    action: 'answer',
    reply: { text: "Voici ce que j'ai trouvé :\n\nOuvrez Paramètres > Export.\n\nPour plus de détails :", components: [link] },
    confidence: 0.82,
    reasons: ['confidence 0.82 >= 0.75'],
    citations: [{ articleId: link.articleId, title: link.title, url: link.url, score: 0.8123 }],
    language: 'fr',
    escalation: null,
    team: null,
    generatedBy: 'extractive',
    features: null,
    ...overrides,
  };
}
