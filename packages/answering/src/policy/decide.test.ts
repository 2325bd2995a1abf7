import { buildConversationQuery, type ArticleCandidate, type Retrieval } from '@relai/retrieval';
import { describe, expect, it } from 'vitest';
import { parseAgentSettings, type AgentSettingsInput } from '../agent-settings';
import type { ConversationTurn, PriorDecision, ReplyLanguage } from '../types';
import { candidate } from './candidate-fixture';
import { decide, type PolicyInput } from './decide';

const teams = [
  { id: 'support', name: 'Support' },
  { id: 'billing', name: 'Facturation' },
  { id: 'retention', name: 'Fidélisation' },
];
const baseSettings: AgentSettingsInput = { teams, default_team: 'support' };

const exportInvoices = candidate({
  externalId: 'fr-export',
  title: 'Exporter vos factures',
  collectionPath: ['Facturation', 'Factures'],
  fusedScore: 0.032,
  coverage: 0.9,
});
const downloadPdf = candidate({ externalId: 'fr-pdf', title: 'Télécharger une facture en PDF', collectionPath: ['Facturation', 'Factures'], fusedScore: 0.031, coverage: 0.85 });
const changeAddress = candidate({ externalId: 'fr-address', title: "Modifier l'adresse de facturation", collectionPath: ['Facturation'], fusedScore: 0.0295, coverage: 0.8 });
const unrelated = candidate({ externalId: 'fr-2fa', title: 'Activer la double authentification', collectionPath: ['Compte'], fusedScore: 0.016, coverage: 0.2 });

function input(options: {
  message: string;
  history?: ConversationTurn[];
  candidates?: ArticleCandidate[];
  confidence?: number;
  settings?: AgentSettingsInput;
  priorDecisions?: PriorDecision[];
  language?: ReplyLanguage;
  now?: Date;
}): PolicyInput {
  const turns: ConversationTurn[] = [...(options.history ?? []), { role: 'user', text: options.message }];
  const retrieval: Retrieval = {
    query: buildConversationQuery(turns),
    language: options.language ?? 'fr',
    candidates: options.candidates ?? [exportInvoices, unrelated],
    confidence: options.confidence ?? 0.9,
    features: null,
  };
  return {
    settings: parseAgentSettings({ ...baseSettings, ...options.settings }),
    turns,
    priorDecisions: options.priorDecisions ?? [],
    retrieval,
    language: options.language ?? 'fr',
    now: options.now,
  };
}

describe('decide: triggers before retrieval', () => {
  it('escalates an explicit request for a human first, even with a confident answer (FR and EN)', () => {
    const fr = decide(input({ message: 'Je veux parler à un conseiller pour me faire rembourser' }));
    expect(fr).toMatchObject({ action: 'escalate', escalationReason: 'requested_human', team: { id: 'support' } });
    const en = decide(input({ message: 'Can I talk to a real person?', language: 'en' }));
    expect(en).toMatchObject({ action: 'escalate', escalationReason: 'requested_human' });
  });

  it('ignores a request for a human when the agent is set not to escalate on it', () => {
    const decision = decide(input({ message: 'je veux parler a un humain', settings: { escalation: { on_human_request: false } } }));
    expect(decision.escalationReason).not.toBe('requested_human');
  });

  it('escalates a sensitive topic to its team, before frustration (FR and EN)', () => {
    const settings: AgentSettingsInput = {
      escalation: { sensitive_topics: [{ name: 'refund', keywords: ['rembours*', 'refund*'], team: 'billing' }] },
    };
    const history: ConversationTurn[] = [{ role: 'user', text: 'ça ne marche pas' }, { role: 'agent', text: '…' }];
    const fr = decide(input({ message: 'Toujours pas, je veux être remboursé', history, settings }));
    expect(fr).toMatchObject({ action: 'escalate', escalationReason: 'sensitive_topic', sensitiveTopic: 'refund', team: { id: 'billing' } });
    const en = decide(input({ message: 'I want a refund', settings, language: 'en' }));
    expect(en).toMatchObject({ action: 'escalate', escalationReason: 'sensitive_topic', team: { id: 'billing' } });
  });

  it('sends a sensitive topic without a team to the default team', () => {
    const decision = decide(input({ message: 'Je vais contacter mon avocat' }));
    expect(decision).toMatchObject({ escalationReason: 'sensitive_topic', sensitiveTopic: 'legal', team: { id: 'support' } });
  });

  it('sends a sensitive topic without a team to the team of the best article’s rule, before the default team', () => {
    const settings: AgentSettingsInput = { rules: [{ when: { collection: 'Facturation' }, action: 'answer', team: 'billing' }] };
    const decision = decide(input({ message: 'je veux être remboursé', settings }));
    expect(decision).toMatchObject({ escalationReason: 'sensitive_topic', sensitiveTopic: 'refund', team: { id: 'billing' } });
  });

  it('suggests instead when the sensitive topic asks for a suggestion and an article matches', () => {
    const settings: AgentSettingsInput = { escalation: { sensitive_topics: [{ name: 'cancellation', keywords: ['résilier'], action: 'suggest', team: 'retention' }] } };
    const decision = decide(input({ message: 'Comment résilier ?', settings, confidence: 0.6 }));
    expect(decision).toMatchObject({ action: 'suggest', escalationReason: null, sensitiveTopic: 'cancellation', team: { id: 'retention' } });
    expect(decision.supporting.map((article) => article.externalId)).toEqual(['fr-export']);
  });

  it('escalates a "suggest" sensitive topic when nothing matches well enough to suggest', () => {
    const settings: AgentSettingsInput = { escalation: { sensitive_topics: [{ name: 'cancellation', keywords: ['cancel*'], action: 'suggest' }] } };
    const decision = decide(input({ message: 'cancel everything', settings, candidates: [], confidence: 0, language: 'en' }));
    expect(decision).toMatchObject({ action: 'escalate', escalationReason: 'sensitive_topic' });
  });

  it('escalates frustration, unless the agent is set not to (FR and EN)', () => {
    const fr = { message: 'Toujours pas, c’est inutile', history: [{ role: 'user', text: "L'export ne marche pas" }, { role: 'agent', text: '…' }] as ConversationTurn[] };
    expect(decide(input(fr))).toMatchObject({ action: 'escalate', escalationReason: 'frustration' });
    expect(decide(input({ ...fr, settings: { escalation: { frustration: false } } })).escalationReason).not.toBe('frustration');
    const en = decide(input({ message: 'This is useless!!!', language: 'en' }));
    expect(en).toMatchObject({ action: 'escalate', escalationReason: 'frustration' });
  });

  it('escalates when the customer has sent more messages than max_turns', () => {
    const history: ConversationTurn[] = [
      { role: 'user', text: 'Comment exporter ?' },
      { role: 'agent', text: '…' },
      { role: 'user', text: 'Et en CSV ?' },
      { role: 'agent', text: '…' },
    ];
    const settings: AgentSettingsInput = { escalation: { max_turns: 2 } };
    expect(decide(input({ message: 'Et en PDF ?', history, settings }))).toMatchObject({ action: 'escalate', escalationReason: 'too_many_turns' });
    expect(decide(input({ message: 'Et en PDF ?', history, settings: { escalation: { max_turns: 3 } } })).action).toBe('answer');
  });

  it('greets back by asking for the question, and thanks without citing (FR and EN)', () => {
    expect(decide(input({ message: 'Bonjour !' }))).toMatchObject({ action: 'clarify', smallTalk: 'greeting', options: [], supporting: [] });
    expect(decide(input({ message: 'Hello', language: 'en' }))).toMatchObject({ action: 'clarify', smallTalk: 'greeting' });
    expect(decide(input({ message: 'Merci beaucoup !' }))).toMatchObject({ action: 'answer', smallTalk: 'thanks', supporting: [] });
    expect(decide(input({ message: 'thanks, bye', language: 'en' }))).toMatchObject({ action: 'answer', smallTalk: 'goodbye', supporting: [] });
  });

  it('answers a question that starts with a greeting as a question', () => {
    expect(decide(input({ message: 'Bonjour, comment exporter mes factures ?' }))).toMatchObject({ action: 'answer', smallTalk: null });
  });
});

describe('decide: retrieval, rules and confidence', () => {
  it('escalates for low confidence when nothing matches, to the default team', () => {
    const decision = decide(input({ message: 'Quelle est la météo ?', candidates: [] }));
    expect(decision).toMatchObject({ action: 'escalate', escalationReason: 'low_confidence', team: { id: 'support' } });
    expect(decision.reasons).toContain('no article matches the question');
  });

  it('escalates below the escalate threshold to the team of the best article’s rule', () => {
    const settings: AgentSettingsInput = { rules: [{ when: { collection: 'facturation' }, action: 'answer', team: 'billing' }] };
    const decision = decide(input({ message: 'Comment exporter ?', confidence: 0.2, settings }));
    expect(decision).toMatchObject({ action: 'escalate', escalationReason: 'low_confidence', team: { id: 'billing' } });
    expect(decision.reasons).toEqual(['confidence 0.20 < 0.40']);
  });

  it('asks which article is meant, even below the escalate threshold, when several cover a short question alike', () => {
    const candidates = [exportInvoices, { ...downloadPdf, coverage: 0.9 }, { ...changeAddress, coverage: 0.9 }];
    const decision = decide(input({ message: 'facture', candidates, confidence: 0.35 }));
    expect(decision.action).toBe('clarify');
    expect(decision.options.map((option) => option.externalId)).toEqual(['fr-export', 'fr-pdf', 'fr-address']);
    expect(decision.reasons[0]).toMatch(/^confidence 0\.35 < 0\.40, but /);
  });

  it('escalates below the escalate threshold when the alike articles cover the question poorly', () => {
    const poor = [{ ...exportInvoices, coverage: 0.5 }, { ...downloadPdf, coverage: 0.5 }];
    expect(decide(input({ message: 'facture en retard de paiement', candidates: poor, confidence: 0.35 }))).toMatchObject({
      action: 'escalate',
      escalationReason: 'low_confidence',
    });
  });

  it('escalates to no team when neither a rule nor a default team names one', () => {
    const decision = decide(input({ message: 'How do I export?', confidence: 0.1, settings: { default_team: undefined }, language: 'en' }));
    expect(decision.team).toBeNull();
  });

  it('stays out of the conversation on a "nothing" rule', () => {
    const settings: AgentSettingsInput = { rules: [{ when: { section: 'Factures' }, action: 'nothing' }] };
    expect(decide(input({ message: 'Comment exporter mes factures ?', settings }))).toMatchObject({ action: 'ignore', matchedRule: { action: 'nothing' } });
  });

  it('hands over on a "send" rule to the rule’s team', () => {
    const settings: AgentSettingsInput = { rules: [{ name: 'billing', when: { collection: 'Facturation' }, action: 'send', team: 'billing' }] };
    const decision = decide(input({ message: 'Comment exporter mes factures ?', settings }));
    expect(decision).toMatchObject({ action: 'escalate', escalationReason: 'topic_rule', team: { id: 'billing' } });
    expect(decision.reasons).toEqual(['rule "billing" on "Exporter vos factures": send']);
  });

  it('falls back to the backup team when the rule’s team is not configured', () => {
    const input_ = input({ message: 'Comment exporter mes factures ?' });
    input_.settings.rules = [{ when: { collection: 'Facturation' }, action: 'send', team: 'gone', backup_team: 'retention' }];
    expect(decide(input_).team?.id).toBe('retention');
  });

  it('suggests to the rule’s team on a "suggest" rule, even when confident', () => {
    const settings: AgentSettingsInput = { rules: [{ when: { tag: 'export' }, action: 'suggest', team: 'billing' }] };
    const tagged = { ...exportInvoices, tags: ['Export'] };
    const decision = decide(input({ message: 'How do I export my invoices?', candidates: [tagged], settings, language: 'en' }));
    expect(decision).toMatchObject({ action: 'suggest', team: { id: 'billing' }, escalationReason: null });
    expect(decision.supporting).toEqual([tagged]);
  });

  it('answers at or above the answer threshold, citing the first article', () => {
    const decision = decide(input({ message: 'Comment exporter mes factures ?', confidence: 0.75 }));
    expect(decision).toMatchObject({ action: 'answer', reasons: ['confidence 0.75 >= 0.75'], team: null });
    expect(decision.supporting).toEqual([exportInvoices]);
  });

  it('cites only the article the extract quotes, even when another scores alike', () => {
    const candidates = [exportInvoices, downloadPdf, changeAddress];
    expect(decide(input({ message: 'Exporter mes factures en PDF', candidates })).supporting).toEqual([exportInvoices]);
  });

  it('asks which article is meant when 2-3 match alike between the thresholds', () => {
    const candidates = [exportInvoices, downloadPdf, changeAddress, unrelated];
    const decision = decide(input({ message: 'factures', candidates, confidence: 0.55 }));
    expect(decision.action).toBe('clarify');
    expect(decision.options).toEqual([exportInvoices, downloadPdf, changeAddress]);
  });

  it('does not offer a translation of the first article as another option', () => {
    const translation = { ...exportInvoices, externalId: 'en-export', articleId: 'uuid-en-export', title: 'Export your invoices', language: 'en' };
    const decision = decide(input({ message: 'factures', candidates: [exportInvoices, translation, unrelated], confidence: 0.55 }));
    expect(decision.action).toBe('suggest');
  });

  it('suggests to the default team between the thresholds when one article stands out', () => {
    const decision = decide(input({ message: 'Comment exporter mes factures ?', confidence: 0.6 }));
    expect(decision).toMatchObject({ action: 'suggest', team: { id: 'support' }, reasons: ['confidence 0.60 between 0.40 and 0.75'] });
    expect(decision.supporting).toEqual([exportInvoices]);
  });
});

describe('decide: a reply to the options offered', () => {
  const offered: PriorDecision = {
    action: 'clarify',
    confidence: 0.55,
    citedArticleIds: [],
    options: [
      { number: 1, label: exportInvoices.title, articleId: 'fr-export' },
      { number: 2, label: downloadPdf.title, articleId: 'fr-pdf' },
    ],
  };
  const history: ConversationTurn[] = [{ role: 'user', text: 'factures' }, { role: 'agent', text: 'Lequel correspond ?' }];

  it('answers with the chosen article whatever the confidence (FR and EN)', () => {
    const fr = decide(input({ message: 'le 2', history, priorDecisions: [offered], candidates: [exportInvoices, downloadPdf], confidence: 0.3 }));
    expect(fr).toMatchObject({ action: 'answer', supporting: [downloadPdf], reasons: ['the customer chose option 2 ("Télécharger une facture en PDF")'] });
    const en = decide(input({ message: 'the first one', history, priorDecisions: [offered], candidates: [downloadPdf, exportInvoices], confidence: 0.3, language: 'en' }));
    expect(en.supporting).toEqual([exportInvoices]);
  });

  it('applies the chosen article’s topic rule', () => {
    const settings: AgentSettingsInput = { rules: [{ when: { collection: 'Facturation' }, action: 'send', team: 'billing' }] };
    const decision = decide(input({ message: '2', history, priorDecisions: [offered], candidates: [downloadPdf], settings }));
    expect(decision).toMatchObject({ action: 'escalate', escalationReason: 'topic_rule', team: { id: 'billing' } });
  });

  it('decides as usual, and says so, when the chosen article was not retrieved', () => {
    const decision = decide(input({ message: '2', history, priorDecisions: [offered], candidates: [unrelated], confidence: 0.1 }));
    expect(decision).toMatchObject({ action: 'escalate', escalationReason: 'low_confidence' });
    expect(decision.reasons[0]).toContain('which the retrieval did not return');
  });

  it('treats a new question after the options as a question', () => {
    const decision = decide(input({ message: 'Comment changer mon mot de passe ?', history, priorDecisions: [offered], confidence: 0.9 }));
    expect(decision).toMatchObject({ action: 'answer', supporting: [exportInvoices] });
    expect(decision.reasons).toEqual(['confidence 0.90 >= 0.75']);
  });
});

describe('decide: business hours', () => {
  const weekdays = (from: string, to: string) => Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, [{ from, to }]]));
  const settings: AgentSettingsInput = {
    teams: [
      { id: 'support', name: 'Support' },
      { id: 'billing', name: 'Facturation', hours: { timezone: 'Europe/Paris', weekly: weekdays('09:00', '18:00') } },
      { id: 'night', name: 'Astreinte', hours: { timezone: 'America/Montreal', weekly: weekdays('09:00', '17:00') } },
    ],
    default_team: 'support',
    business_hours: { timezone: 'Europe/Paris', weekly: weekdays('08:00', '20:00') },
    rules: [{ when: { collection: 'Facturation' }, action: 'send', team: 'billing', backup_team: 'night' }],
  };
  // Monday 23 November 2026, in Paris (UTC+1): 10:00, 19:00 and 23:00.
  const morning = new Date('2026-11-23T09:00:00Z');
  const evening = new Date('2026-11-23T18:00:00Z');
  const night = new Date('2026-11-23T22:00:00Z');

  it('escalates to the chosen team while it is open', () => {
    const decision = decide(input({ message: 'Je veux parler à un humain', settings, now: morning }));
    expect(decision).toMatchObject({ action: 'escalate', team: { id: 'billing' }, offHours: null });
  });

  it('hands over to the backup team when the team is closed, and says so', () => {
    // 19:00 in Paris is 13:00 in Montreal: the night team is open.
    const decision = decide(input({ message: 'Je veux parler à un humain', settings, now: evening }));
    expect(decision).toMatchObject({ action: 'escalate', team: { id: 'night' }, offHours: null });
    expect(decision.reasons.at(-1)).toBe('team "billing" is closed: team "night" takes it');
  });

  it('keeps the team and tells when it opens when no team is open', () => {
    // 23:00 in Paris is 17:00 in Montreal (closed) and the default team's hours end at 20:00.
    const decision = decide(input({ message: 'I want to talk to a human', settings, now: night, language: 'en' }));
    expect(decision).toMatchObject({ action: 'escalate', team: { id: 'billing' }, offHours: { timeZone: 'Europe/Paris' } });
    expect(decision.offHours?.nextOpening?.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(decision.reasons.at(-1)).toBe('outside business hours: team "billing" opens 2026-11-24T08:00:00.000Z');
  });

  it('uses the agent\'s business hours for teams without their own, and never closes without any', () => {
    const unruled = { ...settings, rules: [] };
    expect(decide(input({ message: 'Je veux parler à un humain', settings: unruled, now: evening })).offHours).toBeNull();
    expect(decide(input({ message: 'Je veux parler à un humain', settings: unruled, now: night })).offHours).not.toBeNull();
    expect(decide(input({ message: 'Je veux parler à un humain', now: night })).offHours).toBeNull();
  });

  it('does not look at hours for an answer', () => {
    const decision = decide(input({ message: 'Comment exporter mes factures ?', candidates: [unrelated], settings, now: night }));
    expect(decision).toMatchObject({ action: 'answer', offHours: null });
  });
});
