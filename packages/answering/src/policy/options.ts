import type { OfferedOption } from '../types';
import { contentKeys, foldedWords } from './text';

/** Ordinal words, folded; `last` is the last option offered. */
const ORDINALS = new Map<string, number | 'last'>([
  ...['premier', 'premiere', 'first', 'one'].map((word) => [word, 1] as const),
  ...['deuxieme', 'second', 'seconde', 'two', 'deux'].map((word) => [word, 2] as const),
  ...['troisieme', 'third', 'three', 'trois'].map((word) => [word, 3] as const),
  ...['quatrieme', 'fourth', 'four', 'quatre'].map((word) => [word, 4] as const),
  ...['cinquieme', 'fifth', 'five', 'cinq'].map((word) => [word, 5] as const),
  ...['dernier', 'derniere', 'last'].map((word) => [word, 'last'] as const),
]);
/** "2", "2e", "2eme", "2nd", "1er", "3rd". */
const NUMERAL = /^(\d{1,2})(?:e|eme|er|ere|nd|st|rd|th)?$/;

/** Words around a choice that say nothing about which one: "c'est plutôt le 2 svp", "I'll take option 2". */
const CHOICE_FILLER = new Set(
  `le la l les un une des du de d the a an option options choix choice choose choisis choisir choisirais je j prends prendre
   take ll i will pick number numero num no n c est it s its is celui celle ci that this plutot rather please svp stp merci
   thanks ok okay alors euh hmm well sujet subject topic article reponse answer like want veux voudrais would id oui yes for
   pour en sur about concerning concerne qui which me moi my mon go avec with dirais say`.split(/\s+/),
);

/** Share of an option's title words a message must name, and share of the message those words must make up. */
const TITLE_SHARE = 0.6;
const MESSAGE_SHARE = 0.75;

/**
 * The option a customer picks in reply to "which one?": by number ("2", "le 2", "option 2"), by
 * ordinal ("la deuxième", "the second one", "la dernière") or by naming most of its title. Null for
 * anything else, a new question included.
 */
export function pickOfferedOption(text: string, options: readonly OfferedOption[]): OfferedOption | null {
  if (!options.length) return null;
  let words = foldedWords(text).filter((word) => !CHOICE_FILLER.has(word));
  // "the second one": "one" is an ordinal only when alone.
  if (words.length > 1) words = words.filter((word) => word !== 'one');
  if (!words.length) return null;

  const position = ordinal(words[0]!);
  if (position !== null) {
    const chosen = position === 'last' ? options.at(-1)! : options.find((option) => option.number === position);
    const rest = contentKeys(words.slice(1).join(' '));
    // "2", or "2. Exporter mes factures" copied from the list.
    if (chosen && [...rest].every((key) => contentKeys(chosen.label).has(key))) return chosen;
  }
  return optionNamed(words, options);
}

function ordinal(word: string): number | 'last' | null {
  const numeral = NUMERAL.exec(word);
  if (numeral) return Number(numeral[1]);
  return ORDINALS.get(word) ?? null;
}

/** The one option whose title the message names, and that makes up most of the message. */
function optionNamed(words: string[], options: readonly OfferedOption[]): OfferedOption | null {
  const message = contentKeys(words.join(' '));
  if (!message.size) return null;
  const scored = options
    .map((option) => {
      const title = contentKeys(option.label);
      const shared = [...title].filter((key) => message.has(key)).length;
      return { option, titleShare: title.size ? shared / title.size : 0, messageShare: shared / message.size };
    })
    .filter((entry) => entry.titleShare >= TITLE_SHARE && entry.messageShare >= MESSAGE_SHARE)
    .sort((a, b) => b.titleShare + b.messageShare - (a.titleShare + a.messageShare));
  const [best, runnerUp] = scored;
  if (!best) return null;
  if (runnerUp && runnerUp.titleShare + runnerUp.messageShare === best.titleShare + best.messageShare) return null;
  return best.option;
}
