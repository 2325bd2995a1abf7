import { describe, expect, it } from 'vitest';
import { hootsuiteSettingsSchema } from './settings';
import { signHootsuiteBody, verifierFor } from './verify';

const SECRET = 'shared-secret-of-the-va';
const BODY = Buffer.from('{"events":[{"seq_no":1,"type":"conversation.closed","conversation":{"id":"c-1"}}]}');
const settings = (input: Record<string, unknown> = {}) => hootsuiteSettingsSchema.parse({ api_base_url: 'https://inbox.example', ...input });
const check = (headers: Record<string, string>, input: Record<string, unknown> = {}, body = BODY) => verifierFor(settings(input)).verify({ rawBody: body, headers }, SECRET);

describe('the default verifier: HMAC-SHA256 of the raw body', () => {
  it('accepts the hex digest in x-hootsuite-signature, with or without a "sha256=" prefix, in either case', () => {
    const hex = signHootsuiteBody(SECRET, BODY);
    expect(check({ 'x-hootsuite-signature': hex })).toEqual({ ok: true });
    expect(check({ 'x-hootsuite-signature': `sha256=${hex}` })).toEqual({ ok: true });
    expect(check({ 'x-hootsuite-signature': hex.toUpperCase() })).toEqual({ ok: true });
  });

  it('reads the header and encoding the settings name', () => {
    const base64 = signHootsuiteBody(SECRET, BODY, 'base64');
    expect(check({ 'x-inbox-signature': base64 }, { signature_header: 'X-Inbox-Signature', signature_scheme: 'hmac-sha256-base64' })).toEqual({ ok: true });
    expect(check({ 'x-hootsuite-signature': base64 }, { signature_header: 'X-Inbox-Signature', signature_scheme: 'hmac-sha256-base64' })).toEqual({
      ok: false,
      reason: 'missing x-inbox-signature header',
    });
  });

  it.each<{ case: string; headers: Record<string, string>; reason: string }>([
    { case: 'no signature', headers: {}, reason: 'missing x-hootsuite-signature header' },
    { case: 'another secret', headers: { 'x-hootsuite-signature': signHootsuiteBody('another-secret', BODY) }, reason: 'signature does not match' },
    { case: 'another body', headers: { 'x-hootsuite-signature': signHootsuiteBody(SECRET, `${BODY} `) }, reason: 'signature does not match' },
    { case: 'base64 where hex is expected', headers: { 'x-hootsuite-signature': signHootsuiteBody(SECRET, BODY, 'base64') }, reason: 'x-hootsuite-signature is not a hex HMAC-SHA256' },
    { case: 'a truncated digest', headers: { 'x-hootsuite-signature': signHootsuiteBody(SECRET, BODY).slice(0, 62) }, reason: 'x-hootsuite-signature is not a hex HMAC-SHA256' },
  ])('refuses $case', ({ headers, reason }) => {
    expect(check(headers)).toEqual({ ok: false, reason });
  });
});
