import type { AgentReply, Citation, Reply, ReplyLanguage } from '@relai/answering';

export type CommentFormat = 'html' | 'text';

/** Zendesk takes a comment as `html_body` (rendered in the email) or `body` (plain text). */
export type CommentBody = { html_body: string } | { body: string };

/** A comment is paragraphs of text, lists of links and numbered options, in order. */
type Block =
  | { kind: 'text'; text: string }
  | { kind: 'links'; links: Array<{ title: string; url: string | null }> }
  | { kind: 'options'; options: Array<{ number: number; label: string }> };

const LABELS = {
  fr: {
    reviewAnswer: "Réponse proposée par l'agent IA, non envoyée au client :",
    reviewClarify: "Question proposée par l'agent IA, non envoyée au client :",
    confidence: (value: string) => `Confiance : ${value}`,
    sources: 'Sources :',
  },
  en: {
    reviewAnswer: 'Reply proposed by the AI agent, not sent to the customer:',
    reviewClarify: 'Question proposed by the AI agent, not sent to the customer:',
    confidence: (value: string) => `Confidence: ${value}`,
    sources: 'Sources:',
  },
} satisfies Record<ReplyLanguage, unknown>;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Only web links become anchors: anything else (javascript:, data:) stays text. */
function isWebUrl(url: string | null): url is string {
  return url !== null && /^https?:\/\//i.test(url);
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'text':
      return block.text
        .split(/\n{2,}/)
        .filter((paragraph) => paragraph.trim())
        .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, '<br>')}</p>`)
        .join('');
    case 'links':
      return `<ul>${block.links
        .map((link) => `<li>${isWebUrl(link.url) ? `<a href="${escapeHtml(link.url)}">${escapeHtml(link.title)}</a>` : escapeHtml(link.url ? `${link.title}: ${link.url}` : link.title)}</li>`)
        .join('')}</ul>`;
    case 'options':
      return `<ol>${block.options.map((option) => `<li>${escapeHtml(option.label)}</li>`).join('')}</ol>`;
  }
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'text':
      return block.text.trim();
    case 'links':
      return block.links.map((link) => (link.url ? `- ${link.title}: ${link.url}` : `- ${link.title}`)).join('\n');
    case 'options':
      return block.options.map((option) => `${option.number}. ${option.label}`).join('\n');
  }
}

function render(blocks: Block[], format: CommentFormat): CommentBody {
  const kept = blocks.filter((block) => (block.kind === 'text' ? block.text.trim() : block.kind === 'links' ? block.links.length : block.options.length));
  return format === 'html' ? { html_body: kept.map(blockHtml).join('') } : { body: kept.map(blockText).join('\n\n') };
}

/** The reply as the customer reads it: its text, then its article links and numbered options. */
function replyBlocks(reply: Reply): Block[] {
  const blocks: Block[] = [{ kind: 'text', text: reply.text }];
  const links = reply.components.flatMap((component) => (component.type === 'link' ? [{ title: component.title, url: component.url }] : []));
  if (links.length) blocks.push({ kind: 'links', links });
  for (const component of reply.components) {
    if (component.type === 'options') blocks.push({ kind: 'options', options: component.options });
  }
  return blocks;
}

/** For the agent who reviews: how sure the AI agent was, and the articles it relied on. */
function evidenceBlocks(reply: AgentReply): Block[] {
  const labels = LABELS[reply.language];
  const blocks: Block[] = [{ kind: 'text', text: labels.confidence(reply.confidence.toFixed(2)) }];
  if (reply.citations.length) {
    blocks.push({ kind: 'text', text: labels.sources }, { kind: 'links', links: reply.citations.map((citation: Citation) => ({ title: citation.title, url: citation.url })) });
  }
  return blocks;
}

export function renderCustomerReply(reply: Reply, format: CommentFormat): CommentBody {
  return render(replyBlocks(reply), format);
}

/** A `suggest` decision: the proposed answer (its text starts with "Suggested reply…") and its evidence. */
export function renderSuggestionNote(reply: AgentReply, format: CommentFormat): CommentBody {
  return render([...replyBlocks(reply.reply), ...evidenceBlocks(reply)], format);
}

/** Review mode: what the agent would have sent, marked as not sent. */
export function renderReviewNote(reply: AgentReply, format: CommentFormat): CommentBody {
  const labels = LABELS[reply.language];
  const header = reply.action === 'clarify' ? labels.reviewClarify : labels.reviewAnswer;
  const evidence = reply.action === 'clarify' ? [] : evidenceBlocks(reply);
  return render([{ kind: 'text', text: header }, ...replyBlocks(reply.reply), ...evidence], format);
}

/** The handoff note, written for the human who takes over (already in the conversation's language). */
export function renderHandoffNote(noteText: string, format: CommentFormat): CommentBody {
  return render([{ kind: 'text', text: noteText }], format);
}
