const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Percent-encodes non-ASCII characters so a pattern written "/café" matches URL paths, which are encoded. */
const encodeNonAscii = (text: string) => text.replace(/[^\x00-\x7F]+/g, (chars) => encodeURIComponent(chars));

export interface PathPattern {
  /** Length of the pattern as written: robots.txt's longest-match rule compares these. */
  readonly length: number;
  matches(pathAndQuery: string): boolean;
}

/**
 * robots.txt path syntax, also used for include/exclude patterns: matched from the start of the path
 * (plus query), `*` is any run of characters, a final `$` anchors the end.
 */
export function pathPattern(pattern: string): PathPattern {
  const anchored = pattern.endsWith('$');
  const body = encodeNonAscii(anchored ? pattern.slice(0, -1) : pattern);
  const regex = new RegExp(`^${body.split('*').map(escapeRegExp).join('.*')}${anchored ? '$' : ''}`);
  return { length: pattern.length, matches: (pathAndQuery) => regex.test(pathAndQuery) };
}
