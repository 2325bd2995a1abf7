import { describe, expect, it } from 'vitest';
import { agentReply, ACCOUNTING, handoffNote } from './agent-reply.fixture';
import { renderCustomerReply, renderHandoffNote, renderSuggestionNote } from './render-reply';

describe('rendering replies for Intercom', () => {
  it('renders an answer as paragraphs followed by its article links', () => {
    expect(renderCustomerReply(agentReply().reply)).toBe(
      "<p>Voici ce que j&#39;ai trouvé :</p><p>Ouvrez Paramètres &gt; Export.</p><p>Pour plus de détails :</p>" +
        '<ul><li><a href="https://help.facturo.example/fr/articles/1041">Exporter vos données comptables</a></li></ul>',
    );
  });

  it('renders options as numbered lines under the instruction to answer with the number', () => {
    const reply = {
      text: 'Votre question peut concerner plusieurs sujets. Lequel correspond ? Répondez par le numéro.',
      components: [
        {
          type: 'options' as const,
          options: [
            { number: 1, label: 'Créer une facture', articleId: 'fr-1022' },
            { number: 2, label: 'Factures <PDF> & avoirs', articleId: 'fr-1021' },
          ],
        },
      ],
    };
    expect(renderCustomerReply(reply)).toBe(
      '<p>Votre question peut concerner plusieurs sujets. Lequel correspond ? Répondez par le numéro.</p><p>1. Créer une facture<br>2. Factures &lt;PDF&gt; &amp; avoirs</p>',
    );
  });

  it('renders a suggestion for teammates with the proposed answer, its sources, the confidence and the team', () => {
    const note = renderSuggestionNote(agentReply({ action: 'suggest', team: ACCOUNTING, confidence: 0.61 }));
    expect(note).toContain('<p>Ouvrez Paramètres &gt; Export.</p>');
    expect(note).toContain('<p>Sources :</p><ul><li><a href="https://help.facturo.example/fr/articles/1041">Exporter vos données comptables</a></li></ul>');
    expect(note.endsWith('<p>Confiance : 0.61<br>Équipe : Comptabilité</p>')).toBe(true);
  });

  it('labels the suggestion in English for an English conversation, and cites an article without URL as text', () => {
    const note = renderSuggestionNote(
      agentReply({ action: 'suggest', language: 'en', citations: [{ articleId: 'x', title: 'Offline <guide>', url: null, score: 0.5 }], reply: { text: 'Proposed', components: [] } }),
    );
    expect(note).toBe('<p>Proposed</p><p>Sources:</p><ul><li>Offline &lt;guide&gt;</li></ul><p>Confidence: 0.82</p>');
  });

  it('renders the handoff note escaped, its article addresses clickable', () => {
    const html = renderHandoffNote(handoffNote(ACCOUNTING));
    expect(html).toContain('<p>Transfert à un humain<br>Motif : Le client a demandé à parler à un humain.</p>');
    expect(html).toContain('<a href="https://help.facturo.example/fr/articles/1041">https://help.facturo.example/fr/articles/1041</a>');
    expect(html).toContain('Nom : Camille &lt;Martin&gt;');
  });
});
