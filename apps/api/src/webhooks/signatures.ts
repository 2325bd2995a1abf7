import crypto from 'node:crypto';

/** Constant-time comparison of two strings of any length (a length mismatch is still a mismatch). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** Zendesk: base64(HMAC-SHA256(timestamp + raw body)) keyed with the webhook's signing secret. */
export function zendeskSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  return crypto.createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

export function verifyZendeskSignature(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: Buffer): boolean {
  if (!timestamp || !signature) return false;
  return safeEqual(zendeskSignature(secret, timestamp, rawBody), signature);
}

/**
 * Relai's own signed article webhook, for any CMS: header `X-Relai-Signature: t=<unix seconds>,v1=<hex>`
 * where hex = HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp bounds replays.
 */
export function relaiSignature(secret: string, timestamp: number, rawBody: Buffer | string): string {
  const hex = crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `t=${timestamp},v1=${hex}`;
}

export const RELAI_SIGNATURE_TOLERANCE_SECONDS = 300;

export type RelaiSignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyRelaiSignature(secret: string, header: string | undefined, rawBody: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): RelaiSignatureCheck {
  if (!header) return { ok: false, reason: 'missing X-Relai-Signature header' };
  const parts = Object.fromEntries(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return { ok: false, reason: 'X-Relai-Signature must look like t=<unix seconds>,v1=<hex>' };
  if (Math.abs(nowSeconds - timestamp) > RELAI_SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: `signature timestamp is more than ${RELAI_SIGNATURE_TOLERANCE_SECONDS} s away from now` };
  }
  return safeEqual(relaiSignature(secret, timestamp, rawBody), `t=${timestamp},v1=${parts.v1}`) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
