import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { createSource, sourceConfigSchema } from './create-source';
import { FolderSource, HtmlSiteSource, IntercomSource, JsonlFileSource, ZendeskSource } from './index';
import { collect } from './testing/collect';

/** A fetch that answers 404 to everything and remembers what it was asked. */
function notFoundFetch(): { fetch: typeof fetch; urls: string[]; headers: Headers[] } {
  const urls: string[] = [];
  const headers: Headers[] = [];
  return {
    urls,
    headers,
    fetch: async (input, init) => {
      urls.push(String(input));
      headers.push(new Headers(init?.headers));
      return new Response('{"type":"error.list","errors":[{"code":"not_found","message":"Resource Not Found"}]}', { status: 404 });
    },
  };
}

describe('createSource', () => {
  it('builds the connector named by kind', () => {
    expect(createSource({ kind: 'intercom', accessToken: 't' })).toBeInstanceOf(IntercomSource);
    expect(createSource({ kind: 'zendesk', subdomain: 'acme', auth: { oauthToken: 't' } })).toBeInstanceOf(ZendeskSource);
    expect(createSource({ kind: 'html-site', startUrl: 'https://help.acme.test/' })).toBeInstanceOf(HtmlSiteSource);
    expect(createSource({ kind: 'jsonl', path: 'articles.jsonl' })).toBeInstanceOf(JsonlFileSource);
    expect(createSource({ kind: 'folder', path: 'kb' }).kind).toBe('folder');
    expect(createSource({ kind: 'folder', path: 'kb' })).toBeInstanceOf(FolderSource);
  });

  it('applies the Intercom defaults (US region, version 2.16) and passes the injected fetch down', async () => {
    const us = notFoundFetch();
    expect(await createSource({ kind: 'intercom', accessToken: 't' }, { fetch: us.fetch }).fetchOne('39')).toBeNull();
    expect(us.urls).toEqual(['https://api.intercom.io/articles/39']);
    expect(us.headers[0]?.get('intercom-version')).toBe('2.16');

    const eu = notFoundFetch();
    await createSource({ kind: 'intercom', accessToken: 't', region: 'eu' }, { fetch: eu.fetch }).fetchOne('39');
    expect(eu.urls).toEqual(['https://api.eu.intercom.io/articles/39']);
  });

  it('builds the Zendesk URL from the subdomain', async () => {
    const zendesk = notFoundFetch();
    await createSource({ kind: 'zendesk', subdomain: 'acme', auth: { oauthToken: 't' } }, { fetch: zendesk.fetch }).fetchOne('7:fr');
    expect(zendesk.urls).toEqual(['https://acme.zendesk.com/api/v2/help_center/fr/articles/7.json']);
  });

  it('rejects an unknown kind and incomplete configs with a ZodError', () => {
    expect(() => createSource({ kind: 'notion' } as never)).toThrow(ZodError);
    expect(() => createSource({ kind: 'zendesk', auth: { oauthToken: 't' } })).toThrow(/subdomain or baseUrl/);
    expect(() => createSource({ kind: 'intercom', accessToken: '' })).toThrow(ZodError);
    expect(sourceConfigSchema.safeParse({ kind: 'html-site', startUrl: 'not a url' }).success).toBe(false);
  });

  it('hands onInvalid to JSONL sources', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'relai-create-'));
    try {
      const path = join(dir, 'articles.jsonl');
      await writeFile(path, '{"id": 1, "title": "ok", "text": "body"}\nnot json\n');
      const reports: number[] = [];
      const source = createSource({ kind: 'jsonl', path }, { onInvalid: (line) => reports.push(line) });
      expect(await collect(source.listAll())).toHaveLength(1);
      expect(reports).toEqual([2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
