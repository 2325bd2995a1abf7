import { buildConversationQuery } from '@relai/retrieval';
import { describe, expect, it } from 'vitest';
import { parseAgentSettings, type AgentSettingsInput } from '../agent-settings';
import { candidate } from '../policy/candidate-fixture';
import type { PolicyDecision } from '../policy/decide';
import type { ReplyLanguage } from '../types';
import { composeReply } from './compose-reply';

const exportArticle = candidate({
  externalId: 'fr-export',
  title: 'Exporter vos factures',
  url: 'https://help.example/fr/export',
  fusedScore: 0.0327868852,
  passage: { headingPath: [], text: 'Ouvrez Factures. Cliquez sur Exporter pour télécharger vos factures en CSV. Le fichier arrive par e-mail.' },
});
const pdfArticle = candidate({ externalId: 'fr-pdf', title: 'Télécharger une facture en PDF', url: 'https://help.example/fr/pdf', fusedScore: 0.0316 });
const englishArticle = candidate({
  externalId: 'en-export',
  title: 'Export your invoices',
  url: 'https://help.example/en/export',
  language: 'en',
  passage: { headingPath: [], text: 'Click Export to download your invoices as CSV.' },
});
const noUrl = candidate({ externalId: 'fr-intern', title: 'Note interne', url: null });

function decision(fields: Partial<PolicyDecision> & Pick<PolicyDecision, 'action'>): PolicyDecision {
  return { reasons: [], escalationReason: null, team: null, supporting: [], options: [], smallTalk: null, matchedRule: null, sensitiveTopic: null, offHours: null, ...fields };
}

function compose(fields: Partial<PolicyDecision> & Pick<PolicyDecision, 'action'>, options: { language?: ReplyLanguage; settings?: AgentSettingsInput; question?: string; answerText?: string } = {}) {
  return composeReply({
    decision: decision(fields),
    query: buildConversationQuery([{ role: 'user', text: options.question ?? 'Comment exporter mes factures ?' }]),
    language: options.language ?? 'fr',
    // One sentence keeps the expected extracts short; extractive-answer.test.ts covers the selection.
    settings: parseAgentSettings({ answer: { max_sentences: 1 }, ...options.settings }),
    ...(options.answerText !== undefined ? { answerText: options.answerText } : {}),
  });
}

describe('composeReply', () => {
  it('answers in French with an intro, the extract, and links to the cited articles', () => {
    const { reply, citations } = compose({ action: 'answer', supporting: [exportArticle, pdfArticle] });
    expect(reply.text).toBe("Voici ce que j'ai trouvé :\n\nCliquez sur Exporter pour télécharger vos factures en CSV.\n\nPour plus de détails :");
    expect(reply.components).toEqual([
      { type: 'link', articleId: 'fr-export', title: 'Exporter vos factures', url: 'https://help.example/fr/export' },
      { type: 'link', articleId: 'fr-pdf', title: 'Télécharger une facture en PDF', url: 'https://help.example/fr/pdf' },
    ]);
    expect(citations).toEqual([
      { articleId: 'fr-export', title: 'Exporter vos factures', url: 'https://help.example/fr/export', score: 0.0328 },
      { articleId: 'fr-pdf', title: 'Télécharger une facture en PDF', url: 'https://help.example/fr/pdf', score: 0.0316 },
    ]);
  });

  it('answers in English, noting that the article is in French', () => {
    const { reply } = compose({ action: 'answer', supporting: [exportArticle] }, { language: 'en', question: 'How do I export my invoices?' });
    expect(reply.text.split('\n\n')[0]).toBe("Here's what I found (article in French):");
    expect(reply.components).toEqual([{ type: 'link', articleId: 'fr-export', title: 'Exporter vos factures (article in French)', url: 'https://help.example/fr/export' }]);
  });

  it('notes an English article quoted to a French customer', () => {
    const { reply } = compose({ action: 'answer', supporting: [englishArticle] }, { question: 'exporter factures export invoices' });
    expect(reply.text).toMatch(/^Voici ce que j'ai trouvé \(article en anglais\) :\n\nClick Export/);
  });

  it('links at most max_links articles, only those with a url, and cites them all', () => {
    const { reply, citations } = compose({ action: 'answer', supporting: [noUrl, exportArticle, pdfArticle] }, { settings: { answer: { max_links: 1 } } });
    expect(reply.components).toEqual([{ type: 'link', articleId: 'fr-export', title: 'Exporter vos factures', url: 'https://help.example/fr/export' }]);
    expect(citations.map((citation) => citation.articleId)).toEqual(['fr-intern', 'fr-export', 'fr-pdf']);
  });

  it('leaves out the "for more details" line when there is no link', () => {
    const { reply } = compose({ action: 'answer', supporting: [exportArticle] }, { settings: { answer: { max_links: 0 } } });
    expect(reply.text).not.toMatch(/détails/);
    expect(reply.components).toEqual([]);
  });

  it('goes straight to the extract in the concise tone', () => {
    const { reply } = compose({ action: 'answer', supporting: [exportArticle] }, { settings: { tone: 'concise' } });
    expect(reply.text).toBe('Cliquez sur Exporter pour télécharger vos factures en CSV.\n\nDétails :');
  });

  it('puts a chat-model answer in place of the extract, with the same links and citations', () => {
    const { reply, citations } = compose({ action: 'answer', supporting: [exportArticle] }, { answerText: 'Allez dans Factures, puis cliquez sur Exporter.' });
    expect(reply.text).toBe('Allez dans Factures, puis cliquez sur Exporter.\n\nPour plus de détails :');
    expect(reply.components).toHaveLength(1);
    expect(citations.map((citation) => citation.articleId)).toEqual(['fr-export']);
  });

  it('marks a suggestion as a proposed reply for the human (FR and EN)', () => {
    const fr = compose({ action: 'suggest', supporting: [exportArticle] });
    expect(fr.reply.text).toMatch(/^Réponse proposée \(à vérifier avant envoi\) :\n\nVoici ce que j'ai trouvé :\n\nCliquez sur Exporter/);
    expect(fr.citations).toHaveLength(1);
    const en = compose({ action: 'suggest', supporting: [englishArticle] }, { language: 'en', question: 'export invoices' });
    expect(en.reply.text).toMatch(/^Suggested reply \(review before sending\):\n\nHere's what I found:\n\nClick Export/);
  });

  it('offers numbered options without citing (FR and EN)', () => {
    const fr = compose({ action: 'clarify', options: [exportArticle, pdfArticle] });
    expect(fr.reply).toEqual({
      text: 'Votre question peut concerner plusieurs sujets. Lequel correspond ? Répondez par le numéro.',
      components: [
        {
          type: 'options',
          options: [
            { number: 1, label: 'Exporter vos factures', articleId: 'fr-export' },
            { number: 2, label: 'Télécharger une facture en PDF', articleId: 'fr-pdf' },
          ],
        },
      ],
    });
    expect(fr.citations).toEqual([]);
    expect(compose({ action: 'clarify', options: [exportArticle, pdfArticle] }, { language: 'en' }).reply.text).toMatch(/Reply with its number/);
  });

  it('explains an escalation by its reason and names the team (FR and EN)', () => {
    const team = { id: 'billing', name: 'Facturation' };
    const fr = compose({ action: 'escalate', escalationReason: 'requested_human', team });
    expect(fr).toEqual({ reply: { text: "Bien sûr ! Je vous mets en relation avec un conseiller de l'équipe Facturation. Vous aurez une réponse dès que possible.", components: [] }, citations: [] });
    const en = compose({ action: 'escalate', escalationReason: 'low_confidence', team: null }, { language: 'en' });
    expect(en.reply.text).toMatch(/^I couldn't find a reliable answer to your question in our help center\. I'm passing it to an agent, who/);
  });

  it('tells the customer when a human will reply outside business hours (FR and EN)', () => {
    const offHours = { nextOpening: new Date('2026-11-30T08:00:00Z'), timeZone: 'Europe/Paris' };
    const fr = compose({ action: 'escalate', escalationReason: 'requested_human', team: null, offHours });
    expect(fr.reply.text).toMatch(/ Notre équipe est absente pour le moment : un conseiller vous répondra à partir de lundi 30 novembre à 09:00 UTC\+1\.$/);
    const en = compose({ action: 'escalate', escalationReason: 'requested_human', team: null, offHours }, { language: 'en' });
    expect(en.reply.text).toMatch(/ Our team is away right now: an agent will reply from Monday 30 November at 09:00 CET\.$/);
  });

  it('stays silent when the decision is to ignore', () => {
    expect(compose({ action: 'ignore', supporting: [exportArticle] })).toEqual({ reply: { text: '', components: [] }, citations: [] });
  });

  it('replies to small talk with its template and no citation (FR and EN)', () => {
    expect(compose({ action: 'clarify', smallTalk: 'greeting' }).reply).toEqual({ text: 'Bonjour ! Comment puis-je vous aider ?', components: [] });
    expect(compose({ action: 'answer', smallTalk: 'thanks' }, { language: 'en' })).toEqual({
      reply: { text: "You're welcome! Let me know if there's anything else.", components: [] },
      citations: [],
    });
    expect(compose({ action: 'answer', smallTalk: 'goodbye' }, { settings: { tone: 'professional' } }).reply.text).toBe('Au revoir, et merci de nous avoir contactés.');
  });
});
