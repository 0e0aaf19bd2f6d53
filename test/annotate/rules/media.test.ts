import { beforeEach, describe, expect, it } from 'vitest';
import { codecMismatch } from '../../../src/annotate/rules/codec-mismatch.js';
import { mediaHints } from '../../../src/annotate/rules/media-hints.js';
import { natHints, plainContactHost } from '../../../src/annotate/rules/nat-hints.js';
import { parseNameAddr, splitList } from '../../../src/parse/sip/headers.js';
import { isLoopback, isPrivateAddress, isPublicAddress } from '../../../src/parse/net/address-class.js';
import { parseSdpBodyForTest } from '../../support/sdp.js';
import { ep, findingsOf } from '../../support/rules.js';
import { captured, dialogHeaders as h, resetFrames } from '../../support/sip.js';

beforeEach(resetFrames);

const PUBLIC_A = { ip: '198.51.100.10', port: 5060 };
const PUBLIC_B = { ip: '203.0.113.20', port: 5060 };

function sdp(ip: string, codecs: string, extra: string[] = [], port = 4000): string {
  const rtpmap: Record<string, string> = { '0': 'PCMU/8000', '8': 'PCMA/8000', '9': 'G722/8000', '18': 'G729/8000', '96': 'opus/48000/2', '101': 'telephone-event/8000' };
  return ['v=0', `o=- 1 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', `m=audio ${port} RTP/AVP ${codecs}`, ...codecs.split(' ').map((pt) => `a=rtpmap:${pt} ${rtpmap[pt]}`), ...extra, ''].join('\r\n');
}

function withBody(lines: string[], body: string): string[] {
  return [...lines, 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(body)}`, '', body];
}

const invite = (body: string, src = PUBLIC_A, dst = PUBLIC_B, extra: string[] = []) =>
  captured(withBody(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '1 INVITE' }), ...extra], body), 0, src, dst);
const answer = (status: string, body: string | null, src = PUBLIC_B, dst = PUBLIC_A) =>
  captured(body === null ? [`SIP/2.0 ${status}`, ...h({ cseq: '1 INVITE', toTag: 'b' })] : withBody([`SIP/2.0 ${status}`, ...h({ cseq: '1 INVITE', toTag: 'b' })], body), 100, src, dst);

describe('codec-mismatch', () => {
  it('valid: a common codec', () => {
    expect(findingsOf(codecMismatch, [invite(sdp('198.51.100.10', '0 8 101')), answer('200 OK', sdp('203.0.113.20', '8 101'))])).toEqual([]);
  });

  it('invalid: 488 to an offer, with the offered codecs and the Warning', () => {
    const offer = invite(sdp('198.51.100.10', '18 101'));
    const refusal = captured([`SIP/2.0 488 Not Acceptable Here`, ...h({ cseq: '1 INVITE', toTag: 'b' }), 'Warning: 305 gw "Incompatible media format"'], 100, PUBLIC_B, PUBLIC_A);
    const findings = findingsOf(codecMismatch, [offer, refusal]);
    expect(findings).toEqual([
      expect.objectContaining({ messageId: 'refused', frames: [1, 2], data: expect.objectContaining({ offered: 'G729/8000', status: '488 Not Acceptable Here', warning: ' (Warning: 305 gw "Incompatible media format")' }) }),
    ]);
  });

  it('invalid: 488 whose Warning names another reason (301, 399) says so instead of blaming the codecs; 304/305 stay refused', () => {
    const offer = invite(sdp('198.51.100.10', '0 8'));
    const refusedWith = (warning: string) =>
      findingsOf(codecMismatch, [offer, captured([`SIP/2.0 488 Not Acceptable Here`, ...h({ cseq: '1 INVITE', toTag: 'b' }), `Warning: ${warning}`], 100, PUBLIC_B, PUBLIC_A)]).map((f) => [f.messageId, f.data.code, f.data.meaning, f.data.text]);
    expect(refusedWith('301 sbc.example.net "Incompatible network address formats"')).toEqual([['refused-warning', 301, 'incompatible network address formats', ': "Incompatible network address formats"']]);
    expect(refusedWith('399 sbc "SRTP required"')).toEqual([['refused-warning', 399, 'miscellaneous warning', ': "SRTP required"']]);
    expect(refusedWith('304 gw "Media type not available"').map((f) => f[0])).toEqual(['refused']);
  });

  it('invalid: an answer with no codec in common (DTMF events do not count)', () => {
    const findings = findingsOf(codecMismatch, [invite(sdp('198.51.100.10', '0 101')), answer('200 OK', sdp('203.0.113.20', '96 101'))]);
    expect(findings.map((f) => [f.messageId, f.data.offered, f.data.answered])).toEqual([['no-common-codec', 'PCMU/8000', 'opus/48000']]);
  });

  it('invalid: an answer that rejects every stream', () => {
    const findings = findingsOf(codecMismatch, [invite(sdp('198.51.100.10', '0')), answer('200 OK', sdp('203.0.113.20', '0', [], 0))]);
    expect(findings.map((f) => f.messageId)).toEqual(['all-streams-rejected']);
  });
});

describe('media-hints', () => {
  it('valid: public addresses, sendrecv', () => {
    expect(findingsOf(mediaHints, [invite(sdp('198.51.100.10', '0')), answer('200 OK', sdp('203.0.113.20', '0'))])).toEqual([]);
  });

  it('valid: private addresses between private hosts (a LAN call)', () => {
    const lanA = { ip: '192.168.1.10', port: 5060 };
    const lanB = { ip: '192.168.1.20', port: 5060 };
    expect(findingsOf(mediaHints, [invite(sdp('192.168.1.10', '0'), lanA, lanB), answer('200 OK', sdp('192.168.1.20', '0'), lanB, lanA)])).toEqual([]);
  });

  it('invalid: a private media address sent from a public source', () => {
    const findings = findingsOf(mediaHints, [invite(sdp('192.168.1.10', '0')), answer('200 OK', sdp('203.0.113.20', '0'))]);
    expect(findings.map((f) => [f.messageId, f.data.address, f.data.source, f.frames])).toEqual([['private-address', '192.168.1.10', '198.51.100.10', [1]]]);
  });

  it('a private media address that the next hop passed on with its own address (an SBC relaying the media): relayed, info (heplify-erspan #31, #32)', () => {
    const sbcInside = { ip: '192.168.1.222', port: 5260 };
    const pbx = { ip: '192.168.1.191', port: 5060 };
    const first = invite(sdp('192.168.8.53', '0'));
    const relayed = captured(withBody(['INVITE sip:bob@192.168.1.191 SIP/2.0', ...h({ cseq: '1 INVITE', branch: 'z9hG4bK-sbc' })], sdp('192.168.1.222', '0')), 5, sbcInside, pbx);
    const findings = findingsOf(mediaHints, [first, relayed]);
    expect(findings.map((f) => [f.messageId, f.severity, f.frames, f.data.address, f.data.relayAddress])).toEqual([['relayed', 'info', [1, 2], '192.168.8.53', '192.168.1.222']]);
  });

  it('invalid: passed on with the private address unchanged is still private-address', () => {
    const first = invite(sdp('192.168.8.53', '0'));
    const relayed = captured(withBody(['INVITE sip:bob@192.168.1.191 SIP/2.0', ...h({ cseq: '1 INVITE', branch: 'z9hG4bK-p' })], sdp('192.168.8.53', '0')), 5, { ip: '192.168.1.222', port: 5260 }, { ip: '192.168.1.191', port: 5060 });
    expect(findingsOf(mediaHints, [first, relayed]).map((f) => f.messageId)).toEqual(['private-address']);
  });

  it('invalid: a private media address in a 183 from one fork, and another fork\'s 183 to the same proxy with its own address: private-address (the other fork passed nothing on)', () => {
    const proxy = { ip: '203.0.113.20', port: 5060 };
    const callee1 = { ip: '198.51.100.31', port: 5060 };
    const callee2 = { ip: '198.51.100.32', port: 5060 };
    const via = (branch: string) => ({ via: [`SIP/2.0/UDP 203.0.113.20:5060;branch=${branch}`] });
    const fork = (branch: string, ms: number, dst: typeof proxy) => captured(withBody(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '1 INVITE', ...via(branch) })], sdp('203.0.113.20', '0')), ms, proxy, dst);
    const progress = (ip: string, branch: string, toTag: string, ms: number, src: typeof proxy) =>
      captured(withBody(['SIP/2.0 183 Session Progress', ...h({ cseq: '1 INVITE', toTag, ...via(branch) })], sdp(ip, '0')), ms, src, proxy);
    const messages = [fork('z9hG4bK-f1', 0, callee1), fork('z9hG4bK-f2', 1, callee2), progress('192.168.5.5', 'z9hG4bK-f1', 'f1', 100, callee1), progress('198.51.100.32', 'z9hG4bK-f2', 'f2', 110, callee2)];
    const findings = findingsOf(mediaHints, messages);
    expect(findings.map((f) => [f.messageId, f.data.address])).toEqual([['private-address', '192.168.5.5']]);
  });

  it('invalid: a new call answered sendonly', () => {
    const findings = findingsOf(mediaHints, [invite(sdp('198.51.100.10', '0')), answer('200 OK', sdp('203.0.113.20', '0', ['a=sendonly']))]);
    expect(findings.map((f) => [f.messageId, f.data.role, f.data.direction, f.severity])).toEqual([['one-way', 'answer', 'a=sendonly', 'warning']]);
  });

  it('a recvonly offer answered sendonly is one-way by design: one info, not a warning per side', () => {
    const findings = findingsOf(mediaHints, [invite(sdp('198.51.100.10', '0', ['a=recvonly'])), answer('200 OK', sdp('203.0.113.20', '0', ['a=sendonly']))]);
    expect(findings).toEqual([
      { rule: 'media-hints', messageId: 'agreed', severity: 'info', frames: [1, 2], data: { sender: ep('198.51.100.10', 5060), direction: 'a=recvonly', answerDirection: 'a=sendonly', role: 'offer', address: '' } },
    ]);
  });

  it('a sendonly offer answered recvonly: agreed too', () => {
    const findings = findingsOf(mediaHints, [invite(sdp('198.51.100.10', '0', ['a=sendonly'])), answer('200 OK', sdp('203.0.113.20', '0', ['a=recvonly']))]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.direction, f.data.answerDirection])).toEqual([['agreed', 'info', 'a=sendonly', 'a=recvonly']]);
  });

  it('invalid: a recvonly offer answered inactive is not what was asked: a warning on each side', () => {
    const findings = findingsOf(mediaHints, [invite(sdp('198.51.100.10', '0', ['a=recvonly'])), answer('200 OK', sdp('203.0.113.20', '0', ['a=inactive']))]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.role, f.data.direction])).toEqual([
      ['one-way', 'warning', 'offer', 'a=recvonly'],
      ['one-way', 'warning', 'answer', 'a=inactive'],
    ]);
  });

  it('invalid: a one-way offer whose answer is not captured stays a warning', () => {
    const findings = findingsOf(mediaHints, [invite(sdp('198.51.100.10', '0', ['a=recvonly']))]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.role])).toEqual([['one-way', 'warning', 'offer']]);
  });

  it('a re-INVITE with sendonly is a hold, at info', () => {
    const reinvite = captured(withBody(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '2 INVITE', toTag: 'b', branch: 'z9hG4bK-re' })], sdp('198.51.100.10', '0', ['a=sendonly'])), 5000, PUBLIC_A, PUBLIC_B);
    const findings = findingsOf(mediaHints, [reinvite]);
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([['hold', 'info']]);
  });
});

describe('nat-hints', () => {
  it('valid: public Contact and Via', () => {
    const m = captured(['REGISTER sip:example.com SIP/2.0', ...h({ cseq: '1 REGISTER', via: ['SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK1'] }), 'Contact: <sip:alice@198.51.100.10:5060>'], 0, PUBLIC_A, PUBLIC_B);
    expect(findingsOf(natHints, [m])).toEqual([]);
  });

  it('invalid: private Contact and Via from a public source, reported once per device', () => {
    const reg = (ms: number, cseq: number) =>
      captured(['REGISTER sip:example.com SIP/2.0', ...h({ cseq: `${cseq} REGISTER`, via: [`SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK${cseq};rport`] }), 'Contact: <sip:alice@192.168.1.10:5060>'], ms, PUBLIC_A, PUBLIC_B);
    const findings = findingsOf(natHints, [reg(0, 1), reg(1000, 2)]);
    expect(findings.map((f) => [f.messageId, f.frames])).toEqual([
      ['private-contact', [1]],
      ['private-via', [1]],
    ]);
  });

  it('reads every Contact line and entry, in either form, for the first private one', () => {
    const reg = (cseq: number, contact: string[]) =>
      captured(['REGISTER sip:example.com SIP/2.0', ...h({ cseq: `${cseq} REGISTER`, via: [`SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK${cseq}`] }), ...contact], cseq * 1000, PUBLIC_A, PUBLIC_B);
    const contactOf = (contact: string[]) => findingsOf(natHints, [reg(1, contact)]).map((f) => [f.messageId, f.data['contact']]);
    expect(contactOf(['Contact: *'])).toEqual([]);
    expect(contactOf(['Contact: <sip:a@198.51.100.10>, "B" <sip:b@10.0.0.7:5062;transport=udp>;expires=60, <sip:c@192.168.1.1>'])).toEqual([['private-contact', 'sip:b@10.0.0.7:5062;transport=udp']]);
    expect(contactOf(['Contact: <sip:a@198.51.100.10>', 'm: sip:b@[fd00::7]:5060'])).toEqual([['private-contact', 'sip:b@[fd00::7]:5060']]);
    expect(contactOf(['Contact: <sip:a@198.51.100.10>', 'X-Contact: <sip:x@10.0.0.9>'])).toEqual([]);
  });

  it("reads a plain Contact's host without parsing it, as the full parse reads it, and leaves any other form to it", () => {
    const parsedHost = (value: string) => parseNameAddr(splitList(value)[0]!)!.uri.host;
    const plain = [
      '<sip:alice@198.51.100.10:5060>',
      '<sip:alice@10.0.0.7>',
      '<sips:+4940555@192.168.1.1:5061;transport=tls>;expires=60',
      '<sip:10.0.0.7:5060;ob>',
      '<sip:a@pbx.example.com?Subject=x>',
      '<sip:a?b@10.0.0.1>',
      '<sip:a@10.0.0.1:99999>',
      '<sip:a@10.0.0.1:>',
      '<sip:a:secret@172.16.0.1:5060>',
    ];
    for (const value of plain) expect(plainContactHost(value), value).toBe(parsedHost(value));
    const other = ['*', 'sip:a@10.0.0.1', '"A" <sip:a@10.0.0.1>', 'A <sip:a@10.0.0.1>', ' <sip:a@10.0.0.1>', '<SIP:a@10.0.0.1>', '<sip:a@[fd00::1]:5060>', '<sip:a@fd00::1>', '<sip:a@10.0.0.1 >', '<sip:a@10.0.0.1>, <sip:b@10.0.0.2>', '<sip:a@10.0.0.1', '<sip:a@>', '<sip:a@10.0.0.1:50x60>', '<sip:a@10_0.0.1>', '<sip:a@b@10.0.0.1>'];
    for (const value of other) expect(plainContactHost(value), value).toBeNull();
  });
});

describe('addresses and SDP', () => {
  it('classifies private ranges', () => {
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '100.64.0.1', '169.254.1.1', 'fd00::1', 'fe80::1']) expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['172.32.0.1', '8.8.8.8', '100.128.0.1', '2001:db8::1', 'example.com']) expect(isPrivateAddress(ip), ip).toBe(false);
    // Only a dotted quad of decimal numbers is an IPv4 address.
    for (const ip of ['10.0.0', '10.0.0.1.2', '256.1.1.1', '10.0.0.1 ', ' 10.0.0.1', '10..0.1', '1e1.0.0.1', '0x0a.0.0.1', '10.0.0.1000', '', '.']) expect(isPrivateAddress(ip), JSON.stringify(ip)).toBe(false);
  });

  it('classifies public addresses as the regular expression it replaced did', () => {
    // isPublicAddress scans for digits and dots (session 19): held to `/^[0-9.]+$/` over the usual and the odd.
    const byRegex = (ip: string): boolean => (/^[0-9.]+$/.test(ip) || ip.includes(':') ? !isPrivateAddress(ip) && !isLoopback(ip) && ip !== '0.0.0.0' && ip !== '::' : false);
    const ips = ['8.8.8.8', '1.2.3.4', '10.0.0.1', '192.168.1.1', '127.0.0.1', '0.0.0.0', '::', '::1', 'fe80::1', '2001:db8::1', '', '.', '..', '1.2.3', '1.2.3.4.5', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.x', 'example.com', '1e1.0.0.1', '\u0661.2.3.4', '1/2.3.4', '1-2.3.4', ':'];
    for (const ip of ips) expect(isPublicAddress(ip), JSON.stringify(ip)).toBe(byRegex(ip));
  });

  it('reads static payload types without rtpmap, per-media c= lines, and session-level direction', () => {
    const parsed = parseSdpBodyForTest('v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nc=IN IP4 1.1.1.1\r\nt=0 0\r\na=recvonly\r\nm=audio 4000 RTP/AVP 0 8 18\r\nc=IN IP4 2.2.2.2\r\nm=video 0 RTP/AVP 31\r\n');
    expect(parsed?.media.map((m) => [m.type, m.port, m.address, m.direction, m.codecs.map((c) => c.name)])).toEqual([
      ['audio', 4000, '2.2.2.2', 'recvonly', ['PCMU', 'PCMA', 'G729']],
      ['video', 0, '1.1.1.1', 'recvonly', ['H261']],
    ]);
  });

  it('returns null for bodies that are not SDP, and never throws', () => {
    expect(parseSdpBodyForTest('hello')).toBeNull();
    for (let i = 0; i < 200; i++) {
      const junk = 'v=0\r\n' + Array.from({ length: 20 }, () => String.fromCharCode(32 + Math.floor(Math.random() * 90))).join('') + '\r\nm=audio x RTP 0 a\r\n';
      expect(() => parseSdpBodyForTest(junk)).not.toThrow();
    }
  });
});

describe('broken SDP found by fuzzing', () => {
  it('a numeric connection address or port does not break the rules', () => {
    const parsed = parseSdpBodyForTest('v=0\r\nc=IN IP4 12\r\nm=audio x RTP/AVP 0\r\n');
    expect(parsed?.address).toBe('12');
    expect(parsed?.media[0]?.port).toBe(0);
  });
});
