export { answerFromFirstPassage, startFakeChatServer } from './chat-model/fake-chat-server';
export type { ChatCompletionRequestBody, FakeChatReply, FakeChatServer } from './chat-model/fake-chat-server';
export { agentReply } from './testing/agent-reply';
