/**
 * Turns a conversation into a search query without a language model. The last customer message
 * often means nothing alone ("and how much does it cost?", "Yes"): earlier customer turns and the
 * agent's last question carry the topic, with weights that fade with distance and grow when the
 * last message is short.
 */

export interface ConversationTurn {
  role: 'user' | 'agent';
  text: string;
}

export interface WeightedText {
  text: string;
  weight: number;
}

export interface ConversationQuery {
  /** Weighted words for the lexical side; the database stems them in each article's language. */
  terms: Array<{ term: string; weight: number }>;
  /** Texts to embed and average for the vector side, with their weights. */
  passages: WeightedText[];
  /** The last customer message as typed. */
  lastMessage: string;
  /** How many content words the last message has: short follow-ups lean on the history. */
  lastMessageWords: number;
}

/** How much an earlier customer turn counts, by distance (1 = the turn before the last). */
const USER_TURN_DECAY = 0.6;
/** At most this many earlier customer turns shape the query. */
const MAX_HISTORY_TURNS = 4;
const MAX_TERMS = 48;

/** Words that carry no topic in either language; Postgres drops its own stopwords after stemming. */
const FILLER = new Set(
  'yes no ok okay oui non merci thanks thank please svp stp hello hi bonjour salut hey sure right well so and or but the a an of to is are was were be been i you we it this that what which who how when where why do does did can could would should will my your our their me us est sont le la les un une des du de et ou mais je tu il elle nous vous ils elles ce cela ça quoi qui que comment quand pourquoi mon ma mes ton ta tes son sa ses votre vos notre nos leur leurs suis es sommes êtes fait faire peut peux puis dois doit'.split(
    ' ',
  ),
);

export function words(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => (word.length > 1 || /\d/.test(word)) && word.length <= 40);
}

export function contentWords(text: string): string[] {
  return words(text).filter((word) => !FILLER.has(word));
}

export function buildConversationQuery(turns: ConversationTurn[]): ConversationQuery {
  const lastUserIndex = findLastIndex(turns, (turn) => turn.role === 'user');
  const last = lastUserIndex >= 0 ? turns[lastUserIndex]! : { role: 'user' as const, text: '' };
  const lastMessageWords = contentWords(last.text).length;
  // A message of two content words or fewer leans on the history; a full question stands on its own.
  const followUp = lastMessageWords <= 2 ? 1.5 : lastMessageWords <= 5 ? 1 : 0.6;

  const weighted: WeightedText[] = [{ text: last.text, weight: 1 }];
  const before = turns.slice(0, Math.max(0, lastUserIndex));
  // The agent's clarifying question carries the topic ("Which plan are you on?"); its answers do not
  // (they quote articles already given and pull the search back to them).
  const agentQuestion = findLast(before.slice(-1), (turn) => turn.role === 'agent' && asksSomething(turn.text));
  if (agentQuestion) weighted.push({ text: agentQuestion.text, weight: 0.5 * followUp });
  const earlierUser = before.filter((turn) => turn.role === 'user').reverse().slice(0, MAX_HISTORY_TURNS);
  earlierUser.forEach((turn, index) => weighted.push({ text: turn.text, weight: USER_TURN_DECAY ** (index + 1) * followUp }));

  const termWeights = new Map<string, number>();
  for (const { text, weight } of weighted) {
    for (const word of new Set(contentWords(text))) {
      // A word repeated across turns is the topic: it keeps its best weight plus a little.
      const previous = termWeights.get(word);
      termWeights.set(word, previous === undefined ? weight : Math.max(previous, weight) + 0.1 * Math.min(previous, weight));
    }
  }
  const terms = [...termWeights]
    .map(([term, weight]) => ({ term, weight: Math.round(weight * 1000) / 1000 }))
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .slice(0, MAX_TERMS);
  return { terms, passages: weighted.filter((passage) => passage.text.trim()), lastMessage: last.text, lastMessageWords };
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (predicate(items[index]!)) return index;
  return -1;
}

function findLast<T>(items: T[], predicate: (item: T) => boolean): T | undefined {
  const index = findLastIndex(items, predicate);
  return index >= 0 ? items[index] : undefined;
}

/** A turn that ends by asking the customer something: a question mark in its last sentences. */
function asksSomething(text: string): boolean {
  return text.slice(-200).includes('?');
}
