import type { Block, CleanDocument } from '../pipeline-types';
import { normaliseCode, normaliseText, toDocument } from './normalise';

const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const LIST_ITEM = /^(\s*)(?:([-*+•])|(\d+)[.)])\s+(.*)$/;
const FENCE = /^\s*(?:```|~~~)/;

/**
 * Turns plain text or light Markdown (# headings, blank-line paragraphs, "- " / "1." lists,
 * ``` code fences) into the same blocks as htmlToDocument.
 */
export function textToDocument(text: string): CleanDocument {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let code: string[] | null = null;
  // A line right after a list item, with no blank line between, continues that item.
  let openItem: { indent: string; marker: string; lines: string[] } | null = null;

  const push = (block: Block) => {
    if (block.text !== '') blocks.push(block);
  };
  const flush = () => {
    if (paragraph.length > 0) push({ type: 'text', text: inline(paragraph.join(' ')) });
    const itemText = openItem ? inline(openItem.lines.join(' ')) : '';
    if (openItem && itemText) push({ type: 'text', text: openItem.indent + openItem.marker + itemText });
    paragraph = [];
    openItem = null;
  };

  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (code) {
      if (FENCE.test(line)) {
        push({ type: 'text', text: normaliseCode(code.join('\n')) });
        code = null;
      } else code.push(line);
      continue;
    }
    if (FENCE.test(line)) {
      flush();
      code = [];
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      push({ type: 'heading', level: heading[1]?.length ?? 1, text: inline(heading[2] ?? '') });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      const spaces = (item[1] ?? '').replace(/\t/g, '  ').length;
      openItem = { indent: '  '.repeat(Math.floor(spaces / 2)), marker: item[2] ? '- ' : `${item[3]}. `, lines: [item[4] ?? ''] };
      continue;
    }
    if (openItem) openItem.lines.push(line);
    else paragraph.push(line);
  }
  flush();
  // An unclosed fence still holds code worth keeping.
  if (code) push({ type: 'text', text: normaliseCode(code.join('\n')) });
  return toDocument(blocks);
}

/** Markdown links and images keep their text, as links do in HTML; emphasis markers go. */
function inline(text: string): string {
  return normaliseText(
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2'),
  );
}
