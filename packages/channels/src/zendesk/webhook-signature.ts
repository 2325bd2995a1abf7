import crypto from 'node:crypto';
import type { InboundRequest, Verification } from '../interface';

/** Deliveries signed further than this from our clock are refused: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

/** base64(HMAC-SHA256(timestamp + raw body)) keyed with the webhook's signing secret, as Zendesk signs. */
export function zendeskWebhookSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return crypto.createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

/** Zendesk sends ISO 8601 ("2026-11-21T10:00:00Z"); epoch seconds are accepted too. Null: unreadable. */
function timestampMs(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const parsed = Date.parse(raw);
  return Number.isNaN(parsed) ? null : parsed;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export function verifyZendeskWebhook(request: InboundRequest, secret: string, nowMs: number): Verification {
  const signature = request.headers[SIGNATURE_HEADER];
  const timestamp = request.headers[TIMESTAMP_HEADER];
  if (!signature || !timestamp) return { ok: false, reason: 'missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp' };
  if (!safeEqual(zendeskWebhookSignature(secret, timestamp, request.rawBody), signature)) return { ok: false, reason: 'signature does not match' };
  const signedAt = timestampMs(timestamp);
  if (signedAt === null) return { ok: false, reason: 'X-Zendesk-Webhook-Signature-Timestamp is not a date' };
  if (Math.abs(nowMs - signedAt) > SIGNATURE_TOLERANCE_SECONDS * 1000) {
    return { ok: false, reason: `signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now` };
  }
  return { ok: true };
}
