import { beforeEach, describe, expect, it } from 'vitest';
import { noAckFor2xx } from '../../../src/annotate/rules/no-ack-for-2xx.js';
import { A, again, B, P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const contact = ['Contact: <sip:bob@10.0.0.3:5060>', 'Record-Route: <sip:10.0.0.2;lr>'];

describe('no-ack-for-2xx', () => {
  describe('valid (no finding)', () => {
    it('a 200 ACKed at once', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(noAckFor2xx, [invite, res(invite, '200 OK', 10, contact), req('ACK', 1, 20, { toTag: 'b' })], 40000)).toEqual([]);
    });
    it('one retransmission crossing the ACK', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10, contact);
      expect(findingsOf(noAckFor2xx, [invite, ok, again(ok, 510), req('ACK', 1, 515, { toTag: 'b' })])).toEqual([]);
    });
    it('a 200 sent once with no ACK in the capture proves nothing', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(noAckFor2xx, [invite, res(invite, '200 OK', 10, contact)], 40000)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('200 retransmitted, no ACK at all, with the Contact and Record-Route to check', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10, contact);
      expect(findingsOf(noAckFor2xx, [invite, ok, again(ok, 510), again(ok, 1510), again(ok, 3510)])).toEqual([
        {
          rule: 'no-ack-for-2xx',
          messageId: 'no-ack',
          severity: 'error',
          frames: [2, 3, 4, 5],
          data: expect.objectContaining({ uas: ep('10.0.0.3', 5060), uac: ep('10.0.0.1', 5060), copies: 4, retransmissions: 3, contact: 'sip:bob@10.0.0.3:5060', recordRoute: '<sip:10.0.0.2;lr>', timer: ms(32000) }),
        },
      ]);
    });

    it('the UAS gives up and sends BYE: no-ack-bye with the delay', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10, contact);
      const messages = [invite, ok, again(ok, 510), again(ok, 1510)];
      messages.push(req('BYE', 1, 32010, { from: B, to: A, fromTag: 'b', toTag: 'a' }));
      const findings = findingsOf(noAckFor2xx, messages);
      expect(findings.map((f) => [f.messageId, f.frames, f.data.byeAfter])).toEqual([['no-ack-bye', [2, 3, 4, 5], ms(32000)]]);
    });

    it('no Record-Route and the Contact is where the INVITE went: the ACK path is captured, so it was never sent', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10, ['Contact: <sip:bob@10.0.0.3:5060>']);
      const findings = findingsOf(noAckFor2xx, [invite, ok, again(ok, 510), again(ok, 1510)]);
      expect(findings.map((f) => [f.rule, f.messageId, f.severity, f.frames, f.data.uac])).toEqual([['no-ack-for-2xx', 'never-sent', 'error', [2, 3, 4], ep('10.0.0.1', 5060)]]);
      const withBye = [invite, ok, again(ok, 510), again(ok, 1510), req('BYE', 1, 32010, { from: B, to: A, fromTag: 'b', toTag: 'a' })];
      expect(findingsOf(noAckFor2xx, withBye).map((f) => f.messageId)).toEqual(['never-sent-bye']);
    });

    it('the ACK path is not the INVITE\'s (a Contact elsewhere, or only the 2xx captured): no-ack, cause not narrowed', () => {
      const invite = req('INVITE', 1, 0);
      const elsewhere = res(invite, '200 OK', 10, ['Contact: <sip:bob@192.0.2.50:5062>']);
      expect(findingsOf(noAckFor2xx, [invite, elsewhere, again(elsewhere, 510), again(elsewhere, 1510)]).map((f) => f.messageId)).toEqual(['no-ack']);
      resetCatalogFrames();
      const unseen = req('INVITE', 1, 0);
      const ok = res(unseen, '200 OK', 10, ['Contact: <sip:bob@10.0.0.3:5060>']);
      expect(findingsOf(noAckFor2xx, [ok, again(ok, 510), again(ok, 1510)]).map((f) => f.messageId)).toEqual(['no-ack']);
    });

    it('behind a proxy that did not Record-Route (two Vias), the caller ACKs from its own address, past this capture point: no-ack, not never-sent', () => {
      // The capture sees P -> B only; the caller (192.0.2.9) sends its ACK straight to the Contact.
      const invite = req('INVITE', 1, 0, { from: P, extra: ['Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-uac'] });
      const ok = res(invite, '200 OK', 10, ['Contact: <sip:bob@10.0.0.3:5060>']);
      const findings = findingsOf(noAckFor2xx, [invite, ok, again(ok, 510), again(ok, 1510)]);
      expect(findings.map((f) => [f.messageId, f.data.uac])).toEqual([['no-ack', ep('10.0.0.2', 5060)]]);
    });

    it('an IPv6 Contact written in capitals, its port the default of sips, is where the INVITE went: never-sent', () => {
      const caller = { ip: '2001:db8::1', port: 5061 };
      const callee = { ip: '2001:db8::3', port: 5061 };
      const invite = req('INVITE', 1, 0, { from: caller, to: callee, transport: 'TLS' });
      const ok = res(invite, '200 OK', 10, ['Contact: <sips:bob@[2001:DB8::3]>']);
      const findings = findingsOf(noAckFor2xx, [invite, ok, again(ok, 510), again(ok, 1510)]);
      expect(findings.map((f) => [f.messageId, f.data.uac])).toEqual([['never-sent', ep('2001:db8::1', 5061)]]);
    });

    it('a loopback Contact from a UAS on the network: the caller ACKs itself (contact-loopback)', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10, ['Contact: <sip:140@127.0.0.1:5061;rinstance=5de4>']);
      const findings = findingsOf(noAckFor2xx, [invite, ok, again(ok, 510), again(ok, 1510), req('BYE', 1, 32010, { from: B, to: A, fromTag: 'b', toTag: 'a' })]);
      expect(findings.map((f) => [f.messageId, f.severity, f.frames, f.data.contact])).toEqual([['contact-loopback', 'error', [2, 3, 4, 5], 'sip:140@127.0.0.1:5061;rinstance=5de4']]);
    });

    it('the ACK went to the proxy and never reached the UAS: ack-elsewhere', () => {
      // A -> P -> B; the 200 comes back B -> P -> A, the ACK stops at P.
      const invite = req('INVITE', 1, 0, { to: P });
      const forwarded = req('INVITE', 1, 1, { from: P, to: B, branch: 'z9hG4bK-p1' });
      const ok = res(forwarded, '200 OK', 10, contact);
      const okToA = res(invite, '200 OK', 11, contact);
      const ack = req('ACK', 1, 12, { to: P, toTag: 'b' });
      const findings = findingsOf(noAckFor2xx, [invite, forwarded, ok, okToA, ack, again(ok, 510)]);
      expect(findings.map((f) => [f.messageId, f.data.uas, f.data.ackTarget])).toEqual([['ack-elsewhere', ep('10.0.0.3', 5060), ep('10.0.0.2', 5060)]]);
    });

    it('the ACK reached the UAS but the 200 went on: ack-not-received', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10, contact);
      const findings = findingsOf(noAckFor2xx, [invite, ok, req('ACK', 1, 20, { toTag: 'b' }), again(ok, 510), again(ok, 1510)]);
      expect(findings.map((f) => [f.messageId, f.data.afterAck])).toEqual([['ack-not-received', 2]]);
    });

    it('the ACK came after two retransmissions: late-ack at warning', () => {
      const invite = req('INVITE', 1, 0);
      const ok = res(invite, '200 OK', 10, contact);
      const findings = findingsOf(noAckFor2xx, [invite, ok, again(ok, 510), again(ok, 1510), req('ACK', 1, 1520, { toTag: 'b' })]);
      expect(findings.map((f) => [f.messageId, f.severity, f.data.retransmissions, f.data.ackAfter])).toEqual([['late-ack', 'warning', 2, ms(1510)]]);
    });
  });
});

describe('no-ack-for-2xx with a proxy that rewrites the To tag', () => {
  it('valid: an ACK to the UAS with another To tag still stops the retransmissions', () => {
    const invite = req('INVITE', 1, 0);
    const ok = res(invite, '200 OK', 10, contact);
    const messages = [invite, ok, again(ok, 510), req('ACK', 1, 700, { toTag: 'other' })];
    expect(findingsOf(noAckFor2xx, messages, 10000)).toEqual([]);
  });
});
