import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseSipMessage, MAX_HEADERS, firstHeaderValueOf, firstInvalidUtf8, headerSectionEnded, headerValuesOf, shareFieldsWith } from '../../../src/parse/sip/parse.js';
import type { SipParseResult } from '../../../src/parse/sip/types.js';
import { DIAGNOSTICS } from '../../../src/diagnostics.js';
import { parseCSeq, parseNameAddr, parseVia, splitList } from '../../../src/parse/sip/headers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
/** Header lines joined with CRLF, the empty line, then the body. */
const msg = (lines: readonly string[], body = '', eol = '\r\n'): string => lines.join(eol) + eol + eol + body;
const parse = (s: string | Uint8Array, datagram = true): SipParseResult => {
  const r = parseSipMessage(typeof s === 'string' ? enc(s) : s, { datagram });
  for (const d of r.diagnostics) {
    // Every code is a listed sip.* code and every offset lies within the input.
    const info = (DIAGNOSTICS as Record<string, { layer: string } | undefined>)[d.code];
    expect(info?.layer, d.code).toBe('sip');
    expect(d.offset).toBeGreaterThanOrEqual(0);
    expect(d.offset).toBeLessThanOrEqual(typeof s === 'string' ? enc(s).length : s.length);
  }
  return r;
};
const codes = (r: SipParseResult): string[] => r.diagnostics.map((d) => d.code);
const diag = (r: SipParseResult, code: string) => r.diagnostics.filter((d) => d.code === code);

const SDP = 'v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

const INVITE_LINES = [
  'INVITE sip:bob@biloxi.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.com>',
  'Content-Type: application/sdp',
  `Content-Length: ${SDP.length}`,
];
const INVITE = msg(INVITE_LINES, SDP);

describe('requests and responses', () => {
  it('parses an INVITE with SDP', () => {
    const r = parse(INVITE);
    expect(r.diagnostics).toEqual([]);
    const m = r.message;
    expect(m.kind).toBe('request');
    expect(m.method).toBe('INVITE');
    expect(m.requestUri).toBe('sip:bob@biloxi.com');
    expect(m.status).toBeNull();
    expect(m.reason).toBeNull();
    expect(m.version).toBe('SIP/2.0');
    expect(m.callId).toBe('a84b4c76e66710@pc33.atlanta.com');
    expect(m.cseq).toEqual({ seq: 314159, method: 'INVITE' });
    expect(m.from).toMatchObject({ displayName: 'Alice', tag: '1928301774', uri: { raw: 'sip:alice@atlanta.com', scheme: 'sip', user: 'alice', host: 'atlanta.com', port: null } });
    expect(m.to).toMatchObject({ displayName: 'Bob', tag: null, uri: { user: 'bob', host: 'biloxi.com' } });
    expect(m.via).toHaveLength(1);
    expect(m.via[0]).toMatchObject({ protocol: 'SIP/2.0', transport: 'UDP', host: 'pc33.atlanta.com', port: null, branch: 'z9hG4bK776asdhds' });
    expect(m.contact.map((c) => c.uri.raw)).toEqual(['sip:alice@pc33.atlanta.com']);
    expect(m.maxForwards).toBe(70);
    expect(m.contentType).toBe('application/sdp');
    expect(m.contentLength).toBe(SDP.length);
    expect(dec(m.body)).toBe(SDP);
    expect(m.bodyOffset).toBe(INVITE.length - SDP.length);
    expect(m.raw.length).toBe(INVITE.length);
    expect(r.consumed).toBe(INVITE.length);
    expect(m.headers.map((h) => h.key)).toEqual(['via', 'max-forwards', 'to', 'from', 'call-id', 'cseq', 'contact', 'content-type', 'content-length']);
    // offsets and lengths point at the header lines
    for (const h of m.headers) {
      const lineText = dec(m.raw.subarray(h.offset, h.offset + h.length));
      expect(lineText.startsWith(h.name)).toBe(true);
      expect(lineText.endsWith(h.value)).toBe(true);
    }
    // body is a view, not a copy
    expect(m.body.buffer).toBe(m.raw.buffer);
  });

  it('parses a response', () => {
    const r = parse(msg([
      'SIP/2.0 180 Ringing',
      'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1',
      'To: Bob <sip:bob@biloxi.com>;tag=a6c85cf',
      'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710',
      'CSeq: 314159 INVITE',
      'Content-Length: 0',
    ]));
    expect(codes(r)).toEqual([]);
    expect(r.message).toMatchObject({ kind: 'response', method: null, requestUri: null, status: 180, reason: 'Ringing', version: 'SIP/2.0' });
    expect(r.message.to?.tag).toBe('a6c85cf');
    expect(r.message.via[0]?.params).toEqual({ branch: 'z9hG4bK776asdhds', received: '192.0.2.1' });
    expect(r.message.body.length).toBe(0);
  });

  it('keeps multi-word reason phrases and empty ones', () => {
    expect(parse('SIP/2.0 486 Busy Here\r\n\r\n').message.reason).toBe('Busy Here');
    const r = parse('SIP/2.0 200\r\n\r\n');
    expect(r.message.status).toBe(200);
    expect(r.message.reason).toBe('');
    expect(codes(r)).not.toContain('sip.malformed-start-line');
  });
});

describe('header syntax', () => {
  it('maps compact forms', () => {
    const r = parse(msg([
      'BYE sip:bob@192.0.2.4 SIP/2.0',
      'v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds7',
      't: <sip:bob@biloxi.com>;tag=a6c85cf',
      'f: <sip:alice@atlanta.com>;tag=1928301774',
      'i: a84b4c76e66710',
      'CSeq: 231 BYE',
      'm: <sip:alice@192.0.2.1>',
      'c: text/plain',
      'l: 0',
      'k: timer',
      's: hello',
      'o: presence',
      'x: 1800',
      'E: gzip',
    ]));
    expect(codes(r)).toEqual([]);
    const m = r.message;
    expect(m.headers.map((h) => h.key)).toEqual([
      'via', 'to', 'from', 'call-id', 'cseq', 'contact', 'content-type', 'content-length', 'supported', 'subject', 'event', 'session-expires', 'content-encoding',
    ]);
    expect(m.headers[0]?.name).toBe('v');
    expect(m.via[0]).toMatchObject({ host: '192.0.2.1', port: 5060, branch: 'z9hG4bKnashds7' });
    expect(m.callId).toBe('a84b4c76e66710');
    expect(m.to?.tag).toBe('a6c85cf');
    expect(m.from?.tag).toBe('1928301774');
    expect(m.contact[0]?.uri.host).toBe('192.0.2.1');
    expect(m.contentType).toBe('text/plain');
    expect(m.contentLength).toBe(0);
  });

  it('is case-insensitive and allows whitespace before the colon', () => {
    const r = parse(msg([
      'OPTIONS sip:x@y SIP/2.0',
      'VIA : SIP/2.0/UDP h;branch=z9hG4bK1',
      'call-id\t:  abc  ',
      'cSeQ:1 OPTIONS',
      'FROM:<sip:a@b>;TAG=t1',
      'to :<sip:c@d>',
      'CONTENT-LENGTH :0',
    ]));
    expect(codes(r)).toEqual([]);
    expect(r.message.callId).toBe('abc');
    expect(r.message.cseq).toEqual({ seq: 1, method: 'OPTIONS' });
    expect(r.message.from?.tag).toBe('t1');
    expect(r.message.headers.map((h) => h.name)).toEqual(['VIA', 'call-id', 'cSeQ', 'FROM', 'to', 'CONTENT-LENGTH']);
  });

  it('names every header line as written, however many distinct names share a slot of the name table', () => {
    // More distinct names than the table that finds a line's name by a hash of its characters has slots (512).
    const names = Array.from({ length: 700 }, (_, i) => (i % 2 === 0 ? `X-Header-${i}` : `x-HEADER-${i - 1}`));
    const lines = ['OPTIONS sip:x@y SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'Call-ID: abc', 'CSeq: 1 OPTIONS', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>'];
    const message = msg([...lines, ...names.map((n, i) => `${n}: ${i}`)]);
    for (let round = 0; round < 2; round++) {
      const r = parse(message);
      expect(codes(r)).toEqual([]);
      const extra = r.message.headers.slice(lines.length - 1);
      expect(extra.map((h) => h.name)).toEqual(names);
      expect(extra.map((h) => h.key)).toEqual(names.map((n) => n.toLowerCase()));
      expect(extra.map((h) => h.value)).toEqual(names.map((_, i) => String(i)));
    }
  });

  it('keeps methods, versions, reason phrases and content types as written, past the shared-string table and its slots', () => {
    // More distinct strings than the shared-string table remembers (1,024) and than the slots that find them in the text (512),
    // in every case: ASCII, upper and lower case, non-ASCII, folded, empty; read twice so that each meets an occupied slot.
    const kinds = (i: number) => [
      { text: msg([`SIP/2.0 ${200 + (i % 400)} Reason ${i}${'x'.repeat(i % 17)}`, `Content-Type: app/t${i}`]), reason: `Reason ${i}${'x'.repeat(i % 17)}`, contentType: `app/t${i}`, method: null },
      { text: msg([`M${i}X sip:u${i}@h SIP/2.0`, `c: ${i % 2 === 1 ? 'APPLICATION/SDP' : 'application/sdp'}`]), reason: null, contentType: i % 2 === 1 ? 'APPLICATION/SDP' : 'application/sdp', method: `M${i}X` },
      { text: msg([`SIP/2.0 200 ${['OK', 'Ok', 'Ó K', ''][i % 4]}`, 'c:', ` folded/type${i}`]), reason: ['OK', 'Ok', 'Ó K', ''][i % 4], contentType: `folded/type${i}`, method: null },
    ];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1500; i++) {
        for (const k of kinds(i)) {
          const m = parse(k.text).message;
          expect([m.method, m.version, m.reason, m.contentType]).toEqual([k.method, 'SIP/2.0', k.reason, k.contentType]);
        }
      }
    }
  });

  it('keeps a Call-ID and request URI equal to the text, ASCII, UTF-8 or folded', () => {
    const long = 'a84b4c76e66710-0123456789abcdef@pc33.atlanta.com';
    const ascii = parse(msg([`INVITE sip:${long} SIP/2.0`, 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', `Call-ID:   ${long}  `, 'CSeq: 1 INVITE', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>']));
    expect(ascii.message.callId).toBe(long);
    expect(ascii.message.requestUri).toBe(`sip:${long}`);
    const utf8 = parse(msg(['INVITE sip:ünïcödé-user-name@host SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'Call-ID: ünïcödé-call-id-0123456789', 'CSeq: 1 INVITE', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>']));
    expect(utf8.message.callId).toBe('ünïcödé-call-id-0123456789');
    expect(utf8.message.requestUri).toBe('sip:ünïcödé-user-name@host');
    const folded = parse(msg(['OPTIONS sip:x@y SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'Call-ID: first-part-of-the-id', ' second-part', 'CSeq: 1 OPTIONS', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>']));
    expect(folded.message.callId).toBe('first-part-of-the-id second-part');
    expect(parse(msg(['OPTIONS sip:x@y SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'Call-ID:', 'CSeq: 1 OPTIONS', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>'])).message.callId).toBe('');
  });

  it('unfolds continuation lines', () => {
    const text = msg([
      'INVITE sip:bob@biloxi.com SIP/2.0',
      'Via: SIP/2.0/UDP pc33.atlanta.com',
      '   ;branch=z9hG4bKfold',
      'Subject: I know you\'re there,',
      '         pick up the phone',
      '\t and talk to me!',
      'To: <sip:bob@biloxi.com>',
      'From: <sip:alice@atlanta.com>;tag=1',
      'Call-ID: c1',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
    ]);
    const r = parse(text);
    expect(codes(r)).toEqual([]);
    const subject = r.message.headers.find((h) => h.key === 'subject');
    expect(subject?.value).toBe('I know you\'re there, pick up the phone and talk to me!');
    expect(subject?.offset).toBe(text.indexOf('Subject'));
    expect(subject?.length).toBe(text.indexOf('\r\nTo:') - text.indexOf('Subject'));
    expect(r.message.via[0]?.branch).toBe('z9hG4bKfold');
    expect(r.message.headers).toHaveLength(7);
  });

  it('keeps repeated headers in order and splits comma-joined Via and Contact', () => {
    const r = parse(msg([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP p2.example.com:5070;branch=z9hG4bK2',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK3',
      'Record-Route: <sip:p1.example.com;lr>',
      'Record-Route: <sip:p2.example.com;lr>',
      'To: <sip:bob@biloxi.com>;tag=2',
      'From: <sip:alice@atlanta.com>;tag=1',
      'Call-ID: c1',
      'CSeq: 1 REGISTER',
      'Contact: <sip:a@192.0.2.1>;expires=3600, "Mr. X, Jr." <sip:b@192.0.2.2>;q=0.5',
      'Contact: sip:c@192.0.2.3;expires=10',
      'Content-Length: 0',
    ]));
    expect(codes(r)).toEqual([]);
    expect(r.message.via.map((v) => v.branch)).toEqual(['z9hG4bK1', 'z9hG4bK2', 'z9hG4bK3']);
    expect(r.message.via.map((v) => v.transport)).toEqual(['UDP', 'TCP', 'UDP']);
    expect(r.message.via[1]?.port).toBe(5070);
    expect(r.message.contact.map((c) => [c.displayName, c.uri.raw, c.params])).toEqual([
      [null, 'sip:a@192.0.2.1', { expires: '3600' }],
      ['Mr. X, Jr.', 'sip:b@192.0.2.2', { q: '0.5' }],
      [null, 'sip:c@192.0.2.3', { expires: '10' }],
    ]);
    expect(r.message.headers.filter((h) => h.key === 'record-route').map((h) => h.value)).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  });

  it('reads Contact: *', () => {
    const r = parse(msg([
      'REGISTER sip:registrar.biloxi.com SIP/2.0',
      'Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7',
      'To: Bob <sip:bob@biloxi.com>',
      'From: Bob <sip:bob@biloxi.com>;tag=456248',
      'Call-ID: 843817637684230@998sdasdh09',
      'CSeq: 1826 REGISTER',
      'Contact: *',
      'Expires: 0',
      'Content-Length: 0',
    ]));
    expect(codes(r)).toEqual([]);
    expect(r.message.contact).toHaveLength(1);
    expect(r.message.contact[0]).toMatchObject({ displayName: null, uri: { raw: '*' }, tag: null });
  });

  it('reads IPv6 in Via and URIs', () => {
    const r = parse(msg([
      'INVITE sip:bob@[2001:db8::20]:5060;transport=udp SIP/2.0',
      'Via: SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKas3-111;received=2001:db8::9:255',
      'Via: SIP/2.0/TCP [2001:db8::1];branch=z9hG4bK2',
      'To: <sip:bob@[2001:db8::20]>',
      'From: "Caller" <sip:alice@[2001:db8::9:1]:5070>;tag=81x2',
      'Call-ID: SSG9559905523997077@hlau_4100',
      'CSeq: 8612 INVITE',
      'Contact: <sip:alice@[2001:db8::9:1]:5070>',
      'Max-Forwards: 70',
      'Content-Length: 0',
    ]));
    expect(codes(r)).toEqual([]);
    const m = r.message;
    expect(m.requestUri).toBe('sip:bob@[2001:db8::20]:5060;transport=udp');
    expect(m.via[0]).toMatchObject({ host: '2001:db8::9:1', port: 5070, branch: 'z9hG4bKas3-111', params: { received: '2001:db8::9:255' } });
    expect(m.via[1]).toMatchObject({ transport: 'TCP', host: '2001:db8::1', port: null });
    expect(m.to?.uri).toMatchObject({ host: '2001:db8::20', port: null });
    expect(m.from?.uri).toMatchObject({ user: 'alice', host: '2001:db8::9:1', port: 5070 });
    expect(m.contact[0]?.uri.host).toBe('2001:db8::9:1');
  });
});

describe('malformed input is kept', () => {
  it('keeps bad header lines with a diagnostic at their offset', () => {
    const lines = [
      'INVITE sip:bob@biloxi.com SIP/2.0',
      'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1',
      'This line has no colon',
      'Bad Name: value',
      ': empty name',
      'To: <sip:bob@biloxi.com>',
      'From: <sip:alice@atlanta.com>;tag=1',
      'Call-ID: c1',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
    ];
    const text = msg(lines);
    const r = parse(text);
    const bad = diag(r, 'sip.malformed-header');
    expect(bad.map((d) => d.offset)).toEqual([text.indexOf('This line'), text.indexOf('Bad Name'), text.indexOf(': empty')]);
    expect(codes(r).filter((c) => c !== 'sip.malformed-header')).toEqual([]);
    const kept = r.message.headers.filter((h) => h.malformed);
    expect(kept.map((h) => [h.name, h.key, h.value, h.offset])).toEqual([
      ['', '', 'This line has no colon', text.indexOf('This line')],
      ['Bad Name', '', 'Bad Name: value', text.indexOf('Bad Name')],
      ['', '', ': empty name', text.indexOf(': empty')],
    ]);
    // parsing went on
    expect(r.message.callId).toBe('c1');
    expect(r.message.headers).toHaveLength(9);
  });

  it('keeps a continuation line with no header before it as malformed', () => {
    const r = parse(msg(['OPTIONS sip:x@y SIP/2.0', ' leading space', 'Call-ID: c']));
    expect(r.message.headers[0]).toMatchObject({ malformed: true, value: 'leading space' });
    expect(r.message.callId).toBe('c');
  });

  it('reports malformed start lines and still returns a message', () => {
    const cases: [string, Partial<Record<'kind' | 'method' | 'requestUri' | 'status' | 'reason' | 'version', unknown>>][] = [
      ['INVITE sip:bob@biloxi.com', { kind: 'request', method: 'INVITE', requestUri: 'sip:bob@biloxi.com', version: '' }],
      ['INVITE sip:bob@biloxi.com HTTP/1.1', { kind: 'request', method: 'INVITE', version: 'HTTP/1.1' }],
      ['INVITE sip:bob @biloxi.com SIP/2.0', { kind: 'request', method: 'INVITE', requestUri: 'sip:bob @biloxi.com', version: 'SIP/2.0' }],
      ['hello', { kind: 'request', method: null, requestUri: null }],
      ['\u00ff\u00fe binary', { kind: 'request', method: null }],
      ['SIP/2.0 20 OK', { kind: 'response', status: null }],
      ['SIP/2.0 OK', { kind: 'response', status: null }],
      ['SIP/x 200 OK', { kind: 'response', status: 200, version: 'SIP/x' }],
      ['SIP/2.0 099 Odd', { kind: 'response', status: 99 }],
      [' INVITE sip:bob@biloxi.com SIP/2.0', { kind: 'request', method: 'INVITE', requestUri: 'sip:bob@biloxi.com', version: 'SIP/2.0' }],
      ['\tSIP/2.0 200 OK', { kind: 'response', status: 200, reason: 'OK' }],
    ];
    for (const [start, want] of cases) {
      const r = parse(msg([start, 'Call-ID: c', 'CSeq: 1 INVITE', 'From: <sip:a@b>', 'To: <sip:c@d>', 'Via: SIP/2.0/UDP h', 'Content-Length: 0']));
      expect(diag(r, 'sip.malformed-start-line').map((d) => d.offset), start).toEqual([0]);
      expect(r.message, start).toMatchObject(want);
      expect(r.message.callId).toBe('c');
    }
  });

  it('reports unreadable values of interpreted headers and keeps the headers', () => {
    const text = msg([
      'INVITE sip:bob@biloxi.com SIP/2.0',
      'Via: SIP/2.0/UDP good.example.com;branch=z9hG4bK1, garbage, SIP/2.0/UDP other.example.com;branch=z9hG4bK2',
      'Via: nonsense',
      'To: Bob <sip:bob@biloxi.com',
      'From: "unterminated <sip:alice@atlanta.com>;tag=1',
      'Call-ID: c1',
      'CSeq: one INVITE',
      'Contact: <sip:a@b>, not a uri, <sip:c@d>',
      'Max-Forwards: seventy',
      'Content-Length: 0',
    ]);
    const r = parse(text);
    const bad = diag(r, 'sip.bad-header-value').map((d) => d.offset);
    expect(bad).toEqual(['Via: SIP', 'Via: non', 'To:', 'From:', 'CSeq:', 'Contact:', 'Max-Forwards'].map((s) => text.indexOf(s)));
    expect(codes(r).filter((c) => c !== 'sip.bad-header-value')).toEqual([]);
    const m = r.message;
    expect(m.via.map((v) => v.host)).toEqual(['good.example.com', 'other.example.com']);
    expect(m.to).toBeNull();
    expect(m.from).toBeNull();
    expect(m.cseq).toBeNull();
    expect(m.maxForwards).toBeNull();
    expect(m.contact.map((c) => c.uri.raw)).toEqual(['sip:a@b', 'sip:c@d']);
    expect(m.headers).toHaveLength(9);
    expect(m.headers.every((h) => !h.malformed)).toBe(true);
  });

  it('names missing mandatory headers in one diagnostic', () => {
    const text = msg(['OPTIONS sip:x@y SIP/2.0', 'Call-ID: c', 'Content-Length: 0']);
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.missing-header']);
    expect(r.diagnostics[0]?.offset).toBe(text.length - 2);
    const all = parse(msg(['OPTIONS sip:x@y SIP/2.0', 'Content-Length: 0']));
    expect(codes(all)).toEqual(['sip.missing-header']);
    // an unreadable From is present, not missing
    const unreadable = parse(msg(['OPTIONS sip:x@y SIP/2.0', 'Call-ID: c', 'CSeq: 1 OPTIONS', 'From: ???', 'To: <sip:x@y>', 'Via: SIP/2.0/UDP h', 'Content-Length: 0']));
    expect(codes(unreadable)).toEqual(['sip.bad-header-value']);
  });

  it('keeps at most MAX_HEADERS header lines', () => {
    const lines = ['OPTIONS sip:x@y SIP/2.0', 'Call-ID: c', 'CSeq: 1 OPTIONS', 'From: <sip:a@b>;tag=1', 'To: <sip:x@y>', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'Content-Length: 3'];
    for (let i = 0; i < MAX_HEADERS + 10; i++) lines.push(`X-H${i}: ${i}`);
    const text = msg(lines, 'abc');
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.too-many-headers']);
    expect(r.diagnostics[0]?.offset).toBe(text.indexOf(`X-H${MAX_HEADERS - 6}:`));
    expect(r.message.headers).toHaveLength(MAX_HEADERS);
    expect(dec(r.message.body)).toBe('abc');
  });
});

describe('line endings and header end', () => {
  it('parses LF-only text with one bare-LF diagnostic', () => {
    const text = msg(INVITE_LINES.slice(0, -1).concat(['Content-Length: 4']), 'v=0\n', '\n');
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.bare-lf']);
    expect(r.diagnostics[0]?.offset).toBe(text.indexOf('\n'));
    expect(r.message.method).toBe('INVITE');
    expect(r.message.callId).toBe('a84b4c76e66710@pc33.atlanta.com');
    expect(r.message.from?.tag).toBe('1928301774');
    expect(dec(r.message.body)).toBe('v=0\n');
  });

  it('accepts mixed CRLF and LF', () => {
    const text = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nTo: <sip:a@b>;tag=2\r\nFrom: <sip:c@d>;tag=1\nCall-ID: x\r\nCSeq: 1 BYE\nContent-Length: 0\n\r\n';
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.bare-lf']);
    expect(r.diagnostics[0]?.offset).toBe(text.indexOf('\nTo:'));
    expect(r.message.headers).toHaveLength(6);
    expect(r.message.raw.length).toBe(text.length);
  });

  it('reads a message with no blank line as headers only', () => {
    const text = ['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'To: <sip:a@b>;tag=2', 'From: <sip:c@d>;tag=1', 'Call-ID: x', 'CSeq: 1 INVITE', 'Content-Type: application/sdp', 'Content-Length: 4', 'v=0'].join('\r\n');
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.malformed-header', 'sip.no-header-end']);
    expect(diag(r, 'sip.no-header-end')[0]?.offset).toBe(text.length);
    expect(r.message.headers.at(-1)).toMatchObject({ malformed: true, value: 'v=0' });
    expect(r.message.body.length).toBe(0);
    expect(r.message.bodyOffset).toBe(text.length);
    expect(r.message.contentLength).toBe(4);
    expect(r.message.raw.length).toBe(text.length);
  });

  it('skips CR/LF before the start line', () => {
    const text = `\r\n\r\n${msg(['OPTIONS sip:x@y SIP/2.0', 'Call-ID: c', 'CSeq: 1 OPTIONS', 'From: <sip:a@b>;tag=1', 'To: <sip:x@y>', 'Via: SIP/2.0/UDP h', 'Content-Length: 0'])}`;
    const r = parse(text, false);
    expect(codes(r)).toEqual([]);
    expect(r.message.method).toBe('OPTIONS');
    expect(r.consumed).toBe(text.length);
    expect(r.message.raw.length).toBe(text.length - 4);
    expect(r.message.headers[0]?.offset).toBe('OPTIONS sip:x@y SIP/2.0\r\n'.length);
  });

  it('handles empty and keep-alive-only input', () => {
    for (const s of ['', '\r\n', '\r\n\r\n', '\n']) {
      const r = parse(s);
      expect(r.message.method).toBeNull();
      expect(codes(r)).toContain('sip.malformed-start-line');
      expect(r.message.raw.length).toBe(0);
    }
  });
});

describe('Content-Length and body', () => {
  const head = ['MESSAGE sip:user2@domain.com SIP/2.0', 'Via: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse', 'Max-Forwards: 70', 'From: sip:user1@domain.com;tag=49583', 'To: sip:user2@domain.com', 'Call-ID: asd88asd77a@1.2.3.4', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain'];

  it('without Content-Length, a datagram body runs to the end', () => {
    const text = msg(head, 'Watson, come here.');
    const r = parse(text);
    // RFC 3261 §18.3: legal over UDP, so no diagnostic.
    expect(codes(r)).toEqual([]);
    expect(r.message.contentLength).toBeNull();
    expect(dec(r.message.body)).toBe('Watson, come here.');
    expect(r.consumed).toBe(text.length);
  });

  it('without Content-Length, a stream body is empty and consumed stops after the headers', () => {
    const text = msg(head, 'Watson, come here.');
    const r = parse(text, false);
    expect(codes(r)).toEqual(['sip.content-length-invalid']);
    expect(r.message.body.length).toBe(0);
    expect(r.consumed).toBe(text.length - 'Watson, come here.'.length);
  });

  it('frames the next message in stream mode', () => {
    const one = msg([...head, 'Content-Length: 5'], 'Hello');
    const two = msg([...head, 'Content-Length: 3'], 'Bye');
    const both = enc(one + two);
    const r1 = parseSipMessage(both, { datagram: false });
    expect(r1.diagnostics).toEqual([]);
    expect(r1.consumed).toBe(one.length);
    expect(dec(r1.message.body)).toBe('Hello');
    const r2 = parseSipMessage(both.subarray(r1.consumed), { datagram: false });
    expect(r2.diagnostics).toEqual([]);
    expect(dec(r2.message.body)).toBe('Bye');
    expect(r2.consumed).toBe(two.length);
  });

  it('reports non-numeric Content-Length', () => {
    for (const v of ['abc', '-1', '1.5', '', '12 34']) {
      const text = msg([...head, `Content-Length: ${v}`], 'xyz');
      const r = parse(text);
      expect(codes(r), v).toEqual(['sip.content-length-invalid']);
      expect(r.diagnostics[0]?.offset).toBe(text.indexOf('Content-Length'));
      expect(r.message.contentLength).toBeNull();
      expect(dec(r.message.body)).toBe('xyz');
    }
  });

  it('accepts equal duplicates and reports differing ones', () => {
    const same = parse(msg([...head, 'Content-Length: 3', 'l: 3'], 'abc'));
    expect(codes(same)).toEqual([]);
    const text = msg([...head, 'Content-Length: 3', 'Content-Length: 5'], 'abcde');
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.content-length-conflict', 'sip.trailing-bytes']);
    expect(r.diagnostics[0]?.offset).toBe(text.indexOf('Content-Length: 5'));
    expect(r.message.contentLength).toBe(3);
    expect(dec(r.message.body)).toBe('abc');
  });

  it('reports a truncated body and keeps what there is', () => {
    const text = msg([...head, 'Content-Length: 100'], 'short');
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.body-truncated']);
    expect(r.diagnostics[0]?.offset).toBe(text.length);
    expect(r.message.contentLength).toBe(100);
    expect(dec(r.message.body)).toBe('short');
    expect(r.message.raw.length).toBe(text.length);
    expect(parse(text, false).consumed).toBe(text.length);
  });

  it('discards trailing bytes in a datagram', () => {
    const text = msg([...head, 'Content-Length: 5'], 'HelloJUNK\r\n');
    const r = parse(text);
    expect(codes(r)).toEqual(['sip.trailing-bytes']);
    expect(r.diagnostics[0]?.offset).toBe(text.indexOf('JUNK'));
    expect(dec(r.message.body)).toBe('Hello');
    expect(r.message.raw.length).toBe(text.indexOf('JUNK'));
    expect(r.consumed).toBe(text.length);
    // in a stream the extra bytes belong to the next message
    const s = parse(text, false);
    expect(codes(s)).toEqual([]);
    expect(s.consumed).toBe(text.indexOf('JUNK'));
  });
});

describe('UTF-8', () => {
  const base = (from: string): string => msg(['INVITE sip:j@example.com SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', `From: ${from};tag=9`, 'To: <sip:x@example.com>', 'Call-ID: u1', 'CSeq: 1 INVITE', 'Subject: Grüße 🎉', 'Content-Length: 0']);

  it('decodes non-ASCII display names', () => {
    const r = parse(base('"Jürgen Groß" <sip:j@example.com>'));
    expect(codes(r)).toEqual([]);
    expect(r.message.from?.displayName).toBe('Jürgen Groß');
    expect(r.message.from?.tag).toBe('9');
    expect(r.message.headers.find((h) => h.key === 'subject')?.value).toBe('Grüße 🎉');
    const unquoted = parse(base('Zoë Δ <sip:z@example.com>'));
    expect(unquoted.message.from?.displayName).toBe('Zoë Δ');
  });

  it('replaces invalid UTF-8 with U+FFFD and reports the first bad byte', () => {
    const text = base('"Jxrgen" <sip:j@example.com>');
    const bytes = enc(text);
    const at = text.indexOf('Jxrgen') + 1;
    bytes[at] = 0xfc; // latin1 ü
    const r = parse(bytes);
    expect(codes(r)).toEqual(['sip.invalid-utf8']);
    expect(r.diagnostics[0]?.offset).toBe(at);
    expect(r.message.from?.displayName).toBe('J\ufffdrgen');
    expect(r.message.callId).toBe('u1');
  });

  it('finds invalid sequences like the WHATWG decoder', () => {
    const check = (bytes: number[]): number => firstInvalidUtf8(new Uint8Array(bytes), 0, bytes.length);
    expect(check([0x41, 0xc3, 0xbc])).toBe(-1);
    expect(check([0xf0, 0x9f, 0x8e, 0x89])).toBe(-1);
    expect(check([0x41, 0xc0, 0x80])).toBe(1); // overlong
    expect(check([0xe0, 0x80, 0x80])).toBe(0); // overlong
    expect(check([0xed, 0xa0, 0x80])).toBe(0); // surrogate
    expect(check([0xf4, 0x90, 0x80, 0x80])).toBe(0); // > U+10FFFF
    expect(check([0x41, 0x42, 0xe2, 0x82])).toBe(2); // cut short
    expect(check([0x80])).toBe(0);
  });

  it('does not check the body', () => {
    const text = msg(['MESSAGE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>', 'Call-ID: x', 'CSeq: 1 MESSAGE', 'Content-Length: 2'], 'xx');
    const bytes = enc(text);
    bytes[bytes.length - 1] = 0xff;
    expect(codes(parse(bytes))).toEqual([]);
  });
});

describe('shareFieldsWith', () => {
  const request = (lines: readonly string[]) => parse(msg(lines)).message;
  const base = (cseq: string, fromTag: string, toTag: string | null) => [
    'BYE sip:bob@192.0.2.4 SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
    `To: <sip:bob@biloxi.com>${toTag === null ? '' : `;tag=${toTag}`}`,
    `From: <sip:alice@atlanta.com>;tag=${fromTag}`,
    'Call-ID: a84b4c76e66710@pc33.atlanta.com',
    `CSeq: ${cseq}`,
  ];

  it('takes the earlier message CSeq where equal and leaves every value as read', () => {
    const earlier = request(base('2 BYE', '1928301774', 'a6c85cf'));
    const later = request(base('2 BYE', '1928301774', 'a6c85cf'));
    expect(later.cseq).not.toBe(earlier.cseq);
    shareFieldsWith(later, earlier);
    expect(later.cseq).toBe(earlier.cseq);
    expect([later.callId, later.branch, later.sentBy, later.fromTag, later.toTag]).toEqual(['a84b4c76e66710@pc33.atlanta.com', 'z9hG4bK776asdhds', 'pc33.atlanta.com:', '1928301774', 'a6c85cf']);
  });

  it('keeps what differs, and matches a tag on either side', () => {
    const earlier = request(base('1 INVITE', 'caller-tag-0001', 'callee-tag-0002'));
    // A request from the callee: the tags swapped, another CSeq.
    const later = request(base('1 BYE', 'callee-tag-0002', 'caller-tag-0001'));
    shareFieldsWith(later, earlier);
    expect(later.cseq).toEqual({ seq: 1, method: 'BYE' });
    expect(later.cseq).not.toBe(earlier.cseq);
    expect([later.fromTag, later.toTag]).toEqual(['callee-tag-0002', 'caller-tag-0001']);
    const untagged = request(base('1 INVITE', 'other-tag', null));
    shareFieldsWith(untagged, earlier);
    expect([untagged.fromTag, untagged.toTag]).toEqual(['other-tag', null]);
    expect(untagged.cseq).toBe(earlier.cseq);
  });
});

describe('values read by name before the header list is made', () => {
  // From, To, Contact, User-Agent, Reason and Session-Expires are read from where the parse
  // recorded their value's start; every other case reads the lines again. Both give the list's values.
  const RECORDED = ['from', 'to', 'contact', 'user-agent', 'reason', 'session-expires'];
  const read = (text: string | Uint8Array, key: string): { first: string | null; all: string[]; listed: string[] } => {
    const bytes = typeof text === 'string' ? enc(text) : text;
    const listed = parse(bytes).message.headers.filter((h) => h.key === key).map((h) => h.value);
    return { first: firstHeaderValueOf(parse(bytes).message, key), all: headerValuesOf(parse(bytes).message, key), listed };
  };
  const request = (lines: readonly string[], eol = '\r\n') => msg(['OPTIONS sip:bob@biloxi.com SIP/2.0', ...lines], '', eol);

  it('reads blanks, a CR inside the value, compact names, empty values and UTF-8 as the list does', () => {
    const text = request([
      'f: <sip:alice@atlanta.com>;tag=1 \t ',
      't:\t<sip:bob@biloxi.com>\r ',
      'm:',
      'User-Agent:   Phone\rOne 2.0\t',
      'Reason: Q.850;cause=16;text="Ωmega"',
      'x :   ',
    ]);
    const expected: Record<string, string[]> = {
      from: ['<sip:alice@atlanta.com>;tag=1'],
      to: ['<sip:bob@biloxi.com>'],
      contact: [''],
      'user-agent': ['Phone\rOne 2.0'],
      reason: ['Q.850;cause=16;text="Ωmega"'],
      'session-expires': [''],
    };
    for (const key of RECORDED) {
      const { first, all, listed } = read(text, key);
      expect(listed, key).toEqual(expected[key]);
      expect([first, all], key).toEqual([listed[0], listed]);
    }
  });

  it('reads every line of a header given twice, and a folded line joined', () => {
    const text = request(['Contact: <sip:a@one>', 'Reason: SIP;cause=200', 'Contact: <sip:a@two>', 'User-Agent: Phone', '  One', 'Session-Expires: 1800', 'Session-Expires: 90'], '\n');
    expect(read(text, 'contact')).toEqual({ first: '<sip:a@one>', all: ['<sip:a@one>', '<sip:a@two>'], listed: ['<sip:a@one>', '<sip:a@two>'] });
    expect(read(text, 'user-agent')).toEqual({ first: 'Phone One', all: ['Phone One'], listed: ['Phone One'] });
    expect(read(text, 'session-expires').all).toEqual(['1800', '90']);
    expect(read(text, 'reason').all).toEqual(['SIP;cause=200']);
    expect(read(text, 'from').all).toEqual([]);
  });

  it('reads a value beyond the recorded starts (32,767 bytes) and a last line without a header end', () => {
    const far = request([`X-Padding: ${'p'.repeat(40_000)}`, 'User-Agent: Far Phone', 'To: <sip:bob@biloxi.com>']);
    expect(read(far, 'user-agent').all).toEqual(['Far Phone']);
    expect(read(far, 'to').all).toEqual(['<sip:bob@biloxi.com>']);
    const unended = 'OPTIONS sip:bob@biloxi.com SIP/2.0\r\nFrom: <sip:alice@atlanta.com>\r\nUser-Agent: Cut Phone  ';
    expect(read(unended, 'user-agent')).toEqual({ first: 'Cut Phone', all: ['Cut Phone'], listed: ['Cut Phone'] });
    expect(read(unended, 'from').all).toEqual(['<sip:alice@atlanta.com>']);
  });

  it('reads as the list does over generated messages: names in any case and compact form, repeated, folded, broken lines, odd line ends, leading CRLFs', () => {
    // A fixed seed: the same 600 messages every run.
    let seed = 13;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const NAMES: Record<string, readonly string[]> = {
      from: ['From', 'f', 'F', 'fRoM'],
      to: ['To', 't', 'T', 'TO'],
      contact: ['Contact', 'm', 'M'],
      'user-agent': ['User-Agent', 'USER-AGENT'],
      reason: ['Reason', 'reason'],
      'session-expires': ['Session-Expires', 'x', 'X'],
      'call-id': ['Call-ID', 'i'],
    };
    const VALUES = ['<sip:a@b>;tag=1', '', 'x\ry', 'Ωmega ü', 'a, b', '1800;refresher=uac', '\t v \t', 'p'.repeat(40), '\u0000z'];
    for (let n = 0; n < 600; n++) {
      const lines = [pick(['INVITE sip:b@c SIP/2.0', 'SIP/2.0 200 OK'])];
      for (let i = 1 + Math.floor(random() * 10); i > 0; i--) {
        const r = random();
        if (r < 0.12) lines.push(pick([' folded', '\tmore', 'no colon here', ': no name', '   ']));
        else if (r < 0.15) lines.push(`X-Pad: ${'z'.repeat(Math.floor(random() * 40_000))}`);
        else lines.push(`${pick(NAMES[pick(Object.keys(NAMES))]!)}${pick(['', ' ', '\t'])}:${pick(['', ' ', '\t'])}${pick(VALUES)}${pick(['', ' ', '\r'])}`);
      }
      const eol = pick(['\r\n', '\n', '\r\r\n']);
      const text = pick(['', '\r\n']) + lines.join(eol) + (random() < 0.8 ? eol + eol : '');
      for (const key of RECORDED) {
        const { first, all, listed } = read(text, key);
        expect([first, all], `${key} in ${JSON.stringify(text.slice(0, 200))}`).toEqual([listed[0] ?? null, listed]);
      }
    }
  });

  it('reads a message given as a plain Uint8Array view into a larger buffer', () => {
    const bytes = enc(`junk${request(['From: <sip:alice@atlanta.com>;tag=7', 'User-Agent: View Phone'])}`).subarray(4);
    expect(read(bytes, 'user-agent').all).toEqual(['View Phone']);
    expect(read(bytes, 'from').first).toBe('<sip:alice@atlanta.com>;tag=7');
  });
});

describe('keys read where they lie in the text', () => {
  /** What the keys are by the header list and the eager readers (parseNameAddr, parseVia, parseCSeq), read after the parse. */
  const byEagerReaders = (r: SipParseResult): unknown[] => {
    const m = r.message;
    const first = (key: string): string | undefined => m.headers.find((h) => h.key === key)?.value;
    const from = first('from');
    const to = first('to');
    const vias = m.headers.filter((h) => h.key === 'via').flatMap((h) => splitList(h.value).map(parseVia)).filter((v) => v !== null);
    const top = vias[0];
    const cseq = first('cseq');
    return [
      from === undefined ? null : (parseNameAddr(from)?.tag ?? null),
      to === undefined ? null : (parseNameAddr(to)?.tag ?? null),
      top?.branch ?? null,
      top === undefined ? '' : `${top.host.toLowerCase()}:${top.port ?? ''}`,
      cseq === undefined ? null : parseCSeq(cseq),
    ];
  };

  it('keeps tags, branch, sent-by and CSeq as the eager readers read them, over generated messages: quoted and long values, odd hosts and ports, folded, comma-joined and UTF-8 sections', () => {
    // A fixed seed: the same 1,500 messages every run.
    let seed = 14;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const TAGS = ['', ';tag=1', ';tag=a84b4c76e66710a84b4c', ';TAG=AbCdEfGhIjKlMnOp', ';tag="quoted tag value"', ';tag', ' ; tag = spaced-long-tag-value ', ';x=1;tag=z9;y'];
    const ADDRS = ['<sip:alice@atlanta.com>', '"Alice, A." <sip:alice@atlanta.com>', 'sip:alice@atlanta.com', 'Ωmega <sip:o@x>', 'bad', '<sip:alice@atlanta.com'];
    const HOSTS = ['pc33.atlanta.com', 'PC33.Atlanta.COM', '192.0.2.101', '[2001:db8::1]', '2001:db8::9', 'h'];
    const PORTS = ['', ':5060', ':05060', ':0', ' : 5061', ':65535', ':70000', ':'];
    const BRANCHES = ['', ';branch=z9hG4bK776asdhds', ';branch=z9', ';BRANCH=Z9HG4BKUPPERCASEVALUE', ';branch="z9hG4bK quoted"', ';rport;branch=z9hG4bK-524287-1---8e3d'];
    const CSEQS = ['314159 INVITE', '1 REGISTER', ' 2  BYE ', 'x INVITE', '3 XYZZY-LONG-METHOD-NAME', ''];
    for (let n = 0; n < 1500; n++) {
      const via = (): string => `SIP/2.0/${pick(['UDP', 'tcp'])} ${pick(HOSTS)}${pick(PORTS)}${pick(BRANCHES)}`;
      const lines = ['INVITE sip:bob@biloxi.com SIP/2.0'];
      const vias = random() < 0.3 ? `${via()}, ${via()}` : via();
      lines.push(random() < 0.1 ? `Via: ${vias}\r\n ;received=1.2.3.4` : `${pick(['Via', 'v'])}: ${vias}`);
      if (random() < 0.3) lines.push(`Via: ${via()}`);
      lines.push(`From: ${pick(ADDRS)}${pick(TAGS)}`);
      lines.push(random() < 0.1 ? `To: <sip:bob@biloxi.com>\r\n\t${pick(TAGS)}` : `t: ${pick(ADDRS)}${pick(TAGS)}`);
      lines.push(`CSeq: ${pick(CSEQS)}`);
      lines.push('Call-ID: a84b4c76e66710@pc33.atlanta.com');
      const r = parse(msg(lines));
      const m = r.message;
      expect([m.fromTag, m.toTag, m.branch, m.sentBy, m.cseq], lines.join(' | ')).toEqual(byEagerReaders(r));
    }
  });
});

describe('one parse after another (the parse reuses its text and line reader)', () => {
  it('a message parsed after one cut short by too many headers, or ending in a folded line, reads as when parsed first', () => {
    const first = parse(INVITE);
    const expected = { message: { ...first.message }, diagnostics: first.diagnostics, headers: first.message.headers.map((h) => ({ ...h })) };
    const tooMany = msg([...INVITE_LINES, ...Array.from({ length: MAX_HEADERS + 5 }, (_, i) => `X-H${i}: ${i}`)]);
    const folded = msg([...INVITE_LINES.slice(0, -1), 'Content-Length: 0', 'Subject: a long', '  folded subject'], '');
    for (const before of [tooMany, folded, '\r\n', 'garbage']) {
      parse(before);
      const again = parse(INVITE);
      expect(again.diagnostics).toEqual(expected.diagnostics);
      expect({ ...again.message }).toEqual(expected.message);
      expect(again.message.headers.map((h) => ({ ...h }))).toEqual(expected.headers);
    }
    expect(codes(parse(tooMany))).toContain('sip.too-many-headers');
    expect(headerValuesOf(parse(folded).message, 'subject')).toEqual(['a long folded subject']);
  });

  it('keeps nothing of the message parsed last once its caller has let go of it', async () => {
    // The collector, asked for by flag: a reference the parse kept would keep the bytes past it.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const refs = (() => {
      const bytes = new Uint8Array(Buffer.from(INVITE));
      const { message } = parseSipMessage(bytes);
      return { bytes: new WeakRef(bytes.buffer), message: new WeakRef(message) };
    })();
    for (let i = 0; i < 3 && (refs.bytes.deref() !== undefined || refs.message.deref() !== undefined); i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      collect();
    }
    expect(refs.message.deref()).toBeUndefined();
    expect(refs.bytes.deref()).toBeUndefined();
  });
});

describe('whether the header section ended (headerSectionEnded)', () => {
  it('answers from the parse as from the bytes before the body, for every way a section ends or is cut', () => {
    const ended = [msg(INVITE_LINES), msg(INVITE_LINES, SDP), msg(INVITE_LINES, 'x\n', '\n'), '\r\n\r\n' + msg(INVITE_LINES, SDP), msg(INVITE_LINES).replace(/\r\n\r\n$/, '\r\n\n')];
    const cut = [INVITE_LINES.join('\r\n'), INVITE_LINES.join('\r\n') + '\r\n', INVITE_LINES.join('\r\n') + '\r\n\r', INVITE_LINES[0]!, 'INVITE'];
    for (const [texts, expected] of [[ended, true], [cut, false]] as const) {
      for (const text of texts) {
        for (const datagram of [true, false]) {
          const m = parse(text, datagram).message;
          expect(headerSectionEnded(m), JSON.stringify(text)).toBe(expected);
          // A copy is not the parser's message: it is read from its bytes.
          expect(headerSectionEnded({ ...m, raw: m.raw, bodyOffset: m.bodyOffset } as typeof m), JSON.stringify(text)).toBe(expected);
        }
      }
    }
  });
});
