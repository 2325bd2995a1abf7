import type { AgentReply, Citation, HandoffNote, Reply, ReplyComponent, ReplyLanguage } from '@relai/answering';
import { escapeHtml, link, paragraphs } from './html';

/** Words of the notes for teammates that the agent's reply does not already carry. */
const NOTE_LABELS: Record<ReplyLanguage, { sources: string; confidence: string; team: string }> = {
  fr: { sources: 'Sources :', confidence: 'Confiance :', team: 'Équipe :' },
  en: { sources: 'Sources:', confidence: 'Confidence:', team: 'Team:' },
};

/** The reply's article links as one list, then any options as numbered lines. */
function renderComponents(components: ReplyComponent[]): string {
  const links = components.flatMap((component) => (component.type === 'link' ? [`<li>${link(component.url, component.title)}</li>`] : []));
  // Numbers written out, not an <ol>: the customer answers with the number, so it must show in every client.
  const options = components.flatMap((component) =>
    component.type === 'options' ? [`<p>${component.options.map((option) => `${option.number}. ${escapeHtml(option.label)}`).join('<br>')}</p>`] : [],
  );
  return (links.length ? `<ul>${links.join('')}</ul>` : '') + options.join('');
}

/** What the customer reads: an answer with its article links, a clarification with numbered options, or why a human takes over. */
export function renderCustomerReply(reply: Reply): string {
  return paragraphs(reply.text) + renderComponents(reply.components);
}

function renderCitations(citations: Citation[], language: ReplyLanguage): string {
  if (!citations.length) return '';
  // No per-article score: it is a ranking score, not a confidence a teammate could read.
  const items = citations.map((citation) => `<li>${citation.url ? link(citation.url, citation.title) : escapeHtml(citation.title)}</li>`);
  return `<p>${escapeHtml(NOTE_LABELS[language].sources)}</p><ul>${items.join('')}</ul>`;
}

/** For teammates (`suggest`): the proposed answer as the customer would read it, then its sources, the confidence and the team. */
export function renderSuggestionNote(reply: AgentReply): string {
  const labels = NOTE_LABELS[reply.language];
  const facts = [`${labels.confidence} ${reply.confidence.toFixed(2)}`, reply.team ? `${labels.team} ${reply.team.name}` : ''].filter(Boolean);
  return renderCustomerReply(reply.reply) + renderCitations(reply.citations, reply.language) + `<p>${facts.map(escapeHtml).join('<br>')}</p>`;
}

/** For the teammate who takes over (`escalate`): the handoff note, its article addresses clickable. */
export function renderHandoffNote(note: HandoffNote): string {
  return paragraphs(note.text, { linkify: true });
}
