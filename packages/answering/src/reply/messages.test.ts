import { describe, expect, it } from 'vitest';
import type { EscalationReason } from '../types';
import { otherLanguageNote, replyMessages, suggestionHeader } from './messages';

const tones = ['friendly', 'professional', 'concise'] as const;
const reasons: EscalationReason[] = ['requested_human', 'sensitive_topic', 'frustration', 'too_many_turns', 'low_confidence', 'no_answer', 'topic_rule'];

describe('replyMessages', () => {
  it('says "vous", never "tu", in French whatever the tone', () => {
    for (const tone of tones) {
      const messages = replyMessages('fr', tone);
      const texts = [messages.answerIntro(null), messages.clarifyPrompt, messages.greeting, messages.thanks, messages.goodbye, ...reasons.map((reason) => messages.escalation(reason, null))];
      for (const text of texts) expect(text).not.toMatch(/\b(?:tu|te|toi|ton|ta|tes)\b|t'/i);
    }
  });

  it('words each tone differently', () => {
    expect(new Set(tones.map((tone) => replyMessages('fr', tone).clarifyPrompt)).size).toBe(3);
    expect(new Set(tones.map((tone) => replyMessages('en', tone).escalation('low_confidence', null))).size).toBe(3);
  });

  it('asks to reply with the number in the clarify prompt (FR and EN)', () => {
    expect(replyMessages('fr', 'friendly').clarifyPrompt).toBe('Votre question peut concerner plusieurs sujets. Lequel correspond ? Répondez par le numéro.');
    expect(replyMessages('en', 'concise').clarifyPrompt).toMatch(/number/);
  });

  it('names the team an escalation goes to (FR and EN)', () => {
    expect(replyMessages('fr', 'friendly').escalation('requested_human', 'Facturation')).toContain("un conseiller de l'équipe Facturation");
    expect(replyMessages('fr', 'professional').escalation('topic_rule', 'Équipe Support')).toContain("de l'équipe Support");
    expect(replyMessages('en', 'friendly').escalation('requested_human', 'Billing')).toContain('an agent from the Billing team');
    expect(replyMessages('en', 'friendly').escalation('requested_human', 'Billing Team')).toContain('from the Billing Team.');
    expect(replyMessages('fr', 'concise').escalation('requested_human', null)).toBe('Je vous transfère à un conseiller.');
  });

  it('admits honestly when no reliable answer was found, and apologises to a frustrated customer', () => {
    expect(replyMessages('fr', 'friendly').escalation('low_confidence', null)).toMatch(/^Je n'ai pas trouvé de réponse sûre/);
    expect(replyMessages('en', 'friendly').escalation('low_confidence', null)).toMatch(/^I couldn't find a reliable answer/);
    for (const tone of tones) {
      expect(replyMessages('fr', tone).escalation('frustration', null)).toMatch(/excuse/i);
      expect(replyMessages('en', tone).escalation('frustration', null)).toMatch(/sorry|apologi/i);
    }
  });

  it('ends the answer intro with a colon in each language’s typography, or leaves it out (concise)', () => {
    expect(replyMessages('fr', 'friendly').answerIntro(null)).toBe("Voici ce que j'ai trouvé :");
    expect(replyMessages('en', 'friendly').answerIntro('(article in French)')).toBe("Here's what I found (article in French):");
    expect(replyMessages('fr', 'concise').answerIntro(null)).toBe('');
    expect(replyMessages('fr', 'concise').answerIntro('(article en anglais)')).toBe('(article en anglais)');
  });
});

describe('otherLanguageNote', () => {
  it('names the article’s language in the customer’s', () => {
    expect(otherLanguageNote('en', 'fr')).toBe('(article en anglais)');
    expect(otherLanguageNote('fr-FR', 'en')).toBe('(article in French)');
  });

  it('says nothing for the same or an unknown language', () => {
    expect(otherLanguageNote('fr', 'fr')).toBeNull();
    expect(otherLanguageNote('en-us', 'en')).toBeNull();
    expect(otherLanguageNote(null, 'fr')).toBeNull();
    expect(otherLanguageNote('unknown', 'fr')).toBeNull();
  });
});

describe('suggestionHeader', () => {
  it('labels the text as a proposed reply for the human', () => {
    expect(suggestionHeader('fr')).toMatch(/^Réponse proposée/);
    expect(suggestionHeader('en')).toMatch(/^Suggested reply/);
  });
});
