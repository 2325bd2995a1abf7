import { describe, expect, it } from 'vitest';
import { intercomSignature, verifyIntercomSignature } from './webhook-signature';

const SECRET = 'client-secret-123';
const BODY = Buffer.from('{"type":"notification_event","id":"notif_1"}');
// Computed apart: printf '%s' "$BODY" | openssl dgst -sha1 -hmac client-secret-123
const KNOWN_SIGNATURE = 'sha1=31825835b5f03b5c87eb01934844c87fba46c7a7';

describe('Intercom webhook signature', () => {
  it('is sha1= and the hex HMAC-SHA1 of the raw body keyed with the client secret', () => {
    expect(intercomSignature(SECRET, BODY)).toBe(KNOWN_SIGNATURE);
  });

  it('accepts the right signature, in either hex case', () => {
    expect(verifyIntercomSignature(SECRET, KNOWN_SIGNATURE, BODY)).toEqual({ ok: true });
    expect(verifyIntercomSignature(SECRET, KNOWN_SIGNATURE.toUpperCase().replace('SHA1=', 'sha1='), BODY)).toEqual({ ok: true });
  });

  it.each([
    ['a missing header', undefined, 'missing X-Hub-Signature header'],
    ['another secret', intercomSignature('another-secret', BODY), 'X-Hub-Signature does not match the body'],
    ['a bare hex digest', KNOWN_SIGNATURE.slice('sha1='.length), 'X-Hub-Signature does not match the body'],
    ['a truncated signature', KNOWN_SIGNATURE.slice(0, -2), 'X-Hub-Signature does not match the body'],
  ])('refuses %s', (_case, header, reason) => {
    expect(verifyIntercomSignature(SECRET, header, BODY)).toEqual({ ok: false, reason });
  });

  it('refuses a body changed after signing', () => {
    const tampered = Buffer.from(BODY.toString().replace('notif_1', 'notif_2'));
    expect(verifyIntercomSignature(SECRET, KNOWN_SIGNATURE, tampered).ok).toBe(false);
  });
});
