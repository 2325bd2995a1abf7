import { z } from 'zod';
import type { ConversationTurn, ReplyLanguage, UserProfile } from '../types';
import type { AgentSettings } from '../agent-settings';
import { ChatModelError } from './chat-model-error';

/** A retrieved piece of an article, the only ground the model may answer from. */
export interface AnswerPassage {
  articleId: string;
  title: string;
  url: string | null;
  headingPath: string[];
  text: string;
}

export interface GroundedAnswerRequest {
  /** The conversation, oldest first; only the last turns reach the prompt. */
  messages: ConversationTurn[];
  passages: AnswerPassage[];
  user?: UserProfile;
  tone: AgentSettings['tone'];
  language: ReplyLanguage;
  agentName?: string;
}

export interface GroundedAnswer {
  answer: string;
  /** Ids of articles among the request's passages, each once, in the model's order. */
  citedArticleIds: string[];
  /** The model's own verdict on whether the passages answer the customer's question. */
  answered: boolean;
}

/** The JSON object the prompt asks for. Small models omit an empty list or write numeric ids as numbers. */
const replySchema = z
  .object({
    answer: z.string().trim(),
    cited_article_ids: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
    answered: z.boolean(),
  })
  .refine((reply) => !reply.answered || reply.answer.length > 0, { message: 'an answered reply needs an answer', path: ['answer'] });

const FENCED_BLOCK = /```(?:json)?\s*([\s\S]*?)```/i;

/** Reads the model's message content, bare or in a ```json block; throws a `malformed_response` ChatModelError otherwise. */
export function parseGroundedAnswer(content: string): GroundedAnswer {
  const fenced = FENCED_BLOCK.exec(content);
  const json = (fenced?.[1] ?? content).trim();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw malformed(`not JSON: ${preview(content)}`);
  }
  const parsed = replySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(`${issue?.path.join('.') || 'reply'}: ${issue?.message ?? 'unexpected shape'} (got ${preview(json)})`);
  }
  return { answer: parsed.data.answer, citedArticleIds: parsed.data.cited_article_ids, answered: parsed.data.answered };
}

/** Cited ids that are among the passages, each once, in the model's order: a model can cite what it was never given. */
export function checkCitations(answer: Pick<GroundedAnswer, 'citedArticleIds'>, passages: ReadonlyArray<Pick<AnswerPassage, 'articleId'>>): string[] {
  const given = new Set(passages.map((passage) => passage.articleId));
  return [...new Set(answer.citedArticleIds)].filter((id) => given.has(id));
}

function malformed(problem: string): ChatModelError {
  return new ChatModelError('malformed_response', `the chat model's reply is not the requested JSON object: ${problem}`);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
