import { describe, expect, it } from 'vitest';
import { parseAgentSettings, type SensitiveTopic } from '../agent-settings';
import type { ConversationTurn, PriorDecision } from '../types';
import { detectFrustration, detectHumanRequest, detectSmallTalk, matchSensitiveTopic } from './triggers';

describe('detectHumanRequest', () => {
  it.each([
    'Je veux parler à un humain',
    'je veux parler a un humain',
    'Je voudrais parler à un conseiller, s’il vous plaît',
    'est-ce que je peux parler a un conseillé ?',
    'J’aimerais échanger avec une vraie personne',
    'Mettez-moi en relation avec quelqu’un',
    'mettez moi en relation svp',
    'Passez-moi un conseiller !',
    'Un agent humain svp',
    'Je souhaite être mise en relation avec le service client',
    'je veux parler à quelqu’un, pas à un robot',
    'Humain',
    'CONSEILLER SVP',
    'Mes clients se plaignent, je veux parler à quelqu’un',
  ])('hears a French request for a human: %s', (text) => {
    expect(detectHumanRequest(text)).toBe(true);
  });

  it.each([
    'I want to talk to a human',
    'Can I speak to someone please?',
    'talk to a real person',
    'I need a real person, not a bot',
    "I'd like to speak with a representative",
    'Can you transfer me to an agent?',
    'Operator',
    'operator please',
    'Get me a human',
    'Is there a live agent?',
    'let me talk to customer service',
  ])('hears an English request for a human: %s', (text) => {
    expect(detectHumanRequest(text)).toBe(true);
  });

  it.each([
    'Comment ajouter un agent à mon équipe ?',
    'Je voudrais ajouter un conseiller à mon compte',
    'Comment permettre à mes clients de parler à un conseiller ?',
    'Comment gérer les ressources humaines dans Facturo ?',
    'Je ne veux pas parler à un humain, juste exporter mes factures',
    'Comment parler de mes tarifs à mes clients ?',
    'Combien d’agents puis-je avoir ?',
  ])('does not hear a human request in a French question about the product: %s', (text) => {
    expect(detectHumanRequest(text)).toBe(false);
  });

  it.each([
    'How do I add a user?',
    'How do I add an agent to my team?',
    'How can my customers talk to an agent?',
    'How do I assign a conversation to an agent?',
    "I don't need a human, just the invoice",
    'How many people can use one account?',
  ])('does not hear a human request in an English question about the product: %s', (text) => {
    expect(detectHumanRequest(text)).toBe(false);
  });
});

describe('matchSensitiveTopic', () => {
  const topics: SensitiveTopic[] = parseAgentSettings({}).escalation.sensitive_topics;

  it('matches a prefix keyword in any form, whatever the case and accents', () => {
    expect(matchSensitiveTopic('Je voudrais être REMBOURSÉ', topics)).toMatchObject({ topic: { name: 'refund' }, keyword: 'rembours*' });
    expect(matchSensitiveTopic('How do I get a refund?', topics)?.topic.name).toBe('refund');
    expect(matchSensitiveTopic('Refunds take how long?', topics)?.topic.name).toBe('refund');
  });

  it('matches a multi-word phrase in French and English, accents or not', () => {
    expect(matchSensitiveTopic('je veux resilier', topics)?.topic.name).toBe('account_cancellation');
    expect(matchSensitiveTopic('Comment annuler mon abonnement ?', topics)?.topic.name).toBe('account_cancellation');
    expect(matchSensitiveTopic('Please cancel my   subscription.', topics)?.topic.name).toBe('account_cancellation');
    expect(matchSensitiveTopic('Je vais contacter mon avocat', topics)?.topic.name).toBe('legal');
    expect(matchSensitiveTopic("J'ai reçu une mise en demeure", topics)?.topic.name).toBe('legal');
  });

  it('matches whole words only', () => {
    const custom: SensitiveTopic[] = [{ name: 'legal', keywords: ['sue', 'procès'], action: 'escalate' }];
    expect(matchSensitiveTopic('I will sue you', custom)?.topic.name).toBe('legal');
    expect(matchSensitiveTopic('There is an issue with my invoice', custom)).toBeNull();
    expect(matchSensitiveTopic('Le processus de paiement', custom)).toBeNull();
    expect(matchSensitiveTopic('un procès', custom)?.keyword).toBe('procès');
  });

  it('does not match a phrase whose words are apart', () => {
    expect(matchSensitiveTopic('Comment annuler une facture de mon abonnement ?', topics)).toBeNull();
    expect(matchSensitiveTopic('How do I close the invoice for my account?', topics)).toBeNull();
  });

  it('returns the first topic in the configured order', () => {
    expect(matchSensitiveTopic('résilier et me faire rembourser', topics)?.topic.name).toBe('refund');
  });
});

describe('detectFrustration', () => {
  const answered: PriorDecision[] = [{ action: 'answer', confidence: 0.8, citedArticleIds: ['a1'], options: [] }];
  const user = (text: string): ConversationTurn => ({ role: 'user', text });
  const agent = (text: string): ConversationTurn => ({ role: 'agent', text });

  it('does not take a single mild complaint for frustration (FR and EN)', () => {
    expect(detectFrustration([user('ça ne marche pas')], [])).toBeNull();
    expect(detectFrustration([user('Export is not working')], [])).toBeNull();
  });

  it('sees frustration in repeated negative messages in French', () => {
    const turns = [user('L’export ne marche pas'), agent('Essayez de vider le cache.'), user('Toujours pas, c’est n’importe quoi')];
    expect(detectFrustration(turns, answered)).toMatchObject({ kind: 'negative_messages' });
  });

  it('sees frustration in repeated negative messages in English', () => {
    const turns = [user('The export is not working'), agent('Try clearing your cache.'), user('Still not working, this is useless')];
    expect(detectFrustration(turns, answered)).toMatchObject({ kind: 'negative_messages' });
  });

  it('sees frustration in one insult or one shouted complaint', () => {
    expect(detectFrustration([user('Votre appli est débile')], [])).not.toBeNull();
    expect(detectFrustration([user('ÇA NE MARCHE TOUJOURS PAS !!!')], [])).not.toBeNull();
    expect(detectFrustration([user('this is crap')], [])).not.toBeNull();
    expect(detectFrustration([user("IT STILL DOESN'T WORK")], [])).not.toBeNull();
  });

  it('does not take enthusiasm or acronyms for shouting', () => {
    expect(detectFrustration([user('ça ne marche pas'), agent('…'), user('MERCI !!!')], answered)).toBeNull();
    expect(detectFrustration([user('Export FEC ou CSV pour la TVA ?')], [])).toBeNull();
  });

  it('sees the same question asked again after an answer, in French and English', () => {
    const fr = [user('Comment exporter mes factures en PDF ?'), agent('Ouvrez Factures puis Exporter.'), user('je veux exporter les factures en pdf')];
    expect(detectFrustration(fr, answered)).toMatchObject({ kind: 'repeated_question' });
    const en = [user('How do I export my invoices?'), agent('Open Invoices, then Export.'), user('how can I export invoices??')];
    expect(detectFrustration(en, answered)).toMatchObject({ kind: 'repeated_question' });
  });

  it('does not take a follow-up on a new point for a repeated question', () => {
    const turns = [user('Comment exporter mes factures ?'), agent('Ouvrez Factures puis Exporter.'), user('Et comment modifier une facture déjà envoyée ?')];
    expect(detectFrustration(turns, answered)).toBeNull();
  });

  it('needs an answer or options between the two questions', () => {
    const turns = [user('How do I export my invoices?'), agent('Let me check.'), user('How do I export my invoices?')];
    expect(detectFrustration(turns, [{ action: 'escalate', confidence: 0.1, citedArticleIds: [], options: [] }])).toBeNull();
  });
});

describe('detectSmallTalk', () => {
  it.each([
    ['Bonjour', 'greeting'],
    ['bonjour 👋', 'greeting'],
    ['Salut, j’ai une question', 'greeting'],
    ['Hello there!', 'greeting'],
    ['Hi, can you help me?', 'greeting'],
    ['Merci beaucoup !', 'thanks'],
    ['merci pour votre aide', 'thanks'],
    ['Thanks a lot!', 'thanks'],
    ['thank you so much for your help', 'thanks'],
    ['Parfait, merci', 'thanks'],
    ['thanks, bye', 'goodbye'],
    ['Merci, au revoir et bonne journée', 'goodbye'],
    ['Au revoir', 'goodbye'],
    ['Have a nice day', 'goodbye'],
  ])('classifies "%s" as %s', (text, kind) => {
    expect(detectSmallTalk(text)).toBe(kind);
  });

  it.each([
    'Bonjour, comment exporter mes factures ?',
    'Merci, mais comment je change mon mot de passe ?',
    'Hi, how do I reset my password?',
    'Thanks, and what about refunds?',
    'ça marche pas',
    'Comment exporter mes factures ?',
  ])('does not take a question for small talk: %s', (text) => {
    expect(detectSmallTalk(text)).toBeNull();
  });
});
