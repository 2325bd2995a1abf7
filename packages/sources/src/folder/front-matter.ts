export type FrontMatterValue = string | string[];

export interface FrontMatter {
  data: Record<string, FrontMatterValue>;
  body: string;
}

const OPENING = /^---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/;

const unquote = (value: string) => value.trim().replace(/^(["'])(.*)\1$/, '$2');

/**
 * The `key: value` subset of YAML front matter that article files use: strings, quoted strings, and
 * lists written `[a, b]` or as `- item` lines. Anything fancier is read as a plain string. A file
 * whose front matter never closes is taken as having none.
 */
export function parseFrontMatter(text: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '');
  const opening = OPENING.exec(source);
  if (!opening) return { data: {}, body: source };
  const lines = source.slice(opening[0].length).split(/\r?\n/);
  const closingIndex = lines.findIndex((line) => CLOSING.test(line));
  if (closingIndex === -1) return { data: {}, body: source };

  const data: Record<string, FrontMatterValue> = {};
  let listKey: string | null = null;
  for (const line of lines.slice(0, closingIndex)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item && listKey) {
      const list = data[listKey];
      data[listKey] = [...(Array.isArray(list) ? list : []), unquote(item[1] ?? '')];
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(line);
    if (!pair?.[1]) continue;
    const key = pair[1].toLowerCase();
    const value = (pair[2] ?? '').trim();
    listKey = value === '' ? key : null;
    const inline = /^\[(.*)\]$/.exec(value);
    data[key] = inline ? (inline[1] ?? '').split(',').map(unquote).filter(Boolean) : value === '' ? [] : unquote(value);
  }
  return { data, body: lines.slice(closingIndex + 1).join('\n') };
}
