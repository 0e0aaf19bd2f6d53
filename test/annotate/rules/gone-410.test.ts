import { beforeEach, describe, expect, it } from 'vitest';
import { gone410 } from '../../../src/annotate/rules/gone-410.js';
import { findingsOf, ep } from '../../support/rules.js';
import { A, B, P, captured, dialogHeaders as h, resetFrames } from '../../support/sip.js';

beforeEach(resetFrames);

describe('gone-410', () => {
  it('valid: 404 and 200 are not 410', () => {
    const messages = [
      captured(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '1 INVITE' })], 0, A, B),
      captured(['SIP/2.0 404 Not Found', ...h({ cseq: '1 INVITE', toTag: 'x' })], 10, B, A),
      captured(['REGISTER sip:example.com SIP/2.0', ...h({ cseq: '1 REGISTER', callId: 'r' })], 20, A, P),
      captured(['SIP/2.0 200 OK', ...h({ cseq: '1 REGISTER', callId: 'r', toTag: 'y' })], 30, P, A),
    ];
    expect(findingsOf(gone410, messages)).toEqual([]);
  });

  it('invalid: an INVITE answered 410 names the Request-URI', () => {
    const messages = [
      captured(['INVITE sip:old-user@example.com SIP/2.0', ...h({ cseq: '1 INVITE' })], 0, A, B),
      captured(['SIP/2.0 410 Gone', ...h({ cseq: '1 INVITE', toTag: 'x' })], 10, B, A),
    ];
    expect(findingsOf(gone410, messages)).toEqual([
      { rule: 'gone-410', messageId: 'gone', severity: 'warning', frames: [1, 2], data: { method: 'INVITE', uri: 'sip:old-user@example.com', uriKind: 'Request-URI', server: ep('10.0.0.3', 5060) } },
    ]);
  });

  it('invalid: a REGISTER answered 410 names the address-of-record (To)', () => {
    const messages = [
      captured(['REGISTER sip:example.com SIP/2.0', ...h({ cseq: '1 REGISTER', callId: 'r' })], 0, A, P),
      captured(['SIP/2.0 410 Gone', ...h({ cseq: '1 REGISTER', callId: 'r', toTag: 'y' })], 10, P, A),
      captured(['SIP/2.0 410 Gone', ...h({ cseq: '1 REGISTER', callId: 'r', toTag: 'y' })], 510, P, A),
    ];
    const findings = findingsOf(gone410, messages);
    expect(findings.map((f) => [f.messageId, f.data.uri, f.data.uriKind, f.frames])).toEqual([['gone', 'sip:bob@example.com', 'address-of-record', [1, 2]]]);
  });

  it('invalid: a 410 whose request was not captured still counts', () => {
    const findings = findingsOf(gone410, [captured(['SIP/2.0 410 Gone', ...h({ cseq: '3 MESSAGE', toTag: 'y' })], 0, B, A)]);
    expect(findings.map((f) => [f.data.method, f.frames])).toEqual([['MESSAGE', [1]]]);
  });
});
