import { contentWords } from '@relai/retrieval';

/**
 * Text normalisation shared by the triggers, the option picker and the reply builders: customers type
 * without accents, with ’ or ', in capitals; every comparison happens on the folded form.
 */

/** Lowercase, accents removed, ’ ‘ ` ´ → ', ligatures spelled out, runs of whitespace → one space. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Folded words (letters and digits), in order; apostrophes and hyphens separate words ("l'avocat" → l, avocat). */
export function foldedWords(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Beyond this many letters a word's ending is inflection: "facture", "factures", "facturation" share "factur". */
const KEY_LENGTH = 6;

/**
 * A light stem for comparing words across inflections in French and English: folded, plural -s/-x
 * dropped, cut to six letters ("exporter" and "export", "invoices" and "invoice" get the same key).
 */
export function wordKey(word: string): string {
  const folded = fold(word);
  const singular = folded.length > 3 ? folded.replace(/[sx]$/, '') : folded;
  return singular.slice(0, KEY_LENGTH);
}

/** Keys of the topic-carrying words of a text (the retrieval's stopwords removed), without repeats. */
export function contentKeys(text: string): Set<string> {
  return new Set(contentWords(text).map(wordKey));
}

/**
 * A regular expression over folded text that matches any of `phrases` as whole words. In a phrase a
 * space matches any run of spaces and punctuation, and "'" an apostrophe, a space or nothing ("qu'un",
 * "qu un", "quun") and a trailing "*" any ending ("énerv*": énervé, énervant), so that the phrases
 * can be written once, in their usual spelling.
 */
export function phrasePattern(phrases: readonly string[], flags = 'u'): RegExp {
  const alternatives = phrases.map((phrase) =>
    fold(phrase)
      .split(/([ '])/)
      .map((part) => (part === ' ' ? "[\\s'\\-.,]+" : part === "'" ? "['\\s]?" : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '[\\p{L}\\p{N}]*')))
      .join(''),
  );
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, flags);
}
