/**
 * SDP bodies: found in multipart bodies by their boundary (RFC 2046 §5.1.1), and a body that
 * declares SDP but cannot be read is a `sip.sdp-unparseable` diagnostic with its location,
 * never a silent "no SDP".
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../../src/index.js';
import { contentTypeParam, multipartParts, parseSdp, sdpOfBody, sdpProblem } from '../../../src/parse/sip/sdp.js';
import { parseSipMessage, sdpOfMessage } from '../../../src/parse/sip/parse.js';
import type { SipMessage } from '../../../src/parse/sip/types.js';
import { decodePackets } from '../../support/decode.js';
import { ethernet, ipv4, udp } from '../../support/packets.js';
import { diagnosticText } from '../../../src/present/diagnostics.js';
import type { SdpProblem } from '../../../src/diagnostics.js';

const SDP = ['v=0', 'o=- 1 1 IN IP4 192.0.2.5', 's=-', 'c=IN IP4 192.0.2.5', 't=0 0', 'm=audio 4000 RTP/AVP 0 8', 'a=sendrecv', ''].join('\r\n');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

function multipart(boundary: string, parts: { type: string; content: string }[], eol = '\r\n'): string {
  return parts.map((p) => `--${boundary}${eol}Content-Type: ${p.type}${eol}${eol}${p.content}${eol}`).join('') + `--${boundary}--${eol}`;
}

function invite(contentType: string, body: string): string {
  return [
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-sdp-1',
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:bob@example.com>',
    'Call-ID: sdp-1@test',
    'CSeq: 1 INVITE',
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

describe('Content-Type parameters', () => {
  it('reads token and quoted values, names in any case, values as written', () => {
    expect(contentTypeParam('multipart/mixed;boundary=abc', 'boundary')).toBe('abc');
    expect(contentTypeParam('multipart/mixed; charset=x; BOUNDARY = "a b;c\\"d" ; x=y', 'boundary')).toBe('a b;c"d');
    expect(contentTypeParam('multipart/mixed; Boundary=UniqueBroadWorksBoundary', 'boundary')).toBe('UniqueBroadWorksBoundary');
    expect(contentTypeParam('multipart/mixed', 'boundary')).toBeNull();
    expect(contentTypeParam('multipart/mixed; junk', 'boundary')).toBeNull();
  });
});

describe('multipart bodies (RFC 2046 §5.1.1)', () => {
  it('splits on delimiter lines only: the boundary inside a line, or followed by text, is content', () => {
    const body = `preamble --b1 not a delimiter\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsays --b1 and\r\n--b1x is not one either\r\n--b1  \r\n\r\nno headers\r\n--b1--\r\nepilogue`;
    const parts = multipartParts(body, 'b1');
    expect(parts).toEqual([
      { headers: 'Content-Type: text/plain', content: 'says --b1 and\r\n--b1x is not one either' },
      { headers: '', content: 'no headers' },
    ]);
  });

  it('finds the SDP part by its boundary, with CRLF or LF line ends, in nested multiparts', () => {
    const mixed = multipart('outer', [
      { type: 'application/rs-metadata+xml', content: '<recording/>\r\nv=0 is not here' },
      { type: 'application/sdp', content: SDP },
    ]);
    expect(sdpOfBody('multipart/mixed;boundary=outer', bytes(mixed))?.media[0]?.port).toBe(4000);
    expect(sdpOfBody('multipart/mixed; boundary="outer"', bytes(mixed.replace(/\r\n/g, '\n')))?.media[0]?.codecs.map((c) => c.name)).toEqual(['PCMU', 'PCMA']);
    const nested = multipart('o', [{ type: 'multipart/alternative; boundary=i', content: multipart('i', [{ type: 'application/sdp', content: SDP }]) }]);
    expect(sdpOfBody('multipart/mixed; boundary=o', bytes(nested))?.address).toBe('192.0.2.5');
  });

  it('does not take an SDP part that a different boundary delimits', () => {
    const other = multipart('other', [{ type: 'application/sdp', content: SDP }]);
    expect(sdpOfBody('multipart/mixed; boundary=mine', bytes(other))).toBeNull();
    expect(sdpProblem('multipart/mixed; boundary=mine', bytes(other))).toEqual({ reason: 'no-boundary-line', boundary: { text: 'mine' } });
  });

  it('a multipart body without SDP is not a problem', () => {
    const xmlOnly = multipart('b', [{ type: 'application/pidf+xml', content: '<presence/>' }]);
    expect(sdpProblem('multipart/mixed; boundary=b', bytes(xmlOnly))).toBeNull();
    expect(sdpOfBody('multipart/mixed; boundary=b', bytes(xmlOnly))).toBeNull();
  });
});

describe("a message's SDP (sdpOfMessage)", () => {
  const parsed = (text: string): SipMessage => parseSipMessage(bytes(text)).message;

  it('is read once and kept with the message: every ask gets the same description, what sdpOfBody reads', () => {
    const msg = parsed(invite('application/sdp', SDP));
    const first = sdpOfMessage(msg);
    expect(first).toEqual(sdpOfBody(msg.contentType, msg.body));
    expect(first?.media[0]?.port).toBe(4000);
    expect(sdpOfMessage(msg)).toBe(first);
    const other = parsed(invite('application/sdp', SDP));
    expect(sdpOfMessage(other)).not.toBe(first);
    expect(sdpOfMessage(other)).toEqual(first);
  });

  it('is null without a body, without a Content-Type, for another type, or for a body that is not SDP, every time', () => {
    const multi = parsed(invite('multipart/mixed;boundary=b', multipart('b', [{ type: 'application/xml', content: '<x/>' }])));
    for (const msg of [parsed(invite('application/sdp', '')), parsed(invite('text/plain', SDP)), parsed(invite('application/sdp', 'hello')), multi]) {
      expect(sdpOfMessage(msg)).toBeNull();
      expect(sdpOfMessage(msg)).toBeNull();
    }
    const noType = parsed(invite('application/sdp', SDP).replace('Content-Type: application/sdp\r\n', ''));
    expect(noType.contentType).toBeNull();
    expect(sdpOfMessage(noType)).toBeNull();
  });

  it('leaves the message with the same own enumerable properties', () => {
    const msg = parsed(invite('application/sdp', SDP));
    const before = Object.keys(msg);
    sdpOfMessage(msg);
    expect(Object.keys(msg)).toEqual(before);
  });

  it('reads a message not made by the parser from its body', () => {
    const msg = { ...parsed(invite('application/sdp', SDP)), body: bytes(SDP) } as SipMessage;
    expect(sdpOfMessage(msg)?.media[0]?.port).toBe(4000);
  });
});

describe('sdpProblem', () => {
  const cases: [string, string, string, SdpProblem | null][] = [
    ['valid SDP', 'application/sdp', SDP, null],
    ['valid SDP with parameters and case', 'Application/SDP; charset=utf-8', SDP, null],
    ['not SDP at all', 'application/sdp', 'good', { reason: 'not-sdp' }],
    ['SDP after white space', 'application/sdp', `\r\n \t${SDP}`, null],
    ['SDP after a byte order mark or a no-break space (white space to trimStart)', 'application/sdp', `\ufeff\u00a0${SDP}`, null],
    ['only white space', 'application/sdp', ' \r\n', { reason: 'not-sdp' }],
    ['a v without =', 'application/sdp', 'v', { reason: 'not-sdp' }],
    ['another first letter', 'application/sdp', ' x=0\r\nv=0\r\n', { reason: 'not-sdp' }],
    ['a non-ASCII first character', 'application/sdp', 'é=0', { reason: 'not-sdp' }],
    ['an empty body (a re-INVITE without an offer)', 'application/sdp', '', null],
    ['another type', 'text/plain', 'hello', null],
    ['multipart without a boundary parameter', 'multipart/mixed', multipart('b', [{ type: 'application/sdp', content: SDP }]), { reason: 'no-boundary' }],
    ['an SDP part that is not SDP', 'multipart/mixed; boundary=b', multipart('b', [{ type: 'application/sdp', content: 'garbage' }]), { reason: 'not-sdp' }],
  ];
  for (const [what, type, body, expected] of cases) {
    it(what, () => {
      const problem = sdpProblem(type, bytes(body));
      expect(problem).toEqual(expected);
    });
  }

  it('answers each case the same when asked in any order, the same Content-Type again or another in between', () => {
    // The media type of the Content-Type asked about last is remembered (sdp.ts mediaType).
    const order = [...cases, ...cases.slice().reverse(), ...cases.flatMap((c) => [c, c])];
    expect(order.map(([, type, body]) => sdpProblem(type, bytes(body)))).toEqual(order.map(([, , , expected]) => expected));
  });
});

describe('sip.sdp-unparseable in the pipeline', () => {
  it('is reported with the frame and the byte offset of the body, for a capture', () => {
    const text = invite('application/sdp', 'good');
    const r = decodePackets([ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(5060, 5060, text)))]);
    expect(r.messages).toHaveLength(1);
    const d = r.diagnostics.find((x) => x.code === 'sip.sdp-unparseable');
    expect(d).toMatchObject({ severity: 'warning', frame: 1 });
    expect(diagnosticText(d!)).toMatch(/^frame 1: .*does not begin with a v= line; the media rules see this message as having no SDP$/);
    // A file offset: pcap header 24 + record header 16 + Ethernet 14 + IPv4 20 + UDP 8, then the headers up to the body.
    expect(d!.offset).toBe(24 + 16 + 14 + 20 + 8 + text.indexOf('good'));
  });

  it('is reported with the line of the body, for a text log', async () => {
    const log = `${invite('multipart/mixed', multipart('b', [{ type: 'application/sdp', content: SDP }]))}\n`;
    const r = await readMessages([{ name: 'pasted.txt', stream: Readable.from([Buffer.from(log)]) }]);
    expect(r.messages).toHaveLength(1);
    const d = r.inputs[0]!.diagnostics.find((x) => x.code === 'sip.sdp-unparseable');
    expect(d).toMatchObject({ line: 10 });
    expect(diagnosticText(d!)).toMatch(/^line 10: its multipart Content-Type has no boundary parameter/);
  });

  it('is not reported for a well-formed offer', () => {
    const r = decodePackets([ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(5060, 5060, invite('application/sdp', SDP))))]);
    expect(r.diagnostics).toEqual([]);
  });
});

describe('SDP defects (RFC 4566): what a strict receiver refuses', () => {
  const defectsOf = (text: string) => parseSdp(text)!.defects;

  it('a sound description has none; port 0 and unknown line kinds are not judged', () => {
    expect(defectsOf(SDP)).toEqual([]);
    expect(defectsOf(SDP + 'm=video 0 RTP/AVP 96\r\nb=AS:64\r\nk=prompt\r\n')).toEqual([]);
  });

  it('v= other than 0, and a missing or unreadable o=, s= or t= line', () => {
    expect(defectsOf('v=1\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n')).toEqual([{ kind: 'version', version: '1' }]);
    expect(defectsOf('v=0\r\no=alice\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0\r\n')).toEqual([{ kind: 'no-origin' }, { kind: 'no-session-name' }, { kind: 'no-timing' }]);
  });

  it('a live stream with no c= line anywhere, and dynamic payload types without rtpmap', () => {
    const text = 'v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 96 101\r\na=rtpmap:101 telephone-event/8000\r\nm=image 0 udptl t38\r\n';
    expect(defectsOf(text)).toEqual([
      { kind: 'no-connection', media: 1 },
      { kind: 'no-rtpmap', media: 1, payloads: [96] },
    ]);
  });
});

describe('what a parsed description shares (it is kept while its message is open)', () => {
  const offer = (formats: string, rtpmaps: readonly string[], address = '192.0.2.5') =>
    ['v=0', 'o=- 1 1 IN IP4 192.0.2.5', 's=-', `c=IN IP4 ${address}`, 't=0 0', `m=audio 4000 RTP/AVP ${formats}`, ...rtpmaps, ''].join('\r\n');

  it('one codec list for the same format list and rtpmap lines, its own list otherwise', () => {
    const lines = ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000'];
    const first = parseSdp(offer('0 8 101', lines))!.media[0]!;
    const again = parseSdp(offer('0 8 101', lines, '198.51.100.200'))!.media[0]!;
    expect(again.codecs).toBe(first.codecs);
    expect(again.codecs).toEqual([
      { payload: 0, name: 'PCMU', rate: 8000 },
      { payload: 8, name: 'PCMA', rate: 8000 },
      { payload: 101, name: 'telephone-event', rate: 8000 },
    ]);
    expect(again.address).toBe('198.51.100.200');
    const otherRate = parseSdp(offer('0 8 101', ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/16000']))!.media[0]!;
    expect(otherRate.codecs).not.toBe(first.codecs);
    expect(otherRate.codecs[2]).toEqual({ payload: 101, name: 'telephone-event', rate: 16000 });
    const otherOrder = parseSdp(offer('8 0 101', lines))!.media[0]!;
    expect(otherOrder.codecs.map((c) => c.payload)).toEqual([8, 0, 101]);
  });

  it('more distinct codec lists than the recent ones compared in turn: each section still gets the list of its own lines', () => {
    // Twelve lists (more than the recent lists compared before the table is asked), round-robin,
    // three times: the same lines give the same list object, other lines their own, read as written.
    const lists = Array.from({ length: 12 }, (_, i) => ({ formats: `0 ${96 + i}`, rtpmaps: ['a=rtpmap:0 PCMU/8000', `a=rtpmap:${96 + i} c${i}/${8000 + i}`] }));
    const seen = new Map<number, readonly unknown[]>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < lists.length; i++) {
        const codecs = parseSdp(offer(lists[i]!.formats, lists[i]!.rtpmaps))!.media[0]!.codecs;
        expect(codecs).toEqual([
          { payload: 0, name: 'PCMU', rate: 8000 },
          { payload: 96 + i, name: `c${i}`, rate: 8000 + i },
        ]);
        if (round === 0) seen.set(i, codecs);
        else expect(codecs).toBe(seen.get(i));
      }
    }
    expect(new Set(seen.values()).size).toBe(lists.length);
  });

  it('a huge format list and its rtpmap lines are read in linear time', () => {
    // 100,000 formats and 100,000 rtpmap lines (a 1 MB message holds about half): a scan of the
    // rtpmap lines per format took 7 s here, the table 0.4 s.
    const count = 100_000;
    const formats = Array.from({ length: count }, (_, i) => String(96 + (i % 32))).join(' ');
    const rtpmaps = ['a=rtpmap:96 opus/48000', ...Array.from({ length: count }, (_, i) => `a=rtpmap:${1000 + i} c${i}/8000`), 'a=rtpmap:98 speex/16000'];
    const text = offer(formats, rtpmaps);
    const started = performance.now();
    const codecs = parseSdp(text)!.media[0]!.codecs;
    expect(performance.now() - started).toBeLessThan(4000);
    expect(codecs.length).toBe(count);
    expect(codecs.slice(0, 3)).toEqual([
      { payload: 96, name: 'opus', rate: 48000 },
      { payload: 97, name: '', rate: null },
      { payload: 98, name: 'speex', rate: 16000 },
    ]);
  });

  it('the last rtpmap line of a payload type counts, with few lines or many', () => {
    for (const others of [0, 100]) {
      const rtpmaps = ['a=rtpmap:96 first/8000', ...Array.from({ length: others }, (_, i) => `a=rtpmap:${200 + i} x/8000`), 'a=rtpmap:96 last/16000'];
      expect(parseSdp(offer('96 0', rtpmaps))!.media[0]!.codecs).toEqual([
        { payload: 96, name: 'last', rate: 16000 },
        { payload: 0, name: 'PCMU', rate: 8000 },
      ]);
    }
  });

  it('a huge format list is not remembered: the table of shared lists holds short ones only', () => {
    const formats = Array.from({ length: 20_000 }, (_, i) => String(i % 128)).join(' ');
    const first = parseSdp(offer(formats, []))!.media[0]!;
    const again = parseSdp(offer(formats, []))!.media[0]!;
    expect(again.codecs).toEqual(first.codecs);
    expect(again.codecs).not.toBe(first.codecs);
  });

  it('a sound description shares its empty list of defects', () => {
    expect(parseSdp(offer('0', []))!.defects).toBe(parseSdp(offer('8', []))!.defects);
  });
});
