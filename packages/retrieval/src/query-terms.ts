/**
 * Words of a question as OR-ed tsquery terms. Natural questions rarely contain every word of the
 * right article, so an AND query (plainto_tsquery) misses most of them; ranking sorts out the OR.
 */
export function orQuery(text: string): string | null {
  const words = text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 || /\d/.test(word));
  const unique = [...new Set(words)].slice(0, 40);
  // Quoted lexemes: to_tsquery then stems them in the chunk's language and drops its stopwords.
  return unique.length ? unique.map((word) => `'${word}'`).join(' | ') : null;
}
