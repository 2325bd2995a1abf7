import { Hono } from 'hono';
import { z } from 'zod';
import { retrieve } from '@relai/retrieval';
import { findAgent } from '@relai/tenants';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { requireToken } from '../middleware/auth';
import { parseWith } from '../validation';

const searchQuery = z.object({
  q: z.string().trim().min(1, 'expected a non-empty question').max(2000),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

/** Ranked articles for a question, with the passage that matched: what the answer engine builds on. */
export function searchRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/v1/agents/:agentId/search', requireToken(deps.db), async (c) => {
    const identity = c.get('identity');
    const agentId = c.req.param('agentId');
    if (identity.agentId !== null && identity.agentId !== agentId) throw new ApiError('not_found', `No AI agent "${agentId}"`);
    if (!(await findAgent(deps.db, identity.tenantId, agentId))) throw new ApiError('not_found', `No AI agent "${agentId}"`);
    const { q, limit } = parseWith(searchQuery, c.req.query());
    const retrieval = await retrieve(deps.db, deps.embedder, { tenantId: identity.tenantId, turns: [{ role: 'user', text: q }], limit });
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
