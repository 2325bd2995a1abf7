import type { Queryable } from '@relai/db';
import { detectLanguage, type Embedder } from '@relai/ingest';
import { retrieve, type ArticleCandidate, type Retrieval } from '@relai/retrieval';
import type { AgentSettings } from '../agent-settings';
import type { ChatModel } from '../chat-model/chat-model';
import { ChatModelError } from '../chat-model/chat-model-error';
import { checkCitations } from '../chat-model/grounded-answer';
import { decide, escalationTeam, type PolicyDecision } from '../policy/decide';
import { pickOfferedOption } from '../policy/options';
import { detectHumanRequest, detectSmallTalk } from '../policy/triggers';
import { composeReply } from '../reply/compose-reply';
import { buildHandoffNote } from '../reply/handoff-note';
import type { AgentReply, ConversationTurn, EscalationReason, OfferedOption, PriorDecision, ReplyLanguage, UserProfile } from '../types';

export interface AnswerEngineDeps {
  db: Queryable;
  embedder: Embedder;
  /** Optional: without it answers are extractive. */
  chatModel: ChatModel | null;
  onChatModelError?: (error: ChatModelError) => void;
}

export interface AnswerRequest {
  tenantId: string;
  settings: AgentSettings;
  /** The session so far, oldest first; the last turn is the customer message to handle. */
  turns: ConversationTurn[];
  priorDecisions: PriorDecision[];
  user: UserProfile;
  /** A human has the conversation (escalated earlier): the agent stays out of it. */
  handedOver: boolean;
  /** When the message arrived (business hours); default: now. */
  receivedAt?: Date;
}

/** Passages the chat model may answer from: the best few articles, one passage each. */
const MODEL_PASSAGES = 4;
/** A matched chunk shorter than this gets the article's next chunk as quotable material. */
const SHORT_PASSAGE_CHARS = 400;
/** Articles retrieved per message: enough for options, citations and the handoff note. */
const RETRIEVAL_LIMIT = 5;

/**
 * One customer message → one decision: retrieval over the session, the policy (triggers, rules,
 * thresholds), then the reply — written by the chat model when one is configured and it succeeds,
 * extractive otherwise. The API (conversations and stateless answer), `relai ask` and the eval all
 * call this, so what is measured is what customers get.
 */
export class AnswerEngine {
  constructor(private readonly deps: AnswerEngineDeps) {}

  async answer(request: AnswerRequest): Promise<AgentReply> {
    return (await this.answerWithEvidence(request)).reply;
  }

  /** The reply and the ranking it was built from (the eval scores the ranking; `retrievalLimit` widens it). */
  async answerWithEvidence(request: AnswerRequest, options: { retrievalLimit?: number } = {}): Promise<{ reply: AgentReply; retrieval: Retrieval | null }> {
    const { settings } = request;
    const detected = customerLanguage(request.turns);
    if (request.handedOver) {
      return { reply: silent(detected ?? settings.default_language, ['a human has taken over this conversation']), retrieval: null };
    }

    const lastMessage = request.turns.findLast((turn) => turn.role === 'user')?.text ?? '';
    const offered = request.priorDecisions.at(-1);
    const picked = offered?.action === 'clarify' ? pickOfferedOption(lastMessage, offered.options) : null;

    // A customer who picks an offered option ("2") gets that article; the policy still applies its rule.
    const narrowed = picked ? await this.retrievePicked(request, picked) : null;
    const retrieval = narrowed?.candidates.length ? narrowed : await this.retrieveFor(request, options.retrievalLimit ?? RETRIEVAL_LIMIT);
    // "invoice" or "still not working" says too little to tell the language: the best article's is a better guess than a default.
    const language = detected ?? articleLanguage(retrieval) ?? settings.default_language;
    const decision = decide({ settings, turns: request.turns, priorDecisions: request.priorDecisions, retrieval, language, now: request.receivedAt });

    if (this.deps.chatModel && (decision.action === 'answer' || decision.action === 'suggest') && decision.supporting.length && !decision.smallTalk) {
      const written = await this.writeWithModel(this.deps.chatModel, request, retrieval, decision, language);
      if (written) return { reply: written, retrieval };
    }
    const quoted = decision.supporting.length ? { ...decision, supporting: await this.withFollowingChunk(decision.supporting) } : decision;
    const composed = composeReply({ decision: quoted, query: retrieval.query, language, settings });
    return { reply: this.finish(request, retrieval, decision, language, composed, 'extractive'), retrieval };
  }

  /** History-aware retrieval; with a chat model, the last message is first rewritten as a standalone question. */
  private async retrieveFor(request: AnswerRequest, limit: number): Promise<Retrieval> {
    let turns = request.turns;
    const chat = this.deps.chatModel;
    if (chat && turns.some((turn, index) => index < turns.length - 1 && turn.role === 'user')) {
      try {
        const standalone = await chat.condenseQuestion(turns);
        if (standalone) turns = [...turns.slice(0, -1), { role: 'user', text: standalone }];
      } catch (error) {
        if (!(error instanceof ChatModelError)) throw error;
        this.deps.onChatModelError?.(error);
      }
    }
    const last = request.turns.findLast((turn) => turn.role === 'user')?.text ?? '';
    // "Je veux parler à un humain" or "merci" is about the conversation, not a new topic: search its history.
    const aboutTheConversation = detectHumanRequest(last) || detectSmallTalk(last) !== null;
    return retrieve(this.deps.db, this.deps.embedder, {
      tenantId: request.tenantId,
      turns,
      limit,
      scope: { sourceIds: request.settings.source_ids },
      options: aboutTheConversation ? { history: 'weighted' } : undefined,
    });
  }

  /** The customer chose one of the articles offered: search within it for the passage to quote. */
  private async retrievePicked(request: AnswerRequest, picked: OfferedOption): Promise<Retrieval> {
    const { rows } = await this.deps.db.query<{ id: string }>(
      `SELECT id FROM articles WHERE tenant_id = $1 AND external_id = $2 AND state = 'published' AND excluded_at IS NULL`,
      [request.tenantId, picked.articleId],
    );
    // The question is the one asked before the options, plus the choice.
    const turns = request.turns.filter((turn) => turn.role === 'user');
    return retrieve(this.deps.db, this.deps.embedder, {
      tenantId: request.tenantId,
      turns: turns.length > 1 ? turns.slice(0, -1) : turns,
      limit: 1,
      scope: { sourceIds: request.settings.source_ids, articleIds: rows.map((row) => row.id) },
    });
  }

  /**
   * A short matched chunk is often the article's introduction, with the steps in the next one ("Recevoir
   * le lien de réinitialisation: 1. … 2. …"): the extract may quote from both.
   */
  private async withFollowingChunk(supporting: ArticleCandidate[]): Promise<ArticleCandidate[]> {
    const [first, ...rest] = supporting;
    if (!first || first.passage.text.length >= SHORT_PASSAGE_CHARS) return supporting;
    const { rows } = await this.deps.db.query<{ text: string }>(
      `SELECT next.text FROM chunks hit
       JOIN chunks next ON next.article_id = hit.article_id AND next.position = hit.position + 1
       WHERE hit.article_id = $1 AND hit.text = $2 LIMIT 1`,
      [first.articleId, first.passage.text],
    );
    const next = rows[0];
    if (!next) return supporting;
    return [{ ...first, passage: { ...first.passage, text: `${first.passage.text}\n\n${next.text}` } }, ...rest];
  }

  private async writeWithModel(
    chat: ChatModel,
    request: AnswerRequest,
    retrieval: Retrieval,
    decision: PolicyDecision,
    language: ReplyLanguage,
  ): Promise<AgentReply | null> {
    const passages = retrieval.candidates.slice(0, MODEL_PASSAGES).map((candidate) => ({
      articleId: candidate.externalId,
      title: candidate.title,
      url: candidate.url,
      headingPath: candidate.passage.headingPath,
      text: candidate.passage.text,
    }));
    try {
      const generated = await chat.generateAnswer({ messages: request.turns, passages, user: request.user, tone: request.settings.tone, language });
      const cited = checkCitations(generated, passages);
      if (!generated.answered || !cited.length) {
        // The model read the passages and found no answer: a refusal beats a guess.
        const refusal: PolicyDecision = {
          ...decision,
          action: 'escalate',
          escalationReason: 'no_answer',
          // An answer has no team: the refusal is routed as every escalation is.
          team: decision.team ?? escalationTeam(request.settings, decision.matchedRule),
          reasons: [...decision.reasons, generated.answered ? 'the chat model cited no retrieved article' : 'the chat model found no answer in the passages'],
        };
        return this.finish(request, retrieval, refusal, language, composeReply({ decision: refusal, query: retrieval.query, language, settings: request.settings }), 'template');
      }
      const supporting = cited
        .map((id) => retrieval.candidates.find((candidate) => candidate.externalId === id))
        .filter((candidate): candidate is ArticleCandidate => candidate !== undefined);
      const written: PolicyDecision = { ...decision, supporting };
      const composed = composeReply({ decision: written, query: retrieval.query, language, settings: request.settings, answerText: generated.answer });
      return this.finish(request, retrieval, written, language, composed, 'chat_model');
    } catch (error) {
      if (!(error instanceof ChatModelError)) throw error;
      this.deps.onChatModelError?.(error);
      decision.reasons.push(`chat model failed (${error.code}): extractive answer`);
      return null;
    }
  }

  private finish(
    request: AnswerRequest,
    retrieval: Retrieval,
    decision: PolicyDecision,
    language: ReplyLanguage,
    composed: ReturnType<typeof composeReply>,
    generatedBy: AgentReply['generatedBy'],
  ): AgentReply {
    const escalation =
      decision.action === 'escalate' && decision.escalationReason
        ? {
            reason: decision.escalationReason,
            team: decision.team,
            note: buildHandoffNote({
              reason: decision.escalationReason,
              detail: decision.sensitiveTopic ?? (decision.escalationReason === 'topic_rule' ? decision.matchedRule?.name : undefined),
              turns: request.turns,
              user: request.user,
              consulted: consultedArticles(request.priorDecisions, retrieval, decision.escalationReason),
              team: decision.team,
              language,
              offHours: decision.offHours,
            }),
            ...(decision.offHours && { offHours: { nextOpening: decision.offHours.nextOpening?.toISOString() ?? null, timeZone: decision.offHours.timeZone } }),
          }
        : null;
    return {
      action: decision.action,
      reply: composed.reply,
      confidence: retrieval.confidence,
      reasons: decision.reasons,
      citations: composed.citations,
      language,
      escalation,
      team: decision.team,
      generatedBy: decision.smallTalk || decision.action === 'clarify' || decision.action === 'escalate' || decision.action === 'ignore' ? 'template' : generatedBy,
      features: retrieval.features,
    };
  }
}


/** Reasons about the conversation, not the last message's topic: its search results say nothing useful. */
const ABOUT_THE_CONVERSATION = new Set<EscalationReason>(['requested_human', 'frustration', 'too_many_turns']);
const MAX_CONSULTED = 5;

/**
 * What the human should look at: the articles the customer was shown during the session, then (when
 * the last message is a question) what the search found for it.
 */
function consultedArticles(prior: PriorDecision[], retrieval: Retrieval, reason: EscalationReason): Array<{ articleId: string; title: string; url: string | null }> {
  const shown = prior.flatMap((decision) => decision.consulted ?? []);
  const found = shown.length && ABOUT_THE_CONVERSATION.has(reason) ? [] : retrieval.candidates.slice(0, 3).map((candidate) => ({ articleId: candidate.externalId, title: candidate.title, url: candidate.url }));
  const unique = new Map<string, { articleId: string; title: string; url: string | null }>();
  for (const article of [...shown, ...found]) if (!unique.has(article.articleId) || (article.url && !unique.get(article.articleId)!.url)) unique.set(article.articleId, article);
  return [...unique.values()].slice(0, MAX_CONSULTED);
}

function silent(language: ReplyLanguage, reasons: string[]): AgentReply {
  return {
    action: 'ignore',
    reply: { text: '', components: [] },
    confidence: 0,
    reasons,
    citations: [],
    language,
    escalation: null,
    team: null,
    generatedBy: 'template',
    features: null,
  };
}

/** The customer's language from their last messages (a one-word reply says little); null when they cannot tell. */
export function customerLanguage(turns: ConversationTurn[]): ReplyLanguage | null {
  const texts = turns.filter((turn) => turn.role === 'user').map((turn) => turn.text);
  for (let take = 1; take <= texts.length; take++) {
    const guess = detectLanguage(texts.slice(-take).join('\n')).language;
    if (guess !== 'unknown') return guess;
  }
  return null;
}

function articleLanguage(retrieval: Retrieval): ReplyLanguage | null {
  const language = retrieval.candidates[0]?.language;
  return language === 'fr' || language === 'en' ? language : null;
}
