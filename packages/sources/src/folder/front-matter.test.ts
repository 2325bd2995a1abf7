import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from './front-matter';

describe('parseFrontMatter', () => {
  it('reads strings, quoted strings and both list styles, and returns the body after it', () => {
    const { data, body } = parseFrontMatter(
      ['---', 'title: "Délais : remboursements"', 'id: 42', 'Language: fr', 'tags: [remboursement, "délais"]', 'aliases:', '  - one', '  - two', '# comment', '---', '# Heading', '', 'Text'].join('\r\n'),
    );
    expect(data).toEqual({ title: 'Délais : remboursements', id: '42', language: 'fr', tags: ['remboursement', 'délais'], aliases: ['one', 'two'] });
    expect(body).toBe('# Heading\n\nText');
  });

  it('leaves a file without front matter, or with an unclosed one, untouched', () => {
    expect(parseFrontMatter('# Title\n---\nmore')).toEqual({ data: {}, body: '# Title\n---\nmore' });
    expect(parseFrontMatter('---\ntitle: x\n# no end')).toEqual({ data: {}, body: '---\ntitle: x\n# no end' });
  });
});
