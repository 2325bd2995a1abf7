import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../testing/collect';
import { JsonlFileSource } from './jsonl-file-source';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relai-jsonl-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FRENCH = {
  id: '192',
  title: 'Arnaques par courriel : quelles précautions prendre ?',
  url: 'https://www.cnil.fr/cnil-direct/question/arnaques',
  collection: 'Internet',
  section: 'Particuliers',
  html: '<p>Ne communiquez <strong>jamais</strong> vos coordonnées.</p>',
  text: 'Ne communiquez jamais vos coordonnées.',
  language: 'fr',
  tags: [],
};
const ENGLISH = {
  id: 0,
  title: 'Tax if you leave the UK to live abroad',
  url: 'https://www.gov.uk/tax-right-retire-abroad-return-to-uk',
  collection: 'www.gov.uk',
  section: '',
  text: '# Tax if you leave the UK\n\nIf you work full-time abroad…',
  language: 'en',
  updated_at: '2024-05-02T08:00:00Z',
  passages: ['ignored extra field'],
};

async function writeJsonl(lines: string[], eol = '\n'): Promise<string> {
  const path = join(dir, 'articles.jsonl');
  await writeFile(path, lines.join(eol), 'utf8');
  return path;
}

describe('JsonlFileSource', () => {
  it('maps the eval format: id, collection path without empty parts, language, html and/or text', async () => {
    const path = await writeJsonl([JSON.stringify(FRENCH), JSON.stringify(ENGLISH)]);
    const listing = new JsonlFileSource({ path }).listAll();
    const listed = await collect(listing);
    expect(listed).toEqual([
      {
        externalId: '192',
        title: FRENCH.title,
        url: FRENCH.url,
        collectionPath: ['Internet', 'Particuliers'],
        locale: 'fr',
        state: 'published',
        html: FRENCH.html,
        text: FRENCH.text,
        updatedAt: null,
        tags: [],
      },
      {
        externalId: '0',
        title: ENGLISH.title,
        url: ENGLISH.url,
        collectionPath: ['www.gov.uk'],
        locale: 'en',
        state: 'published',
        text: ENGLISH.text,
        updatedAt: new Date('2024-05-02T08:00:00Z'),
      },
    ]);
    expect(listing.cursor()).toEqual({});
  });

  it('reports malformed and invalid lines with their line number (and id when readable) and goes on', async () => {
    const path = await writeJsonl(
      [
        `\uFEFF${JSON.stringify(FRENCH)}`,
        '{"id": "7", "title": "cut here',
        '',
        JSON.stringify({ id: 'no-body', title: 'Missing body', language: 'fr' }),
        JSON.stringify({ ...ENGLISH, updated_at: 'yesterday' }),
        JSON.stringify({ ...FRENCH, title: 'Doublon' }),
        JSON.stringify({ ...FRENCH, id: '193', state: 'draft' }),
      ],
      '\r\n',
    );
    const reports: [number, string, string | null][] = [];
    const source = new JsonlFileSource({ path }, { onInvalid: (line, reason, id) => reports.push([line, reason, id]) });
    const listed = await collect(source.listAll());

    expect(listed.map((article) => [article.externalId, article.state])).toEqual([
      ['192', 'published'],
      ['193', 'draft'],
    ]);
    expect(reports.map(([line, , id]) => [line, id])).toEqual([
      [2, null],
      [4, 'no-body'],
      [5, '0'],
      [6, null],
    ]);
    expect(reports[0]?.[1]).toMatch(/invalid JSON/);
    expect(reports[1]?.[1]).toMatch(/needs html or text/);
    expect(reports[2]?.[1]).toMatch(/updated_at: not a date/);
    expect(reports[3]?.[1]).toMatch(/duplicate id 192 \(first on line 1\)/);
  });

  it('streams long lines (hundreds of KB) whole', async () => {
    const html = `<p>${'é'.repeat(300_000)}</p>`;
    const path = await writeJsonl([JSON.stringify({ ...FRENCH, html })]);
    const [article] = await collect(new JsonlFileSource({ path }).listAll());
    expect(article?.html).toBe(html);
  });

  it('fetches one article by id; null when absent; throws when its line is invalid', async () => {
    const path = await writeJsonl([JSON.stringify(FRENCH), JSON.stringify({ id: 5, title: 'No body' }), JSON.stringify(ENGLISH)]);
    const source = new JsonlFileSource({ path }, { onInvalid: () => {} });
    expect(await source.fetchOne('0')).toMatchObject({ title: ENGLISH.title });
    expect(await source.fetchOne('404')).toBeNull();
    await expect(source.fetchOne('5')).rejects.toThrow(/:2: article 5 is invalid/);
  });

  it('fails the listing when the file does not exist', async () => {
    await expect(collect(new JsonlFileSource({ path: join(dir, 'missing.jsonl') }).listAll())).rejects.toThrow(/ENOENT/);
  });
});
