import { load } from 'cheerio';
import type { AnyNode, Element, Text as TextNode } from 'domhandler';
import type { Block, CleanDocument } from '../pipeline-types';
import { normaliseCode, normaliseText, toDocument } from './normalise';

export { textToDocument } from './text-to-document';

export interface HtmlToDocumentOptions {
  /** Bytes of HTML parsed at most; the rest is dropped and reported. Default 1_000_000. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1_000_000;

/** Never content: scripts, embeds, page chrome and interactive widgets. */
const DROPPED_TAGS = new Set([
  'script', 'style', 'noscript', 'iframe', 'svg', 'nav', 'header', 'footer', 'aside', 'form', 'button',
  'template', 'object', 'embed', 'canvas', 'audio', 'video', 'select', 'textarea', 'input', 'dialog', 'head',
]);

/** Elements that start a new block; everything else flows inline into the surrounding text. */
const BLOCK_TAGS = new Set([
  'address', 'article', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'hgroup', 'hr', 'legend', 'li', 'main', 'p', 'section', 'summary',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'tr',
]);

const BOILERPLATE_ROLES = new Set([
  'navigation', 'banner', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'toolbar', 'dialog', 'alertdialog',
]);
// Matched against each class/id token, split into words ("relatedArticles" -> "related-articles").
// Anchored at the end so the keyword is what the element *is*: "main-menu" matches, "menu-path" (a UI path
// quoted in an article) does not.
const BOILERPLATE_TOKEN =
  /(?:^|-)(?:nav|navbar|navigation|subnav|menu|menubar|breadcrumbs?|sidebar|toc|table-of-contents|pagination|pager|share|sharing|social|social-links|newsletter|comments|related|related-(?:articles|posts|links|content)|recent-articles|recently-viewed|votes?|voting|rating|feedback|helpful|helpfulness|cookies?|cookie-(?:banner|consent|notice|bar)|consent|consent-banner|gdpr|skip-link)$/;
// Layout modifiers such as "has-sidebar" or "with-nav" sit on the wrapper of the whole page.
const MODIFIER_TOKEN = /^(?:has|with|without|no|is|show|hide)-/;

const FEEDBACK_TEXT =
  /^(?:was this (?:article|page|answer) helpful|did this (?:article |answer )?(?:help|answer your question)|cet article (?:vous )?a-t-il été utile|cette (?:réponse|page) (?:vous )?a-t-elle été utile|avez-vous trouvé (?:cet article|cette réponse) utile|\d+ (?:out of|sur) \d+ .*(?:found this helpful|ont trouvé cela utile))/i;
const YES_NO_TEXT = /^(?:(?:yes|no|oui|non)\b[\s/|]*)+$/i;
const RELATED_HEADING =
  /^(?:related articles|recently viewed articles|you may also like|articles (?:associés|liés|connexes|similaires)|articles récemment consultés)$/i;

const GENERIC_ALT =
  /^(?:image|img|picture|photo|screenshot|screen shot|capture|capture d['’]écran|logo|icon|icône|spacer|graphic|illustration|untitled|null|undefined)$/i;
const FILE_LIKE_ALT = /\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?)$|^(?:img|image|dsc|screenshot|capture)[-_ ]?\d/i;

/** Deeper than this, a subtree is read as plain text: keeps pathological nesting from overflowing the stack. */
const MAX_DEPTH = 400;

/**
 * Turns an article's HTML into readable blocks: headings, paragraphs, one block per list item,
 * table row and code block. Page chrome and widgets are dropped; broken HTML is parsed leniently.
 */
export function htmlToDocument(html: string, options: HtmlToDocumentOptions = {}): CleanDocument {
  const { html: parsed, truncatedReason } = cutToSize(html, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const $ = load(parsed);
  const out = new BlockWriter();
  // parse5 always builds a <body>, even for a bare fragment; <head> (title, meta) is not content.
  const body = $('body').get(0);
  if (body) walk(body, out, 0);
  out.flush();
  return toDocument(dropWidgets(out.blocks), truncatedReason);
}

/** Collects blocks; inline text accumulates until something block-level starts. */
class BlockWriter {
  readonly blocks: Block[] = [];
  private inline: string[] = [];

  text(data: string): void {
    // Source newlines inside text are just spaces; only <br> makes a line break.
    this.inline.push(data.replace(/\s+/g, ' '));
  }

  lineBreak(): void {
    this.inline.push('\n');
  }

  flush(): void {
    if (this.inline.length === 0) return;
    const text = normaliseText(this.inline.join(''));
    this.inline = [];
    if (text !== '') this.blocks.push({ type: 'text', text });
  }

  /** Ends the inline text before it, then adds the block (empty ones are dropped). */
  push(block: Block): void {
    this.flush();
    if (block.text !== '') this.blocks.push(block);
  }
}

function walk(node: AnyNode, out: BlockWriter, depth: number): void {
  if (isText(node)) return out.text(node.data);
  if (!isElement(node)) return; // comments, doctypes
  if (depth > MAX_DEPTH) return out.text(` ${textContent(node)} `);

  const name = node.name.toLowerCase();
  if (DROPPED_TAGS.has(name) || isBoilerplate(node)) {
    out.text(' ');
    return;
  }
  const heading = /^h([1-6])$/.exec(name);
  if (heading) {
    out.push({ type: 'heading', level: Number(heading[1]), text: inlineText(node, depth) });
    return;
  }
  switch (name) {
    case 'br':
      return out.lineBreak();
    case 'img': {
      const alt = normaliseText(node.attribs.alt ?? '');
      if (alt.length > 1 && !GENERIC_ALT.test(alt) && !FILE_LIKE_ALT.test(alt)) out.text(` ${alt} `);
      return;
    }
    case 'pre':
      return out.push({ type: 'text', text: normaliseCode(textContent(node)) });
    case 'ul':
    case 'ol':
      out.flush();
      return writeList(node, out, 0, depth);
    case 'li':
      // A list item outside any list (sloppy HTML) still reads as one.
      out.flush();
      return writeListItem(node, '- ', out, 0, depth);
    case 'table':
      out.flush();
      return writeTable(node, out, depth);
  }
  const isBlock = BLOCK_TAGS.has(name);
  if (isBlock) out.flush();
  for (const child of node.children) walk(child, out, depth + 1);
  if (isBlock) out.flush();
}

function writeList(list: Element, out: BlockWriter, level: number, depth: number): void {
  const ordered = list.name.toLowerCase() === 'ol';
  const start = Number.parseInt(list.attribs.start ?? '1', 10);
  let n = Number.isNaN(start) ? 1 : start;
  for (const child of list.children) {
    if (!isElement(child)) continue;
    const name = child.name.toLowerCase();
    if (name === 'li') writeListItem(child, ordered ? `${n++}. ` : '- ', out, level, depth + 1);
    // A list directly inside a list (instead of inside an <li>) is a common editor quirk.
    else if (name === 'ul' || name === 'ol') writeList(child, out, level + 1, depth + 1);
    else walk(child, out, depth + 1);
  }
  out.flush();
}

function writeListItem(item: Element, marker: string, out: BlockWriter, level: number, depth: number): void {
  const indent = '  '.repeat(level);
  const own = new BlockWriter();
  const nested: Element[] = [];
  for (const child of item.children) {
    if (isElement(child) && /^(?:ul|ol)$/i.test(child.name)) nested.push(child);
    else walk(child, own, depth + 1);
  }
  own.flush();
  // The first block carries the marker; further paragraphs or code in the item are indented under it.
  own.blocks.forEach((block, i) => {
    const prefix = i === 0 ? `${indent}${marker}` : `${indent}${' '.repeat(marker.length)}`;
    out.push({ type: 'text', text: prefix + block.text });
  });
  for (const list of nested) writeList(list, out, level + 1, depth + 1);
}

interface Cell {
  text: string;
  isHeader: boolean;
  span: number;
}

function writeTable(table: Element, out: BlockWriter, depth: number): void {
  const rows: { cells: Cell[]; inHead: boolean }[] = [];
  const cellElements: Element[] = [];
  const addRow = (tr: Element, inHead: boolean) => {
    const cells = tr.children.filter(isElement).filter((cell) => /^t[dh]$/i.test(cell.name));
    cellElements.push(...cells);
    rows.push({
      inHead,
      cells: cells.map((cell) => ({
        text: inlineText(cell, depth),
        isHeader: cell.name.toLowerCase() === 'th',
        span: Math.min(Math.max(Number.parseInt(cell.attribs.colspan ?? '1', 10) || 1, 1), 100),
      })),
    });
  };
  for (const child of table.children) {
    if (!isElement(child)) continue;
    const name = child.name.toLowerCase();
    if (name === 'caption') out.push({ type: 'text', text: inlineText(child, depth) });
    else if (name === 'tr') addRow(child, false);
    else if (/^t(?:head|body|foot)$/.test(name)) {
      for (const tr of child.children) if (isElement(tr) && tr.name.toLowerCase() === 'tr') addRow(tr, name === 'thead');
    }
  }

  // Single-column tables (callout boxes) and tables holding headings or other tables are layout, not data.
  const isLayout =
    rows.every((row) => row.cells.length <= 1) ||
    cellElements.some((cell) => hasDescendant(cell, (el) => /^(?:table|h[1-6])$/i.test(el.name)));
  if (isLayout) {
    for (const cell of cellElements) walk(cell, out, depth + 1);
    out.flush();
    return;
  }

  const first = rows[0];
  const hasHeader = first !== undefined && (first.inHead || first.cells.every((cell) => cell.isHeader));
  const headers = hasHeader ? expandSpans(first.cells).map((cell) => cell.text) : [];
  const bodyRows = hasHeader ? rows.slice(1) : rows;
  if (hasHeader && bodyRows.length === 0) {
    out.push({ type: 'text', text: headers.filter(Boolean).join(' | ') });
    return;
  }
  for (const row of bodyRows) {
    let column = 0;
    const parts: string[] = [];
    for (const cell of row.cells) {
      const header = headers[column];
      column += cell.span;
      if (cell.text === '') continue;
      parts.push(hasHeader && header ? `${header}: ${cell.text}` : cell.text);
    }
    out.push({ type: 'text', text: parts.join(hasHeader ? '; ' : ' | ') });
  }
}

/** A header cell spanning two columns labels both of them. */
function expandSpans(cells: Cell[]): Cell[] {
  return cells.flatMap((cell) => Array.from({ length: cell.span }, () => cell));
}

/** The text of an element as one line-broken string, whatever blocks it contains. */
function inlineText(element: Element, depth: number): string {
  const inner = new BlockWriter();
  for (const child of element.children) walk(child, inner, depth + 1);
  inner.flush();
  return inner.blocks.map((block) => block.text.replace(/\n/g, ' ')).join(' ');
}

function isBoilerplate(element: Element): boolean {
  const role = element.attribs.role?.toLowerCase();
  const tokens = `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`
    .split(/\s+/)
    .map((token) =>
      token
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .toLowerCase()
        .replace(/[-_]+/g, '-'),
    )
    .filter((token) => token !== '' && !MODIFIER_TOKEN.test(token));
  const looksLikeChrome = (role !== undefined && BOILERPLATE_ROLES.has(role)) || tokens.some((token) => BOILERPLATE_TOKEN.test(token));
  // A "sidebar" that wraps the article itself is a layout wrapper, not chrome.
  return looksLikeChrome && !hasDescendant(element, (el) => /^(?:main|article|h1)$/i.test(el.name) || el.attribs.role === 'main');
}

/** Feedback prompts and "related articles" lists that survive class-based filtering because they are unlabelled. */
function dropWidgets(blocks: Block[]): Block[] {
  const kept: Block[] = [];
  let skipBelowLevel: number | null = null;
  let afterFeedback = false;
  for (const block of blocks) {
    if (skipBelowLevel !== null) {
      if (block.type === 'heading' && block.level <= skipBelowLevel) skipBelowLevel = null;
      else continue;
    }
    if (block.type === 'heading' && RELATED_HEADING.test(block.text)) {
      skipBelowLevel = block.level;
      continue;
    }
    if (FEEDBACK_TEXT.test(block.text) || (afterFeedback && YES_NO_TEXT.test(block.text))) {
      afterFeedback = true;
      continue;
    }
    afterFeedback = false;
    kept.push(block);
  }
  return kept;
}

/** Parses only the first maxBytes of a huge body, ending before a tag rather than inside one. */
function cutToSize(html: string, maxBytes: number): { html: string; truncatedReason: string | null } {
  const size = Buffer.byteLength(html, 'utf8');
  if (size <= maxBytes) return { html, truncatedReason: null };
  // A multi-byte character cut in half decodes to U+FFFD; drop it.
  let cut = Buffer.from(html, 'utf8').subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/, '');
  const lastTag = cut.lastIndexOf('<');
  if (lastTag > cut.length / 2) cut = cut.slice(0, lastTag);
  return { html: cut, truncatedReason: `body of ${formatBytes(size)} cut to ${formatBytes(maxBytes)}` };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** All text under a node, iteratively (no recursion), with <br> as a line break. */
function textContent(root: Element): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (isText(node)) parts.push(node.data);
    else if (isElement(node)) {
      if (node.name.toLowerCase() === 'br') parts.push('\n');
      else if (!DROPPED_TAGS.has(node.name.toLowerCase())) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
    }
  }
  return parts.join('');
}

function hasDescendant(root: Element, test: (element: Element) => boolean): boolean {
  const stack: AnyNode[] = [...root.children];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (!isElement(node)) continue;
    if (test(node)) return true;
    for (const child of node.children) stack.push(child);
  }
  return false;
}

function isElement(node: AnyNode): node is Element {
  return 'attribs' in node;
}

function isText(node: AnyNode): node is TextNode {
  return node.nodeType === 3;
}
