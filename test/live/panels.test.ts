/**
 * The live view's panels as data in, lines out: two messages diffed line by line
 * (src/present/live/diff.ts) and a message's SDP explained (src/present/live/sdp.ts), in English
 * and Spanish.
 */
import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../src/parse/sip/sdp.js';
import { diffLines } from '../../src/present/live/diff.js';
import { explainSdp } from '../../src/present/live/sdp.js';

const marks = (lines: ReturnType<typeof diffLines>): string[] => lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'removed' ? '-' : '+'}${l.text}`);

describe('two messages diffed', () => {
  it('keeps what both have, and says what only one has, in order', () => {
    const invite = ['INVITE sip:bob@b SIP/2.0', 'Via: SIP/2.0/UDP a;branch=z9hG4bK-1', 'Max-Forwards: 70', 'CSeq: 1 INVITE', 'Content-Length: 0'];
    const leg = ['INVITE sip:bob@10.0.0.9 SIP/2.0', 'Via: SIP/2.0/UDP sbc;branch=z9hG4bK-9', 'Via: SIP/2.0/UDP a;branch=z9hG4bK-1', 'Max-Forwards: 69', 'CSeq: 1 INVITE', 'Content-Length: 0'];
    expect(marks(diffLines(invite, leg))).toEqual([
      '-INVITE sip:bob@b SIP/2.0',
      '+INVITE sip:bob@10.0.0.9 SIP/2.0',
      '+Via: SIP/2.0/UDP sbc;branch=z9hG4bK-9',
      ' Via: SIP/2.0/UDP a;branch=z9hG4bK-1',
      '-Max-Forwards: 70',
      '+Max-Forwards: 69',
      ' CSeq: 1 INVITE',
      ' Content-Length: 0',
    ]);
    expect(diffLines(invite, invite).every((l) => l.kind === 'same')).toBe(true);
    expect(marks(diffLines(['a', 'b', 'c'], ['a', 'c']))).toEqual([' a', '-b', ' c']);
    expect(marks(diffLines([], ['x']))).toEqual(['+x']);
  });

  it('two long bodies that differ everywhere: past the table bound, the middle is all removed then all added', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    const lines = diffLines(['same', ...a, 'end'], ['same', ...b, 'end']);
    expect(lines).toHaveLength(6002);
    expect(lines[1]).toEqual({ kind: 'removed', text: 'a0' });
    expect(lines[3001]).toEqual({ kind: 'added', text: 'b0' });
    expect(lines[6001]).toEqual({ kind: 'same', text: 'end' });
  });
});

describe('SDP explained', () => {
  const sdp = (text: string) => parseSdp(text.replace(/\n/g, '\r\n'))!;

  it('media lines with their address (a private one hinted), codecs from rtpmap or the static table, direction', () => {
    const offer = sdp(
      'v=0\no=- 1 1 IN IP4 10.1.2.3\ns=-\nc=IN IP4 10.1.2.3\nt=0 0\nm=audio 4000 RTP/AVP 0 18 96 101\na=rtpmap:101 telephone-event/8000\na=sendonly\nm=video 0 RTP/AVP 34\nm=audio 5000 RTP/AVP 8\nc=IN IP4 0.0.0.0\na=inactive\n',
    );
    expect(explainSdp(offer, 'en')).toEqual([
      'session address (c=): 10.1.2.3',
      'audio on port 4000 (RTP/AVP)',
      '  media address: 10.1.2.3 (a private address: unreachable from outside its network unless a NAT or SBC rewrites it)',
      '  codecs: PCMU/8000 (0), G729/8000 (18), payload 96 (no rtpmap), telephone-event/8000 (101)',
      '  sendonly: sends only (usually puts the other side on hold)',
      'video (RTP/AVP) declined or disabled: port 0',
      'audio on port 5000 (RTP/AVP)',
      '  media address: 0.0.0.0 (the old way to put the stream on hold, RFC 3264 §8.4)',
      '  codecs: PCMA/8000 (8)',
      '  inactive: neither sends nor receives (on hold)',
    ]);
    expect(explainSdp(offer, 'es').slice(0, 3)).toEqual([
      'dirección de la sesión (c=): 10.1.2.3',
      'audio en el puerto 4000 (RTP/AVP)',
      '  dirección de los medios: 10.1.2.3 (una dirección privada: inalcanzable desde fuera de su red salvo que un NAT o un SBC la reescriba)',
    ]);
  });

  it('a public address has no hint; no c= line at all is said', () => {
    expect(explainSdp(sdp('v=0\ns=-\nc=IN IP4 203.0.113.5\nm=audio 4000 RTP/AVP 8\n'), 'en')).toEqual([
      'session address (c=): 203.0.113.5',
      'audio on port 4000 (RTP/AVP)',
      '  media address: 203.0.113.5',
      '  codecs: PCMA/8000 (8)',
      '  sendrecv: sends and receives',
    ]);
    expect(explainSdp(sdp('v=0\ns=-\nm=audio 4000 RTP/AVP 8\n'), 'en')[1]).toBe('  no c= address for this stream');
  });
});
