/**
 * siplens reads the SDP lines it needs itself (src/parse/sip/sdp.ts); sdp-transform (npm), which
 * it used before, is the oracle: on every SDP body of every fixture and corpus capture, on
 * hand-written edge cases and on generated ones, both readings give the same session description.
 */
import fc from 'fast-check';
import { parse as sdpTransform } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../src/index.js';
import { parseSdp, sdpOfBody, STATIC_PAYLOADS, type Codec, type Direction, type MediaDescription, type SdpDefect, type SessionDescription } from '../../src/parse/sip/sdp.js';
import { corpusCaptures, fixtureCaptures } from '../support/captures.js';
import { FUZZ } from '../fuzz/seed.js';

/** The session description built from sdp-transform's reading of the lines (what siplens used before). */
function oracle(text: string): SessionDescription | null {
  if (!text.trimStart().startsWith('v=')) return null;
  return sessionFromLines(sdpTransform(text) as LooseSdp);
}

/** SDP lines in sdp-transform's loose shape: fields absent when their line did not match, numbers where a field read as one. */
type LooseSdp = LooseMedia & {
  media?: readonly LooseMedia[];
  /** The v=, o=, s= and t= lines as sdp-transform reads them: present when the line matched its pattern. */
  version?: string | number;
  origin?: object;
  name?: string | number;
  timing?: object;
};

interface LooseMedia {
  type?: string | number;
  port?: string | number;
  protocol?: string | number;
  payloads?: string | number;
  connection?: { ip?: string | number };
  direction?: string | number;
  rtp?: { payload?: string | number; codec?: string | number; rate?: string | number }[];
  /** Attribute lines no grammar reads, as sdp-transform keeps them (the text after `a=`). */
  invalid?: { value?: string | number }[];
}

const DIRECTIONS = new Set<Direction>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);
const T38_RATE_MANAGEMENT = 'T38FaxRateManagement:';

/**
 * The session description from the lines as sdp-transform reads them, as siplens made it before
 * it read the lines itself. Fields are typed loosely for broken lines (a number where a string
 * belongs): every one is coerced.
 */
function sessionFromLines(parsed: LooseSdp): SessionDescription {
  const text_ = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const sessionAddress = text_(parsed.connection?.ip);
  const sessionDirection = parsed.direction;
  const defects: SdpDefect[] = [];
  // Session-level lines only: a v=, o=, s= or t= after the first m= belongs to that media (and breaks the order of §5).
  const version = parsed.version === undefined ? '' : String(parsed.version);
  if (version !== '0') defects.push({ kind: 'version', version });
  if (parsed.origin === undefined) defects.push({ kind: 'no-origin' });
  if (parsed.name === undefined) defects.push({ kind: 'no-session-name' });
  if (parsed.timing === undefined) defects.push({ kind: 'no-timing' });
  const media = (parsed.media ?? []).map((m, at): MediaDescription => {
    const names = new Map<number, { codec: string; rate?: number }>();
    for (const r of Array.isArray(m.rtp) ? m.rtp : []) names.set(Number(r.payload), { codec: text_(r.codec) ?? '', rate: typeof r.rate === 'number' ? r.rate : undefined });
    const payloads = String(m.payloads ?? '')
      .split(' ')
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n));
    const codecs = payloads.map((payload): Codec => {
      const mapped = names.get(payload);
      if (mapped) return { payload, name: mapped.codec, rate: mapped.rate ?? null };
      const known = STATIC_PAYLOADS[payload];
      return { payload, name: known?.[0] ?? '', rate: known?.[1] ?? null };
    });
    const direction = [m.direction, sessionDirection].find((d): d is Direction => d !== undefined && DIRECTIONS.has(d as Direction)) ?? 'sendrecv';
    const port = Number(m.port);
    const rateManagement = (Array.isArray(m.invalid) ? m.invalid : []).map((a) => text_(a.value)).findLast((v) => v !== null && v.startsWith(T38_RATE_MANAGEMENT));
    const protocol = text_(m.protocol) ?? '';
    const address = text_(m.connection?.ip) ?? sessionAddress;
    const live = Number.isFinite(port) && port !== 0;
    if (live && address === null) defects.push({ kind: 'no-connection', media: at + 1 });
    const unmapped = protocol.toUpperCase().includes('RTP/') ? codecs.filter((c) => c.payload >= 96 && c.payload <= 127 && c.name === '').map((c) => c.payload) : [];
    if (live && unmapped.length > 0) defects.push({ kind: 'no-rtpmap', media: at + 1, payloads: unmapped });
    return {
      type: text_(m.type) ?? '',
      port: Number.isFinite(port) ? port : 0,
      protocol,
      address,
      codecs,
      direction,
      t38RateManagement: rateManagement == null ? null : rateManagement.slice(T38_RATE_MANAGEMENT.length).trim(),
    };
  });
  return { address: sessionAddress, media, defects };
}

function agree(text: string): void {
  expect(parseSdp(text), JSON.stringify(text)).toEqual(oracle(text));
}

describe('SDP read by siplens = SDP read by sdp-transform', () => {
  it('every SDP body of every fixture and corpus capture', async () => {
    let bodies = 0;
    for (const file of [...fixtureCaptures(), ...corpusCaptures()]) {
      const { messages } = await readMessages([file]);
      for (const m of messages) {
        const msg = m.message;
        if (sdpOfBody(msg.contentType, msg.body) === null) continue;
        agree(Buffer.from(msg.body).toString('utf8'));
        bodies++;
      }
    }
    expect(bodies).toBeGreaterThan(30);
  });

  it('edge cases: line ends, repeated and broken lines, levels, odd fields', () => {
    const cases = [
      'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n',
      'v=0\nc=IN IP4 1.2.3.4\nm=audio 5 RTP/AVP 97\na=rtpmap:97 opus/48000/2\nc=IN IP6 2001:db8::1\n',
      'v=0\rc=IN IP4 1.2.3.4\rm=audio 5 RTP/AVP 0\ra=inactive\r',
      'v=0\r\na=recvonly\r\nm=audio 7078 RTP/AVP 0\r\nm=video 9078 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=sendrecv\r\n',
      'v=0\r\nc=IN IP4 224.2.1.1/127\r\nm=audio 49170/2 RTP/AVP 0\r\n',
      'v=0\r\nm=audio x RTP/AVP 0\r\nm= \r\nm=audio\r\na=rtpmap:\r\na=rtpmap:8 \r\na=rtpmap:0 PCMU/8000/1\r\na=rtpmap:0 PCMA/8000\r\n',
      'v=0\r\nc=IN IP4\r\nc=IN IP9 x\r\nc=in ip4 1.1.1.1\r\nm=audio 1 RTP/AVP 0 abc 8 9.5 -1\r\na=sendrecvX\r\n',
      '  v=0\r\nC=IN IP4 1.1.1.1\r\nm=audio 0 RTP/AVP\r\n',
      'v=0\r\n\r\n\r\nm=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:0 G722/16000\r\n',
      'v=0\r\nm=audio 65536 UDP/TLS/RTP/SAVPF 111 0\r\na=rtpmap:111 opus/48000/2\r\na=direction:sendrecv\r\n',
      'v=0',
      'v=0\r\nm=audio 1 RTP/AVP 00 08\r\na=rtpmap:08 PCMA/8000\r\n',
      // The lines read for their presence: v= other than 0, o=, s= and t= broken, missing, or after m=.
      'v=1\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=\r\nt=0 0\r\nm=audio 4000 RTP/AVP 96\r\n',
      'v=x\r\no=alice\r\nt=now\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 1.1.1.1\r\n',
      'v=0\r\nm=audio 4000 RTP/SAVP 101 96\r\na=rtpmap:101 telephone-event/8000\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n',
      // What the patterns' classes hold apart, matched by hand: \s and \S (tabs, U+00A0, U+2028...), `.` (not U+2028/U+2029), \w.
      'v=0\r\nc=IN IP4 1.1.1.1\tx\r\nm=audio 4000 RTP/AVP 0\t8 \u00a08 101\u2028 96\r\na=rtpmap:101\u00a0x/8000\r\na=rtpmap:0 PCMA \t/ 8000\r\n',
      'v=0\r\nm=audio 4000 RTP/AVP 0 96\u2029 97\r\na=rtpmap:96 opus\u2028/48000\r\na=rtpmap:97 x.y-z_1/\r\nc=IN IP6 \u3000\r\n',
      'v=0\r\nm=audio\t4000 RTP/AVP 0\r\nm=audio 4000\tRTP/AVP 0\r\nm=au-dio 4000 RTP/AVP 0\r\nm=audio 4000 RTP/AVP+ 0\r\nm=audio 4000 RTP/AVP\r\n',
      'v=0\r\nm=audio 0x10 RTP/AVP 0\r\nm=audio 99999999999999999999 RTP/AVP 0x60 1e2 -0 +8 .5 96. 0b1 1_0\r\na=rtpmap:0x60 X/8000\r\n',
      `v=0\r\nm=audio ${'9'.repeat(400)} RTP/AVP 96\r\na=rtpmap:${'0'.repeat(17)}96 A/${'1'.repeat(16)}\r\na=rtpmap:96 B/${'9'.repeat(22)}\r\n`,
      'v=0\r\nm=audio 1 RTP/AVP 0 8 9\r\na=rtpmap:8 A/08000\r\na=rtpmap:9 B/0\r\na=rtpmap:0 C/\r\n',
      'v=00\r\nv=0 \r\no=- 1 1 IN IP4\r\no=-\t1 1 IN IP4 x\r\ns\r\nt=0\t0\r\nt= \r\nm=audio 1 RTP/AVP 0\r\nv=0\r\no=- 1 1 IN IP4 x\r\ns=-\r\n',
      'v=0\r\no=x y 1 - IP4 a\r\no=\u00a0 1 1 a IP4 \r\nt=\u00a00 0\r\n',
      'v=0\r\no=  IN IP4\r\no=- 1 1 - IP\r\no=- 1 1 - IPv 1\r\no=a 1 2 b IP4 \r\n',
      'v=0\r\nm=image 4000 udptl t38\r\na=T38FaxRateManagement:\u00a0transferredTCF \r\na=T38FaxRateManagement:localTCF\r\na=T38FaxRateManagement\r\nm=image 4002 udptl t38\r\na=t38faxratemanagement:localTCF\r\n',
      'v=0\r\na=T38FaxRateManagement:localTCF\r\na=rtpmap:0 X/1\r\na=inactiveX\r\na=sendonly\r\nm=audio 1 RTP/AVP 0\r\na=rtpmapx:0 Y/1\r\na=rtpmap:0\r\na=rtpmap:0 \r\n',
      'v=0\r\nc=IN IP4 \r\nm=audio 1 RTP/AVP 0\r\nc=IN IP\r\nm=audio 2 RTP/AVP 0\r\nc=IN IP44 1.1.1.1\r\n',
      'v=0\r\nm=audio 1 RTP/AVP 0\r\na=rtpm',
      'v=0\r\nm=audio 1 RTP/AVP 0\r\nc=IN I',
    ];
    for (const text of cases) agree(text);
  });

  it('generated SDP: random lines of the kinds that matter, joined by any line end', () => {
    const token = fc.stringMatching(/^[\w./:-]{0,12}$/);
    const line = fc.oneof(
      fc.tuple(fc.constantFrom('c=IN IP4 ', 'c=IN IP6 ', 'c=IN IP', 'c='), token).map(([a, b]) => a + b),
      fc.tuple(fc.constantFrom('audio', 'video', '', 'x y'), fc.oneof(fc.nat(70000).map(String), token), fc.constantFrom('RTP/AVP', 'RTP/SAVP', ''), fc.array(fc.oneof(fc.nat(130).map(String), token), { maxLength: 4 })).map(
        ([t, p, proto, pl]) => `m=${t} ${p} ${proto} ${pl.join(' ')}`.trimEnd(),
      ),
      fc.tuple(fc.oneof(fc.nat(130).map(String), token), token, fc.option(fc.nat(100000).map(String))).map(([pt, name, rate]) => `a=rtpmap:${pt} ${name}${rate === null ? '' : `/${rate}`}`),
      fc.constantFrom('a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=inactive', 'a=sendrecvx', 'a=ptime:20', 'a=fmtp:101 0-15', 'o=- 0 0 IN IP4 1.1.1.1', 's=-', 't=0 0', 'v=1', 'v=', 'o=x', 't=0', 's=', ''),
      fc.string({ maxLength: 20 }),
      // Fields with the characters the hand-made matching tells apart: unicode white space, line separators, signs, dots.
      fc
        .tuple(fc.constantFrom('m=audio ', 'm=', 'a=rtpmap:', 'c=IN IP4 ', 'o=', 't=', 'v=', 'a=T38FaxRateManagement:', 'a='), fc.array(fc.constantFrom('0', '9', '96', ' ', '\t', '\u00a0', '\u2028', '\u2029', '\ufeff', '/', '-', '.', '_', '+', 'x', 'RTP/AVP', 'IN', 'IP4', 'sendonly'), { maxLength: 10 }))
        .map(([head, parts]) => head + parts.join('')),
    );
    const sdp = fc.tuple(fc.array(line, { maxLength: 14 }), fc.constantFrom('\r\n', '\n', '\r')).map(([lines, end]) => ['v=0', ...lines].join(end) + end);
    fc.assert(
      fc.property(sdp, (text) => {
        agree(text);
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.numRuns * 5 },
    );
  });
});
