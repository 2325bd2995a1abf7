import { contentWords } from '@relai/retrieval';
import type { Team } from '../agent-settings';
import type { OffHours } from '../policy/business-hours';
import { wordKey } from '../policy/text';
import { openingTime } from './messages';
import type { ConversationTurn, EscalationReason, HandoffNote, ReplyLanguage, UserProfile } from '../types';

export interface HandoffNoteInput {
  reason: EscalationReason;
  /** What exactly triggered it (a sensitive topic's name, a rule...), added to the reason. */
  detail?: string;
  turns: ConversationTurn[];
  user: UserProfile;
  consulted: Array<{ articleId: string; title: string; url: string | null }>;
  team: Team | null;
  language: ReplyLanguage;
  /** No team is open: when one opens. */
  offHours?: OffHours | null;
}

/**
 * Words of the conversation itself (wanting, not working, asking for someone) that the retrieval's
 * stopwords keep but that say nothing of the topic.
 */
const NOT_TOPICS = new Set(
  `pas plus rien toujours encore deja aussi tres bien veux voudrais voulais aimerais souhaite besoin aide aider marche marchent
   fonctionne arrive parler humain conseiller quelqu personne agent svp bonjour merci alors juste vraiment
   not still already also very want wanted would like need help works work working doesn don can cannot get talk speak
   human person someone agent please hello thanks just really`.split(/\s+/),
);
/** Topic words listed in the summary. */
const SUMMARY_KEYWORDS = 6;
/** Longer customer messages are shortened in the summary; the last question is kept whole. */
const QUOTE_CHARS = 200;
const ATTRIBUTE_CHARS = 120;

/** The note's wording, for the human who takes over (not the customer). */
const LABELS = {
  fr: {
    reasons: {
      requested_human: 'Le client a demandé à parler à un humain.',
      sensitive_topic: 'Sujet sensible : il doit être traité par un humain.',
      frustration: "Le client semble frustré par les réponses de l'agent.",
      too_many_turns: 'La conversation dure sans être résolue.',
      low_confidence: "L'agent n'a pas trouvé de réponse sûre dans le centre d'aide.",
      no_answer: "Le centre d'aide ne contient pas de réponse à la question.",
      topic_rule: 'Une règle de sujet confie cette question à une équipe.',
    } satisfies Record<EscalationReason, string>,
    title: 'Transfert à un humain',
    reason: 'Motif',
    team: 'Équipe',
    offHours: 'Hors horaires',
    opensAt: (when: string) => `l'équipe ouvre ${when}`,
    opensNever: "aucune ouverture prévue dans les 60 jours",
    summary: 'Résumé',
    lastQuestion: 'Dernière question',
    articles: 'Articles consultés',
    none: 'aucun',
    customer: 'Client',
    name: 'Nom',
    email: 'E-mail',
    segments: 'Segments',
    tags: 'Tags',
    attributes: 'Attributs',
    firstQuestion: 'Question initiale',
    topics: 'Sujets',
    agentReplies: (count: number) => (count === 0 ? "Pas de réponse de l'agent avant le transfert." : `L'agent a répondu ${count} fois, en dernier`),
    colon: ' :',
    semicolon: ' ;',
    quote: (text: string) => `« ${text} »`,
  },
  en: {
    reasons: {
      requested_human: 'The customer asked to talk to a human.',
      sensitive_topic: 'Sensitive topic: a human must handle it.',
      frustration: "The customer seems frustrated with the agent's answers.",
      too_many_turns: 'The conversation has gone on without a resolution.',
      low_confidence: 'The agent found no reliable answer in the help center.',
      no_answer: 'The help center has no answer to the question.',
      topic_rule: 'A topic rule assigns this question to a team.',
    } satisfies Record<EscalationReason, string>,
    title: 'Handoff to a human',
    reason: 'Reason',
    team: 'Team',
    offHours: 'Outside business hours',
    opensAt: (when: string) => `the team opens ${when}`,
    opensNever: 'no opening in the next 60 days',
    summary: 'Summary',
    lastQuestion: 'Last question',
    articles: 'Articles consulted',
    none: 'none',
    customer: 'Customer',
    name: 'Name',
    email: 'Email',
    segments: 'Segments',
    tags: 'Tags',
    attributes: 'Attributes',
    firstQuestion: 'First question',
    topics: 'Topics',
    agentReplies: (count: number) => (count === 0 ? 'No reply from the agent before the handoff.' : `The agent replied ${count} time${count > 1 ? 's' : ''}, last`),
    colon: ':',
    semicolon: ';',
    quote: (text: string) => `"${text}"`,
  },
};

/**
 * Everything the human who takes over needs, without reading the conversation: why, a summary
 * (first question, topics, what the agent did; no model involved), the last question, the articles
 * consulted and the customer's profile, as fields and as one plain-text note.
 */
export function buildHandoffNote(input: HandoffNoteInput): HandoffNote {
  const labels = LABELS[input.language];
  const customerMessages = input.turns.filter((turn) => turn.role === 'user').map((turn) => turn.text.trim());
  const reasonText = input.detail ? `${labels.reasons[input.reason]} (${input.detail})` : labels.reasons[input.reason];
  const summary = summarise(customerMessages, input.turns, labels);
  const lastQuestion = customerMessages.at(-1) ?? '';
  const heading = (label: string) => `${label}${labels.colon}`;

  const sections = [
    labels.title,
    `${heading(labels.reason)} ${reasonText}`,
    input.team ? `${heading(labels.team)} ${input.team.name}` : '',
    input.offHours ? `${heading(labels.offHours)} ${offHoursLine(input.offHours, input.language, labels)}` : '',
    `${heading(labels.summary)}\n${summary}`,
    `${heading(labels.lastQuestion)}\n${lastQuestion}`,
    `${heading(labels.articles)}${
      input.consulted.length ? `\n${input.consulted.map((article) => `- ${article.title}${article.url ? ` — ${article.url}` : ''}`).join('\n')}` : ` ${labels.none}`
    }`,
    profileSection(input.user, labels),
  ];
  return {
    reason: input.reason,
    reasonText,
    summary,
    lastQuestion,
    articlesConsulted: input.consulted,
    userProfile: input.user,
    team: input.team,
    text: sections.filter(Boolean).join('\n\n'),
  };
}

type Labels = (typeof LABELS)[ReplyLanguage];

function offHoursLine(offHours: OffHours, language: ReplyLanguage, labels: Labels): string {
  return offHours.nextOpening ? labels.opensAt(openingTime(language, offHours.nextOpening, offHours.timeZone)) : labels.opensNever;
}

/** At most three lines: the first question, the topics of all the customer's messages, what the agent last said. */
function summarise(customerMessages: string[], turns: ConversationTurn[], labels: Labels): string {
  const lines: string[] = [];
  const first = customerMessages[0];
  if (first) lines.push(`${labels.firstQuestion}${labels.colon} ${shorten(first, QUOTE_CHARS)}`);
  const topics = topicWords(customerMessages);
  if (topics.length) lines.push(`${labels.topics}${labels.colon} ${topics.join(', ')}`);
  const agentTurns = turns.filter((turn) => turn.role === 'agent');
  const lastReply = agentTurns.at(-1);
  lines.push(
    lastReply
      ? `${labels.agentReplies(agentTurns.length)}${labels.colon} ${labels.quote(shorten(lastReply.text, QUOTE_CHARS))}`
      : labels.agentReplies(0),
  );
  return lines.join('\n');
}

/** The customer's most repeated topic words (one spelling per stem), first mentioned first on a tie. */
function topicWords(messages: string[]): string[] {
  const counts = new Map<string, { word: string; count: number; order: number }>();
  for (const word of messages.flatMap((message) => contentWords(message))) {
    if (word.length < 3 || /^\d+$/.test(word) || NOT_TOPICS.has(word)) continue;
    const key = wordKey(word);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { word, count: 1, order: counts.size });
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, SUMMARY_KEYWORDS)
    .map((entry) => entry.word);
}

function profileSection(user: UserProfile, labels: Labels): string {
  const attributes = Object.entries(user.custom_attributes ?? {})
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name, value]) => `${name} = ${shorten(typeof value === 'string' ? value : JSON.stringify(value), ATTRIBUTE_CHARS)}`);
  const fields: Array<[string, string | undefined]> = [
    [labels.name, user.name],
    [labels.email, user.email],
    [labels.segments, user.segments?.join(', ')],
    [labels.tags, user.tags?.join(', ')],
    [labels.attributes, attributes.join(`${labels.semicolon} `)],
  ];
  const lines = fields.filter(([, value]) => value).map(([label, value]) => `${label}${labels.colon} ${value}`);
  return `${labels.customer}${labels.colon}${lines.length ? `\n${lines.join('\n')}` : ` ${labels.none}`}`;
}

function shorten(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > limit / 2 ? cut.slice(0, space) : cut}…`;
}
