import { beforeEach, describe, expect, it } from 'vitest';
import { earlyMediaWithoutRinging } from '../../../src/annotate/rules/early-media-without-ringing.js';
import { req, res, resetCatalogFrames, sdp } from '../../support/catalog.js';
import { findingsOf } from '../../support/rules.js';

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

  it('invalid: 183 with SDP and no 180', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const messages = [invite, res(invite, '100 Trying', 5), res(invite, '183 Session Progress', 1500, [], { body: sdp('10.0.0.3') }), res(invite, '200 OK', 9000, [], { body: sdp('10.0.0.3') })];
    expect(findingsOf(earlyMediaWithoutRinging, messages)).toEqual([
      { rule: 'early-media-without-ringing', messageId: 'early-media', severity: 'info', frames: [1, 3, 4], data: { server: '10.0.0.3:5060', progress: '183 Session Progress', after: '1.5 s', final: '200 OK' } },
    ]);
  });
});
