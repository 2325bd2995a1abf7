import { Hono } from 'hono';
import { z } from 'zod';
import { parseAgentSettings } from '@relai/answering';
import type { AppDeps, AppEnv } from '../context';
import { recordDecision } from '../conversations/record-decision';
import { agentReplyView, userProfileSchema, viewReply } from '../conversations/views';
import type { Operation } from '../openapi/operation';
import { requireAgentAccess, requireToken } from '../middleware/auth';
import { readJson } from '../validation';

export const statelessAnswerBody = z.object({
  /** The conversation, oldest first; the last message must be the customer's. */
  messages: z
    .array(z.object({ role: z.enum(['user', 'agent']), text: z.string().trim().min(1).max(4000) }))
    .min(1)
    .max(100)
    // An empty list is already refused by min(1): saying its last message is not the customer's would mislead.
    .refine((messages) => messages.length === 0 || messages.at(-1)?.role === 'user', { message: 'the last message must be the customer\'s (role "user")' }),
  user: userProfileSchema.optional(),
});

/**
 * For middleware that keeps its own history: messages in, decision out. Nothing is stored; the same
 * engine as the conversations endpoints decides (the eval calls it too).
 */
export function answerRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/v1/agents/:agentId/answer', requireToken(deps.db), requireAgentAccess(deps.db), async (c) => {
    const agent = c.get('agent');
    const body = await readJson(c, statelessAnswerBody, { stripNul: true });
    const startedAt = performance.now();
    const reply = await deps.answers.answer({
      tenantId: agent.tenantId,
      settings: parseAgentSettings(agent.settings),
      turns: body.messages,
      priorDecisions: [],
      user: body.user ?? {},
      handedOver: false,
    });
    recordDecision(deps.metrics, agent.id, reply, performance.now() - startedAt);
    return c.json(viewReply(reply));
  });
}

export const answerOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/agents/{agentId}/answer',
    operationId: 'answerStateless',
    summary: 'Decide on a conversation you keep yourself',
    description:
      'Stateless: send the conversation (oldest first, the customer’s message last), get the same structured decision as a ' +
      'conversation message. Nothing is stored; options offered earlier are not remembered.',
    tags: ['Conversations'],
    auth: 'agent',
    params: z.object({ agentId: z.string().meta({ description: 'The AI agent’s id' }) }),
    body: statelessAnswerBody,
    bodyExample: {
      messages: [
        { role: 'user', text: 'Je n’arrive plus à me connecter' },
        { role: 'agent', text: 'Avez-vous essayé de réinitialiser votre mot de passe ?' },
        { role: 'user', text: 'Le lien est valable combien de temps ?' },
      ],
    },
    responses: { 200: { description: 'The decision and reply', schema: agentReplyView } },
    errors: { not_found: 'No such agent, or the token belongs to another agent', unsupported_media_type: 'The body is not JSON' },
  },
];
