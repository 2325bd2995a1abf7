/**
 * The new part of an email reply: what the customer wrote, without the quoted earlier messages, the
 * signature and the sign-off, so that retrieval and the history see the question and nothing else.
 * Zendesk keeps what the mail client sent; clients quote in many ways, these are the common ones.
 */

/** Zendesk's reply marker in notification emails, in any language: "##- Please type your reply above this line -##". */
const ZENDESK_REPLY_MARKER = /^##-.*-##$/;
/** "On Mon, 3 Nov 2026, Facturo <support@…> wrote:", "Le lun. 3 nov. 2026 à 10:00, … a écrit :". */
const QUOTE_INTRO = /^(?:On\s.+\swrote|Le\s.+\sa\sécrit)\s?:$/i;
const ORIGINAL_MESSAGE = /^(?:-{2,}|_{2,})\s*(?:original message|message d'origine|message original|forwarded message|message transféré)\s*(?:-{2,}|_{2,})?$/i;
/** Outlook's separator line above a quoted header block. */
const OUTLOOK_RULE = /^_{10,}$/;
const HEADER_FIELD = /^(?:From|De|Sent|Envoyé|Date|To|À|Cc|Subject|Objet)\s?:/i;
const SIGNATURE_DELIMITER = /^--\s?$/;
const MOBILE_SIGNATURE = /^(?:Sent from my|Envoyé de mon|Envoyé depuis mon|Get Outlook for|Obtenir Outlook pour)\b/i;
const SIGN_OFF = /^(?:cordialement|bien cordialement|bien à vous|salutations|bonne journée|best regards|kind regards|regards|best|cheers)\s*[,.!]?$/i;
/** A sign-off is only that near the end: a name and a title may follow it. */
const SIGN_OFF_MAX_LINES_FROM_END = 5;

function startsQuotedPart(lines: string[], index: number): boolean {
  const line = lines[index]!.trim();
  const next = lines[index + 1]?.trim() ?? '';
  if (ZENDESK_REPLY_MARKER.test(line) || ORIGINAL_MESSAGE.test(line) || OUTLOOK_RULE.test(line)) return true;
  // Clients wrap a long quote intro over two lines.
  if (QUOTE_INTRO.test(line) || (/^(?:On|Le)\s/i.test(line) && QUOTE_INTRO.test(`${line} ${next}`))) return true;
  // An Outlook header block: "From: …" followed by "Sent: …" or "To: …".
  return /^(?:From|De)\s?:/i.test(line) && lines.slice(index + 1, index + 4).some((candidate) => HEADER_FIELD.test(candidate.trim()));
}

function startsSignature(line: string): boolean {
  return SIGNATURE_DELIMITER.test(line) || MOBILE_SIGNATURE.test(line.trim());
}

function tidy(lines: string[]): string {
  return lines
    .filter((line) => !line.trimStart().startsWith('>'))
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function withoutSignOff(lines: string[]): string[] {
  for (let index = Math.max(1, lines.length - SIGN_OFF_MAX_LINES_FROM_END); index < lines.length; index += 1) {
    if (SIGN_OFF.test(lines[index]!.trim()) && tidy(lines.slice(0, index))) return lines.slice(0, index);
  }
  return lines;
}

export function newEmailText(raw: string): string {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const quoteAt = lines.findIndex((_, index) => startsQuotedPart(lines, index));
  let own = quoteAt === -1 ? lines : lines.slice(0, quoteAt);
  // Bottom-posting: the reply comes after the quote; keep the lines that are not quoted.
  if (quoteAt !== -1 && !tidy(own)) own = lines.slice(quoteAt + 1).filter((line) => !HEADER_FIELD.test(line.trim()) && !QUOTE_INTRO.test(line.trim()));
  const signatureAt = own.findIndex(startsSignature);
  if (signatureAt > 0) own = own.slice(0, signatureAt);
  return tidy(withoutSignOff(own));
}
