export type DetectedLanguage = 'fr' | 'en' | 'unknown';

export interface LanguageGuess {
  language: DetectedLanguage;
  /** 0..1: grows with the amount of evidence and with how one-sided it is. */
  confidence: number;
}

/** Below this the guess is reported as 'unknown' (e.g. "ok", "non", mixed-language messages). */
const MIN_CONFIDENCE = 0.35;
/** Evidence saturates long before this; keeps a 600 KB article cheap. */
const MAX_ANALYSED_CHARS = 20_000;

// Words are matched lowercased and accent-folded. Words common to both languages
// ("a", "on", "me", "as", "an") are in neither list. Greetings and thanks count double:
// they are often the whole of a short chat message.
const FRENCH_WORDS = weights({
  1: `le la les l un une des du de au aux et est sont ou mais donc pour que qui quoi dans avec sans pas ne ni
      plus vous nous je tu il elle ils elles se sa son ses ce cette ces mon ma mes ton ta tes votre vos notre nos
      leur leurs sur par chez tres tout tous toute toutes etre avoir fait faire peut peux veux voudrais
      pourquoi quand quel quelle quels quelles ici aussi deja encore en non si lui y
      aide annuler abonnement facture compte commande livraison remboursement rembourser mot passe connexion
      connecter probleme resilier paiement payer changer modifier supprimer carte`,
  1.5: 'comment',
  2: 'bonjour bonsoir merci salut oui svp stp',
});
const ENGLISH_WORDS = weights({
  1: `the and is are you your to of with for this that these those how what why when where which who do does did
      can could would should will was were be been have has had it its i my we our they their them there here
      from by at in not no if so but or all any get
      cancel refund invoice account subscription order delivery password login log help issue problem payment
      pay change delete card`,
  2: 'hello hi hey thanks thank yes please',
});

// "l'abonnement", "qu'il", "c'est" (a clitic word before the apostrophe) vs "don't", "it's", "I'm".
const FRENCH_ELISION = /(?<!\p{L})(?:l|d|j|qu|c|n|s|m|t|jusqu|lorsqu|puisqu)['’]\p{L}/giu;
const ENGLISH_CONTRACTION = /\p{L}['’](?:s|t|m|re|ve|ll|d)(?!\p{L})/giu;
// French typography puts a space before ? ! : ; and uses « ». Weak: French speakers carry it into English.
const FRENCH_PUNCTUATION = /[\s\u00a0\u202f][?!:;]|[«»]/g;
const FRENCH_LETTERS = /[éèêëàâçùûüôîïœ]/g;

/** Guesses French vs English from stopwords, chat words, accents and typography. No model needed. */
export function detectLanguage(text: string): LanguageGuess {
  const sample = text.slice(0, MAX_ANALYSED_CHARS).toLowerCase();
  let french = 0.5 * count(sample, FRENCH_LETTERS) + 0.5 * count(sample, FRENCH_PUNCTUATION) + count(sample, FRENCH_ELISION);
  let english = count(sample, ENGLISH_CONTRACTION);

  const folded = sample.normalize('NFD').replace(/\p{M}+/gu, '');
  for (const [word] of folded.matchAll(/\p{L}+/gu)) {
    french += FRENCH_WORDS.get(word) ?? 0;
    english += ENGLISH_WORDS.get(word) ?? 0;
  }

  const total = french + english;
  if (total === 0) return { language: 'unknown', confidence: 0 };
  const margin = Math.abs(french - english) / total;
  // One strong word ("merci", "Yes") gives 0.5; a few sentences approach the margin itself.
  const confidence = Math.round(margin * (total / (total + 2)) * 100) / 100;
  if (confidence < MIN_CONFIDENCE) return { language: 'unknown', confidence };
  return { language: french > english ? 'fr' : 'en', confidence };
}

/** Postgres text search configuration for a locale such as "fr", "fr-FR", "fr_ca", "en-us". */
export function textSearchConfig(language: string | null): 'french' | 'english' | 'simple' {
  const primary = language?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'fr') return 'french';
  if (primary === 'en') return 'english';
  return 'simple';
}

function weights(groups: Record<number, string>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [weight, words] of Object.entries(groups)) {
    for (const word of words.split(/\s+/)) if (word) map.set(word, Number(weight));
  }
  return map;
}

function count(text: string, pattern: RegExp): number {
  let n = 0;
  for (const _match of text.matchAll(pattern)) n++;
  return n;
}
