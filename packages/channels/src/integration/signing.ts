import crypto from 'node:crypto';

/**
 * The scheme of Relai's inbound article webhook (apps/api/src/webhooks/signatures.ts), used the other
 * way round so an integration verifies our deliveries the way a CMS signs its own:
 * `X-Relai-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
export function signatureHeader(secret: string, timestampSeconds: number, rawBody: string): string {
  const hex = crypto.createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
  return `t=${timestampSeconds},v1=${hex}`;
}
