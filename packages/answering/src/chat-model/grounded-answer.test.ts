import { describe, expect, it } from 'vitest';
import { ChatModelError } from './chat-model-error';
import { checkCitations, parseGroundedAnswer } from './grounded-answer';

describe('parseGroundedAnswer', () => {
  it('reads the JSON object, bare or in a ```json block', () => {
    const reply = { answer: ' Depuis Réglages > Abonnement. ', cited_article_ids: ['a1'], answered: true };
    const expected = { answer: 'Depuis Réglages > Abonnement.', citedArticleIds: ['a1'], answered: true };
    expect(parseGroundedAnswer(JSON.stringify(reply))).toEqual(expected);
    expect(parseGroundedAnswer(`Here it is:\n\`\`\`json\n${JSON.stringify(reply, null, 2)}\n\`\`\``)).toEqual(expected);
    expect(parseGroundedAnswer(`\`\`\`\n${JSON.stringify(reply)}\n\`\`\``)).toEqual(expected);
  });

  it('accepts a missing citation list and numeric ids, as small models write them', () => {
    expect(parseGroundedAnswer('{"answer": "", "answered": false}')).toEqual({ answer: '', citedArticleIds: [], answered: false });
    expect(parseGroundedAnswer('{"answer": "Oui.", "cited_article_ids": [42], "answered": true}').citedArticleIds).toEqual(['42']);
  });

  it.each([
    ['prose', 'La formule Pro coûte 20 €.', /not JSON: La formule Pro/],
    ['a missing verdict', '{"answer": "Oui."}', /answered: /],
    ['a wrong type', '{"answer": ["Oui."], "answered": true}', /answer: /],
    ['an empty answer said to answer', '{"answer": "  ", "cited_article_ids": [], "answered": true}', /an answered reply needs an answer/],
    ['an empty reply', '', /not JSON/],
  ])('rejects %s as a malformed response', (_, content, message) => {
    const attempt = () => parseGroundedAnswer(content);
    expect(attempt).toThrow(ChatModelError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as ChatModelError).code).toBe('malformed_response');
    }
  });
});

describe('checkCitations', () => {
  const passages = [{ articleId: 'a1' }, { articleId: 'a2' }, { articleId: 'a1' }, { articleId: 'a3' }];

  it('keeps the cited ids found among the passages, each once, in the order cited', () => {
    expect(checkCitations({ citedArticleIds: ['a3', 'made-up', 'a1', 'a3', '1'] }, passages)).toEqual(['a3', 'a1']);
  });

  it('returns nothing when nothing was cited', () => {
    expect(checkCitations({ citedArticleIds: [] }, passages)).toEqual([]);
  });
});
