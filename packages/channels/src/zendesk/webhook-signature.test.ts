import { describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_SECONDS, verifyZendeskWebhook, zendeskWebhookSignature } from './webhook-signature';

const SECRET = 'dGhpc19zZWNyZXRfaXNfdXNlZF9hc19pcw==';
const NOW = Date.parse('2026-11-21T10:00:00Z');
const body = Buffer.from('{"ticket_id":"35436","comment_id":"54509363035291","author_id":"20978392"}');

function request(headers: Record<string, string>, rawBody = body) {
  return { rawBody, headers };
}

function signed(timestamp: string, secret = SECRET) {
  return request({ 'x-zendesk-webhook-signature': zendeskWebhookSignature(secret, timestamp, body), 'x-zendesk-webhook-signature-timestamp': timestamp });
}

describe('Zendesk webhook signature', () => {
  it('is base64 HMAC-SHA256 of the timestamp then the raw body, keyed with the secret as is', () => {
    // Computed independently: printf '%s%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
    expect(zendeskWebhookSignature('secret', '2026-11-21T10:00:00Z', '{}')).toBe('V5AOrxmgBBp6OSW3lsby5ExOhflzsYfUA+daewQKgic=');
  });

  it('accepts a delivery signed with the secret, ISO or epoch-seconds timestamp', () => {
    expect(verifyZendeskWebhook(signed('2026-11-21T10:00:00Z'), SECRET, NOW)).toEqual({ ok: true });
    expect(verifyZendeskWebhook(signed(String(NOW / 1000 - 60)), SECRET, NOW)).toEqual({ ok: true });
  });

  it('refuses another secret, a changed body, or missing headers', () => {
    expect(verifyZendeskWebhook(signed('2026-11-21T10:00:00Z', 'another-secret'), SECRET, NOW)).toEqual({ ok: false, reason: 'signature does not match' });
    const tampered = { ...signed('2026-11-21T10:00:00Z'), rawBody: Buffer.from(body.toString().replace('35436', '35437')) };
    expect(verifyZendeskWebhook(tampered, SECRET, NOW).ok).toBe(false);
    expect(verifyZendeskWebhook(request({}), SECRET, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/^missing/) });
    expect(verifyZendeskWebhook(request({ 'x-zendesk-webhook-signature': 'x' }), SECRET, NOW).ok).toBe(false);
  });

  it(`refuses a correctly signed delivery more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now (a replay)`, () => {
    expect(verifyZendeskWebhook(signed('2026-11-21T09:54:59Z'), SECRET, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('away from now') });
    expect(verifyZendeskWebhook(signed('2026-11-21T10:05:01Z'), SECRET, NOW).ok).toBe(false);
    expect(verifyZendeskWebhook(signed('2026-11-21T09:55:00Z'), SECRET, NOW).ok).toBe(true);
    expect(verifyZendeskWebhook(signed('yesterday'), SECRET, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('not a date') });
  });
});
