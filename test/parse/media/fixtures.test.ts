/**
 * The media join and the media rules on the real captures of fixtures/media/ (made by
 * fixtures/scripts/capture-rtp.sh: sipp, and GStreamer for RTCP, in a network namespace; the
 * caller is 192.0.2.10 with RTP on 40000, the callee 198.51.100.20 with RTP on 50000). For each
 * capture: the streams tied to each call (who sent them, between which addresses, how many
 * packets, and where their first and last packets fall against the SIP messages), and what the
 * two media rules of the catalog, no-media and one-way-media, say. Behaviours no rule of theirs
 * covers (loss, jitter, hold, late media, media after BYE, RFC 4733 digits, RTCP) are asserted
 * as stream facts only.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyze } from '../../../src/analysis/session.js';
import type { AnalyzedCall } from '../../../src/analysis/types.js';
import type { CallStream } from '../../../src/parse/media/types.js';
import { diffMs } from '../../../src/time.js';
import type { Timestamp } from '../../../src/types.js';
import { REPO_ROOT } from '../../support/captures.js';

const DIR = join(REPO_ROOT, 'fixtures', 'media');
const CALLER_RTP = '192.0.2.10:40000';
const CALLEE_RTP = '198.51.100.20:50000';
const MEDIA_RULES = new Set(['no-media', 'one-way-media']);

async function callsOf(file: string): Promise<readonly AnalyzedCall[]> {
  const result = await analyze([join(DIR, file)]);
  return result.calls;
}

const at = (e: { ip: string; port: number }): string => `${e.ip}:${e.port}`;

/** A stream as [sender side, source, destination, packets, first frame, last frame], in order of first packet. */
function streams(call: AnalyzedCall): [string | null, string, string, number, number, number][] {
  return [...call.media!.streams]
    .sort((a, b) => a.firstFrame - b.firstFrame)
    .map((s) => [s.from, at(s.src), at(s.dst), s.packets, s.firstFrame, s.lastFrame]);
}

function stream(call: AnalyzedCall, from: 'caller' | 'callee'): CallStream {
  const found = call.media!.streams.filter((s) => s.from === from);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The findings of the media rules, as rule, message id and data. */
function mediaFindings(call: AnalyzedCall): [string, string, unknown][] {
  return call.findings.filter((f) => MEDIA_RULES.has(f.rule)).map((f) => [f.rule, f.messageId, f.data]);
}

/** The time of the call's message with this frame number. */
function timeOfFrame(call: AnalyzedCall, frame: number): Timestamp {
  const message = call.call.messages.find((m) => m.captured.frame === frame);
  expect(message, `frame ${frame} is a SIP message of the call`).toBeDefined();
  return message!.captured.time;
}

/** The call's SIP messages as frame:method-or-status. */
function ladder(call: AnalyzedCall): string[] {
  return call.call.messages.map((m) => `${m.captured.frame}:${m.captured.message.method ?? m.captured.message.status}`);
}

const endpoint = (ip: string, port: number) => ({ kind: 'endpoint', ip, port });

describe('media fixtures (fixtures/media, real sipp and GStreamer captures)', () => {
  it('sipp-rtp-two-way: both sides send g711a.pcap (236 packets) between the ACK and the BYE; no media rule fires', async () => {
    const [call, ...rest] = await callsOf('sipp-rtp-two-way.pcap');
    expect(rest).toHaveLength(0);
    expect(ladder(call!)).toEqual(['1:INVITE', '2:100', '3:200', '4:ACK', '477:BYE', '478:200']);
    expect(streams(call!)).toEqual([
      ['callee', CALLEE_RTP, CALLER_RTP, 236, 5, 475],
      ['caller', CALLER_RTP, CALLEE_RTP, 236, 6, 476],
    ]);
    expect(call!.media!.streams.every((s) => s.kind === 'rtp' && s.match === 'destination')).toBe(true);
    expect(mediaFindings(call!)).toEqual([]);
  });

  it('sipp-rtp-one-way: only the caller sends; one-way-media names the silent callee and the caller\'s address it had to reach', async () => {
    const [call] = await callsOf('sipp-rtp-one-way.pcap');
    expect(ladder(call!)).toEqual(['1:INVITE', '2:100', '3:200', '4:ACK', '241:BYE', '242:200']);
    expect(call!.media!.announced.map((a) => [a.side, a.address, a.port, a.direction])).toEqual([
      ['caller', '192.0.2.10', 40000, 'sendrecv'],
      ['callee', '198.51.100.20', 50000, 'sendrecv'],
    ]);
    expect(streams(call!)).toEqual([['caller', CALLER_RTP, CALLEE_RTP, 236, 5, 240]]);
    expect(mediaFindings(call!)).toEqual([
      [
        'one-way-media',
        'unknown',
        {
          silent: 'callee',
          heard: 'caller',
          target: endpoint('192.0.2.10', 40000),
          signalling: endpoint('192.0.2.10', 5060),
          actual: endpoint('192.0.2.10', 40000),
          packets: 236,
          talk: { kind: 'ms', ms: 7310.27 },
        },
      ],
    ]);
    const finding = call!.findings.find((f) => f.rule === 'one-way-media')!;
    // Evidence: the 200 OK, the first and last packet of the caller's stream, the BYE.
    expect(finding.frames).toEqual([3, 5, 240, 241]);
  });

  it('sipp-rtp-no-media: after a two-way call between the same hosts, an answered call with no RTP gets no-media (none)', async () => {
    const [before, silent, ...rest] = await callsOf('sipp-rtp-no-media.pcap');
    expect(rest).toHaveLength(0);
    expect(before!.call.callId).toBe('rtp-no-media-before-1@siplens.test');
    expect(streams(before!)).toEqual([
      ['callee', CALLEE_RTP, CALLER_RTP, 100, 5, 203],
      ['caller', CALLER_RTP, CALLEE_RTP, 100, 6, 204],
    ]);
    expect(mediaFindings(before!)).toEqual([]);

    expect(silent!.call.callId).toBe('rtp-no-media-1@siplens.test');
    expect(ladder(silent!)).toEqual(['207:INVITE', '208:100', '209:200', '210:ACK', '211:BYE', '212:200']);
    expect(silent!.media!.streams).toEqual([]);
    expect(silent!.media!.mediaCaptured).toBe(true);
    expect(silent!.media!.mediaSeenAtHosts).toBe(true);
    expect(mediaFindings(silent!)).toEqual([
      ['no-media', 'none', { caller: endpoint('192.0.2.10', 40000), callee: endpoint('198.51.100.20', 50000), talk: { kind: 'ms', ms: 5009.307 } }],
    ]);
    const finding = silent!.findings.find((f) => f.rule === 'no-media')!;
    expect(finding.severity).toBe('warning');
    expect(finding.frames).toEqual([209, 211]);
  });

  it('sipp-rtp-loss-jitter: the caller\'s stream misses 12 of 236 packets (sent from g711a-lossy.pcap), the callee\'s is whole; no media rule fires', async () => {
    const [call] = await callsOf('sipp-rtp-loss-jitter.pcap');
    expect(ladder(call!)).toEqual(['1:INVITE', '2:100', '3:200', '4:ACK', '465:BYE', '466:200']);
    expect(streams(call!)).toEqual([
      ['callee', CALLEE_RTP, CALLER_RTP, 236, 5, 463],
      ['caller', CALLER_RTP, CALLEE_RTP, 224, 6, 464],
    ]);
    // Both streams last the same 7 s: the 12 packets are missing, not cut off at an end.
    const callee = stream(call!, 'callee');
    const caller = stream(call!, 'caller');
    expect(Math.abs(diffMs(caller.first, caller.last) - diffMs(callee.first, callee.last))).toBeLessThan(50);
    expect(mediaFindings(call!)).toEqual([]);
  });

  it('sipp-rtp-hold-resume: the callee stops while on hold (re-INVITE a=sendonly) and sends again after the resume; the caller sends throughout; no media rule fires', async () => {
    const [call] = await callsOf('sipp-rtp-hold-resume.pcap');
    expect(ladder(call!)).toEqual([
      '1:INVITE', '2:100', '3:200', '4:ACK',
      '139:INVITE', '140:200', '141:ACK',
      '226:INVITE', '227:200', '228:ACK',
      '381:BYE', '382:200',
    ]);
    expect(call!.media!.announced.map((a) => [a.side, a.message, a.direction])).toEqual([
      ['caller', 0, 'sendrecv'],
      ['callee', 2, 'sendrecv'],
      ['caller', 4, 'sendonly'],
      ['callee', 5, 'recvonly'],
      ['caller', 7, 'sendrecv'],
      ['callee', 8, 'sendrecv'],
    ]);
    expect(streams(call!)).toEqual([
      ['callee', CALLEE_RTP, CALLER_RTP, 134, 5, 361],
      ['caller', CALLER_RTP, CALLEE_RTP, 236, 6, 380],
    ]);
    // The callee's stream spans the hold: its first packet before the hold, its last after the
    // resume, and 134 packets of 30 ms cover 4 s of its 6.5 s: about 2.5 s were not sent.
    const callee = stream(call!, 'callee');
    const hold = timeOfFrame(call!, 139);
    const resume = timeOfFrame(call!, 226);
    expect(diffMs(callee.first, hold)).toBeGreaterThan(1900);
    expect(diffMs(resume, callee.last)).toBeGreaterThan(1900);
    const silentMs = diffMs(callee.first, callee.last) - callee.packets * 30;
    expect(silentMs).toBeGreaterThan(2300);
    expect(silentMs).toBeLessThan(2700);
    expect(mediaFindings(call!)).toEqual([]);
  });

  it('sipp-rtp-late-media: neither side sends until 4 s after the ACK; no media rule fires', async () => {
    const [call] = await callsOf('sipp-rtp-late-media.pcap');
    expect(ladder(call!)).toEqual(['1:INVITE', '2:100', '3:200', '4:ACK', '205:BYE', '206:200']);
    expect(streams(call!)).toEqual([
      ['caller', CALLER_RTP, CALLEE_RTP, 100, 5, 203],
      ['callee', CALLEE_RTP, CALLER_RTP, 100, 6, 204],
    ]);
    const ack = timeOfFrame(call!, 4);
    const bye = timeOfFrame(call!, 205);
    for (const s of call!.media!.streams) {
      expect(diffMs(ack, s.first)).toBeGreaterThan(3900);
      expect(diffMs(ack, s.first)).toBeLessThan(4200);
      expect(diffMs(s.last, bye)).toBeGreaterThan(0);
    }
    expect(mediaFindings(call!)).toEqual([]);
  });

  it('sipp-rtp-after-bye: the callee keeps sending about 3 s after the BYE and its 200; the caller stopped before the BYE; no media rule fires', async () => {
    const [call] = await callsOf('sipp-rtp-after-bye.pcap');
    expect(ladder(call!)).toEqual(['1:INVITE', '2:100', '3:200', '4:ACK', '239:BYE', '240:200']);
    expect(streams(call!)).toEqual([
      ['callee', CALLEE_RTP, CALLER_RTP, 236, 5, 342],
      ['caller', CALLER_RTP, CALLEE_RTP, 100, 6, 204],
    ]);
    const bye = timeOfFrame(call!, 239);
    const callee = stream(call!, 'callee');
    const caller = stream(call!, 'caller');
    expect(callee.lastFrame).toBeGreaterThan(240);
    expect(diffMs(bye, callee.last)).toBeGreaterThan(2800);
    expect(diffMs(bye, callee.last)).toBeLessThan(3300);
    expect(diffMs(caller.last, bye)).toBeGreaterThan(900);
    expect(mediaFindings(call!)).toEqual([]);
  });

  it('sipp-rtp-dtmf-4733: telephone-event/8000 (PT 101) is in both SDPs; the caller\'s stream is the 30 event packets of the digits 1, 2 and 3; no media rule fires', async () => {
    const [call] = await callsOf('sipp-rtp-dtmf-4733.pcap');
    expect(ladder(call!)).toEqual(['1:INVITE', '2:100', '3:200', '4:ACK', '135:BYE', '136:200']);
    for (const a of call!.media!.announced) {
      expect(a.codecs.map((c) => [c.payload, c.name, c.rate])).toEqual([
        [8, 'PCMA', 8000],
        [101, 'telephone-event', 8000],
      ]);
    }
    expect(streams(call!)).toEqual([
      ['callee', CALLEE_RTP, CALLER_RTP, 100, 5, 134],
      ['caller', CALLER_RTP, CALLEE_RTP, 30, 6, 106],
    ]);
    // The events keep the SSRC of sipp's dtmf_2833_N.pcap; the audio that of g711a.pcap.
    expect(stream(call!, 'caller').ssrc).toBe(0x0e05384e);
    expect(stream(call!, 'callee').ssrc).toBe(0xdee0ee8f);
    // Three digits 1 s apart: about 2.14 s from the first event packet to the last.
    const caller = stream(call!, 'caller');
    expect(diffMs(caller.first, caller.last)).toBeGreaterThan(2100);
    expect(diffMs(caller.first, caller.last)).toBeLessThan(2200);
    expect(mediaFindings(call!)).toEqual([]);
  });

  it('gst-rtcp: GStreamer sends 200 RTP packets each way from ports the SDP did not name, to the SDP ports; its RTCP to port+1 is not taken for an RTP stream; no media rule fires', async () => {
    const [call] = await callsOf('gst-rtcp.pcap');
    expect(ladder(call!)).toEqual(['1:INVITE', '2:100', '3:200', '4:ACK', '409:BYE', '410:200']);
    expect(streams(call!)).toEqual([
      ['caller', '192.0.2.10:48589', CALLEE_RTP, 200, 5, 403],
      ['callee', '198.51.100.20:34751', CALLER_RTP, 200, 8, 407],
    ]);
    expect(call!.media!.streams.map((s) => [s.kind, s.match])).toEqual([
      ['rtp', 'destination'],
      ['rtp', 'destination'],
    ]);
    expect(call!.media!.streams.some((s) => s.dst.port === 40001 || s.dst.port === 50001)).toBe(false);
    expect(mediaFindings(call!)).toEqual([]);
  });
});
