export type ChatModelErrorCode = 'timeout' | 'unavailable' | 'rate_limited' | 'http_error' | 'malformed_response';

/**
 * The chat model gave no usable reply. Every failure of the chat-model path is one of these, so that
 * the caller can fall back to an extractive answer on this type alone.
 */
export class ChatModelError extends Error {
  /** The HTTP status, when the endpoint answered with an error. */
  readonly status: number | undefined;

  constructor(
    readonly code: ChatModelErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.name = 'ChatModelError';
    this.status = options?.status;
  }
}
