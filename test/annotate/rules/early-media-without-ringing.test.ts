import { beforeEach, describe, expect, it } from 'vitest';
import { earlyMediaWithoutRinging } from '../../../src/annotate/rules/early-media-without-ringing.js';
import { B, P, req, res, resetCatalogFrames, sdp } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('early-media-without-ringing', () => {
  describe('valid (no finding)', () => {
    it('180 then 183 with SDP', () => {
      const invite = req('INVITE', 1, 0, { body: sdp() });
      expect(findingsOf(earlyMediaWithoutRinging, [invite, res(invite, '180 Ringing', 10), res(invite, '183 Session Progress', 20, [], { body: sdp('10.0.0.3') }), res(invite, '200 OK', 30)])).toEqual([]);
    });
    it('183 without SDP is not early media', () => {
      const invite = req('INVITE', 1, 0, { body: sdp() });
      expect(findingsOf(earlyMediaWithoutRinging, [invite, res(invite, '183 Session Progress', 10), res(invite, '200 OK', 30)])).toEqual([]);
    });
  });

  describe('invalid: the final is that of the INVITE that got the 183', () => {
    it('after a 401 challenge, the final of the authenticated INVITE (bruteshark-magicjack-short-call.pcap)', () => {
      const challenged = req('INVITE', 1, 0, { body: sdp() });
      const challenge = res(challenged, '401 Unauthorized', 200);
      const ack = req('ACK', 1, 210, { toTag: 'b' });
      const authenticated = req('INVITE', 2, 300, { body: sdp(), extra: ['Authorization: Digest username="alice"'] });
      const trying = res(authenticated, '100 Trying', 350);
      const progress = res(authenticated, '183 Session Progress', 6800, [], { body: sdp('10.0.0.3') });
      const answer = res(authenticated, '200 OK', 20000, [], { body: sdp('10.0.0.3') });
      expect(findingsOf(earlyMediaWithoutRinging, [challenged, challenge, ack, authenticated, trying, progress, answer])).toEqual([
        { rule: 'early-media-without-ringing', messageId: 'early-media', severity: 'info', frames: [4, 6, 7], data: { server: ep('10.0.0.3', 5060), progress: '183 Session Progress', after: ms(6500), final: '200 OK' } },
      ]);
    });
    it('after a 407 challenge, a 480 ends the early media (sngrep-aaa.pcap call 13)', () => {
      const challenged = req('INVITE', 1, 0, { body: sdp() });
      const challenge = res(challenged, '407 Proxy Authentication Required', 20);
      const ack = req('ACK', 1, 30, { toTag: 'b' });
      const authenticated = req('INVITE', 2, 17300, { body: sdp(), extra: ['Proxy-Authorization: Digest username="alice"'] });
      const progress = res(authenticated, '183 Session Progress', 17726, [], { body: sdp('10.0.0.3') });
      const unavailable = res(authenticated, '480 Temporarily Unavailable', 40000);
      const findings = findingsOf(earlyMediaWithoutRinging, [challenged, challenge, ack, authenticated, progress, unavailable]);
      expect(findings.map((f) => [f.messageId, f.frames, f.data.final, f.data.after])).toEqual([['early-media', [4, 5, 6], '480 Temporarily Unavailable', ms(426)]]);
    });
    it('the hop that carried the 183 lost its final: the same INVITE\'s final on the caller\'s hop', () => {
      const invite = req('INVITE', 1, 0, { body: sdp(), to: P });
      const forwarded = req('INVITE', 1, 5, { body: sdp(), from: P, to: B, branch: 'z9hG4bK-p1' });
      const progress = res(forwarded, '183 Session Progress', 1000, [], { body: sdp('10.0.0.3') });
      const relayed = res(invite, '183 Session Progress', 1002, [], { body: sdp('10.0.0.3') });
      const answer = res(invite, '200 OK', 9000, [], { body: sdp('10.0.0.3') });
      const findings = findingsOf(earlyMediaWithoutRinging, [invite, forwarded, progress, relayed, answer]);
      expect(findings.map((f) => [f.messageId, f.frames, f.data.final, f.data.server])).toEqual([['early-media', [2, 3, 5], '200 OK', ep('10.0.0.3', 5060)]]);
    });
    it('no final response captured for the INVITE that got the 183: none, even when an earlier INVITE was challenged', () => {
      const challenged = req('INVITE', 1, 0, { body: sdp() });
      const challenge = res(challenged, '401 Unauthorized', 20);
      const authenticated = req('INVITE', 2, 300, { body: sdp() });
      const progress = res(authenticated, '183 Session Progress', 1300, [], { body: sdp('10.0.0.3') });
      const findings = findingsOf(earlyMediaWithoutRinging, [challenged, challenge, authenticated, progress]);
      expect(findings.map((f) => [f.messageId, f.frames, f.data.final])).toEqual([['early-media', [3, 4], 'none']]);
    });
  });

  it('invalid: 183 with SDP and no 180', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const messages = [invite, res(invite, '100 Trying', 5), res(invite, '183 Session Progress', 1500, [], { body: sdp('10.0.0.3') }), res(invite, '200 OK', 9000, [], { body: sdp('10.0.0.3') })];
    expect(findingsOf(earlyMediaWithoutRinging, messages)).toEqual([
      { rule: 'early-media-without-ringing', messageId: 'early-media', severity: 'info', frames: [1, 3, 4], data: { server: ep('10.0.0.3', 5060), progress: '183 Session Progress', after: ms(1500), final: '200 OK' } },
    ]);
  });
});
