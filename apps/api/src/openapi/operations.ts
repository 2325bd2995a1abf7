import { agentMetricsOperations } from '../routes/agent-metrics';
import { agentOperations } from '../routes/agents';
import { answerOperations } from '../routes/answer';
import { channelOperations } from '../routes/channels';
import { integrationDeliveryOperations } from '../routes/integration-deliveries';
import { conversationOperations } from '../routes/conversations';
import { healthOperations } from '../routes/health';
import { metricsOperations } from '../routes/metrics';
import { searchOperations } from '../routes/search';
import { sourceOperations } from '../routes/sources';
import { webhookOperations } from '../routes/webhooks';
import type { Operation } from './operation';

/**
 * Every operation the API serves, as the reference shows them. A route missing here fails
 * openapi.test.ts, which compares this list with the app's routes.
 */
export const apiOperations: Operation[] = [
  ...conversationOperations,
  ...answerOperations,
  ...agentMetricsOperations,
  ...searchOperations,
  ...agentOperations,
  ...channelOperations,
  ...integrationDeliveryOperations,
  ...sourceOperations,
  ...webhookOperations,
  ...healthOperations,
  ...metricsOperations,
];

/** The reference's sections, in this order; an operation's first tag picks its section. */
export const apiTags = [
  { name: 'Conversations', description: 'What messenger middleware calls: start, send messages, end; or the stateless answer. Every reply is a structured decision.' },
  { name: 'Search', description: 'What an agent knows: the articles and passages that answer a question.' },
  { name: 'AI agents', description: 'Tenant admins create agents, set their thresholds, tone, escalation triggers, teams and rules, and manage their tokens.' },
  { name: 'Channels', description: 'Connect an agent to Intercom, Zendesk tickets, Hootsuite Inbox, or an integration receiving agent events.' },
  { name: 'Knowledge sources', description: 'Tenant admins manage the help centers Relai learns from, their syncs and single articles.' },
  { name: 'Webhooks', description: 'Help centers push article changes; each delivery is signed with the source’s webhook secret.' },
  { name: 'Operations', description: 'Health checks for load balancers and metrics for Prometheus.' },
];
