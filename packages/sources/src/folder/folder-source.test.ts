import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../testing/collect';
import { FolderSource } from './folder-source';

let root: string;
const MTIME = new Date('2025-03-04T05:06:07Z');

async function put(relativePath: string, content: string): Promise<void> {
  const path = join(root, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, 'utf8');
  await utimes(path, MTIME, MTIME);
}

beforeEach(async () => {
  const parent = await mkdtemp(join(tmpdir(), 'relai-folder-'));
  root = join(parent, 'kb');
  await put(
    'billing/refunds/delais.md',
    ['---', 'id: refund-delays', 'title: Délais de remboursement', 'language: fr', 'url: https://aide.acme.test/remboursements', 'tags: [remboursement, délais]', '---', '# Ignored heading', '', '## Carte bancaire', '', 'Comptez **5 jours** ouvrés.'].join('\n'),
  );
  await put('billing/invoices.md', '# Your **invoices**\n\nDownload them from *Settings*.');
  await put('account/login.markdown', '---\ncollection: Compte\nsection: Connexion\nstate: draft\nlanguage: fr\n---\n# Se connecter\n');
  await put('getting-started.html', '<html lang="en"><head><title>Getting started</title></head><body><nav>Menu</nav><h1>Welcome</h1><p>Start here.</p></body></html>');
  await put('notes.txt', 'not an article');
  await put('.obsidian/workspace.md', '# hidden');
  await put('../outside.md', '# outside the folder');
});

afterEach(async () => {
  await rm(dirname(root), { recursive: true, force: true });
});

describe('FolderSource', () => {
  it('reads Markdown (front matter, converted to HTML) and HTML files, recursively and in path order', async () => {
    const totals: number[] = [];
    const listing = new FolderSource({ path: root }).listAll({ onTotal: (total) => totals.push(total) });
    const listed = await collect(listing);

    expect(listed.map((article) => article.externalId)).toEqual(['account/login.markdown', 'billing/invoices.md', 'refund-delays', 'getting-started.html']);
    expect(totals).toEqual([4]);
    expect(listing.cursor()).toEqual({});

    const [login, invoices, delays, gettingStarted] = listed;
    expect(delays).toMatchObject({
      title: 'Délais de remboursement',
      url: 'https://aide.acme.test/remboursements',
      collectionPath: ['billing', 'refunds'],
      locale: 'fr',
      state: 'published',
      updatedAt: MTIME,
      tags: ['remboursement', 'délais'],
    });
    expect(delays?.html).toContain('<h2>Carte bancaire</h2>');
    expect(delays?.html).toContain('<strong>5 jours</strong>');
    expect(invoices).toMatchObject({ title: 'Your invoices', collectionPath: ['billing'], locale: null, url: null });
    expect(login).toMatchObject({ title: 'Se connecter', collectionPath: ['Compte', 'Connexion'], state: 'draft', locale: 'fr' });
    expect(gettingStarted).toMatchObject({ title: 'Getting started', collectionPath: [], locale: 'en' });
    expect(gettingStarted?.html).toMatch(/^<body><nav>Menu<\/nav><h1>Welcome<\/h1>/);
  });

  it('fetches one file by relative path or by front matter id, never outside the folder', async () => {
    const source = new FolderSource({ path: root });
    expect(await source.fetchOne('billing/invoices.md')).toMatchObject({ title: 'Your invoices' });
    expect(await source.fetchOne('refund-delays')).toMatchObject({ title: 'Délais de remboursement' });
    // Its id is "refund-delays" now: the path is no longer its id.
    expect(await source.fetchOne('billing/refunds/delais.md')).toBeNull();
    expect(await source.fetchOne('../outside.md')).toBeNull();
    expect(await source.fetchOne('missing.md')).toBeNull();
  });

  it('fails the listing when the folder does not exist', async () => {
    await expect(collect(new FolderSource({ path: join(root, 'nope') }).listAll())).rejects.toThrow(/ENOENT/);
  });
});
