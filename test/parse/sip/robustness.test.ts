/** The parser never throws, keeps its invariants on any bytes, and runs in linear time. */
import { describe, expect, it } from 'vitest';
import { parseSipMessage, MAX_HEADERS, firstHeaderValueOf, headerValuesOf } from '../../../src/parse/sip/parse.js';
import { findSipStart, isKeepAlive, sipStartAt } from '../../../src/parse/sip/detect.js';
import { HEADER_BIT, type SipMessage, type SipParseResult } from '../../../src/parse/sip/types.js';
import { headerBit } from '../../../src/parse/sip/headers.js';
import { DIAGNOSTICS } from '../../../src/diagnostics.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const codes = (r: SipParseResult): string[] => r.diagnostics.map((d) => d.code);

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses and checks the invariants every result must keep. */
function checked(bytes: Uint8Array, datagram: boolean): SipParseResult {
  const r = parseSipMessage(bytes, { datagram });
  const m = r.message;
  const n = bytes.length;
  expect(r.consumed).toBeGreaterThanOrEqual(0);
  expect(r.consumed).toBeLessThanOrEqual(n);
  if (datagram) expect(r.consumed).toBe(n);
  expect(m.raw.length).toBeLessThanOrEqual(n);
  expect(m.bodyOffset).toBeGreaterThanOrEqual(0);
  expect(m.bodyOffset + m.body.length).toBe(m.raw.length);
  expect(m.headers.length).toBeLessThanOrEqual(MAX_HEADERS);
  for (const h of m.headers) {
    expect(h.offset).toBeGreaterThan(0);
    expect(h.offset + h.length).toBeLessThanOrEqual(m.bodyOffset);
    expect(h.malformed ? h.key === '' : h.key.length > 0).toBe(true);
  }
  for (const d of r.diagnostics) {
    expect((DIAGNOSTICS as Record<string, { layer: string } | undefined>)[d.code]?.layer).toBe('sip');
    expect(d.offset).toBeGreaterThanOrEqual(0);
    expect(d.offset).toBeLessThanOrEqual(n);
  }
  if (m.kind === 'request') expect(m.status).toBeNull();
  else expect(m.method).toBeNull();
  expect(m.headerBits).toBe(headerBitsOf(m));
  // Read before its header list is made, a message gives what the list says (CompactSipMessage.valuesOf).
  const fresh = parseSipMessage(bytes, { datagram }).message;
  // A few keys per message: each is a reading of every line, and the hostile inputs below have thousands of names.
  for (const key of [...new Set(['from', 'to', 'contact', 'user-agent', 'reason', 'session-expires', ...m.headers.map((h) => h.key)])].slice(0, 16)) {
    const values = m.headers.filter((h) => h.key === key).map((h) => h.value);
    expect(firstHeaderValueOf(fresh, key)).toEqual(values[0] ?? null);
    expect(headerValuesOf(fresh, key)).toEqual(values);
  }
  const unread = parseSipMessage(bytes, { datagram }).message;
  expect([unread.from, unread.to, unread.contact]).toEqual([m.from, m.to, m.contact]);
  return r;
}

/** What `headerBits` must say, read from the header list and From and To. */
function headerBitsOf(m: SipMessage): number {
  let bits = 0;
  for (const h of m.headers) {
    const bit = headerBit(h.key);
    if ((bit & bits & HEADER_BIT.contentLength) !== 0) bits |= HEADER_BIT.contentLengthAgain;
    bits |= bit;
  }
  if ((bits & HEADER_BIT.from) !== 0 && m.from === null) bits |= HEADER_BIT.fromUnreadable;
  if ((bits & HEADER_BIT.to) !== 0 && m.to === null) bits |= HEADER_BIT.toUnreadable;
  return bits;
}

const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com',
  's=Session SDP',
  'c=IN IP4 pc33.atlanta.com',
  't=0 0',
  'm=audio 49172 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  '',
].join('\r\n');

const INVITE_HEADERS: [string, string][] = [
  ['Via', 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds'],
  ['Max-Forwards', '70'],
  ['To', 'Bob <sip:bob@biloxi.com>'],
  ['From', '"Alice Ω" <sip:alice@atlanta.com>;tag=1928301774'],
  ['Call-ID', 'a84b4c76e66710@pc33.atlanta.com'],
  ['CSeq', '314159 INVITE'],
  ['Contact', '<sip:alice@pc33.atlanta.com>'],
  ['Content-Type', 'application/sdp'],
  ['Content-Length', String(enc(SDP).length)],
];

function invite(eol: string): string {
  const sdp = SDP.split('\r\n').join(eol);
  const headers = INVITE_HEADERS.map(([k, v]) => `${k}: ${k === 'Content-Length' ? enc(sdp).length : v}`);
  return ['INVITE sip:bob@biloxi.com SIP/2.0', ...headers].join(eol) + eol + eol + sdp;
}

describe('every truncation of an INVITE with SDP', () => {
  for (const [label, eol] of [['CRLF', '\r\n'], ['LF', '\n']] as const) {
    for (const datagram of [true, false]) {
      it(`${label}, datagram=${datagram}`, () => {
        const full = enc(invite(eol));
        const text = invite(eol);
        // byte positions: the header section is ASCII except "Ω", so compute from bytes
        const byteIndex = (s: string): number => enc(text.slice(0, text.indexOf(s))).length;
        const startLineEnd = byteIndex(eol);
        const bodyStart = byteIndex(eol + eol) + 2 * eol.length;
        const lineEnd = (name: string): number => {
          const start = byteIndex(`${eol}${name}:`) + eol.length;
          const rest = text.slice(text.indexOf(`${eol}${name}:`) + eol.length);
          return start + enc(rest.slice(0, rest.indexOf(eol))).length;
        };
        const ends = Object.fromEntries(INVITE_HEADERS.map(([k]) => [k, lineEnd(k)]));
        const whole = checked(full, datagram).message;
        expect(whole.callId).toBe('a84b4c76e66710@pc33.atlanta.com');

        for (let k = 0; k <= full.length; k++) {
          const r = checked(full.subarray(0, k), datagram);
          const m = r.message;
          const c = codes(r);
          if (k >= startLineEnd) {
            expect(m.method).toBe('INVITE');
            expect(m.requestUri).toBe('sip:bob@biloxi.com');
            expect(c).not.toContain('sip.malformed-start-line');
          }
          if (k >= ends['Via']!) expect(m.via).toEqual(whole.via);
          if (k >= ends['Max-Forwards']!) expect(m.maxForwards).toBe(70);
          if (k >= ends['To']!) expect(m.to).toEqual(whole.to);
          if (k >= ends['From']!) {
            expect(m.from?.displayName).toBe('Alice Ω');
            expect(m.from?.tag).toBe('1928301774');
          }
          if (k >= ends['Call-ID']!) expect(m.callId).toBe(whole.callId);
          if (k >= ends['CSeq']!) expect(m.cseq).toEqual({ seq: 314159, method: 'INVITE' });
          if (k >= ends['Contact']!) expect(m.contact).toEqual(whole.contact);
          if (k >= ends['Content-Type']!) expect(m.contentType).toBe('application/sdp');
          if (k >= ends['Content-Length']!) {
            expect(m.contentLength).toBe(whole.contentLength);
            expect(c).not.toContain('sip.missing-header');
          }
          // only the last, cut line can be malformed
          for (const h of m.headers.slice(0, -1)) expect(h.malformed).toBe(false);
          if (k < bodyStart) {
            expect(c).toContain('sip.no-header-end');
            expect(m.body.length).toBe(0);
          } else {
            expect(c).not.toContain('sip.no-header-end');
            expect(m.bodyOffset).toBe(bodyStart);
            expect(m.body).toEqual(full.subarray(bodyStart, k));
            expect(c.includes('sip.body-truncated')).toBe(k < full.length);
            expect(m.headers).toHaveLength(INVITE_HEADERS.length);
            if (k === full.length) expect(c).toEqual(eol === '\n' ? ['sip.bare-lf'] : []);
          }
        }
      });
    }
  }
});

describe('headerBits', () => {
  it('notes the headers readers ask about, by key, compact forms included', () => {
    const text = [
      'INVITE sip:b@example.com SIP/2.0',
      'v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1',
      'From: not a name-addr <',
      't: <sip:b@example.com>',
      'i: c1',
      'CSeq: 1 INVITE',
      'Identity: abc;info=<https://cert.example/c.pem>',
      'Require: 100rel',
      'x: 1800',
      'Reason: Q.850;cause=16',
      'm: <sip:a@10.0.0.1>',
      'user-agent: phone/1.0',
      'Warning: 399 pbx "x"',
      'Retry-After: 60',
      'X-Orig-CallID: c0',
      'b: <sip:c@example.com>',
      'l: 0',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const m = parseSipMessage(enc(text)).message;
    const B = HEADER_BIT;
    const expected = B.via | B.from | B.fromUnreadable | B.to | B.callId | B.cseq | B.identity | B.require | B.sessionExpires | B.reason | B.contact | B.userAgent | B.warning | B.retryAfter | B.legLink | B.transfer | B.contentLength | B.contentLengthAgain;
    expect(m.headerBits).toBe(expected);
    expect(headerBitsOf(m)).toBe(expected);
    expect(parseSipMessage(enc('INVITE sip:b SIP/2.0\r\nreplaces: abc;to-tag=1;from-tag=2\r\n\r\n')).message.headerBits).toBe(B.transfer);
    expect(parseSipMessage(enc('OPTIONS sip:b SIP/2.0\r\nSession-ID: ab\r\nMax-Forwards: 70\r\n\r\n')).message.headerBits).toBe(B.legLink | B.maxForwards);
    expect(parseSipMessage(enc('REGISTER sip:b SIP/2.0\r\nAUTHORIZATION: Digest username="a"\r\n\r\n')).message.headerBits).toBe(B.credentials);
    expect(parseSipMessage(enc('INVITE sip:b SIP/2.0\r\nproxy-authorization: Digest username="a"\r\n\r\n')).message.headerBits).toBe(B.credentials);
  });
});

describe('random and mutated bytes', () => {
  const SIPISH = enc('INVITE SIP/2.0 sip:a@b [::1]:5060 Via: To: From: Call-ID: CSeq: Contact: l: v: ;tag= ;branch= <> "\\" , * \r\n\r\n \t é 0123456789');

  it('never throws on random bytes', () => {
    const rand = rng(1);
    for (let iter = 0; iter < 3000; iter++) {
      const len = Math.floor(rand() * 400);
      const b = new Uint8Array(len);
      const mode = iter % 3;
      for (let i = 0; i < len; i++) {
        b[i] = mode === 0 ? Math.floor(rand() * 256) : mode === 1 ? SIPISH[Math.floor(rand() * SIPISH.length)]! : [13, 10, 32, 58, 59, 60, 62, 34, 92, 44, 65][Math.floor(rand() * 11)]!;
      }
      checked(b, iter % 2 === 0);
      sipStartAt(b, 0, b.length);
      findSipStart(b, 0, b.length);
      isKeepAlive(b, 0, b.length);
    }
  });

  it('never throws on mutated messages', () => {
    const rand = rng(2);
    const seeds = [enc(invite('\r\n')), enc(invite('\n'))];
    for (let iter = 0; iter < 3000; iter++) {
      const src = seeds[iter % 2]!;
      const bytes = Array.from(src);
      const edits = 1 + Math.floor(rand() * 8);
      for (let e = 0; e < edits; e++) {
        const pos = Math.floor(rand() * (bytes.length + 1));
        const op = Math.floor(rand() * 3);
        const byte = rand() < 0.5 ? SIPISH[Math.floor(rand() * SIPISH.length)]! : Math.floor(rand() * 256);
        if (op === 0) bytes.splice(pos, 1);
        else if (op === 1) bytes.splice(pos, 0, byte);
        else bytes[pos] = byte;
      }
      const b = Uint8Array.from(bytes);
      const r = checked(b, iter % 2 === 0);
      // the start line was never touched by most edits; Call-ID stays readable unless edited
      expect(typeof r.message.kind).toBe('string');
    }
  });

  it('parses subarrays of larger buffers correctly', () => {
    const text = invite('\r\n');
    const big = new Uint8Array(enc(text).length + 20).fill(0x41);
    big.set(enc(text), 10);
    const view = big.subarray(10, 10 + enc(text).length);
    const r = checked(view, true);
    expect(codes(r)).toEqual([]);
    expect(r.message.callId).toBe('a84b4c76e66710@pc33.atlanta.com');
    expect(dec(r.message.body)).toBe(SDP);
  });
});

describe('linear time on hostile input', () => {
  const MB = 1 << 20;
  const mandatory = ['Call-ID: c', 'CSeq: 1 INVITE', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'Content-Length: 0'];
  const withLine = (line: string, start = 'INVITE sip:x@y SIP/2.0'): Uint8Array => enc(`${start}\r\n${mandatory.join('\r\n')}\r\n${line}\r\n\r\n`);
  const timed = (bytes: Uint8Array): SipParseResult => {
    const t0 = performance.now();
    const r = checked(bytes, true);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000); // loose: the point is that it finishes
    return r;
  };

  it('a 1 MB header line', () => {
    const r = timed(withLine(`X-Big: ${'a'.repeat(MB)}`));
    expect(codes(r)).toEqual([]);
    expect(r.message.headers.at(-1)?.value.length).toBe(MB);
  });

  it('a 1 MB line with no colon', () => {
    const r = timed(withLine('a'.repeat(MB)));
    expect(codes(r)).toEqual(['sip.malformed-header']);
  });

  it('a 1 MB line of spaces before a colon', () => {
    const r = timed(withLine(`X${' '.repeat(MB)}y: z`));
    expect(codes(r)).toEqual(['sip.malformed-header']);
  });

  it('1 MB start lines', () => {
    expect(codes(timed(withLine('X: y', `INVITE sip:${'a'.repeat(MB)} SIP/2.0`)))).toEqual([]);
    expect(codes(timed(withLine('X: y', `INVITE ${' '.repeat(MB)}x`)))).toEqual(['sip.malformed-start-line']);
    expect(codes(timed(withLine('X: y', `SIP/2.0 200 ${'a '.repeat(MB / 2)}`)))).toEqual([]);
  });

  it('1 MB Via, Contact, From and CSeq values', () => {
    const viaMany = timed(withLine(`Via: ${'SIP/2.0/UDP h;branch=z9hG4bKx, '.repeat(MB / 32)}`));
    expect(codes(viaMany)).toEqual([]);
    expect(viaMany.message.via.length).toBe(MB / 32 + 1);
    expect(codes(timed(withLine(`Via: ${','.repeat(MB)}`)))).toEqual(['sip.bad-header-value']);
    expect(codes(timed(withLine(`Via: SIP/2.0/UDP h${';a'.repeat(MB / 2)}`)))).toEqual([]);
    expect(codes(timed(withLine(`Via: SIP/2.0/UDP [${':'.repeat(MB)}`)))).toEqual(['sip.bad-header-value']);
    expect(codes(timed(withLine(`Contact: ${'<'.repeat(MB)}`)))).toEqual(['sip.bad-header-value']);
    expect(codes(timed(withLine(`Contact: ${'"\\'.repeat(MB / 2)}`)))).toEqual(['sip.bad-header-value']);
    expect(codes(timed(withLine(`Contact: ${'<sip:a@b>;x="y",'.repeat(MB / 16)}`)))).toEqual([]);
    expect(codes(timed(withLine(`Contact: ${'a,'.repeat(MB / 2)}`)))).toEqual(['sip.bad-header-value']);
    expect(codes(timed(withLine(`Contact: <sip:${'@'.repeat(MB)}>`)))).toEqual([]);
    expect(codes(timed(enc(`OPTIONS sip:x@y SIP/2.0\r\n${mandatory.slice(0, 2).join('\r\n')}\r\nTo: <sip:c@d>\r\nVia: SIP/2.0/UDP h\r\nContent-Length: 0\r\nFrom: "${'\\"'.repeat(MB / 2)}\r\n\r\n`)))).toEqual(['sip.bad-header-value']);
    expect(codes(timed(enc(`OPTIONS sip:x@y SIP/2.0\r\nCSeq: ${'1'.repeat(MB)} OPTIONS\r\n${mandatory.slice(0, 1).concat(mandatory.slice(2)).join('\r\n')}\r\n\r\n`)))).toEqual(['sip.bad-header-value']);
  });

  it('100,000 header lines', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `X-H${i}: v${i}`).join('\r\n');
    const r = timed(withLine(lines));
    expect(codes(r)).toEqual(['sip.too-many-headers']);
    expect(r.message.headers).toHaveLength(MAX_HEADERS);
  });

  it('100,000 lines with no colon', () => {
    const r = timed(withLine(Array.from({ length: 100_000 }, () => 'junk').join('\r\n')));
    const c = codes(r);
    expect(c.filter((x) => x === 'sip.malformed-header')).toHaveLength(MAX_HEADERS - mandatory.length);
    expect(c.filter((x) => x === 'sip.too-many-headers')).toHaveLength(1);
  });

  it('100,000 continuation lines', () => {
    const r = timed(withLine(`Subject: a${'\r\n b'.repeat(100_000)}`));
    expect(codes(r)).toEqual([]);
    expect(r.message.headers.at(-1)?.value.length).toBe(1 + 2 * 100_000);
  });

  it('100,000 LF-terminated Content-Length headers', () => {
    const r = timed(withLine(Array.from({ length: 100_000 }, () => 'l: 0').join('\n')));
    expect(codes(r)).toEqual(['sip.bare-lf', 'sip.too-many-headers']);
  });
});
