import { describe, expect, it } from 'vitest';
import { htmlToDocument, textToDocument } from './html-to-document';

const texts = (html: string) => htmlToDocument(html).blocks.map((block) => block.text);

describe('htmlToDocument', () => {
  it('keeps headings with their level and paragraphs as text blocks', () => {
    const doc = htmlToDocument('<h1>Annuler mon abonnement</h1><p>Allez dans Paramètres.</p><h3>Remboursement</h3><p>Sous 14 jours.</p>');
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Annuler mon abonnement' },
      { type: 'text', text: 'Allez dans Paramètres.' },
      { type: 'heading', level: 3, text: 'Remboursement' },
      { type: 'text', text: 'Sous 14 jours.' },
    ]);
    expect(doc.text).toBe('Annuler mon abonnement\n\nAllez dans Paramètres.\n\nRemboursement\n\nSous 14 jours.');
    expect(doc.truncatedReason).toBeNull();
  });

  it('drops scripts, styles, embeds, page chrome and forms', () => {
    const html = `<html><head><title>Page title</title><style>p{color:red}</style></head><body>
      <header><a href="/">Home</a></header><nav><a>Help center</a></nav>
      <script>track()</script><noscript>Enable JS</noscript><iframe src="x"></iframe><svg><text>icon</text></svg>
      <p>Real content.</p>
      <aside>Popular</aside><form><input value="search"><button>Go</button></form><footer>© 2024</footer>
    </body></html>`;
    expect(texts(html)).toEqual(['Real content.']);
  });

  it('drops boilerplate recognised by class, id or role', () => {
    const html = `
      <div class="breadcrumbs"><a>Aide</a> &gt; <a>Facturation</a></div>
      <div id="cookie-banner">We use cookies to improve your experience.</div>
      <div class="cookieConsent">Nous utilisons des cookies.</div>
      <div role="navigation"><a>Previous</a></div>
      <section class="related-articles"><h3>Related articles</h3><ul><li>How to pay</li></ul></section>
      <div class="article-votes">Was this article helpful?</div>
      <div class="sidebar">Categories</div>
      <p>The article body.</p>`;
    expect(texts(html)).toEqual(['The article body.']);
  });

  it('keeps content whose class only mentions a boilerplate word, and layout wrappers around the article', () => {
    const html = `<div class="layout has-sidebar"><div class="sidebar-wrapper main-nav-container"><article>
      <h1>Export</h1><p>Open <span class="menu-path">Settings › Export</span> then confirm.</p>
    </article></div></div>`;
    expect(texts(html)).toEqual(['Export', 'Open Settings › Export then confirm.']);
  });

  it('drops unlabelled feedback prompts and related-articles sections, in French and English', () => {
    const html = `<h2>Étapes</h2><p>Cliquez sur Résilier.</p>
      <p>Cet article vous a-t-il été utile ?</p><p>Oui Non</p>
      <p>Was this article helpful?</p>
      <h2>Articles associés</h2><ul><li>Changer de formule</li></ul><p>Voir aussi la FAQ.</p>
      <h2>Contact</h2><p>Écrivez-nous.</p>`;
    expect(texts(html)).toEqual(['Étapes', 'Cliquez sur Résilier.', 'Contact', 'Écrivez-nous.']);
  });

  it('prefixes list items and indents nested lists', () => {
    const html = `<ul><li>Compte<ul><li>Profil</li><li>Sécurité<ol><li>Mot de passe</li></ol></li></ul></li><li>Facturation</li></ul>
      <ol><li>Open <b>Billing</b></li><li><p>Click Cancel</p><p>Confirm by email.</p></li></ol>
      <ol start="3"><li>Third</li></ol>`;
    expect(texts(html)).toEqual([
      '- Compte',
      '  - Profil',
      '  - Sécurité',
      '    1. Mot de passe',
      '- Facturation',
      '1. Open Billing',
      '2. Click Cancel',
      '   Confirm by email.',
      '3. Third',
    ]);
  });

  it('keeps table rows readable, labelling cells with their header', () => {
    const html = `<table><thead><tr><th>Formule</th><th>Prix</th><th>Utilisateurs</th></tr></thead>
      <tbody><tr><td>Solo</td><td>9 €</td><td></td></tr><tr><td>Équipe</td><td>29 €</td><td>10</td></tr></tbody></table>
      <table><tr><th>Plan</th><th colspan="2">Limits</th></tr><tr><td>Pro</td><td>5 seats</td><td>1 TB</td></tr></table>`;
    expect(texts(html)).toEqual([
      'Formule: Solo; Prix: 9 €',
      'Formule: Équipe; Prix: 29 €; Utilisateurs: 10',
      'Plan: Pro; Limits: 5 seats; Limits: 1 TB',
    ]);
  });

  it('joins cells with pipes when a table has no header row, and reads single-cell tables as content', () => {
    const html = `<table><tr><td>Windows</td><td>Ctrl + S</td></tr><tr><td>macOS</td><td>Cmd + S</td></tr></table>
      <table><tr><td><p><strong>Note :</strong> l'export prend quelques minutes.</p><ul><li>CSV</li></ul></td></tr></table>`;
    expect(texts(html)).toEqual(['Windows | Ctrl + S', 'macOS | Cmd + S', "Note : l'export prend quelques minutes.", '- CSV']);
  });

  it('keeps code blocks verbatim, whitespace included', () => {
    const html = '<p>Run:</p><pre><code>curl -X POST \\\n    -H "Authorization: Bearer $TOKEN" \\\n    https://api.example.com/v1/export\n</code></pre>';
    expect(texts(html)).toEqual([
      'Run:',
      'curl -X POST \\\n    -H "Authorization: Bearer $TOKEN" \\\n    https://api.example.com/v1/export',
    ]);
  });

  it('keeps link text but not the URL, and meaningful image alt text only', () => {
    const html = `<p>See <a href="https://help.example.com/billing">the billing page</a>.</p>
      <p><img src="menu.png" alt="Capture du menu Facturation"><img src="x.png" alt="image"><img src="IMG_2041.png" alt="IMG_2041.png"><img src="spacer.gif" alt=""></p>`;
    expect(texts(html)).toEqual(['See the billing page.', 'Capture du menu Facturation']);
  });

  it('decodes entities and normalises whitespace, nbsp and zero-width characters', () => {
    const html = '<p>  Tarifs&nbsp;:\n   <b>10&nbsp;€</b>&#8203;/mois &amp; plus&hellip;  </p><p>in\u200bvisible\u00a0space</p><p> \u200b </p>';
    expect(texts(html)).toEqual(['Tarifs : 10 €/mois & plus…', 'invisible space']);
  });

  it('reads direct text in a div as its own block around nested paragraphs', () => {
    expect(texts('<div>Avant <em>le</em> paragraphe<p>Dedans</p>après</div>')).toEqual(['Avant le paragraphe', 'Dedans', 'après']);
  });

  it('turns <br> into a line break inside one block', () => {
    expect(texts('<p>12 rue de la Paix<br>75002 Paris</p>')).toEqual(['12 rue de la Paix\n75002 Paris']);
  });

  it('does not throw on broken, unclosed or deeply nested HTML', () => {
    // Parsed as a browser would: the stray </div> cannot close the open table cell.
    expect(texts('<div><p>unclosed <b>bold <i>italic<table><tr><td>cell</div>&lt;tag&gt; </span></p></p>')).toEqual([
      'unclosed bold italic',
      'cell<tag>',
    ]);
    const deep = `${'<div><span>'.repeat(20_000)}deep text`;
    expect(htmlToDocument(deep).text).toContain('deep text');
    expect(htmlToDocument('').blocks).toEqual([]);
  });

  it('cuts bodies over maxBytes at a tag boundary and says so', () => {
    const paragraph = '<p>Paragraphe numéro X avec du texte.</p>';
    const html = paragraph.repeat(50);
    const doc = htmlToDocument(html, { maxBytes: 1_000 });
    expect(doc.truncatedReason).toBe(`body of ${(Buffer.byteLength(html) / 1_000).toFixed(1)} KB cut to 1.0 KB`);
    expect(doc.blocks.length).toBeGreaterThan(10);
    expect(doc.blocks.length).toBeLessThan(50);
    // Every kept paragraph is whole: the cut did not land inside a tag or a word.
    for (const block of doc.blocks) expect(block.text).toBe('Paragraphe numéro X avec du texte.');
  });

  it('reports sizes in MB for the default 1 MB limit', () => {
    const html = `<p>${'a'.repeat(1_400_000)}</p>`;
    const doc = htmlToDocument(html);
    expect(doc.truncatedReason).toBe('body of 1.4 MB cut to 1.0 MB');
    expect(doc.text.length).toBeLessThanOrEqual(1_000_000);
  });
});

describe('textToDocument', () => {
  it('reads Markdown headings, paragraphs, lists and code fences', () => {
    const doc = textToDocument(
      [
        '# Réinitialiser le mot de passe',
        '',
        'Cliquez sur **Mot de passe oublié**',
        'sur la page de [connexion](https://app.example.fr/login).',
        '',
        '## Étapes',
        '- Ouvrez l’e-mail',
        '  - Cliquez sur le lien',
        '    valable 24 h',
        '1) Choisissez un mot de passe',
        '',
        '```',
        'relai reset --user=42',
        '  --force',
        '```',
      ].join('\r\n'),
    );
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Réinitialiser le mot de passe' },
      { type: 'text', text: 'Cliquez sur Mot de passe oublié sur la page de connexion.' },
      { type: 'heading', level: 2, text: 'Étapes' },
      { type: 'text', text: '- Ouvrez l’e-mail' },
      { type: 'text', text: '  - Cliquez sur le lien valable 24 h' },
      { type: 'text', text: '1. Choisissez un mot de passe' },
      { type: 'text', text: 'relai reset --user=42\n  --force' },
    ]);
    expect(doc.text.split('\n\n')[0]).toBe('Réinitialiser le mot de passe');
    expect(doc.truncatedReason).toBeNull();
  });

  it('splits plain text into paragraphs on blank lines', () => {
    expect(textToDocument('First line\nsame paragraph.\n\n\nSecond   paragraph.\n').blocks).toEqual([
      { type: 'text', text: 'First line same paragraph.' },
      { type: 'text', text: 'Second paragraph.' },
    ]);
  });

  it('does not take a hashtag for a heading or a year for a list item', () => {
    expect(textToDocument('#support is open\n\n2024. A good year').blocks).toEqual([
      { type: 'text', text: '#support is open' },
      { type: 'text', text: '2024. A good year' },
    ]);
  });
});
