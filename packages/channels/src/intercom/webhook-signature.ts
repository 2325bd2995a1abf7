import crypto from 'node:crypto';
import type { Verification } from '../interface';

export const SIGNATURE_HEADER = 'x-hub-signature';

/** Intercom's webhook signature: `sha1=` + hex HMAC-SHA1 of the raw body, keyed with the app's client secret. */
export function intercomSignature(clientSecret: string, rawBody: Buffer | string): string {
  return `sha1=${crypto.createHmac('sha1', clientSecret).update(rawBody).digest('hex')}`;
}

export function verifyIntercomSignature(clientSecret: string, header: string | undefined, rawBody: Buffer): Verification {
  if (!header) return { ok: false, reason: 'missing X-Hub-Signature header' };
  const expected = Buffer.from(intercomSignature(clientSecret, rawBody));
  // Hex digits are case-insensitive; compare in constant time (a length mismatch is a mismatch too).
  const received = Buffer.from(header.trim().toLowerCase());
  const matches = expected.length === received.length && crypto.timingSafeEqual(expected, received);
  return matches ? { ok: true } : { ok: false, reason: 'X-Hub-Signature does not match the body' };
}
