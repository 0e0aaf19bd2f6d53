/**
 * A capture whose every trace string is hostile: terminal escapes, HTML and script
 * breakers, Markdown and Mermaid syntax, GitHub workflow commands, characters XML forbids.
 * Written as a real pcap so the whole pipeline (parser → timeline → renderer) is exercised.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcap } from './capture-writer.js';
import { ipv4, udp } from './packets.js';

/** One string that tries every language's escape at once (no CR/LF: a SIP header cannot hold them). */
export const HOSTILE =
  '\u001b[2J\u001b]8;;http://evil/\u0007x\u202e</script><script>alert(1)</script><!--<img src=x onerror=alert(1)>"\'&amp;' +
  '|`[x](http://evil.example)**b**;-->%%{init}%% #35; ::set-env name=A::B %0A::error::x \u0001\u0000\ufffe]]>';

export const HOSTILE_TAG = 'tag<b>"x';
export const HOSTILE_CALL_ID = `cid</script><!--${'`'}|;-->@evil.example`;

/** Values a redacted output must not contain (users, numbers, display names, addresses, hosts, tags, Call-IDs). */
export const HOSTILE_ORIGINALS = ['+15551234567', 'victim.example', 'biloxi.example', 'bob', '10.9.8.7', '10.9.8.1', HOSTILE_CALL_ID, HOSTILE_TAG];

function message(lines: string[], body = ''): string {
  return [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
}

export function hostileMessages(): string[] {
  const common = (toTag: string | null, cseq: string): string[] => [
    'Via: SIP/2.0/UDP 10.9.8.7:5060;branch=z9hG4bK-h1',
    `From: "${HOSTILE.replace(/"/g, '')}" <sip:+15551234567@victim.example>;tag=${HOSTILE_TAG}`,
    `To: <sip:bob@biloxi.example>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${HOSTILE_CALL_ID}`,
    `CSeq: ${cseq}`,
  ];
  const sdp = ['v=0', 'o=- 1 1 IN IP4 10.9.8.7', `s=${HOSTILE}`, 'c=IN IP4 10.9.8.7', 't=0 0', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n');
  return [
    message(['INVITE sip:bob@biloxi.example SIP/2.0', ...common(null, '1 INVITE'), 'Contact: <sip:+15551234567@10.9.8.7:5060>', 'Content-Type: application/sdp', `Subject: ${HOSTILE}`], sdp),
    message(['SIP/2.0 100 Trying', ...common(null, '1 INVITE')]),
    message([`SIP/2.0 486 ${HOSTILE}`, ...common('callee-tag-1', '1 INVITE')]),
    message(['ACK sip:bob@biloxi.example SIP/2.0', ...common('callee-tag-1', '1 ACK')]),
  ];
}

/** Writes the hostile call as a pcap (raw IPv4) and returns its path. */
export function writeHostileCapture(dir = mkdtempSync(join(tmpdir(), 'siplens-hostile-'))): string {
  const [invite, trying, busy, ack] = hostileMessages();
  const a = '10.9.8.7';
  const b = '10.9.8.1';
  const packets = [
    { ms: 0, src: a, dst: b, text: invite! },
    { ms: 20, src: b, dst: a, text: trying! },
    { ms: 900, src: b, dst: a, text: busy! },
    { ms: 905, src: a, dst: b, text: ack! },
  ].map((p) => ({ sec: 1_700_000_000, nsec: p.ms * 1e6, data: ipv4(p.src, p.dst, udp(5060, 5060, p.text)) }));
  const path = join(dir, 'hostile.pcap');
  writeFileSync(path, writePcap({ linkType: 101 }, packets));
  return path;
}
