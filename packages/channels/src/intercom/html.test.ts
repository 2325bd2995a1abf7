import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToText, link, paragraphs } from './html';

describe('HTML for Intercom bodies', () => {
  it('escapes what would be markup', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('reads a body as text: blocks and <br> as lines, list items as dashes, entities decoded, scripts dropped', () => {
    expect(htmlToText('<p>Bonjour,</p><p>ligne 1<br/>ligne&nbsp;2 &lt;ok&gt; &#233;t&#xE9;</p><ul><li>un</li><li>deux</li></ul><script>x()</script>')).toBe(
      'Bonjour,\nligne 1\nligne 2 <ok> été\n- un\n- deux',
    );
  });

  it('turns text into paragraphs and line breaks, escaped', () => {
    expect(paragraphs('Voici :\n\nLigne <1>\nLigne 2\n\n\n')).toBe('<p>Voici :</p><p>Ligne &lt;1&gt;<br>Ligne 2</p>');
  });

  it('makes web addresses in text clickable on request, leaving trailing punctuation out', () => {
    expect(paragraphs('- Export — https://help.example/a?x=1&y=2.', { linkify: true })).toBe(
      '<p>- Export — <a href="https://help.example/a?x=1&amp;y=2">https://help.example/a?x=1&amp;y=2</a>.</p>',
    );
    expect(paragraphs('https://help.example/a', { linkify: false })).toBe('<p>https://help.example/a</p>');
  });

  it('links only web URLs', () => {
    expect(link('https://help.example/"a"', 'T & C')).toBe('<a href="https://help.example/&quot;a&quot;">T &amp; C</a>');
    expect(link('javascript:alert(1)', 'Click')).toBe('Click');
  });
});
