import type { ArticleCandidate, Retrieval } from '@relai/retrieval';
import type { AgentSettings, Team, TopicRule } from '../agent-settings';
import type { Action, ConversationTurn, EscalationReason, PriorDecision, ReplyLanguage } from '../types';
import { isOpen, nextOpening, type BusinessHours, type OffHours } from './business-hours';
import { pickOfferedOption } from './options';
import { matchTopicRule } from './rules';
import { detectFrustration, detectHumanRequest, detectSmallTalk, matchSensitiveTopic, type SmallTalk } from './triggers';

export interface PolicyInput {
  settings: AgentSettings;
  /** This session, oldest first; the last user turn is the customer message to handle. */
  turns: ConversationTurn[];
  /** Earlier agent turns of this session, oldest first. */
  priorDecisions: PriorDecision[];
  retrieval: Retrieval;
  /** The customer's language (the reply's). */
  language: ReplyLanguage;
  /** When the message arrived: teams' business hours are checked against it. Default: now. */
  now?: Date;
}

export interface PolicyDecision {
  action: Action;
  /** Human-readable, in English: why this action ("confidence 0.82 >= 0.75"). */
  reasons: string[];
  escalationReason: EscalationReason | null;
  /** Where an escalation goes, or the team a suggestion is for; null: the platform's unassigned queue. */
  team: Team | null;
  /** Articles an answer or a suggestion cites: the first candidate, and at most one more that supports it as well. */
  supporting: ArticleCandidate[];
  /** `clarify`: the 2-3 articles to offer, in order. */
  options: ArticleCandidate[];
  smallTalk: SmallTalk | null;
  /** The topic rule of the article the decision is about, if any. */
  matchedRule: TopicRule | null;
  /** The sensitive topic's name when one triggered the decision. */
  sensitiveTopic: string | null;
  /** An escalation while no team it could go to is open: when the team opens, in its time zone. */
  offHours: OffHours | null;
}

/** A second article scores "alike" at this share of the first's fused score... */
const ALIKE_SCORE = 0.9;
/** ...and this share of its coverage. */
const ALIKE_COVERAGE = 0.8;
const MAX_OPTIONS = 3;
/** Below the escalate threshold, options are offered only if each covers this share of the question. */
const AMBIGUOUS_MIN_COVERAGE = 0.8;

/**
 * What to do with the customer's last message, by precedence: an explicit request for a human,
 * a sensitive topic, frustration, too long a session, small talk, the choice of an offered option,
 * then the retrieval: too weak to use (unless ambiguous between articles that all cover the
 * question: then ask which), the topic rule of the best article, and confidence. A human's part then
 * goes to an open team: the rule's backup or the default team when the first is closed.
 */
export function decide(input: PolicyInput): PolicyDecision {
  return routeToOpenTeam(decideAction(input), input.settings, input.now ?? new Date());
}

function decideAction(input: PolicyInput): PolicyDecision {
  const { settings, turns, priorDecisions, retrieval, language } = input;
  const message = turns.findLast((turn) => turn.role === 'user')?.text ?? '';
  const first = retrieval.candidates[0];
  const firstRule = first ? matchTopicRule(first, settings.rules) : null;
  const decision = (action: Action, reasons: string[], fields: Partial<PolicyDecision> = {}): PolicyDecision => ({
    action,
    reasons,
    escalationReason: null,
    team: null,
    supporting: [],
    options: [],
    smallTalk: null,
    matchedRule: firstRule,
    sensitiveTopic: null,
    offHours: null,
    ...fields,
  });
  const escalate = (reason: EscalationReason, reasons: string[], fields: Partial<PolicyDecision> = {}) =>
    decision('escalate', reasons, { escalationReason: reason, team: escalationTeam(settings, firstRule), ...fields });

  /** The decision a `nothing`, `send` or `suggest` rule imposes on an article; null for `answer` (or no rule). */
  const ruleDecision = (rule: TopicRule | null, article: ArticleCandidate, context: string[]): PolicyDecision | null => {
    if (!rule || rule.action === 'answer') return null;
    const why = [...context, `rule ${describeRule(rule)} on "${article.title}": ${rule.action}`];
    if (rule.action === 'nothing') return decision('ignore', why, { matchedRule: rule });
    const fields = { matchedRule: rule, team: ruleTeam(settings, rule) };
    if (rule.action === 'send') return decision('escalate', why, { ...fields, escalationReason: 'topic_rule' });
    const supporting = article === first ? supportingArticles(retrieval.candidates) : [article];
    return decision('suggest', why, { ...fields, supporting });
  };

  if (settings.escalation.on_human_request && detectHumanRequest(message)) {
    return escalate('requested_human', ['the customer asked for a human']);
  }

  const sensitive = matchSensitiveTopic(message, settings.escalation.sensitive_topics);
  if (sensitive) {
    const { topic, keyword } = sensitive;
    // The topic's own team; else where any escalation goes: the best article's rule's team, else the default team.
    const fields = { team: resolveTeam(settings, topic.team) ?? escalationTeam(settings, firstRule), sensitiveTopic: topic.name };
    const why = `sensitive topic "${topic.name}" (keyword "${keyword}")`;
    if (topic.action === 'suggest') {
      if (first && retrieval.confidence >= settings.thresholds.escalate) {
        return decision('suggest', [why, 'the topic asks for a suggestion to a human'], { ...fields, supporting: supportingArticles(retrieval.candidates) });
      }
      return escalate('sensitive_topic', [why, `nothing to suggest: ${weakRetrieval(retrieval, settings)}`], fields);
    }
    return escalate('sensitive_topic', [why], fields);
  }

  if (settings.escalation.frustration) {
    const frustration = detectFrustration(turns, priorDecisions);
    if (frustration) return escalate('frustration', [`frustration: ${frustration.detail}`]);
  }

  // Greetings and thanks are not unresolved questions: only the questions count.
  const customerMessages = turns.filter((turn) => turn.role === 'user' && !detectSmallTalk(turn.text)).length;
  if (customerMessages > settings.escalation.max_turns) {
    return escalate('too_many_turns', [`${customerMessages} customer questions > max_turns ${settings.escalation.max_turns}`]);
  }

  const smallTalk = detectSmallTalk(message);
  if (smallTalk) {
    // A greeting opens the conversation: ask what the question is. Thanks and goodbyes get a reply.
    return decision(smallTalk === 'greeting' ? 'clarify' : 'answer', [`small talk: ${smallTalk}`], { smallTalk, matchedRule: null });
  }

  const offered = priorDecisions.at(-1);
  const chosen = offered?.action === 'clarify' ? pickOfferedOption(message, offered.options) : null;
  // Options carry the help center's article id (externalId), as every id the API shows does.
  const chosenArticle = chosen ? retrieval.candidates.find((candidate) => candidate.externalId === chosen.articleId) : undefined;
  if (chosen && chosenArticle) {
    const why = `the customer chose option ${chosen.number} ("${chosen.label}")`;
    const rule = matchTopicRule(chosenArticle, settings.rules);
    return ruleDecision(rule, chosenArticle, [why]) ?? decision('answer', [why], { supporting: [chosenArticle], matchedRule: rule });
  }
  const choiceNotFound = chosen ? [`the customer chose option ${chosen.number} ("${chosen.label}"), which the retrieval did not return`] : [];

  if (!first || retrieval.confidence < settings.thresholds.escalate) {
    // Several articles that each contain the whole question ("facture") make the confidence low by
    // their very likeness: that is ambiguity, which a question resolves better than a human.
    const ambiguous = alikeArticles(retrieval.candidates).filter((article) => article.coverage >= AMBIGUOUS_MIN_COVERAGE);
    if (ambiguous.length >= 2 && ambiguous[0] === first) {
      const titles = ambiguous.map((option) => `"${option.title}"`).join(', ');
      return decision('clarify', [...choiceNotFound, `${weakRetrieval(retrieval, settings)}, but ${titles} all cover the question`], { options: ambiguous });
    }
    return escalate('low_confidence', [...choiceNotFound, weakRetrieval(retrieval, settings)]);
  }

  const ruled = ruleDecision(firstRule, first, choiceNotFound);
  if (ruled) return ruled;

  const { confidence } = retrieval;
  const { answer: answerAt, escalate: escalateBelow } = settings.thresholds;
  if (confidence >= answerAt) {
    return decision('answer', [...choiceNotFound, `confidence ${fixed(confidence)} >= ${fixed(answerAt)}`], {
      supporting: supportingArticles(retrieval.candidates),
    });
  }
  const band = `confidence ${fixed(confidence)} between ${fixed(escalateBelow)} and ${fixed(answerAt)}`;
  const options = alikeArticles(retrieval.candidates);
  if (options.length >= 2) {
    return decision('clarify', [...choiceNotFound, `${band}; ${options.map((option) => `"${option.title}"`).join(', ')} match alike`], { options });
  }
  return decision('suggest', [...choiceNotFound, band], {
    supporting: supportingArticles(retrieval.candidates),
    team: escalationTeam(settings, firstRule),
  });
}

/**
 * Escalations and suggestions wait for a human: when the chosen team is closed, the rule's backup team
 * or the default team takes them if open. When none is, an escalation keeps its team and says when it
 * opens, so that the customer is told rather than promised an immediate reply.
 */
function routeToOpenTeam(decision: PolicyDecision, settings: AgentSettings, now: Date): PolicyDecision {
  if (decision.action !== 'escalate' && decision.action !== 'suggest') return decision;
  const hoursOf = (team: Team | null): BusinessHours | null => team?.hours ?? settings.business_hours ?? null;
  const openAt = (team: Team | null) => {
    const hours = hoursOf(team);
    return !hours || isOpen(hours, now);
  };
  if (openAt(decision.team)) return decision;
  const backups = [resolveTeam(settings, decision.matchedRule?.backup_team), resolveTeam(settings, settings.default_team)]
    .filter((team): team is Team => team !== null && team.id !== decision.team?.id);
  const name = (team: Team | null) => (team ? `team "${team.id}"` : 'the unassigned queue');
  const open = backups.find(openAt);
  if (open) return { ...decision, team: open, reasons: [...decision.reasons, `${name(decision.team)} is closed: ${name(open)} takes it`] };
  if (decision.action !== 'escalate') return decision;
  const hours = hoursOf(decision.team)!;
  const opening = nextOpening(hours, now);
  return {
    ...decision,
    offHours: { nextOpening: opening, timeZone: hours.timezone },
    reasons: [...decision.reasons, `outside business hours: ${name(decision.team)} opens ${opening ? opening.toISOString() : 'at no known time'}`],
  };
}

/** The team with this id in the settings; null when unset or unknown. */
export function resolveTeam(settings: AgentSettings, id: string | undefined): Team | null {
  return id === undefined ? null : (settings.teams.find((team) => team.id === id) ?? null);
}

/** A rule's team, its backup when the team is not (or no longer) configured, else the default team. */
function ruleTeam(settings: AgentSettings, rule: TopicRule): Team | null {
  return resolveTeam(settings, rule.team) ?? resolveTeam(settings, rule.backup_team) ?? resolveTeam(settings, settings.default_team);
}

/** Escalations go to the team of the best article's rule, else the default team. */
export function escalationTeam(settings: AgentSettings, rule: TopicRule | null): Team | null {
  return rule ? ruleTeam(settings, rule) : resolveTeam(settings, settings.default_team);
}

function weakRetrieval(retrieval: Retrieval, settings: AgentSettings): string {
  if (!retrieval.candidates.length) return 'no article matches the question';
  return `confidence ${fixed(retrieval.confidence)} < ${fixed(settings.thresholds.escalate)}`;
}

function alike(first: ArticleCandidate, other: ArticleCandidate): boolean {
  return other.fusedScore >= first.fusedScore * ALIKE_SCORE && other.coverage >= first.coverage * ALIKE_COVERAGE;
}

/** Same language, or unknown on either side: a translation of the first article is not a different topic. */
function sameLanguage(a: string | null, b: string | null): boolean {
  return a === null || b === null || primaryLanguage(a) === primaryLanguage(b);
}

function primaryLanguage(locale: string): string {
  return locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** The first candidate, plus the next one if it matches as well, covers the question itself and is in the customer's language. */
function supportingArticles(candidates: readonly ArticleCandidate[]): ArticleCandidate[] {
  // The extract quotes the first article only: citing a look-alike would cite what the reply does not say.
  // (A chat model chooses its own citations among the passages it was given.)
  return candidates.slice(0, 1);
}

/** The first candidate and the (at most two) others that match alike, one per title and language. */
function alikeArticles(candidates: readonly ArticleCandidate[]): ArticleCandidate[] {
  const [first, ...rest] = candidates;
  if (!first) return [];
  const picked = [first];
  for (const candidate of rest) {
    if (picked.length === MAX_OPTIONS) break;
    const distinct = !picked.some((article) => article.title.trim().toLowerCase() === candidate.title.trim().toLowerCase());
    if (alike(first, candidate) && distinct && sameLanguage(candidate.language, first.language)) picked.push(candidate);
  }
  return picked.length >= 2 ? picked : [];
}

function describeRule(rule: TopicRule): string {
  if (rule.name) return `"${rule.name}"`;
  const { collection, section, tag } = rule.when;
  const parts = [collection && `collection "${collection}"`, section && `section "${section}"`, tag && `tag "${tag}"`];
  return `(${parts.filter(Boolean).join(', ')})`;
}

function fixed(value: number): string {
  return value.toFixed(2);
}
