import { describe, expect, it } from 'vitest';
import type { AnnouncedMedia, CallMedia } from '../../src/parse/media/types.js';
import type { Codec } from '../../src/parse/sip/sdp.js';
import { negotiatedMedia } from '../../src/present/media.js';

const PCMU: Codec = { payload: 0, name: 'PCMU', rate: 8000 };
const PCMA: Codec = { payload: 8, name: 'PCMA', rate: 8000 };
const G729: Codec = { payload: 18, name: 'G729', rate: 8000 };
const EVENTS: Codec = { payload: 101, name: 'telephone-event', rate: 8000 };
const CN: Codec = { payload: 13, name: 'CN', rate: 8000 };

function line(message: number, side: AnnouncedMedia['side'], codecs: Codec[], more: Partial<AnnouncedMedia> = {}): AnnouncedMedia {
  return { message, side, type: 'audio', protocol: 'RTP/AVP', address: '192.0.2.10', port: 40000, direction: 'sendrecv', codecs, ...more };
}

function media(...announced: AnnouncedMedia[]): CallMedia {
  return { announced, streams: [], mediaCaptured: false, mediaSeenAtHosts: false };
}

describe('negotiatedMedia: what the last offer and answer agreed', () => {
  const valid: [string, CallMedia, string][] = [
    ["the answer's first format the offer listed", media(line(0, 'caller', [PCMU, PCMA, EVENTS]), line(3, 'callee', [PCMA, PCMU, EVENTS])), 'PCMA/8000'],
    ['DTMF events and comfort noise are not the codec', media(line(0, 'caller', [EVENTS, CN, G729]), line(2, 'callee', [EVENTS, CN, G729])), 'G729/8000'],
    ['an answer format the offer did not list is passed over', media(line(0, 'caller', [PCMU]), line(2, 'callee', [G729, PCMU])), 'PCMU/8000'],
    ['no common format: the answer\'s first', media(line(0, 'caller', [PCMU]), line(2, 'callee', [G729])), 'G729/8000'],
    // RFC 3264 §5: an INVITE without SDP gets the offer in the 200 and the answer in the ACK.
    ['a late offer: the answer is in the ACK', media(line(2, 'callee', [PCMU, PCMA]), line(3, 'caller', [PCMA])), 'PCMA/8000'],
    [
      'a re-INVITE to T.38: the last pair wins, the fax line named',
      media(
        line(0, 'caller', [PCMU]),
        line(2, 'callee', [PCMU]),
        line(6, 'callee', [], { type: 'image', protocol: 'udptl' }),
        line(7, 'caller', [{ payload: -1, name: 't38', rate: null }], { type: 'image', protocol: 'udptl' }),
      ),
      'T.38',
    ],
    [
      'audio and video: one each, a refused line (port 0) left out',
      media(
        line(0, 'caller', [PCMU]),
        line(0, 'caller', [{ payload: 96, name: 'H264', rate: 90000 }], { type: 'video' }),
        line(0, 'caller', [PCMA], { type: 'audio', port: 40002 }),
        line(1, 'callee', [PCMU]),
        line(1, 'callee', [{ payload: 96, name: 'H264', rate: 90000 }], { type: 'video' }),
        line(1, 'callee', [PCMA], { port: 0 }),
      ),
      'PCMU/8000, H264/90000',
    ],
  ];
  for (const [name, m, expected] of valid) it(name, () => expect(negotiatedMedia(m)).toBe(expected));

  const none: [string, CallMedia | null][] = [
    ['media not analysed', null],
    ['no SDP at all', media()],
    ['an offer never answered', media(line(0, 'caller', [PCMU, PCMA]))],
    ['an answer with only events', media(line(0, 'caller', [PCMU, EVENTS]), line(2, 'callee', [EVENTS]))],
  ];
  for (const [name, m] of none) it(`none: ${name}`, () => expect(negotiatedMedia(m)).toBeNull());
});
