import { beforeEach, describe, expect, it } from 'vitest';
import { codecMismatch } from '../../../src/annotate/rules/codec-mismatch.js';
import { sdpInvalid } from '../../../src/annotate/rules/sdp-invalid.js';
import { req, res, resetCatalogFrames, sdp } from '../../support/catalog.js';
import { ep, findingsOf } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** The catalog's SDP with one line dropped or replaced. */
const without = (prefix: string, replacement?: string): string =>
  sdp()
    .split('\r\n')
    .flatMap((line) => (line.startsWith(prefix) ? (replacement === undefined ? [] : [replacement]) : [line]))
    .join('\r\n');

describe('sdp-invalid', () => {
  it('valid: a sound offer and answer; a stream turned off (port 0) needs no address or rtpmap', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const off = sdp().replace('c=IN IP4 10.0.0.1\r\n', '').replace('m=audio 4000 RTP/AVP 0', 'm=audio 0 RTP/AVP 96');
    expect(findingsOf(sdpInvalid, [invite, res(invite, '200 OK', 10, [], { body: sdp('10.0.0.2') }), req('INVITE', 2, 20, { toTag: 'b', body: off })])).toEqual([]);
  });

  it('invalid: no t= line, forwarded by a proxy: one finding with both copies, a warning', () => {
    const body = without('t=');
    const first = req('INVITE', 1, 0, { body });
    const forwarded = req('INVITE', 1, 5, { body, from: { ip: '10.0.0.3', port: 5060 }, to: { ip: '10.0.0.9', port: 5060 }, branch: 'z9hG4bK-hop2' });
    expect(findingsOf(sdpInvalid, [first, forwarded])).toEqual([
      {
        rule: 'sdp-invalid',
        messageId: 'invalid',
        severity: 'warning',
        frames: [1, 2],
        data: { defect: 'no-timing', problem: 'no valid t= line', version: '-', media: '-', payloads: '-', method: 'INVITE', sender: ep('10.0.0.1', 5060) },
      },
    ]);
  });

  it('invalid: a live stream with no address and dynamic payload types without rtpmap, each said with where it is', () => {
    const body = without('c=').replace('m=audio 4000 RTP/AVP 0', 'm=audio 4000 RTP/AVP 0 97 98');
    const findings = findingsOf(sdpInvalid, [req('INVITE', 1, 0, { body })]);
    expect(findings.map((f) => [f.messageId, f.data.media, f.data.payloads])).toEqual([
      ['invalid-connection', 1, '-'],
      ['invalid-rtpmap', 1, '97, 98'],
    ]);
  });

  it('invalid: 400 to an offer with v=1 is the defect\'s (error), and codec-mismatch leaves a 488 for such an offer alone', () => {
    const invite = req('INVITE', 1, 0, { body: without('v=', 'v=1') });
    const refused = res(invite, '400 Bad Session Description', 8);
    expect(findingsOf(sdpInvalid, [invite, refused])).toEqual([
      expect.objectContaining({ messageId: 'rejected', severity: 'error', frames: [1, 2], data: expect.objectContaining({ defect: 'version', version: '1', status: 400, response: '400 Bad Session Description' }) }),
    ]);
    resetCatalogFrames();
    const again = req('INVITE', 1, 0, { body: without('o=') });
    expect(findingsOf(codecMismatch, [again, res(again, '488 Not Acceptable Here', 8)])).toEqual([]);
    expect(findingsOf(sdpInvalid, [again, res(again, '488 Not Acceptable Here', 8)]).map((f) => [f.messageId, f.data.defect])).toEqual([['rejected', 'no-origin']]);
  });
});

describe('sdp-invalid: an answer that leaves out the rtpmap of the offer\'s payload types', () => {
  it('is info, with the offer\'s mapping; without an offer mapping it stays a warning', () => {
    const offer = sdp().replace('m=audio 4000 RTP/AVP 0', 'm=audio 4000 RTP/AVP 0 101') + 'a=rtpmap:101 telephone-event/8000\r\n';
    const answer = sdp('10.0.0.2').replace('m=audio 4000 RTP/AVP 0', 'm=audio 4000 RTP/AVP 0 101');
    const invite = req('INVITE', 1, 0, { body: offer });
    expect(findingsOf(sdpInvalid, [invite, res(invite, '200 OK', 10, [], { body: answer })]).map((f) => [f.messageId, f.severity, f.data.offered])).toEqual([['answer-rtpmap', 'info', 'telephone-event/8000']]);
    resetCatalogFrames();
    const bare = req('INVITE', 1, 0, { body: sdp() });
    expect(findingsOf(sdpInvalid, [bare, res(bare, '200 OK', 10, [], { body: answer })]).map((f) => [f.messageId, f.severity])).toEqual([['invalid-rtpmap', 'warning']]);
  });
});
