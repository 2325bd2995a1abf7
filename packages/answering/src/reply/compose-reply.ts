import type { ArticleCandidate, ConversationQuery } from '@relai/retrieval';
import type { AgentSettings } from '../agent-settings';
import type { PolicyDecision } from '../policy/decide';
import type { Citation, Reply, ReplyComponent, ReplyLanguage } from '../types';
import { extractiveAnswer } from './extractive-answer';
import { otherLanguageNote, replyMessages, suggestionHeader, type ReplyMessages, offHoursNotice } from './messages';

export interface ComposeReplyInput {
  decision: PolicyDecision;
  query: ConversationQuery;
  language: ReplyLanguage;
  settings: AgentSettings;
  /**
   * An answer written by the chat model from `decision.supporting` (set to the articles it cited):
   * it replaces the extract, and the links and citations stay the same.
   */
  answerText?: string;
}

export interface ComposedReply {
  reply: Reply;
  citations: Citation[];
}

/**
 * The reply of a decision: for `answer` and `suggest`, the answer (extractive unless `answerText` is
 * given) with links to the cited articles; for `clarify`, the numbered options; for `escalate`, why
 * a human takes over; small talk gets its template. Article ids are the help center's (externalId),
 * as everywhere in the API.
 */
export function composeReply(input: ComposeReplyInput): ComposedReply {
  const { decision, language, settings } = input;
  const messages = replyMessages(language, settings.tone);
  switch (decision.action) {
    case 'ignore':
      return { reply: { text: '', components: [] }, citations: [] };
    case 'escalate': {
      if (!decision.escalationReason) throw new Error('an escalate decision needs an escalationReason');
      const text = messages.escalation(decision.escalationReason, decision.team?.name ?? null);
      return textOnly(decision.offHours ? `${text} ${offHoursNotice(language, decision.offHours)}` : text);
    }
    case 'clarify': {
      if (decision.smallTalk === 'greeting' || !decision.options.length) return textOnly(messages.greeting);
      const options = decision.options.map((article, index) => ({ number: index + 1, label: article.title, articleId: article.externalId }));
      return { reply: { text: messages.clarifyPrompt, components: [{ type: 'options', options }] }, citations: [] };
    }
    case 'answer':
    case 'suggest': {
      if (decision.smallTalk === 'thanks') return textOnly(messages.thanks);
      if (decision.smallTalk === 'goodbye') return textOnly(messages.goodbye);
      const answer = articleAnswer(input, messages);
      if (decision.action === 'answer') return answer;
      return { ...answer, reply: { ...answer.reply, text: `${suggestionHeader(language)}\n\n${answer.reply.text}` } };
    }
  }
}

/** The answer as the customer reads it: intro, answer text, "for more details" and the article links. */
function articleAnswer(input: ComposeReplyInput, messages: ReplyMessages): ComposedReply {
  const { decision, language, settings } = input;
  const cited = decision.supporting;
  // The model writes in the customer's language; a quote is in the article's, which the intro says.
  const body = input.answerText ?? extractiveAnswer({ query: input.query, supporting: cited, maxSentences: settings.answer.max_sentences });
  const intro = input.answerText === undefined ? messages.answerIntro(otherLanguageNote(cited[0]?.language ?? null, language)) : '';
  const links: ReplyComponent[] = cited
    .filter((article): article is ArticleCandidate & { url: string } => article.url !== null)
    .slice(0, settings.answer.max_links)
    .map((article) => {
      const note = otherLanguageNote(article.language, language);
      return { type: 'link', articleId: article.externalId, title: note ? `${article.title} ${note}` : article.title, url: article.url };
    });
  const text = [intro, body.trim(), links.length ? messages.moreDetails : ''].filter(Boolean).join('\n\n');
  return { reply: { text, components: links }, citations: cited.map(citationOf) };
}

function citationOf(article: ArticleCandidate): Citation {
  return { articleId: article.externalId, title: article.title, url: article.url, score: Math.round(article.fusedScore * 10_000) / 10_000 };
}

function textOnly(text: string): ComposedReply {
  return { reply: { text, components: [] }, citations: [] };
}
