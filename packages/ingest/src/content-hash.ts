import { createHash } from 'node:crypto';

/**
 * Bump when cleaning or chunking changes what an unchanged source article turns into: every
 * article's hash changes and the next sync re-indexes them all.
 */
export const PIPELINE_VERSION = 'clean-v1/chunk-v1';

export interface ContentHashParts {
  title: string;
  /** The body exactly as the source served it: hashing it raw lets a re-sync skip cleaning. */
  body: string;
  bodyFormat: 'html' | 'text';
  url: string | null;
  collectionPath: string[];
  locale: string | null;
  state: string;
  tags: string[];
}

/**
 * Fingerprint of everything about a source article that search depends on, plus the pipeline
 * version: equal hashes mean a re-sync can skip the article without parsing it.
 */
export function contentHash(parts: ContentHashParts): string {
  // A JSON array keeps field order fixed and field boundaries unambiguous ("ab"+"c" vs "a"+"bc"),
  // and keeps null apart from "" and ["a/b"] apart from ["a", "b"].
  const canonical = JSON.stringify([
    'relai-content-v2',
    PIPELINE_VERSION,
    parts.title,
    parts.bodyFormat,
    parts.body,
    parts.url,
    parts.collectionPath,
    parts.locale,
    parts.state,
    parts.tags,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
