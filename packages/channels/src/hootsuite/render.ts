import type { Reply } from '@relai/answering';

/**
 * A reply as one plain-text message: social channels behind Inbox 2.0 (Messenger, WhatsApp, X...)
 * have no buttons in common, so links become lines under the text and options a numbered list
 * the contact answers with a number.
 */
export function renderReply(reply: Reply): string {
  const blocks = [reply.text.trim()];
  const links = reply.components.flatMap((component) => (component.type === 'link' ? [`• ${component.title} — ${component.url}`] : []));
  for (const component of reply.components) {
    if (component.type === 'options') blocks.push(component.options.map((option) => `${option.number}. ${option.label}`).join('\n'));
  }
  if (links.length > 0) blocks.push(links.join('\n'));
  return blocks.filter((block) => block !== '').join('\n\n');
}
