import { beforeEach, describe, expect, it } from 'vitest';
import { forbidden } from '../../../src/annotate/rules/forbidden.js';
import { B, P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('forbidden', () => {
  it('valid: 401 and 200 are not 403; OPTIONS is options-keepalive-failures\'s', () => {
    const invite = req('INVITE', 1, 0);
    const options = req('OPTIONS', 1, 10, { callId: 'o' });
    expect(findingsOf(forbidden, [invite, res(invite, '401 Unauthorized', 5), options, res(options, '403 Forbidden', 15)])).toEqual([]);
  });

  it('invalid: INVITE refused', () => {
    const invite = req('INVITE', 1, 0, { uri: 'sip:+4930123@example.com' });
    expect(findingsOf(forbidden, [invite, res(invite, '403 Forbidden', 5)])).toEqual([
      { rule: 'forbidden', messageId: 'forbidden', severity: 'warning', frames: [1, 2], data: { method: 'INVITE', uri: 'sip:+4930123@example.com', server: ep('10.0.0.3', 5060), status: 403, response: '403 Forbidden' } },
    ]);
  });

  it('invalid: refused although it carried credentials', () => {
    const invite = req('INVITE', 2, 0, { extra: ['Proxy-Authorization: Digest username="alice", realm="x", nonce="n", uri="sip:bob@example.com", response="00"'] });
    expect(findingsOf(forbidden, [invite, res(invite, '403 Not allowed to call this number', 5)]).map((f) => [f.messageId, f.data.response])).toEqual([['after-credentials', '403 Not allowed to call this number']]);
  });

  it('invalid: REGISTER refused names the address-of-record', () => {
    const r = req('REGISTER', 1, 0, { to: P, uri: 'sip:example.com' });
    expect(findingsOf(forbidden, [r, res(r, '403 Forbidden', 5)]).map((f) => [f.messageId, f.data.uri])).toEqual([['registration', 'sip:bob@example.com']]);
  });

  it('invalid: one 403 forwarded by a proxy is one finding, named after the server that sent it first', () => {
    const invite = req('INVITE', 1, 0, { to: P });
    const forwarded = req('INVITE', 1, 1, { from: P, to: B, branch: 'z9hG4bK-p1' });
    const refusal = res(forwarded, '403 Forbidden', 5);
    const findings = findingsOf(forbidden, [invite, forwarded, refusal, res(invite, '403 Forbidden', 6)]);
    expect(findings.map((f) => [f.frames, f.data.server])).toEqual([[[2, 3, 4], ep('10.0.0.3', 5060)]]);
  });

  it('invalid: 403 right after a Digest answer to a 401 is wrong-credentials, with the authentication user', () => {
    const first = req('REGISTER', 1, 0, { uri: 'sip:example.com' });
    const second = req('REGISTER', 2, 20, { uri: 'sip:example.com', branch: 'z9hG4bK-r2', extra: ['Authorization: Digest username="1001", realm="example.com", nonce="n", uri="sip:example.com", response="00"'] });
    const findings = findingsOf(forbidden, [first, res(first, '401 Unauthorized', 5), second, res(second, '403 Forbidden', 25)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.authUser, f.frames])).toEqual([['wrong-credentials', 'warning', '1001', [2, 4]]]);
  });

  it('invalid: an INVITE challenged 407 and refused 403 after its Proxy-Authorization is wrong-credentials too', () => {
    const first = req('INVITE', 1, 0);
    const second = req('INVITE', 2, 20, { branch: 'z9hG4bK-i2', extra: ['Proxy-Authorization: Digest username="alice", realm="x", nonce="n", uri="sip:bob@example.com", response="00"'] });
    expect(findingsOf(forbidden, [first, res(first, '407 Proxy Authentication Required', 5), second, res(second, '403 Forbidden', 25)]).map((f) => f.messageId)).toEqual(['wrong-credentials']);
  });

  it('invalid: a Digest uri that is not the Request-URI names both candidates: wrong-digest-uri (sngrep-aaa #346/#348, Nero SIPPS puts its own address there)', () => {
    const first = req('INVITE', 1, 0, { uri: 'sip:0097239287044@sip.cybercity.dk' });
    const second = req('INVITE', 2, 20, {
      uri: 'sip:0097239287044@sip.cybercity.dk',
      branch: 'z9hG4bK-i2',
      extra: ['Proxy-Authorization: Digest username="voi18062",realm="sip.cybercity.dk",uri="sip:192.168.1.2",nonce="n",response="00"'],
    });
    const findings = findingsOf(forbidden, [first, res(first, '407 authentication required', 5), second, res(second, '403 Wrong password or domain', 25)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.authUser, f.data.digestUri, f.data.requestUri])).toEqual([
      ['wrong-digest-uri', 'warning', 'voi18062', 'sip:192.168.1.2', 'sip:0097239287044@sip.cybercity.dk'],
    ]);
  });

  it('invalid: credentials sent 32.5 s after their challenge and refused 403 may have met an expired nonce: late-credentials, before any guess at the uri (sngrep-aaa #326/#346/#348)', () => {
    const first = req('INVITE', 1, 0, { uri: 'sip:0097239287044@sip.cybercity.dk' });
    const second = req('INVITE', 2, 32_600, {
      uri: 'sip:0097239287044@sip.cybercity.dk',
      branch: 'z9hG4bK-i2',
      extra: ['Proxy-Authorization: Digest username="voi18062",realm="sip.cybercity.dk",uri="sip:192.168.1.2",nonce="n",response="00"'],
    });
    const findings = findingsOf(forbidden, [first, res(first, '407 authentication required', 100), second, res(second, '403 Wrong password or domain', 32_800)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.authUser, f.data.delay, f.data.digestUri])).toEqual([['late-credentials', 'warning', 'voi18062', ms(32_500), undefined]]);
  });

  it('valid for late-credentials: an answer 9.9 s after its challenge is not late (the threshold is 10 s): wrong-credentials', () => {
    const first = req('INVITE', 1, 0);
    const second = req('INVITE', 2, 10_000, { branch: 'z9hG4bK-i2', extra: ['Proxy-Authorization: Digest username="alice", realm="x", nonce="n", uri="sip:bob@example.com", response="00"'] });
    expect(findingsOf(forbidden, [first, res(first, '407 Proxy Authentication Required', 100), second, res(second, '403 Forbidden', 10_020)]).map((f) => f.messageId)).toEqual(['wrong-credentials']);
  });

  it('a Digest uri that is the Request-URI in other letter case is the Request-URI: wrong-credentials (scheme and host compare without case, RFC 3261 §19.1.4)', () => {
    const first = req('INVITE', 1, 0, { uri: 'sip:bob@Example.COM' });
    const second = req('INVITE', 2, 20, { uri: 'sip:bob@Example.COM', branch: 'z9hG4bK-i2', extra: ['Proxy-Authorization: Digest username="alice", realm="x", nonce="n", uri="SIP:bob@example.com", response="00"'] });
    expect(findingsOf(forbidden, [first, res(first, '407 Proxy Authentication Required', 5), second, res(second, '403 Forbidden', 25)]).map((f) => f.messageId)).toEqual(['wrong-credentials']);
  });
});
