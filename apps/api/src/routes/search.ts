import { Hono } from 'hono';
import { z } from 'zod';
import { parseAgentSettings } from '@relai/answering';
import { retrieve } from '@relai/retrieval';
import type { AppDeps, AppEnv } from '../context';
import { requireAgentAccess, requireToken } from '../middleware/auth';
import { parseWith } from '../validation';
import type { Operation } from '../openapi/operation';

const searchQuery = z.object({
  q: z.string().trim().min(1, 'expected a non-empty question').max(2000),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

/** Ranked articles for a question, with the passage that matched: what the answer engine builds on. */
export function searchRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/v1/agents/:agentId/search', requireToken(deps.db), requireAgentAccess(deps.db), async (c) => {
    const agent = c.get('agent');
    const { q, limit } = parseWith(searchQuery, c.req.query());
    const settings = parseAgentSettings(agent.settings);
    const retrieval = await retrieve(deps.db, deps.embedder, {
      tenantId: agent.tenantId,
      turns: [{ role: 'user', text: q }],
      limit,
      scope: { sourceIds: settings.source_ids },
    });
    return c.json({
      query: q,
      language: retrieval.language,
      confidence: Number(retrieval.confidence.toFixed(3)),
      results: retrieval.candidates.map((hit) => ({
        article_id: hit.externalId,
        title: hit.title,
        url: hit.url,
        collection: hit.collectionPath,
        language: hit.language,
        score: Number(hit.fusedScore.toFixed(5)),
        passage: { heading_path: hit.passage.headingPath, text: hit.passage.text },
      })),
    });
  });
}

const searchResponse = z.object({
  query: z.string(),
  language: z.enum(['fr', 'en', 'unknown']).meta({ description: 'The customer’s language, detected from the question' }),
  confidence: z.number().min(0).max(1).meta({ description: 'How likely the first result answers the question: 0.75 means right at least 9 times in 10' }),
  results: z.array(
    z.object({
      article_id: z.string().meta({ description: 'The article’s id at its source' }),
      title: z.string(),
      url: z.string().nullable(),
      collection: z.array(z.string()).meta({ description: 'Collection and section, outermost first' }),
      language: z.string().nullable(),
      score: z.number().meta({ description: 'Fused lexical and vector rank score: orders results, not comparable across questions' }),
      passage: z.object({
        heading_path: z.array(z.string()).meta({ description: 'The headings above the passage, outermost first' }),
        text: z.string(),
      }),
    }),
  ),
});

export const searchOperations: Operation[] = [
  {
    method: 'get',
    path: '/v1/agents/{agentId}/search',
    operationId: 'searchArticles',
    summary: 'Search the agent’s knowledge',
    description:
      'Ranked articles for a question (`q`), each with the passage that matched, the customer’s language and a confidence: ' +
      'what the answer engine builds on.',
    tags: ['Search'],
    auth: 'agent',
    params: z.object({ agentId: z.string().meta({ description: 'The AI agent’s id' }) }),
    query: searchQuery,
    responses: { 200: { description: 'The best articles first', schema: searchResponse } },
    errors: { not_found: 'No such agent, or the token belongs to another agent' },
  },
];
