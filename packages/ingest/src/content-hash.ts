import { createHash } from 'node:crypto';

export interface ContentHashParts {
  title: string;
  text: string;
  url: string | null;
  collectionPath: string[];
  locale: string | null;
  state: string;
}

/**
 * Fingerprint of everything about an article that search depends on: equal hashes mean a
 * re-sync can skip the article. Bump the version tag if the serialisation ever changes.
 */
export function contentHash(parts: ContentHashParts): string {
  // A JSON array keeps field order fixed and field boundaries unambiguous ("ab"+"c" vs "a"+"bc"),
  // and keeps null apart from "" and ["a/b"] apart from ["a", "b"].
  const canonical = JSON.stringify([
    'relai-content-v1',
    parts.title,
    parts.text,
    parts.url,
    parts.collectionPath,
    parts.locale,
    parts.state,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
