import { describe, expect, it } from 'vitest';
import { detectLanguage, textSearchConfig } from './detect-language';

describe('detectLanguage', () => {
  it('recognises French and English article text with high confidence', () => {
    const french = detectLanguage(
      "Pour annuler votre abonnement, rendez-vous dans les paramètres de votre compte. L'annulation prend effet à la fin de la période en cours et nous vous envoyons une confirmation par e-mail.",
    );
    const english = detectLanguage(
      'To cancel your subscription, go to the settings of your account. The cancellation takes effect at the end of the current period and you will receive a confirmation email.',
    );
    expect(french.language).toBe('fr');
    expect(french.confidence).toBeGreaterThan(0.8);
    expect(english.language).toBe('en');
    expect(english.confidence).toBeGreaterThan(0.8);
  });

  it.each([
    ['Comment annuler ?', 'fr'],
    ["J'ai un problème avec ma facture", 'fr'],
    ['merci', 'fr'],
    ['How do I cancel?', 'en'],
    ["I can't log in", 'en'],
    ['Yes', 'en'],
  ] as const)('detects short chat message %j as %s', (message, language) => {
    expect(detectLanguage(message).language).toBe(language);
  });

  it('gives a single word less confidence than a sentence', () => {
    expect(detectLanguage('merci').confidence).toBeLessThan(detectLanguage('Merci pour votre aide, je vais essayer.').confidence);
  });

  it.each(['ok', '', '42', 'Stripe', '👍', 'non'])('says unknown with low confidence for %j', (message) => {
    const guess = detectLanguage(message);
    expect(guess.language).toBe('unknown');
    expect(guess.confidence).toBeLessThan(0.35);
  });

  it('says unknown for a message that mixes both languages evenly', () => {
    expect(detectLanguage('Bonjour, I cannot log in').language).toBe('unknown');
  });

  it('folds accents so unaccented French typed on an English keyboard is still French', () => {
    expect(detectLanguage('je voudrais resilier mon abonnement svp').language).toBe('fr');
  });

  it('is not fooled by an English sentence quoting a French word', () => {
    expect(detectLanguage('Where is the café menu? I would like to change my order.').language).toBe('en');
  });
});

describe('textSearchConfig', () => {
  it.each([
    ['fr', 'french'],
    ['fr-FR', 'french'],
    ['fr_ca', 'french'],
    ['FR', 'french'],
    ['en', 'english'],
    ['en-us', 'english'],
    ['en_GB', 'english'],
    ['de', 'simple'],
    ['unknown', 'simple'],
    ['', 'simple'],
    [null, 'simple'],
  ] as const)('maps %j to %s', (locale, config) => {
    expect(textSearchConfig(locale)).toBe(config);
  });
});
