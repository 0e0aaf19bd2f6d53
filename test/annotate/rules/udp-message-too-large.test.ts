import { beforeEach, describe, expect, it } from 'vitest';
import { udpMessageTooLarge } from '../../../src/annotate/rules/udp-message-too-large.js';
import { again, over, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** An SDP body of about `bytes` bytes (many attribute lines). */
function bigBody(bytes: number): string {
  const lines = ['v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 0'];
  while (lines.join('\r\n').length < bytes) lines.push(`a=candidate:${lines.length} 1 udp 2130706431 10.0.0.1 ${40000 + lines.length} typ host`);
  return lines.join('\r\n') + '\r\n';
}

describe('udp-message-too-large', () => {
  describe('valid (no finding)', () => {
    it('a small INVITE', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(udpMessageTooLarge, [invite, res(invite, '200 OK', 5)])).toEqual([]);
    });
    it('a large INVITE over TCP', () => {
      const invite = req('INVITE', 1, 0, { body: bigBody(2000), transport: 'TCP' });
      expect(findingsOf(udpMessageTooLarge, [invite, res(invite, '200 OK', 5)])).toEqual([]);
    });
    it('a large response is not a request', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(udpMessageTooLarge, [invite, res(invite, '200 OK', 5, [], { body: bigBody(2000) })])).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('a large INVITE over UDP that arrived whole in one frame and was answered: info only', () => {
      const invite = req('INVITE', 1, 0, { body: bigBody(1150) });
      const size = invite.message.raw.length;
      expect(size).toBeGreaterThan(1300);
      expect(size).toBeLessThanOrEqual(1472);
      expect(findingsOf(udpMessageTooLarge, [invite, res(invite, '200 OK', 5)])).toEqual([
        { rule: 'udp-message-too-large', messageId: 'whole', severity: 'info', frames: [1], data: { method: 'INVITE', sender: ep('10.0.0.1', 5060), peer: ep('10.0.0.3', 5060), size, largest: size, limit: 1300, count: 1 } },
      ]);
    });
    it('a large INVITE that came in IP fragments (reassembled from three frames): warning', () => {
      const invite = { ...req('INVITE', 1, 0, { body: bigBody(3000) }), frames: [1, 2, 3] };
      const size = invite.message.raw.length;
      expect(findingsOf(udpMessageTooLarge, [invite, res(invite, '200 OK', 5)])).toEqual([
        { rule: 'udp-message-too-large', messageId: 'too-large', severity: 'warning', frames: [1], data: { method: 'INVITE', sender: ep('10.0.0.1', 5060), peer: ep('10.0.0.3', 5060), size, largest: size, limit: 1300, count: 1 } },
      ]);
    });
    it('one frame too big for a 1500-byte MTU (captured before the sender fragmented it): warning; on loopback it is whole', () => {
      const big = req('INVITE', 1, 0, { body: bigBody(2400) });
      expect(big.message.raw.length).toBeGreaterThan(1472);
      expect(findingsOf(udpMessageTooLarge, [big, res(big, '200 OK', 5)]).map((f) => [f.messageId, f.severity])).toEqual([['too-large', 'warning']]);
      const loop = { ip: '127.0.0.1', port: 5061 };
      const onLoopback = req('INVITE', 2, 10, { body: bigBody(2400), from: loop, to: { ip: '127.0.0.1', port: 5060 }, callId: 'lo' });
      expect(findingsOf(udpMessageTooLarge, [onLoopback, res(onLoopback, '200 OK', 15)]).map((f) => [f.messageId, f.severity])).toEqual([['whole', 'info']]);
    });
    it('on one hop, a fragmented request outweighs whole ones and is the one shown', () => {
      const whole = req('MESSAGE', 1, 0, { body: bigBody(1150) });
      const built = req('MESSAGE', 2, 10, { body: bigBody(3000) });
      const fragmented = { ...built, frames: [built.frame! - 1, built.frame!] };
      const findings = findingsOf(udpMessageTooLarge, [whole, res(whole, '200 OK', 5), fragmented, res(fragmented, '200 OK', 15)]);
      expect(findings.map((f) => [f.messageId, f.severity, f.frames, f.data.count, f.data.size])).toEqual([['too-large', 'warning', [built.frame], 2, fragmented.message.raw.length]]);
    });
    it('a large INVITE read from a text log: whether it was fragmented is unresolved (info)', () => {
      const logged = { ...req('INVITE', 1, 0, { body: bigBody(1500) }), frame: null, frames: [], line: 10 };
      const findings = findingsOf(udpMessageTooLarge, [logged]);
      expect(findings.map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
    });
    it('a large INVITE sent once with no answer proves no loss', () => {
      const invite = req('INVITE', 1, 0, { body: bigBody(1150) });
      expect(findingsOf(udpMessageTooLarge, [invite]).map((f) => [f.messageId, f.severity])).toEqual([['whole', 'info']]);
    });
    it('a large INVITE retransmitted with no answer: too-large-lost', () => {
      const invite = req('INVITE', 1, 0, { body: bigBody(1500) });
      expect(findingsOf(udpMessageTooLarge, [invite, again(invite, 500), again(invite, 1500)]).map((f) => [f.messageId, f.severity, f.data.copies, f.frames])).toEqual([['too-large-lost', 'error', 3, [1, 2, 3]]]);
    });
    it('the maxBytes option', () => {
      const invite = over('UDP', req('INVITE', 1, 0, { body: bigBody(1000) }));
      expect(findingsOf(udpMessageTooLarge, [invite, res(invite, '200 OK', 5)], undefined, { 'udp-message-too-large': { options: { maxBytes: 900 } } }).map((f) => f.data.limit)).toEqual([900]);
    });
  });
});
