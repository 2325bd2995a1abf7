import type { Block, CleanDocument } from '../pipeline-types';

// Zero-width spaces/joiners, word joiner, BOM and soft hyphens: invisible, but they split words for search.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/** Collapses whitespace (nbsp and other Unicode spaces included) to single spaces, keeping "\n" line breaks. */
export function normaliseText(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Code keeps its indentation and line breaks; only invisible characters, nbsp and blank edges go. */
export function normaliseCode(code: string): string {
  return code
    .replace(INVISIBLE, '')
    .replace(/\u00a0/g, ' ')
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd();
}

export function toDocument(blocks: Block[], truncatedReason: string | null = null): CleanDocument {
  return { blocks, text: blocks.map((block) => block.text).join('\n\n'), truncatedReason };
}
