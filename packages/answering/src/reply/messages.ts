import type { AgentSettings } from '../agent-settings';
import type { EscalationReason, ReplyLanguage } from '../types';
import type { OffHours } from '../policy/business-hours';

/**
 * Every text the customer reads that is not quoted from an article, in French and English, for each
 * tone. French uses "vous" whatever the tone: a support agent never says "tu" to a customer.
 */

export type Tone = AgentSettings['tone'];

export interface ReplyMessages {
  /** The line before an extract quoted from an article; `note` says the article is in another language. */
  answerIntro(note: string | null): string;
  /** The line above the article links. */
  moreDetails: string;
  /** Above the numbered options of a clarification. */
  clarifyPrompt: string;
  greeting: string;
  thanks: string;
  goodbye: string;
  /** Why a human takes over; `team` is the team's name when known. */
  escalation(reason: EscalationReason, team: string | null): string;
}

type EscalationTexts = Record<EscalationReason, (withTeam: string) => string>;

interface ToneTexts extends Omit<ReplyMessages, 'answerIntro' | 'escalation'> {
  /** Without the final colon; '' when the tone goes straight to the extract. */
  answerIntro: string;
  escalation: EscalationTexts;
}

const FRENCH: Record<Tone, ToneTexts> = {
  friendly: {
    answerIntro: "Voici ce que j'ai trouvé",
    moreDetails: 'Pour plus de détails :',
    clarifyPrompt: 'Votre question peut concerner plusieurs sujets. Lequel correspond ? Répondez par le numéro.',
    greeting: 'Bonjour ! Comment puis-je vous aider ?',
    thanks: "Avec plaisir ! N'hésitez pas si vous avez une autre question.",
    goodbye: 'Au revoir et bonne journée !',
    escalation: {
      requested_human: (team) => `Bien sûr ! Je vous mets en relation avec un conseiller${team}. Vous aurez une réponse dès que possible.`,
      sensitive_topic: (team) => `Pour ce type de demande, je passe la main à un conseiller${team}. Vous aurez une réponse dès que possible.`,
      frustration: (team) => `Toutes mes excuses, mes réponses n'ont pas résolu votre problème. Je vous mets en relation avec un conseiller${team}, qui va reprendre votre demande.`,
      too_many_turns: (team) => `Pour avancer plus vite, je vous mets en relation avec un conseiller${team}, qui aura tout l'historique de notre échange.`,
      low_confidence: (team) => `Je n'ai pas trouvé de réponse sûre à votre question dans notre centre d'aide. Je la transmets à un conseiller${team}, qui vous répondra dès que possible.`,
      no_answer: (team) => `Notre centre d'aide n'a pas de réponse à cette question. Je la transmets à un conseiller${team}, qui vous répondra dès que possible.`,
      topic_rule: (team) => `Je transmets votre demande à un conseiller${team}, qui vous répondra dès que possible.`,
    },
  },
  professional: {
    answerIntro: "Voici les informations de notre centre d'aide",
    moreDetails: 'Pour en savoir plus, consultez :',
    clarifyPrompt: 'Votre question peut concerner plusieurs sujets. Pourriez-vous indiquer celui qui correspond à votre demande ? Répondez simplement par son numéro.',
    greeting: 'Bonjour, comment puis-je vous aider ?',
    thanks: "Je vous en prie. N'hésitez pas à revenir vers nous si vous avez d'autres questions.",
    goodbye: 'Au revoir, et merci de nous avoir contactés.',
    escalation: {
      requested_human: (team) => `Je vous mets en relation avec un conseiller${team}. Votre demande sera traitée dans les meilleurs délais.`,
      sensitive_topic: (team) => `Cette demande relève d'un conseiller : je la transmets à un conseiller${team}. Elle sera traitée dans les meilleurs délais.`,
      frustration: (team) => `Nous vous prions de nous excuser pour ce désagrément. Je vous mets en relation avec un conseiller${team}, qui reprendra votre demande.`,
      too_many_turns: (team) => `Afin de traiter votre demande au mieux, je vous mets en relation avec un conseiller${team}, qui disposera de l'historique de notre échange.`,
      low_confidence: (team) => `Je n'ai pas trouvé de réponse fiable à votre question dans notre centre d'aide. Je la transmets à un conseiller${team}, qui vous répondra dans les meilleurs délais.`,
      no_answer: (team) => `Notre centre d'aide ne contient pas de réponse à cette question. Je la transmets à un conseiller${team}, qui vous répondra dans les meilleurs délais.`,
      topic_rule: (team) => `Je transmets votre demande à un conseiller${team}, qui vous répondra dans les meilleurs délais.`,
    },
  },
  concise: {
    answerIntro: '',
    moreDetails: 'Détails :',
    clarifyPrompt: 'Plusieurs sujets possibles. Lequel ? Répondez par le numéro.',
    greeting: 'Bonjour, quelle est votre question ?',
    thanks: 'Avec plaisir.',
    goodbye: 'Au revoir.',
    escalation: {
      requested_human: (team) => `Je vous transfère à un conseiller${team}.`,
      sensitive_topic: (team) => `Cette demande est traitée par un conseiller. Je vous transfère à un conseiller${team}.`,
      frustration: (team) => `Toutes mes excuses. Je vous transfère à un conseiller${team}.`,
      too_many_turns: (team) => `Je vous transfère à un conseiller${team}, qui a l'historique de notre échange.`,
      low_confidence: (team) => `Je n'ai pas de réponse sûre. Je vous transfère à un conseiller${team}.`,
      no_answer: (team) => `Pas de réponse dans notre centre d'aide. Je vous transfère à un conseiller${team}.`,
      topic_rule: (team) => `Je vous transfère à un conseiller${team}.`,
    },
  },
};

const ENGLISH: Record<Tone, ToneTexts> = {
  friendly: {
    answerIntro: "Here's what I found",
    moreDetails: 'For more details:',
    clarifyPrompt: 'Your question could be about a few different things. Which one fits? Reply with its number.',
    greeting: 'Hi there! How can I help you?',
    thanks: "You're welcome! Let me know if there's anything else.",
    goodbye: 'Goodbye, have a great day!',
    escalation: {
      requested_human: (team) => `Of course! I'm connecting you with an agent${team}. They'll get back to you as soon as possible.`,
      sensitive_topic: (team) => `This is best handled by a person, so I'm passing your request to an agent${team}. They'll get back to you as soon as possible.`,
      frustration: (team) => `I'm sorry my answers didn't help. I'm connecting you with an agent${team}, who will take it from here.`,
      too_many_turns: (team) => `To move things along, I'm connecting you with an agent${team}, who will see our whole conversation.`,
      low_confidence: (team) => `I couldn't find a reliable answer to your question in our help center. I'm passing it to an agent${team}, who will get back to you as soon as possible.`,
      no_answer: (team) => `Our help center doesn't have an answer to this question. I'm passing it to an agent${team}, who will get back to you as soon as possible.`,
      topic_rule: (team) => `I'm passing your request to an agent${team}, who will get back to you as soon as possible.`,
    },
  },
  professional: {
    answerIntro: 'Here is the relevant information from our help center',
    moreDetails: 'For more information, see:',
    clarifyPrompt: 'Your question may relate to several topics. Could you tell us which one matches your request? Simply reply with its number.',
    greeting: 'Hello, how may I help you?',
    thanks: 'You are welcome. Please do not hesitate to contact us if you have any other questions.',
    goodbye: 'Goodbye, and thank you for contacting us.',
    escalation: {
      requested_human: (team) => `I am connecting you with an agent${team}. Your request will be handled as soon as possible.`,
      sensitive_topic: (team) => `This request requires an agent: I am forwarding it to an agent${team}. It will be handled as soon as possible.`,
      frustration: (team) => `We apologise for the inconvenience. I am connecting you with an agent${team}, who will take over your request.`,
      too_many_turns: (team) => `To resolve your request more efficiently, I am connecting you with an agent${team}, who will have the full history of our conversation.`,
      low_confidence: (team) => `I could not find a reliable answer to your question in our help center. I am forwarding it to an agent${team}, who will reply as soon as possible.`,
      no_answer: (team) => `Our help center does not contain an answer to this question. I am forwarding it to an agent${team}, who will reply as soon as possible.`,
      topic_rule: (team) => `I am forwarding your request to an agent${team}, who will reply as soon as possible.`,
    },
  },
  concise: {
    answerIntro: '',
    moreDetails: 'Details:',
    clarifyPrompt: 'Several topics match. Which one? Reply with the number.',
    greeting: 'Hello, what is your question?',
    thanks: "You're welcome.",
    goodbye: 'Goodbye.',
    escalation: {
      requested_human: (team) => `Transferring you to an agent${team}.`,
      sensitive_topic: (team) => `An agent handles this. Transferring you to an agent${team}.`,
      frustration: (team) => `Sorry about that. Transferring you to an agent${team}.`,
      too_many_turns: (team) => `Transferring you to an agent${team}, who has our conversation history.`,
      low_confidence: (team) => `No reliable answer found. Transferring you to an agent${team}.`,
      no_answer: (team) => `No answer in our help center. Transferring you to an agent${team}.`,
      topic_rule: (team) => `Transferring you to an agent${team}.`,
    },
  },
};

/** The customer-facing texts of one language and tone. */
export function replyMessages(language: ReplyLanguage, tone: Tone): ReplyMessages {
  const texts = (language === 'fr' ? FRENCH : ENGLISH)[tone];
  // French puts a (narrow) space before a colon; English does not.
  const colon = language === 'fr' ? ' :' : ':';
  return {
    ...texts,
    answerIntro: (note) => {
      const intro = [texts.answerIntro, note].filter(Boolean).join(' ');
      return intro && texts.answerIntro ? `${intro}${colon}` : intro;
    },
    escalation: (reason, team) => texts.escalation[reason](team ? ofTeam(language, team) : ''),
  };
}

/** " de l'équipe Facturation", " from the Billing team"; names that already say "team" are kept as they are. */
function ofTeam(language: ReplyLanguage, name: string): string {
  if (language === 'fr') {
    const bare = name.replace(/^l['’]/i, '');
    return /^[ée]quipe\b/i.test(bare) ? ` de l'${bare.charAt(0).toLowerCase()}${bare.slice(1)}` : ` de l'équipe ${name}`;
  }
  return /\bteam\b/i.test(name) ? ` from the ${name.replace(/^the /i, '')}` : ` from the ${name} team`;
}

/** "lundi 30 novembre à 09:00 UTC+1", "Monday 30 November at 09:00 CET": an opening in the team's time zone. */
export function openingTime(language: ReplyLanguage, opening: Date, timeZone: string): string {
  const locale = language === 'fr' ? 'fr-FR' : 'en-GB';
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(opening);
}

/** Added to an escalation while no team is open: when to expect a human, instead of "as soon as possible" alone. */
export function offHoursNotice(language: ReplyLanguage, offHours: OffHours): string {
  const when = offHours.nextOpening ? openingTime(language, offHours.nextOpening, offHours.timeZone) : null;
  if (language === 'fr') return when ? `Notre équipe est absente pour le moment : un conseiller vous répondra à partir de ${when}.` : 'Notre équipe est absente pour le moment.';
  return when ? `Our team is away right now: an agent will reply from ${when}.` : 'Our team is away right now.';
}

/** The header of a suggestion: the text is for the human who reviews it before sending. */
export function suggestionHeader(language: ReplyLanguage): string {
  return language === 'fr' ? 'Réponse proposée (à vérifier avant envoi) :' : 'Suggested reply (review before sending):';
}

/**
 * "(article en anglais)", "(article in French)" when an article is not in the customer's language;
 * null when it is, or when its language is unknown.
 */
export function otherLanguageNote(articleLanguage: string | null, replyLanguage: ReplyLanguage): string | null {
  const primary = articleLanguage?.trim().toLowerCase().split(/[-_]/)[0];
  if (!primary || primary === replyLanguage) return null;
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([replyLanguage], { type: 'language', fallback: 'none' }).of(primary);
  } catch {
    // Not a language code at all ("unknown"): say nothing rather than something wrong.
    return null;
  }
  if (!name) return null;
  return replyLanguage === 'fr' ? `(article en ${name})` : `(article in ${name})`;
}
