import { beforeEach, describe, expect, it } from 'vitest';
import { sipfragStatus, transfer } from '../../../src/annotate/rules/transfer.js';
import { B, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';
import { withFields } from '../../support/sip.js';

beforeEach(resetCatalogFrames);

/** The transferee's NOTIFY (from B) reporting `line` as message/sipfrag. */
function notify(seq: number, ms: number, line: string, event = 'refer') {
  const n = req('NOTIFY', seq, ms, { from: B, toTag: 'a', fromTag: 'b', branch: `z9hG4bK-n${seq}`, extra: [`Event: ${event}`, 'Subscription-State: active', 'Content-Type: message/sipfrag;version=2.0'] });
  const body = new TextEncoder().encode(`${line}\r\n`);
  return { ...n, message: withFields(n.message, { contentType: 'message/sipfrag;version=2.0', body }) };
}
const refer = (to = '<sip:carol@example.com>') => req('REFER', 2, 0, { toTag: 'b', extra: [`Refer-To: ${to}`, 'Referred-By: <sip:alice@example.com>'] });

describe('transfer', () => {
  it('reads a sipfrag status line', () => {
    expect(sipfragStatus(notify(1, 0, 'SIP/2.0 486 Busy Here').message)).toEqual({ status: 486, reason: 'Busy Here' });
    expect(sipfragStatus(req('NOTIFY', 1, 0).message)).toBeNull();
  });

  it('valid: no REFER, no finding', () => {
    const invite = req('INVITE', 1, 0);
    expect(findingsOf(transfer, [invite, res(invite, '200 OK', 5)])).toEqual([]);
  });

  it('a blind transfer that completed (info), with the target and the sipfrag status', () => {
    const r = refer();
    const findings = findingsOf(transfer, [r, res(r, '202 Accepted', 5), notify(1, 10, 'SIP/2.0 100 Trying'), notify(2, 2000, 'SIP/2.0 200 OK')]);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'transfer', messageId: 'completed', severity: 'info', frames: [1, 2, 4], data: expect.objectContaining({ target: 'sip:carol@example.com', kind: 'blind', transferee: ep('10.0.0.3', 5060), status: '200 OK', statusCode: 200 }) }),
    ]);
  });

  it('invalid: the target was busy: failed (warning)', () => {
    const r = refer();
    const findings = findingsOf(transfer, [r, res(r, '202 Accepted', 5), notify(1, 10, 'SIP/2.0 180 Ringing'), notify(2, 9000, 'SIP/2.0 486 Busy Here')]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.status])).toEqual([['failed', 'warning', '486 Busy Here']]);
  });

  it('invalid: an attended transfer (Replaces in the Refer-To) refused 403: refused, the transfer never tried', () => {
    const r = refer('<sip:carol@example.com?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>');
    const findings = findingsOf(transfer, [r, res(r, '403 Forbidden', 5)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.kind, f.data.target, f.data.response])).toEqual([['refused', 'warning', 'attended', 'sip:carol@example.com', '403 Forbidden']]);
  });

  it('accepted, only 100 Trying reported when the capture ends: pending (info)', () => {
    const r = refer();
    expect(findingsOf(transfer, [r, res(r, '202 Accepted', 5), notify(1, 10, 'SIP/2.0 100 Trying')]).map((f) => [f.messageId, f.severity])).toEqual([['pending', 'info']]);
  });

  it('NOTIFYs of another event package are not the transfer\'s progress', () => {
    const r = refer();
    expect(findingsOf(transfer, [r, res(r, '202 Accepted', 5), notify(1, 10, 'SIP/2.0 486 Busy Here', 'dialog')]).map((f) => [f.messageId, f.data.status])).toEqual([['pending', 'no NOTIFY']]);
  });

  it('a REFER challenged 407 is not refused: the one retried with credentials tells the transfer', () => {
    const first = refer();
    const second = req('REFER', 3, 50, { toTag: 'b', branch: 'z9hG4bK-refer-3', extra: ['Refer-To: <sip:carol@example.com>', 'Proxy-Authorization: Digest username="alice", realm="x", nonce="n", uri="sip:bob@example.com", response="00"'] });
    const findings = findingsOf(transfer, [first, res(first, '407 Proxy Authentication Required', 5), second, res(second, '202 Accepted', 55), notify(1, 60, 'SIP/2.0 200 OK')]);
    expect(findings.map((f) => f.messageId)).toEqual(['completed']);
  });
});
