/**
 * Wrong verdicts of issue 15 on real traces of the shared corpus (../shared/corpus/MANIFEST.md),
 * each checked on the trace that showed it: rule ids, severities and data, not English. Skipped
 * when the corpus is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { CORPUS_PCAP_DIR, hasCorpus } from '../../support/captures.js';

const corpus = (name: string): string => join(CORPUS_PCAP_DIR, name);
const present = (name: string): boolean => hasCorpus && existsSync(corpus(name));

async function analyzed(name: string) {
  return analyze([corpus(name)]);
}

/** rule/messageId/severity of every finding of the file, with the call number and its frames. */
async function findings(name: string) {
  const result = await analyzed(name);
  return result.calls.flatMap((c) => c.findings.map((f) => ({ call: c.number, id: `${f.rule}/${f.messageId}`, severity: f.severity, frames: f.frames, data: f.data })));
}

describe.skipIf(!present('bruteshark-asterisk-zfone-xlite-zrtp.pcap'))('404 to SUBSCRIBE read with its event package (Asterisk 1.6, X-Lite)', () => {
  it('message-summary: no mailbox; presence: no presence state; neither an unknown user', async () => {
    const all = await findings('bruteshark-asterisk-zfone-xlite-zrtp.pcap');
    expect(all.filter((f) => f.id.startsWith('not-found/'))).toEqual([]);
    expect(all.filter((f) => f.id.startsWith('subscription-not-found/')).map((f) => [f.id, f.severity, f.frames, f.data.event, f.data.user])).toEqual([
      ['subscription-not-found/no-mailbox', 'info', [11, 12], 'message-summary', '10009'],
      ['subscription-not-found/no-presence', 'info', [13, 14], 'presence', '10008'],
    ]);
  });
});

describe.skipIf(!present('geunhyung-an-sip-call.pcap'))('404 to SUBSCRIBE for presence.winfo (Asterisk 1.6, Zoiper)', () => {
  it('three watcher-info subscriptions, none an unknown user', async () => {
    const all = await findings('geunhyung-an-sip-call.pcap');
    expect(all.filter((f) => f.id.startsWith('not-found/'))).toEqual([]);
    expect(all.filter((f) => f.id.startsWith('subscription-not-found/')).map((f) => [f.id, f.severity, f.data.event])).toEqual([
      ['subscription-not-found/no-presence', 'info', 'presence.winfo'],
      ['subscription-not-found/no-presence', 'info', 'presence.winfo'],
      ['subscription-not-found/no-presence', 'info', 'presence.winfo'],
    ]);
  });
});

describe.skipIf(!present('dfnfc-asterisk-office-presence-mwi-message.pcap'))('UDP requests over 1300 bytes that arrived whole (office Asterisk, MESSAGE and NOTIFY)', () => {
  it('are info hints, not warnings: nothing was fragmented', async () => {
    const all = (await findings('dfnfc-asterisk-office-presence-mwi-message.pcap')).filter((f) => f.id.startsWith('udp-message-too-large/'));
    expect(all.length).toBe(51);
    expect(new Set(all.map((f) => `${f.id} ${f.severity}`))).toEqual(new Set(['udp-message-too-large/whole info']));
  });
});

describe.skipIf(!present('sngrep-ipv6frag.pcap'))('UDP requests over 1300 bytes that came in IPv6 fragments', () => {
  it('stay warnings', async () => {
    const all = (await findings('sngrep-ipv6frag.pcap')).filter((f) => f.id.startsWith('udp-message-too-large/'));
    expect(all.map((f) => [f.id, f.severity, f.frames])).toEqual([
      ['udp-message-too-large/too-large', 'warning', [2]],
      ['udp-message-too-large/too-large', 'warning', [5]],
    ]);
  });
});

describe.skipIf(!present('bruteshark-sip-rtp-g726.pcap'))('one-way by design: SIPp offers recvonly, FreeSWITCH answers sendonly (8 calls)', () => {
  it('one info per call, no warning', async () => {
    const all = (await findings('bruteshark-sip-rtp-g726.pcap')).filter((f) => f.id.startsWith('media-hints/'));
    expect(all.map((f) => [f.id, f.severity, f.data.direction, f.data.answerDirection])).toEqual(Array.from({ length: 8 }, () => ['media-hints/agreed', 'info', 'a=recvonly', 'a=sendonly']));
  });
});

describe('B2BUA legs whose inbound INVITE was challenged first', () => {
  it.skipIf(!present('gprshome-wireshark-sip-icmp-rtp.pcap'))('gprshome (miniSIPServer, 407 then INVITE with credentials): calls 7 and 8 are one call', async () => {
    const result = await analyzed('gprshome-wireshark-sip-icmp-rtp.pcap');
    expect(result.calls.filter((c) => c.leg !== null).map((c) => [c.number, c.leg!.role, c.leg!.calls, c.leg!.links.map((l) => l.reason)])).toEqual([
      // The same numbers, 0.13 s apart, would link them as a guess; the RTP stream tied to both (the
      // server passes the media between the phones) links them on evidence.
      [7, 'inbound', [7, 8], ['shared-media']],
      [8, 'outbound', [7, 8], ['shared-media']],
    ]);
  });
  it.skipIf(!present('dfnfc-asterisk-office-presence-mwi-message.pcap'))('dfnfc (Asterisk, 401 then INVITE with credentials; callee leg over TCP): calls 76 and 78 are one call', async () => {
    const result = await analyzed('dfnfc-asterisk-office-presence-mwi-message.pcap');
    expect(result.calls.filter((c) => c.leg !== null).map((c) => [c.number, c.leg!.role, c.leg!.calls])).toEqual([
      [76, 'inbound', [76, 78]],
      [78, 'outbound', [76, 78]],
    ]);
  });
});

describe('scanners are recognised, and get no advice meant for a phone (initconf LBNL traces, nDPI PPTP trunk)', () => {
  const only = (all: { id: string }[]) => [...new Set(all.map((f) => f.id.split('/')[0]))];
  it.skipIf(!present('initconf-sip-attacks-badua-sipvicious.pcap'))('SIPVicious OPTIONS never answered: 25 probes from 10 addresses, one scanner/ignored (info) per address; the one Zeeko OPTIONS sent once is unresolved, not a dead peer', async () => {
    const all = await findings('initconf-sip-attacks-badua-sipvicious.pcap');
    const ignored = all.filter((f) => f.id === 'scanner/ignored' && f.severity === 'info' && f.data.userAgent === 'friendly-scanner');
    expect(ignored).toHaveLength(10);
    expect(new Set(ignored.map((f) => JSON.stringify(f.data.scanner))).size).toBe(10);
    expect(all.filter((f) => !f.id.startsWith('scanner/')).map((f) => [f.id, f.severity])).toEqual([['options-keepalive-failures/sent-once', 'info']]);
  });
  it.skipIf(!present('initconf-sip-attacks-sipg3700-482-401.pcap'))('sipcli toll-fraud INVITEs: every call is the scanner\'s, answered (482/401/503/403): one finding for its address, nothing else', async () => {
    const all = await findings('initconf-sip-attacks-sipg3700-482-401.pcap');
    expect(only(all)).toEqual(['scanner']);
    expect(all.map((f) => f.id)).toEqual(['scanner/answered']);
  });
  it.skipIf(!present('initconf-sip-attacks-bruteforce-single-ip.pcap'))('REGISTER brute force from one address (UA "Cisco v11.0.0"): recognised by its pattern, no auth-loop advice', async () => {
    const all = await findings('initconf-sip-attacks-bruteforce-single-ip.pcap');
    expect(only(all)).toEqual(['scanner']);
    // 478 calls from one address: one finding, on its first call, not one per call.
    expect(all.map((f) => f.id)).toEqual(['scanner/answered']);
  });
  it.skipIf(!present('initconf-sip-attacks-toll-fraud-scan.pcap'))('toll-fraud sweep over 19 hosts: the 48 auto-answered INVITEs are the errors (accepted, each a call that went through), the rest of the scan one finding on its first call', async () => {
    const all = await findings('initconf-sip-attacks-toll-fraud-scan.pcap');
    expect(only(all)).toEqual(['scanner']);
    expect(all.filter((f) => f.id === 'scanner/accepted' && f.severity === 'error')).toHaveLength(48);
    expect(all.filter((f) => f.id !== 'scanner/accepted').map((f) => [f.id, f.severity])).toEqual([['scanner/answered', 'warning']]);
  });
  it.skipIf(!present('ndpi-gre-pptp-vlan-sip-calls.pcap'))('the friendly-scanner OPTIONS in a PBX trunk is a scanner\'s probe the PBX ignored, not a dead peer', async () => {
    const all = await findings('ndpi-gre-pptp-vlan-sip-calls.pcap');
    expect(all.map((f) => [f.id, f.severity])).toEqual([['scanner/ignored', 'info']]);
  });
});

describe.skipIf(!present('bruteshark-h263-over-rtp-video.pcap'))('an SDP answer without the rtpmap of a payload type the offer mapped (eyeBeam call)', () => {
  it('is sdp-invalid/answer-rtpmap at info, with the offer\'s mapping; no codec-mismatch', async () => {
    const all = await findings('bruteshark-h263-over-rtp-video.pcap');
    expect(all.filter((f) => f.id.startsWith('sdp-invalid/') || f.id.startsWith('codec-mismatch/')).map((f) => [f.id, f.severity, f.frames, f.data.payloads, f.data.offered])).toEqual([
      ['sdp-invalid/answer-rtpmap', 'info', [3], '101', 'telephone-event/8000'],
    ]);
  });
});

describe.skipIf(!present('heplify-erspan-sip-ipv4-udp.pcapng'))('a response whose Via sent-by a NAT ALG rewrote (SBC to phone behind NAT, GRE mirror)', () => {
  it('still answers its NOTIFY (RFC 3261 §17.1.3: branch and CSeq method), so no no-response', async () => {
    const all = await findings('heplify-erspan-sip-ipv4-udp.pcapng');
    expect(all.filter((f) => f.id.startsWith('no-response/'))).toEqual([]);
  });
});

describe.skipIf(!present('sngrep-aaa.pcap'))('credentials sent long after their challenge (Nero SIPPS, 17 to 51 s)', () => {
  it('stay in the challenged call: no "never answered", and a 403 right after them is a wrong password', async () => {
    const all = await findings('sngrep-aaa.pcap');
    expect(all.filter((f) => f.id === 'auth-loop/unanswered')).toEqual([]);
    // Each 403 answers credentials sent 17 to 51 s after their challenge: an expired nonce or a
    // wrong password, not the Digest uri (the phone's own address, which the server accepts at #182).
    expect(all.filter((f) => f.id.startsWith('forbidden/')).map((f) => [f.id, f.frames, f.data.delay])).toEqual([
      ['forbidden/late-credentials', [30, 32], expect.objectContaining({ kind: 'ms' })],
      ['forbidden/late-credentials', [346, 348], expect.objectContaining({ kind: 'ms' })],
      ['forbidden/late-credentials', [578, 581], expect.objectContaining({ kind: 'ms' })],
    ]);
  });
});

describe.skipIf(!present('pcapplusplus-sip-reqs.pcap') || !present('heplify-sip-ipv6-udp.pcap'))('UDP requests sent once and never again (assembled samples whose clock jumps years)', () => {
  it('are sent-once (info, unresolved), not a dead next hop', async () => {
    for (const name of ['pcapplusplus-sip-reqs.pcap', 'heplify-sip-ipv6-udp.pcap']) {
      const all = (await findings(name)).filter((f) => f.id.startsWith('no-response/'));
      expect(all.length).toBeGreaterThan(0);
      expect(new Set(all.map((f) => `${f.id} ${f.severity}`))).toEqual(new Set(['no-response/sent-once info']));
    }
  });
});

describe.skipIf(!present('heplify-erspan-sip-ipv4-udp.pcapng'))('a phone behind NAT whose SDP the SBC rewrites when it passes it on (VSBC, OmniPCX)', () => {
  it('is media-hints/relayed at info, never private-address', async () => {
    const all = (await findings('heplify-erspan-sip-ipv4-udp.pcapng')).filter((f) => f.id.startsWith('media-hints/'));
    expect(all.filter((f) => f.id === 'media-hints/private-address')).toEqual([]);
    expect(all.filter((f) => f.id === 'media-hints/relayed').map((f) => [f.severity, f.frames])).toEqual([
      ['info', [31, 32]],
      ['info', [53, 55]],
      ['info', [61, 63]],
      ['info', [75, 76]],
      ['info', [103, 104]],
      ['info', [131, 132]],
    ]);
  });
});

describe.skipIf(!present('heplify-erspan-sip-ipv4-udp.pcapng'))('481s from an SBC that loses subscriptions, and to NOTIFYs whose tag a PBX node damaged', () => {
  it('say which: forgotten (with the 202 that set the dialog up) or tag-mismatch (64 characters, then stray bytes)', async () => {
    const all = (await findings('heplify-erspan-sip-ipv4-udp.pcapng')).filter((f) => f.id.startsWith('call-does-not-exist/'));
    expect(all.map((f) => [f.id, f.frames])).toEqual([
      ['call-does-not-exist/forgotten', [3, 9, 10]],
      ['call-does-not-exist/forgotten', [4, 11, 12]],
      ['call-does-not-exist/tag-mismatch', [15, 22, 23]],
      ['call-does-not-exist/forgotten', [16, 29, 30]],
      ['call-does-not-exist/tag-mismatch', [37, 40, 41]],
      ['call-does-not-exist/forgotten', [38, 73, 74]],
      ['call-does-not-exist/subscriptions-lost', [73, 74]],
      ['call-does-not-exist/tag-mismatch', [88, 91, 93]],
      ['call-does-not-exist/forgotten', [89, 139, 140]],
    ]);
    expect(all.filter((f) => f.id.endsWith('tag-mismatch')).map((f) => f.data.common)).toEqual([64, 64, 64]);
  });
});

describe.skipIf(!present('gprshome-wireshark-sip-icmp-rtp.pcap'))('an INVITE retransmitted because the callee answered both copies late, without 100 Trying (miniSIPServer to eyeBeam)', () => {
  it('is slow-peer at info, not packet loss', async () => {
    const all = (await findings('gprshome-wireshark-sip-icmp-rtp.pcap')).filter((f) => f.id.startsWith('request-retransmissions/'));
    expect(all.map((f) => [f.id, f.severity, f.frames])).toEqual([['request-retransmissions/slow-peer', 'info', [572, 574, 575, 576]]]);
  });
});

describe.skipIf(!present('sngrep-aaa.pcap'))('a CANCEL that leaves the port out of its INVITE\'s Via (Nero SIPPS to SER 0.8.12)', () => {
  it('still cancels that INVITE for the story (stuck, cancelled by the caller), and is cancel-via-mismatch', async () => {
    const all = await findings('sngrep-aaa.pcap');
    expect(all.filter((f) => f.id.startsWith('stuck-on-100-trying/')).map((f) => [f.id, f.severity, f.frames])).toEqual([['stuck-on-100-trying/cancelled', 'warning', [223, 228, 247]]]);
    expect(all.filter((f) => f.id === 'malformed-message/cancel-via-mismatch').map((f) => [f.frames, f.data.cancelVia, f.data.inviteVia])).toEqual([[[223, 247], '192.168.1.2', '192.168.1.2:5060']]);
  });
});

describe.skipIf(!present('heplify-erspan-sip-ipv4-udp.pcapng'))('the SBC losing every subscription it accepts, told as the trace\'s main problem', () => {
  it('one subscriptions-lost story (4 losses, 5 s after the 202, set up again every 10 s), first of the main problems', async () => {
    const result = await analyzed('heplify-erspan-sip-ipv4-udp.pcapng');
    const stories = result.calls.flatMap((c) => c.findings.filter((f) => f.messageId === 'subscriptions-lost').map((f) => ({ call: c.number, f })));
    const ms = (v: unknown): number => Math.round((v as { ms: number }).ms);
    expect(stories.map(({ call, f }) => [call, f.severity, f.frames, f.data.count, f.data.server, ms(f.data.lifetime), ms(f.data.period)])).toEqual([
      [4, 'warning', [73, 74], 4, { kind: 'endpoint', ip: '101.231.48.19', port: 5260 }, 4988, 10000],
    ]);
    // The story sums up the four 481s of 101.231.48.19; the SBC's inner address answering the PBX's
    // NOTIFY 481 (#10) is another server's, a problem of its own.
    expect(result.summary.mainProblems.map((p) => [p.rule, p.messageId, p.severity, p.findings, p.calls, p.firstCall, p.data['server']])).toEqual([
      ['call-does-not-exist', 'subscriptions-lost', 'warning', 4, 4, 4, { kind: 'endpoint', ip: '101.231.48.19', port: 5260 }],
      ['call-does-not-exist', 'tag-mismatch', 'warning', 3, 3, 2, expect.anything()],
      ['call-does-not-exist', 'forgotten', 'warning', 1, 1, 1, { kind: 'endpoint', ip: '192.168.1.222', port: 5260 }],
    ]);
  });
});

describe.skipIf(!present('sngrep-aaa.pcap'))('the softphone answering every challenge 17 s late, told as the trace\'s main problem', () => {
  it('one late-answers story naming the refusals it caused, first of the main problems', async () => {
    const result = await analyzed('sngrep-aaa.pcap');
    const stories = result.calls.flatMap((c) => c.findings.filter((f) => f.messageId.startsWith('late-answers')).map((f) => ({ call: c.number, f })));
    expect(stories.map(({ call, f }) => [call, f.messageId, f.severity, f.frames, f.data.client, f.data.answers, f.data.refused])).toEqual([
      [3, 'late-answers', 'error', [154], { kind: 'endpoint', ip: '192.168.1.2', port: 5060 }, 5, 2],
    ]);
    expect(result.summary.mainProblems[0]).toMatchObject({ rule: 'auth-loop', messageId: 'late-answers', severity: 'error', calls: 3 });
    // The call tells the counts known when it was checked (5 answers, 2 refused); the summary, those of the whole file.
    expect(result.summary.mainProblems[0]!.data).toMatchObject({ answers: 12, late: 12, refused: 5, client: { kind: 'endpoint', ip: '192.168.1.2', port: 5060 } });
  });
});
