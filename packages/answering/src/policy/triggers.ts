import type { SensitiveTopic } from '../agent-settings';
import type { ConversationTurn, PriorDecision } from '../types';
import { contentKeys, fold, foldedWords, phrasePattern } from './text';

/*
 * Escalation triggers read the customer's own words, in French or English, on folded text (no
 * accents, lowercase, one kind of apostrophe), so that "Je veux parler a un conseille" counts as much
 * as "Je veux parler à un conseiller".
 */

// ---------------------------------------------------------------------------------------------------
// Asking for a human

/** "Human Services", "ressources humaines", "human rights": names, not people. */
const NOT_A_DEPARTMENT = String.raw`(?! (?:services?|resources?|ressources?|rights?|droits?|capital|error))`;
/** Who a customer asks for when they want a human. */
const HUMAN_TARGET = String.raw`(?:humain|humaine|humains|personne|quelqu'?\s?un|qqn|conseill(?:er|ere|e)s?|agents?|operat(?:eur|rice|or)s?|interlocut(?:eur|rice)s?|technicien(?:ne)?s?|responsable|manager|superviseur|supervisor|service (?:client|clientele|apres[\s-]vente)|support|humans?|person|people|someone|somebody|anyone|anybody|representative|rep|advis[eo]r|staff|customer (?:service|support|care)|expert)(?!'s)${NOT_A_DEPARTMENT}`;
/** The same, without the words that also name product objects ("agent", "support", "someone"). */
const STRICT_HUMAN_TARGET = String.raw`(?:humain|humaine|humains|vraie?s? (?:humain|personne|gens)|personne (?:reelle|physique|en chair)|conseill(?:er|ere|e)s?|operat(?:eur|rice|or)|interlocut(?:eur|rice)|humans?|(?:real|actual|live) (?:person|human|agent|people)|someone real|representative|rep|human (?:agent|being)|agent humain|live agent)${NOT_A_DEPARTMENT}`;

/** Verbs of getting in touch: with any human target ("parler à un agent", "talk to someone"). */
const TALK_VERB = String.raw`(?:parl(?:er|e|ez)|discuter|echanger|communiquer|contacter|joindre|m'?\s?adresser|(?:mett|pass|transfer|redirig)\w*[\s-]+moi|me (?:mettre|passer|transferer|rediriger)|talk(?:ing)?|speak(?:ing)?|chat(?:ting)?|get in touch|be (?:put|transferred|connected)|connect me|put me through|transfer me|reach|contact)`;
/** Verbs of wanting: only with a target that cannot be a product object ("je veux un conseiller", "I need a human"). */
const WANT_VERB = String.raw`(?:veux|voudrais|voudrai|aimerais|souhaite|souhaiterais|desire|exige|demande|besoin (?:d'|de)|avoir|donnez[\s-]moi|il me faut|want|wanna|need|like|get me|give me|request(?:ing)?|demand|prefer|ask(?:ing)? for)`;
/** Up to four words between the verb and the target: "parler avec une vraie personne", "mettez-moi en relation avec un conseiller". */
const GAP = String.raw`((?:[\s,]+[\p{L}\p{N}']+){0,4}?)[\s,]+`;

const TALK_TO_HUMAN = new RegExp(String.raw`(?<![\p{L}])${TALK_VERB}${GAP}${HUMAN_TARGET}(?![\p{L}])`, 'gu');
const WANT_HUMAN = new RegExp(String.raw`(?<![\p{L}])${WANT_VERB}${GAP}${STRICT_HUMAN_TARGET}(?![\p{L}])`, 'gu');
/** Phrases that are a request on their own. */
const HUMAN_PHRASE = new RegExp(
  String.raw`(?<![\p{L}])(?:agent humain|human agent|human being|etre humain|(?:real|actual) (?:person|human)|live (?:agent|person|human)|vraie? (?:personne|humain)|personne (?:reelle|physique)|(?:mett\w*[\s-]+moi|me mettre|mise?) en (?:relation|contact)|(?:pas|plus|non|not|no) (?:a |avec |to |with |d'|de )?(?:un |une |le |la |ce |votre |a |the |this |your )?(?:robot|bot|chatbot|machine|ia|ai)s?|(?:stop|arrete[rz]?) (?:the |this |le |ce )?(?:bot|robot|chatbot))(?![\p{L}])`,
  'gu',
);

/** A message that is nothing but a target and politeness: "Agent", "Humain svp", "Operator please". */
const LONE_TARGET_WORDS = new Set(['humain', 'humains', 'conseiller', 'conseillere', 'conseille', 'agent', 'operateur', 'operatrice', 'human', 'operator', 'representative']);
const POLITENESS_WORDS = new Set(
  'un une le la l a an the svp stp please pls plz merci thanks s il vous plait je veux voudrais i want need now maintenant tout de suite vite asap urgent ok hello bonjour hi salut real vrai vraie live'.split(' '),
);

/** "ajouter un agent", "add a user": the target is an object of the product, not someone to talk to. */
const MANAGEMENT_VERB = phrasePattern([
  'ajout*', 'invit*', 'cree*', 'supprim*', 'retir*', 'assign*', 'configur*', 'parametr*', 'gerer', 'modifi*',
  'desactiv*', 'activ*', 'renomm*', 'combien', 'add', 'adding', 'added', 'create*', 'remove*', 'delete*', 'manage*', 'set up',
  'setup', 'edit*', 'disable*', 'enable*', 'rename*', 'how many',
]);
/** "comment mes clients peuvent parler à un conseiller": someone else's contact, not the customer's. */
const THIRD_PARTY = phrasePattern([
  'clients', 'client', 'utilisateur*', 'visiteur*', 'membres', 'collaborat*', 'employe*', 'salarie*', 'contacts', 'customers',
  'customer', 'users', 'user', 'visitors', 'members', 'employees', 'staff', 'agents', 'team',
], 'gu');
const FIRST_PERSON = phrasePattern(['je', "j'", 'moi', 'me', 'i', "i'm", "i'd"]);
/** "je ne veux pas parler à un humain", "I don't need a person". */
const NEGATED_WISH = /(?:\bne\s+|\bn')\s*(?:veux|voudrais|souhaite|souhaiterais|cherche|demande|ai)\s+(?:pas|jamais)\b|\b(?:don'?t|do not|doesn'?t|never|no need to|not)\b/u;

/** Words before a match that the guards read. */
const CONTEXT_WORDS = 5;

/** True when the customer asks to talk to a human (French or English). */
export function detectHumanRequest(text: string): boolean {
  const folded = fold(text);
  for (const pattern of [TALK_TO_HUMAN, WANT_HUMAN, HUMAN_PHRASE]) {
    for (const match of folded.matchAll(pattern)) {
      const gap = match[1] ?? '';
      if (!isNotARequest(folded.slice(0, match.index), gap)) return true;
    }
  }
  const words = foldedWords(text).filter((word) => !POLITENESS_WORDS.has(word));
  return words.length > 0 && words.every((word) => LONE_TARGET_WORDS.has(word));
}

/** The match is about managing people in the product, third parties talking, or a refusal: not a request. */
function isNotARequest(before: string, gap: string): boolean {
  const words = before.trim().split(/\s+/);
  const context = words.slice(-CONTEXT_WORDS).join(' ');
  const justBefore = words.slice(-3).join(' ');
  if (MANAGEMENT_VERB.test(gap) || MANAGEMENT_VERB.test(justBefore)) return true;
  // "je ne veux pas parler à…", "je ne veux pas de conseiller", "I don't want to talk to…"
  if (NEGATED_WISH.test(justBefore) || /^[\s,]*(?:pas|jamais|not|never)\b/.test(gap)) return true;
  const thirdParties = [...context.matchAll(THIRD_PARTY)];
  const lastThirdParty = thirdParties.at(-1);
  // "Mes clients se plaignent, je veux parler à quelqu'un": the customer speaks for themselves again.
  return lastThirdParty !== undefined && !FIRST_PERSON.test(context.slice(lastThirdParty.index + lastThirdParty[0].length));
}

// ---------------------------------------------------------------------------------------------------
// Sensitive topics

export interface SensitiveTopicMatch {
  topic: SensitiveTopic;
  /** The keyword as configured ("rembours*"). */
  keyword: string;
}

/**
 * The first topic with a keyword in the text. Keywords match whole words, accents and case aside;
 * a phrase matches consecutive words; a trailing "*" matches any ending ("rembours*": remboursement).
 */
export function matchSensitiveTopic(text: string, topics: readonly SensitiveTopic[]): SensitiveTopicMatch | null {
  const words = foldedWords(text);
  for (const topic of topics) {
    for (const keyword of topic.keywords) {
      if (containsKeyword(words, keyword)) return { topic, keyword };
    }
  }
  return null;
}

function containsKeyword(words: string[], keyword: string): boolean {
  const prefix = keyword.trim().endsWith('*');
  const parts = foldedWords(keyword);
  if (!parts.length) return false;
  const lastPart = parts.length - 1;
  for (let start = 0; start + parts.length <= words.length; start++) {
    const matches = parts.every((part, i) => {
      const word = words[start + i]!;
      return prefix && i === lastPart ? word.startsWith(part) : word === part;
    });
    if (matches) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Frustration

const NEGATIVE_PHRASES = phrasePattern([
  // French
  'marche pas', 'marche plus', 'marche toujours pas', 'fonctionne pas', 'fonctionne plus', 'fonctionne toujours pas', 'toujours pas',
  "n'importe quoi", 'inutile*', 'ridicule', 'lamentable', 'pathetique', 'inadmissible', 'inacceptable', 'scandaleux', 'honteux',
  "c'est une blague", 'ras le bol', 'marre', 'agacant', 'enerv*', "ne m'aide pas", 'sert a rien', 'ne repond pas a ma question',
  'vous ne comprenez pas', 'vous ne comprenez rien', 'tu ne comprends rien', 'aucun rapport', 'rien a voir',
  "pas ce que j'ai demande", "l'ai deja dit", 'deja essaye', 'toujours le meme probleme', 'pas normal', 'decu', 'decue', 'furieux',
  'furieuse', 'en colere', 'insupportable', 'nul', 'nulle', 'incompetent*', 'pour la deuxieme fois', 'pour la troisieme fois',
  "pour l'enieme fois",
  // English
  "doesn't work", 'does not work', "don't work", 'is not working', "isn't working", "it's not working", 'are not working',
  "aren't working", 'not working anymore', 'still not', "still doesn't", 'still broken', 'useless', "doesn't help", 'does not help',
  "didn't help", 'not helpful', 'unhelpful', 'no help', 'waste of time', 'ridiculous', 'pathetic', 'terrible', 'awful', 'horrible',
  'unacceptable', 'not what i asked', "you don't understand", 'you do not understand', "you're not listening", 'i already said',
  'i already told', 'already tried', 'again and again', 'for the second time', 'for the third time', 'fed up', 'sick of', 'annoying',
  'frustrat*', 'angry', 'disappointed', 'nonsense', 'makes no sense', 'are you kidding', 'come on', 'wtf', 'not good enough',
  'is garbage', 'is trash', 'total garbage',
]);
/** "nulle part" (nowhere) is not a complaint. */
const NOT_A_COMPLAINT = phrasePattern(['nulle part', 'nul part'], 'gu');
const INSULTS = phrasePattern([
  'con', 'connard', 'connasse', 'abruti*', 'debile*', 'idiot*', 'stupide*', 'putain', 'merde*', 'bordel', 'cretin*', 'imbecile*',
  'foutez', 'fout', 'stupid', 'dumb', 'crap', 'crappy', 'shit*', 'fuck*', 'damn', 'bullshit', 'moron*', 'sucks',
]);
/** "!!!", "?!?", "???": shouting with punctuation ("!!" alone is mere emphasis). */
const PUNCTUATION_BURST = /[!?]{3,}/;

/** A message mostly in capitals, long enough for it to be shouting rather than an acronym ("PDF", "TVA"). */
function isShouting(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  const upper = text.match(/\p{Lu}/gu) ?? [];
  const capitalWords = text.match(/(?<!\p{L})\p{Lu}{3,}(?!\p{L})/gu) ?? [];
  return letters.length >= 10 && capitalWords.length >= 2 && upper.length / letters.length >= 0.6;
}

/**
 * 0: neutral; 1: a mild negative ("ça ne marche pas", or shouting alone); 2 and more: strong (an
 * insult, or a complaint shouted). Capitals and "!!!" alone do not make "MERCI !!!" a complaint.
 */
function negativity(text: string): number {
  const folded = fold(text).replace(NOT_A_COMPLAINT, ' ');
  const complaint = (NEGATIVE_PHRASES.test(folded) ? 1 : 0) + (INSULTS.test(folded) ? 2 : 0);
  const intensity = isShouting(text) || PUNCTUATION_BURST.test(text) ? 1 : 0;
  if (complaint > 0) return complaint + intensity;
  return detectSmallTalk(text) === null ? intensity : 0;
}

export interface FrustrationSignal {
  kind: 'negative_messages' | 'repeated_question';
  /** For the decision's reasons, in English. */
  detail: string;
}

/** Share of shared words (by stem) above which two questions are the same question reworded. */
const SAME_QUESTION_OVERLAP = 0.75;
/** Fewer shared topic words than this is too little to call two messages the same question. */
const SAME_QUESTION_MIN_WORDS = 2;

/**
 * Frustration, from the customer's messages of the session (the last one included): a strongly
 * negative last message, a negative last message after an earlier one, or the same question asked
 * again after the agent answered or offered options. A single mild complaint is not frustration.
 */
export function detectFrustration(turns: readonly ConversationTurn[], priorDecisions: readonly PriorDecision[]): FrustrationSignal | null {
  const userIndexes = turns.flatMap((turn, index) => (turn.role === 'user' ? [index] : []));
  const lastIndex = userIndexes.at(-1);
  if (lastIndex === undefined) return null;
  const last = turns[lastIndex]!.text;

  const lastScore = negativity(last);
  if (lastScore >= 2) return { kind: 'negative_messages', detail: 'a strongly negative message' };
  if (lastScore === 1) {
    const earlierNegative = userIndexes.slice(0, -1).filter((index) => negativity(turns[index]!.text) > 0).length;
    if (earlierNegative > 0) return { kind: 'negative_messages', detail: `${earlierNegative + 1} negative messages` };
  }

  const agentTried = priorDecisions.some((decision) => decision.action === 'answer' || decision.action === 'clarify');
  if (!agentTried) return null;
  const lastKeys = contentKeys(last);
  for (const index of userIndexes.slice(0, -1)) {
    const answeredSince = turns.slice(index + 1, lastIndex).some((turn) => turn.role === 'agent');
    if (!answeredSince) continue;
    const overlap = sharedShare(lastKeys, contentKeys(turns[index]!.text));
    if (overlap.shared >= SAME_QUESTION_MIN_WORDS && overlap.share >= SAME_QUESTION_OVERLAP) {
      return { kind: 'repeated_question', detail: `the same question again after an answer (${Math.round(overlap.share * 100)}% of its words)` };
    }
  }
  return null;
}

/** Shared words and their share of all the words of both messages (Jaccard). */
function sharedShare(a: Set<string>, b: Set<string>): { shared: number; share: number } {
  let shared = 0;
  for (const key of a) if (b.has(key)) shared++;
  const union = a.size + b.size - shared;
  return { shared, share: union ? shared / union : 0 };
}

// ---------------------------------------------------------------------------------------------------
// Small talk

export type SmallTalk = 'greeting' | 'thanks' | 'goodbye';

/**
 * Phrases of each kind; a message is small talk when nothing else is left once they and filler are
 * removed ("merci beaucoup": "merci", then "beaucoup" is filler). Openers without a question ("j'ai une question", "can you help me?") count as greetings:
 * the reply asks what the question is.
 */
const SMALL_TALK_PHRASES: Record<SmallTalk, RegExp> = {
  goodbye: phrasePattern(
    [
      'au revoir', 'a bientot', 'a plus', 'a+', 'bonne journee', 'bonne soiree', 'bonne fin de journee', 'bonne nuit', 'bon week end',
      'bonne continuation', 'ciao', 'bye', 'goodbye', 'good bye', 'see you', 'see ya', 'good night', 'have a nice day',
      'have a good day', 'have a great day', 'have a nice evening', 'have a good one', 'take care', 'cheers',
    ],
    'gu',
  ),
  thanks: phrasePattern(
    [
      'merci', 'mercii', 'mille mercis', 'mille merci', 'un grand merci', 'thanks', 'thank you', 'thank u', 'thx', 'ty', 'many thanks',
      'parfait', 'super', 'genial', 'nickel', 'top', 'cool', "c'est bon", "c'est clair", "d'accord", 'ok', 'okay', 'entendu', 'compris',
      'great', 'perfect', 'awesome', 'got it', 'understood', "that's great", 'that helps', 'ca marche', 'tres bien', 'impeccable',
    ],
    'gu',
  ),
  greeting: phrasePattern(
    [
      'bonjour', 'bonsoir', 'salut', 'coucou', 'hello', 'hi', 'hey', 'allo', 'yo', 'good morning', 'good afternoon', 'good evening',
      "j'ai une question", 'une question', "j'ai besoin d'aide", "besoin d'aide", 'pouvez vous m aider', 'vous pouvez m aider',
      'est ce que vous pouvez m aider', 'vous etes la', 'il y a quelqu un', 'i have a question', 'quick question', 'i need help',
      'can you help me', 'can you help', 'could you help me', 'anyone there', 'is anyone there', 'are you there',
    ],
    'gu',
  ),
};
/** Words that may surround small talk without making it a question: "Merci beaucoup pour votre aide !" */
const SMALL_TALK_FILLER = new Set(
  'beaucoup bien encore infiniment vraiment pour votre vos toi ton ta aide reponse tout tous toutes le la les l monde a et vous tu madame monsieur equipe oui so much very again for your the help all everyone there and you guys team lot oh ah alors bon'.split(
    ' ',
  ),
);

/** The kind of small talk when the message is only that; null when it carries anything else (a question). */
export function detectSmallTalk(text: string): SmallTalk | null {
  let rest = fold(text);
  const found = new Set<SmallTalk>();
  for (const kind of ['goodbye', 'thanks', 'greeting'] as const) {
    rest = rest.replace(SMALL_TALK_PHRASES[kind], () => {
      found.add(kind);
      return ' ';
    });
  }
  if (!found.size) return null;
  const leftover = rest.split(/[^\p{L}\p{N}]+/u).filter((word) => word && !SMALL_TALK_FILLER.has(word));
  if (leftover.length) return null;
  // "Merci, au revoir" closes the conversation; "Bonjour, merci" thanks.
  if (found.has('goodbye')) return 'goodbye';
  if (found.has('thanks')) return 'thanks';
  return 'greeting';
}
