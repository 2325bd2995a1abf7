import type { ConfidenceFeatures, ConversationTurn } from '@relai/retrieval';
import type { Team } from './agent-settings';

/** What the agent does with a customer message. The decision is this field, never inferred from the text. */
export type Action = 'answer' | 'suggest' | 'clarify' | 'escalate' | 'ignore';

export type EscalationReason =
  | 'requested_human'
  | 'sensitive_topic'
  | 'frustration'
  | 'too_many_turns'
  | 'low_confidence'
  | 'no_answer'
  | 'topic_rule';

export type ReplyLanguage = 'fr' | 'en';

/** The customer as the platform knows them; every field optional. */
export interface UserProfile {
  id?: string;
  name?: string;
  email?: string;
  segments?: string[];
  tags?: string[];
  custom_attributes?: Record<string, unknown>;
}

/** An article the reply relies on: only articles that support the answer are cited. */
export interface Citation {
  articleId: string;
  title: string;
  url: string | null;
  score: number;
}

/** Rendered by each platform as it can: links as buttons, options as a numbered list. */
export type ReplyComponent =
  | { type: 'link'; articleId: string; title: string; url: string }
  | { type: 'options'; options: OfferedOption[] };

export interface OfferedOption {
  /** 1-based, as shown to the customer ("reply 2"). */
  number: number;
  label: string;
  articleId: string;
}

export interface Reply {
  text: string;
  components: ReplyComponent[];
}

/** For the human who takes over: everything needed without reading the whole conversation. */
export interface HandoffNote {
  reason: EscalationReason;
  /** Why, in words ("the customer asked for a human"). */
  reasonText: string;
  summary: string;
  lastQuestion: string;
  articlesConsulted: Array<{ articleId: string; title: string; url: string | null }>;
  userProfile: UserProfile;
  team: Team | null;
  /** The whole note as text, in the conversation's language: what a platform posts as an internal note. */
  text: string;
}

export interface Escalation {
  reason: EscalationReason;
  team: Team | null;
  note: HandoffNote;
  /** Set when no team is open: the customer is told when a human will reply (ISO instant; null: unknown). */
  offHours?: { nextOpening: string | null; timeZone: string };
}

/** One agent turn: what the API returns and what is stored with the agent's message. */
export interface AgentReply {
  action: Action;
  /** For `suggest`, the proposed answer for the human; for `ignore`, empty. */
  reply: Reply;
  confidence: number;
  reasons: string[];
  citations: Citation[];
  language: ReplyLanguage;
  escalation: Escalation | null;
  /** `suggest` and `send` rules name the team that receives the suggestion. */
  team: Team | null;
  /** How the reply text was written. */
  generatedBy: 'extractive' | 'chat_model' | 'template';
  /** Logged with the decision so that thresholds can be audited and refitted. */
  features: ConfidenceFeatures | null;
}

/** What an earlier agent turn of the same session decided: the policy reads it (offered options, answers given). */
export interface PriorDecision {
  action: Action;
  confidence: number;
  citedArticleIds: string[];
  options: OfferedOption[];
  /** Articles this turn showed the customer (cited or offered): the handoff note lists them. */
  consulted?: Array<{ articleId: string; title: string; url: string | null }>;
}

export type { ConversationTurn };
