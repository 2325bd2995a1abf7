import type { Chunk, CleanDocument } from '../pipeline-types';
import { sentenceStarts } from './sentences';

export interface ChunkOptions {
  /** Target chunk size in characters. Default 1200. */
  maxChars?: number;
  /** Text repeated between consecutive pieces of one split section. Default min(150, maxChars / 4). */
  overlapChars?: number;
  /** Chunks smaller than this are merged with a neighbour under the same heading. Default min(200, maxChars / 4). */
  minChars?: number;
}

/** Text under one heading, up to the next heading of any level. */
interface Section {
  path: string[];
  blocks: string[];
}

/** A section, or one part of a section too big for a chunk. */
interface Piece {
  path: string[];
  text: string;
  /** Starts with overlap from the previous piece of the same section, so never shares its chunk. */
  continuation: boolean;
}

interface Sizes {
  maxChars: number;
  overlapChars: number;
  minChars: number;
}

/**
 * Splits an article into retrieval chunks along its headings. Short articles stay whole. Larger ones
 * get one chunk per section, small sibling sections packed together up to maxChars, big sections split
 * on block, then sentence, then word boundaries with overlap. maxChars is soft: a chunk grows past it
 * (by a few times minChars at worst) when a tiny (< minChars) neighbour is merged rather than left alone.
 * Linear in the article size.
 */
export function chunkDocument(title: string, doc: CleanDocument, options: ChunkOptions = {}): Chunk[] {
  const sizes = resolveSizes(options);
  if (doc.text.trim() === '') return [];
  if (doc.text.length <= sizes.maxChars) return [toChunk(title, 0, [], doc.text)];

  const pieces = toSections(doc).flatMap((section) => splitSection(section, sizes));
  const groups = mergeTinyLeftovers(packPieces(pieces, sizes), sizes);
  return groups.map((group, position) => {
    const { path, text } = render(group);
    return toChunk(title, position, path, text);
  });
}

function resolveSizes(options: ChunkOptions): Sizes {
  const maxChars = options.maxChars ?? 1200;
  const overlapChars = options.overlapChars ?? Math.min(150, Math.floor(maxChars / 4));
  const minChars = options.minChars ?? Math.min(200, Math.floor(maxChars / 4));
  if (!Number.isInteger(maxChars) || maxChars < 20) throw new RangeError(`maxChars must be an integer >= 20, got ${maxChars}`);
  // Overlap below half a chunk guarantees every new piece still has room for fresh text.
  if (!(overlapChars >= 0 && overlapChars * 2 < maxChars)) {
    throw new RangeError(`overlapChars must be >= 0 and below maxChars / 2, got ${overlapChars}`);
  }
  if (!(minChars >= 0 && minChars < maxChars)) throw new RangeError(`minChars must be >= 0 and below maxChars, got ${minChars}`);
  return { maxChars, overlapChars, minChars };
}

function toChunk(title: string, position: number, headingPath: string[], text: string): Chunk {
  return { position, headingPath, text, context: [title, ...headingPath].filter((part) => part !== '').join(' > ') };
}

function toSections(doc: CleanDocument): Section[] {
  const open: { level: number; text: string }[] = [];
  let current: Section = { path: [], blocks: [] };
  const sections = [current];
  for (const block of doc.blocks) {
    if (block.type === 'text') {
      current.blocks.push(block.text);
      continue;
    }
    while (open.length > 0 && (open.at(-1)?.level ?? 0) >= block.level) open.pop();
    open.push({ level: block.level, text: block.text });
    current = { path: open.map((heading) => heading.text), blocks: [] };
    sections.push(current);
  }
  // A heading directly followed by a sub-heading lives on in its children's paths.
  return sections.filter((section) => section.blocks.length > 0);
}

interface Unit {
  text: string;
  /** Joins the unit to the text before it: a blank line between blocks; nothing within a block, whose
   *  units are raw slices that still carry their own spaces and line breaks. */
  separator: string;
}

interface PieceDraft {
  overlap: string;
  /** Between the overlap and the first unit: the whitespace that was there in the source. */
  gap: string;
  units: Unit[];
}

function splitSection(section: Section, sizes: Sizes): Piece[] {
  const body = section.blocks.join('\n\n');
  if (body.length <= sizes.maxChars) return [{ path: section.path, text: body, continuation: false }];

  // Any unit plus a full overlap fits in one piece, so every piece makes progress.
  const unitMax = sizes.maxChars - sizes.overlapChars - 2;
  const done: PieceDraft[] = [];
  let current: PieceDraft = { overlap: '', gap: '', units: [] };
  let length = 0;
  let contentLength = 0;

  const add = (unit: Unit) => {
    const last = current.units.at(-1);
    if (last && length + unit.separator.length + unit.text.length > sizes.maxChars) {
      done.push(current);
      const overlap = overlapOf(renderPiece(current), sizes.overlapChars);
      const gap = unit.separator || trailingBreak(last.text);
      current = { overlap, gap, units: [] };
      length = overlap === '' ? 0 : overlap.length + gap.length;
      contentLength = 0;
    }
    length += (length > 0 ? unit.separator.length : 0) + unit.text.length;
    contentLength += unit.text.length;
    current.units.push(unit);
  };

  for (const block of section.blocks) {
    // Whole blocks first; a block is cut into sentences only when it is too big, or when closing
    // the piece here would leave it tiny.
    const fits = length + 2 + block.length <= sizes.maxChars;
    if (block.length <= unitMax && (fits || contentLength >= sizes.minChars)) {
      add({ text: block, separator: '\n\n' });
      continue;
    }
    const starts = sentenceStarts(block);
    starts.forEach((start, i) => {
      const sentence = block.slice(start, starts[i + 1] ?? block.length);
      hardSplit(sentence, unitMax).forEach((fragment, j) => add({ text: fragment, separator: i === 0 && j === 0 ? '\n\n' : '' }));
    });
  }

  // A tiny tail reads better appended to the piece before it than as a chunk of its own.
  const previous = done.at(-1);
  if (previous && contentLength < sizes.minChars) previous.units.push(...current.units);
  else done.push(current);

  return done.map((piece, i) => ({ path: section.path, text: renderPiece(piece), continuation: i > 0 }));
}

function renderPiece(piece: PieceDraft): string {
  let text = piece.overlap;
  piece.units.forEach((unit, i) => {
    if (text !== '') text += i === 0 ? piece.gap : unit.separator;
    text += unit.text;
  });
  return text.trimEnd();
}

/** The last whole sentences of `text` that fit in `budget`, else its last words. */
function overlapOf(text: string, budget: number): string {
  if (budget === 0) return '';
  let best = '';
  const starts = sentenceStarts(text);
  for (let i = starts.length - 1; i >= 0; i--) {
    const candidate = text.slice(starts[i]).trim();
    if (candidate.length > budget) break;
    best = candidate;
  }
  if (best !== '') return best;
  // Giant unbroken text (a URL, a token) overlaps by raw characters.
  const tail = text.slice(-budget);
  const wordStart = tail.search(/\s\S/);
  return wordStart >= 0 ? tail.slice(wordStart + 1) : tail;
}

/** The break a unit ended with in the source: a line break, a space, or none after a mid-word cut. */
function trailingBreak(text: string): string {
  const whitespace = /\s*$/.exec(text)?.[0] ?? '';
  if (whitespace.includes('\n')) return '\n';
  return whitespace === '' ? '' : ' ';
}

/**
 * Cuts text longer than `limit` after the last space before the limit, or mid-word when there is
 * none. The fragments concatenate back to the original.
 */
function hardSplit(text: string, limit: number): string[] {
  const fragments: string[] = [];
  let start = 0;
  while (text.length - start > limit) {
    const space = text.lastIndexOf(' ', start + limit - 1);
    let cut = space > start + limit / 2 ? space + 1 : start + limit;
    // Never split a surrogate pair.
    if (/[\udc00-\udfff]/.test(text[cut] ?? '')) cut--;
    fragments.push(text.slice(start, cut));
    start = cut;
  }
  fragments.push(text.slice(start));
  return fragments;
}

/** Greedily packs consecutive pieces under the same top-level heading into chunks of at most maxChars. */
function packPieces(pieces: Piece[], sizes: Sizes): Piece[][] {
  const groups: Piece[][] = [];
  for (const piece of pieces) {
    const group = groups.at(-1);
    const first = group?.[0];
    if (group && first && !piece.continuation) {
      // A tiny group (e.g. an h2's one-line intro) takes the next piece even past maxChars.
      const fits = render([...group, piece]).text.length <= sizes.maxChars || render(group).text.length < sizes.minChars;
      if (branch(first) === branch(piece) && fits) {
        group.push(piece);
        continue;
      }
    }
    groups.push([piece]);
  }
  return groups;
}

/** A tiny last group under a top-level heading joins the group before it, under the same heading. */
function mergeTinyLeftovers(groups: Piece[][], sizes: Sizes): Piece[][] {
  const merged: Piece[][] = [];
  for (const group of groups) {
    const previous = merged.at(-1);
    const head = group[0];
    const before = previous?.at(-1);
    if (previous && head && before && !head.continuation && branch(before) === branch(head) && render(group).text.length < sizes.minChars) {
      previous.push(...group);
    } else merged.push(group);
  }
  return merged;
}

/** The top-level heading a piece sits under ('' for text before the first heading). */
function branch(piece: Piece): string {
  return piece.path[0] ?? '';
}

/**
 * A chunk's heading path is what its pieces share; headings below that are written into the text,
 * each once, so a chunk packing "Refunds" and "Invoices" still names them.
 */
function render(group: Piece[]): { path: string[]; text: string } {
  const path = group.reduce<string[]>((shared, piece, i) => (i === 0 ? piece.path : shared.slice(0, commonLength(shared, piece.path))), []);
  const parts: string[] = [];
  let written = path;
  for (const piece of group) {
    parts.push(...piece.path.slice(commonLength(written, piece.path)));
    parts.push(piece.text);
    written = piece.path;
  }
  return { path, text: parts.join('\n\n') };
}

function commonLength(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
