import type { AgentReplyView } from '../conversations/views';
import type { TestApp } from './test-app';

/** The body of POST …/conversations/{id}/messages. */
export type MessageResponse = AgentReplyView & {
  conversation: { id: string; session: number; status: 'active' | 'ended' | 'escalated'; user: Record<string, unknown> };
  new_session: boolean;
  message_id: string;
};

/** A customer message to agent "support" with its agent token; anything but a 200 fails the test. */
export async function sendCustomerMessage(t: TestApp, conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<MessageResponse> {
  const response = await t.app.request(`/v1/agents/support/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, ...extra }),
  });
  if (response.status !== 200) throw new Error(`expected 200 for "${text}", got ${response.status}: ${await response.text()}`);
  return (await response.json()) as MessageResponse;
}
