// Words that end with a dot without ending the sentence: "p. ex.", "e.g.", "art. 293 B", "M. Dupont".
const ABBREVIATIONS = new Set([
  'e.g', 'i.e', 'cf', 'vs', 'etc', 'ex', 'env', 'art', 'al', 'approx', 'fig', 'chap', 'vol', 'pp', 'nb', 'réf',
  'ref', 'tél', 'tel', 'av', 'bd', 'mr', 'mrs', 'ms', 'dr', 'st', 'mme', 'mlle', 'jr', 'sr', 'inc', 'ltd', 'corp',
  'dept', 'c.-à-d', 'c-à-d', 'resp', 'ibid', 'éd', 'sq',
]);

// Sentence-ending punctuation, closing quotes/brackets (French « » take a space inside), then
// whitespace; or a line break.
const CANDIDATE = /[.!?…]+(?:[ \u00a0\u202f]?»|["'”’)\]])*[ \t\u00a0\u202f]+|\n+/g;

/**
 * Start offsets of the sentences in `text` (the first is always 0). French and English punctuation,
 * line breaks always end a sentence; a dot after an abbreviation or an initial does not, and neither
 * does any punctuation followed by a lowercase word. Decimals never match (no space after the dot).
 */
export function sentenceStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(CANDIDATE)) {
    const end = match.index + match[0].length;
    if (end >= text.length) break;
    if (match[0][0] !== '\n' && !endsSentence(text, match.index, match[0], end)) continue;
    starts.push(end);
  }
  return starts;
}

function endsSentence(text: string, punctuationAt: number, punctuation: string, next: number): boolean {
  const following = text[next] ?? '';
  if (following !== following.toUpperCase()) return false; // lowercase: "p. ex. le", "Bonjour ! je"
  if (!punctuation.startsWith('.') || punctuation.startsWith('..')) return true;
  let wordStart = punctuationAt;
  while (wordStart > 0 && !/\s/.test(text[wordStart - 1] ?? ' ')) wordStart--;
  const word = text.slice(wordStart, punctuationAt).replace(/^[("'«“‘[]+/, '').toLowerCase();
  // A single letter is an initial ("J. Martin") or "p." for page.
  return !(ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word));
}
