/**
 * siplens reads the SDP lines it needs itself (src/parse/sip/sdp.ts); sdp-transform (npm), which
 * it used before, is the oracle: on every SDP body of every fixture and corpus capture, on
 * hand-written edge cases and on generated ones, both readings give the same session description.
 */
import fc from 'fast-check';
import { parse as sdpTransform } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../src/index.js';
import { parseSdp, sdpOfMessage, sessionFromLines, type LooseSdp, type SessionDescription } from '../../src/parse/sip/sdp.js';
import { corpusCaptures, fixtureCaptures } from '../support/captures.js';
import { FUZZ } from '../fuzz/seed.js';

/** The session description built from sdp-transform's reading of the lines (what siplens used before). */
function oracle(text: string): SessionDescription | null {
  if (!text.trimStart().startsWith('v=')) return null;
  return sessionFromLines(sdpTransform(text) as LooseSdp);
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
        if (sdpOfMessage(msg.contentType, msg.body) === null) continue;
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
