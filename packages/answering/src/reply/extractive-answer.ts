import type { ArticleCandidate, ConversationQuery } from '@relai/retrieval';
// Not exported by @relai/ingest's index: the same sentence boundaries as the chunker's.
import { sentenceStarts } from '@relai/ingest';
import { fold, foldedWords, wordKey } from '../policy/text';

export interface ExtractiveAnswerInput {
  query: ConversationQuery;
  /** The first article is quoted; the others are only cited. */
  supporting: readonly ArticleCandidate[];
  maxSentences: number;
}

/** About this many characters at most: a chat bubble, not an article. */
const MAX_CHARS = 500;
/** A numbered procedure is quoted whole up to this length: half a procedure is worse than a long one. */
const MAX_PROCEDURE_CHARS = 800;
/** A bullet list this short is quoted whole (one unit); a longer one item by item. */
const MAX_SHORT_LIST_CHARS = 300;
/** Longer lines are text, even without a final full stop. */
const MAX_HEADING_WORDS = 12;
/** A sentence away from the best ones joins only if it answers nearly as well: contiguous text reads better. */
const DETACHED_SHARE = 0.75;

/** A quotable piece of the passage: a sentence of a paragraph, a bullet of a long list, or a whole procedure or short list. */
interface Unit {
  text: string;
  /** Index of the paragraph or list the unit belongs to: sentences of one paragraph are joined by spaces. */
  block: number;
  kind: 'sentence' | 'item' | 'list';
  score: number;
}

const LIST_ITEM = /^\s*(?:\d{1,2}[.)]|[-•*–])\s+/;
const NUMBERED_ITEM = /^\s*\d{1,2}[.)]\s+/;
/** Widgets and navigation that survive cleaning in some help centers. */
const BOILERPLATE = new RegExp(
  [
    'was this (?:article|page|answer) helpful', 'did this (?:article |answer )?help', 'cet article (?:vous )?a-t-il ete utile',
    'avez-vous trouve (?:cet article|cette reponse) utile', 'related articles', 'articles (?:associes|lies|connexes|similaires)',
    'still need help', "besoin d'(?:aide|plus d'aide)", 'contact us', 'contactez-nous', 'last updated', 'updated (?:on|:)', 'mis a jour le',
    'table of contents', 'sommaire', 'share this article', 'partager cet article', 'in this article', 'dans cet article',
  ]
    .map((pattern) => `^(?:${pattern})\\b`)
    .join('|'),
);

/**
 * Quotes the sentences of the first supporting article's passage that answer the query best: scored
 * by the query's weighted terms (accents folded, light stemming), kept in their order, contiguous when
 * possible, headings and widgets left out, within maxSentences and about 500 characters. A numbered
 * procedure (or a short bullet list) counts as one sentence and keeps its steps on their own lines.
 */
export function extractiveAnswer(input: ExtractiveAnswerInput): string {
  const article = input.supporting[0];
  if (!article) return '';
  const weights = termWeights(input.query);
  const units = quotableUnits(article).map((unit) => ({ ...unit, score: scoreOf(unit.text, weights) }));
  if (!units.length) return '';

  // A procedure longer than MAX_CHARS may be quoted, alone.
  const limit = (selected: Unit[]) => Math.max(MAX_CHARS, ...selected.filter((unit) => unit.kind === 'list').map((unit) => unit.text.length));
  const fits = (selected: Unit[]) => selected.length <= input.maxSentences && render(selected).length <= limit(selected);

  const best = units.reduce((top, unit) => (unit.score > top.score ? unit : top), units[0]!);
  // Nothing in common with the query (a synonym, a translated question): the passage's opening.
  const start = best.score > 0 ? best : units[0]!;
  if (!fits([start])) return cutOnWord(start.text, limit([start]));
  if (best.score === 0) return render(grow([start], units, () => true, fits));

  // The best unit and its scoring neighbours first, then the other strong units, then the sentences
  // that only continue a chosen paragraph or introduce a chosen list ("Pour exporter :").
  let selected = grow([best], units, (unit) => unit.score > 0, fits);
  for (const unit of [...units].sort((a, b) => b.score - a.score)) {
    if (selected.includes(unit) || unit.score < best.score * DETACHED_SHARE) continue;
    const grown = inOrder([...selected, unit], units);
    if (fits(grown)) selected = grown;
  }
  const introduces = (unit: Unit, chosen: Unit[]) => {
    const next = units[units.indexOf(unit) + 1];
    return next !== undefined && chosen.includes(next);
  };
  const continuesChosen = (unit: Unit, chosen: Unit[]) =>
    unit.text.trimEnd().endsWith(':') ? introduces(unit, chosen) : chosen.some((other) => other.block === unit.block);
  return render(grow(selected, units, continuesChosen, fits));
}

/**
 * Adds the accepted units next to the chosen ones while they fit, the best scoring first and, on a
 * tie, the one after (what follows a sentence usually explains it).
 */
function grow(selected: Unit[], units: Unit[], accept: (unit: Unit, chosen: Unit[]) => boolean, fits: (chosen: Unit[]) => boolean): Unit[] {
  const refused = new Set<Unit>();
  for (;;) {
    const positions = new Set(selected.map((unit) => units.indexOf(unit)));
    const neighbours = [...positions]
      .flatMap((position) => [units[position + 1], units[position - 1]])
      .filter((unit): unit is Unit => unit !== undefined && !selected.includes(unit) && !refused.has(unit) && accept(unit, selected));
    const follows = (unit: Unit) => (positions.has(units.indexOf(unit) - 1) ? 0 : 1);
    const next = neighbours.sort((a, b) => b.score - a.score || follows(a) - follows(b))[0];
    if (!next) return selected;
    const grown = inOrder([...selected, next], units);
    if (fits(grown)) selected = grown;
    else refused.add(next);
  }
}

function inOrder(selected: Unit[], units: Unit[]): Unit[] {
  return selected.sort((a, b) => units.indexOf(a) - units.indexOf(b));
}

/** Sentences of one paragraph on one line; bullets, steps and other paragraphs on lines of their own. */
function render(selected: Unit[]): string {
  let text = '';
  selected.forEach((unit, i) => {
    const previous = selected[i - 1];
    if (previous) text += previous.block === unit.block && unit.kind === 'sentence' && previous.kind === 'sentence' ? ' ' : '\n';
    text += unit.kind === 'sentence' ? unit.text.trim() : unit.text.trimEnd();
  });
  return text;
}

/** The passage as units, without headings and widgets. */
function quotableUnits(article: ArticleCandidate): Array<Omit<Unit, 'score'>> {
  const headings = new Set([article.title, ...article.passage.headingPath].map(fold));
  const units: Array<Omit<Unit, 'score'>> = [];
  // Chunks keep one list item per paragraph: consecutive items are gathered into one list.
  let list: string[] = [];
  let block = 0;
  const flushList = () => {
    if (!list.length) return;
    block++;
    const text = list.join('\n');
    const whole = NUMBERED_ITEM.test(list[0]!) ? text.length <= MAX_PROCEDURE_CHARS : text.length <= MAX_SHORT_LIST_CHARS;
    if (whole) units.push({ text, block, kind: 'list' });
    else for (const item of list) units.push({ text: item, block, kind: 'item' });
    list = [];
  };
  for (const paragraph of article.passage.text.split(/\n\s*\n/)) {
    const lines = paragraph.split('\n').filter((line) => line.trim());
    if (!lines.length || isHeading(lines, headings)) continue;
    if (lines.every((line) => LIST_ITEM.test(line) || /^\s/.test(line))) {
      // A new numbered list starts at "1.": two procedures in a row stay two.
      if (/^\s*1[.)]\s/.test(lines[0]!)) flushList();
      list.push(lines.join('\n'));
      continue;
    }
    flushList();
    block++;
    const text = lines.join('\n');
    const starts = sentenceStarts(text);
    starts.forEach((from, i) => {
      const sentence = text.slice(from, starts[i + 1] ?? text.length).trim();
      if (sentence && !BOILERPLATE.test(fold(sentence))) units.push({ text: sentence, block, kind: LIST_ITEM.test(sentence) ? 'item' : 'sentence' });
    });
  }
  flushList();
  return units;
}

/**
 * A heading: the title or a heading of the path, one short line that does not end like a sentence,
 * or a short question alone on its line (an FAQ entry: "Vous ne recevez pas l'e-mail ?").
 */
function isHeading(lines: string[], headings: Set<string>): boolean {
  if (lines.length !== 1) return false;
  const line = lines[0]!.trim();
  const folded = fold(line);
  if (headings.has(folded) || BOILERPLATE.test(folded)) return true;
  if (LIST_ITEM.test(line) || line.split(/\s+/).length > MAX_HEADING_WORDS) return false;
  return line.endsWith('?') ? sentenceStarts(line).length === 1 : !/[.!:;…)»"]$/.test(line);
}

/** Each query term's weight by key; a word shared by several terms counts its best weight. */
function termWeights(query: ConversationQuery): Map<string, number> {
  const weights = new Map<string, number>();
  for (const { term, weight } of query.terms) {
    for (const word of foldedWords(term)) {
      const key = wordKey(word);
      weights.set(key, Math.max(weights.get(key) ?? 0, weight));
    }
  }
  return weights;
}

/** Sum of the weights of the query terms the text contains, each once ("e-mail" counts as "email" too). */
function scoreOf(text: string, weights: Map<string, number>): number {
  const keys = new Set([...foldedWords(text), ...foldedWords(text.replace(/(\p{L})-(\p{L})/gu, '$1$2'))].map(wordKey));
  let score = 0;
  for (const key of keys) score += weights.get(key) ?? 0;
  return score;
}

/** A single sentence longer than the limit: cut after the last whole word that fits, with "…". */
function cutOnWord(text: string, limit: number): string {
  const room = text.slice(0, limit - 1);
  const space = room.search(/\s\S*$/);
  return `${(space > 0 ? room.slice(0, space) : room).replace(/[\s,;:]+$/, '')}…`;
}
