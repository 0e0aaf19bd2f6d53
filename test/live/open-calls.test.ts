/**
 * Calls in progress (src/analysis/progress.ts, src/analysis/live.ts, Analyzer.openCalls): where
 * each open call stands as data, and the time-based rules firing at their threshold as capture
 * time moves, before the message that ends the wait arrives; at real pace through a stream too.
 */
import { describe, expect, it, beforeEach } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { callProgress } from '../../src/analysis/progress.js';
import { analyzeStream, type CapturedMessage, type Finding, type OpenCall } from '../../src/index.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import { toMs } from '../../src/time.js';
import { again, req, res, resetCatalogFrames } from '../support/catalog.js';
import { writePcap, type Packet } from '../support/capture-writer.js';
import { ethernet, ipv4, sipRequest, sipResponse, udp } from '../support/packets.js';

const T = 1700000000_000;

beforeEach(() => resetCatalogFrames());

/** The progress of the one call these messages make, at `atMs` after the start of the clock. */
function progressOf(messages: CapturedMessage[], atMs: number) {
  return callProgress(correlate(messages)[0]!, T + atMs);
}

describe('where an open call stands', () => {
  it('INVITE sent, only 100 Trying; ringing; answered; ended by BYE, by a failure, by CANCEL', () => {
    const invite = req('INVITE', 1, 0);
    const trying = res(invite, '100 Trying', 40);
    expect(progressOf([invite], 3000)).toEqual({ phase: 'inviting', sinceMs: 3000, provisional: null });
    expect(progressOf([invite, trying], 8000)).toEqual({ phase: 'inviting', sinceMs: 8000, provisional: 100 });
    const ringing = res(invite, '180 Ringing', 1000);
    expect(progressOf([invite, trying, ringing], 13_000)).toEqual({ phase: 'ringing', sinceMs: 12_000, status: 180 });
    const ok = res(invite, '200 OK', 5000);
    const ack = req('ACK', 1, 5050, { toTag: 'b', branch: 'z9hG4bK-ack' });
    expect(progressOf([invite, trying, ringing, ok, ack], 47_000)).toEqual({ phase: 'answered', sinceMs: 42_000 });
    const bye = req('BYE', 2, 65_000, { toTag: 'b' });
    expect(progressOf([invite, trying, ringing, ok, ack, bye], 66_000)).toEqual({ phase: 'ended', how: 'bye', status: null, talkMs: 60_000 });
    expect(progressOf([invite, trying, res(invite, '486 Busy Here', 900)], 2000)).toEqual({ phase: 'ended', how: 'rejected', status: 486, talkMs: null });
    const cancel = req('CANCEL', 1, 4000, { branch: 'z9hG4bK-invite-1' });
    expect(progressOf([invite, trying, cancel], 4100)).toEqual({ phase: 'ended', how: 'cancel', status: null, talkMs: null });
  });

  it('after a 407 challenge, the INVITE with credentials is the attempt whose wait counts', () => {
    const first = req('INVITE', 1, 0);
    const challenge = res(first, '407 Proxy Authentication Required', 30);
    const ack = req('ACK', 1, 40);
    const second = req('INVITE', 2, 100);
    expect(progressOf([first, challenge, ack, second, res(second, '100 Trying', 150)], 5100)).toEqual({ phase: 'inviting', sinceMs: 5000, provisional: 100 });
  });

  it('an entry that is not a call: its request and its final status', () => {
    const register = req('REGISTER', 1, 0);
    expect(progressOf([register, res(register, '401 Unauthorized', 20)], 1000)).toEqual({ phase: 'request', method: 'REGISTER', status: 401, sinceMs: 1000 });
  });
});

/** An analyzer that records each live finding with the capture time it fired at. */
function watched(rules = {}) {
  const fired: { call: OpenCall; finding: Finding; atMs: number }[] = [];
  const analyzer = new Analyzer({ onCalls: () => {}, rules, onLiveFinding: (call, finding) => fired.push({ call, finding, atMs: call.atMs - T }) });
  return { analyzer, fired };
}

/** Moves capture time on from `fromMs` to `toMs` as a quiet live capture does (every 250 ms). */
function tick(analyzer: Analyzer, fromMs: number, toMs: number): void {
  for (let at = fromMs; at <= toMs; at += 250) analyzer.advanceTo(T + at);
}

describe('time-based rules fire while the call is open', () => {
  it('stuck on 100 Trying: flagged at the threshold, before the CANCEL arrives, and shown in the open calls', () => {
    const { analyzer, fired } = watched();
    const invite = req('INVITE', 1, 0);
    analyzer.add(invite);
    analyzer.add(res(invite, '100 Trying', 50));
    tick(analyzer, 250, 9750);
    expect(fired).toEqual([]);
    tick(analyzer, 10_000, 14_750);
    expect(fired.map((f) => [f.finding.rule, f.finding.messageId, f.call.number])).toEqual([['stuck-on-100-trying', 'capture-ended', 1]]);
    // Within one check (250 ms) of the 10 s threshold.
    expect(fired[0]!.atMs).toBeGreaterThanOrEqual(10_000);
    expect(fired[0]!.atMs).toBeLessThanOrEqual(10_250);
    const [open] = analyzer.openCalls();
    // The picture is taken at the capture clock, moved on by the quiet line, not at the last message.
    expect(open).toMatchObject({ number: 1, progress: { phase: 'inviting', provisional: 100, sinceMs: 14_750 }, findings: [{ rule: 'stuck-on-100-trying' }] });
    // The CANCEL comes at 15 s: nothing fires again, and the call is now ended.
    analyzer.add(req('CANCEL', 1, 15_000, { branch: 'z9hG4bK-invite-1' }));
    expect(fired).toHaveLength(1);
    expect(analyzer.openCalls()[0]!.progress).toMatchObject({ phase: 'ended', how: 'cancel' });
  });

  it('the threshold is the rule option; a call answered by 18x in time is not flagged', () => {
    const { analyzer, fired } = watched({ 'stuck-on-100-trying': { options: { thresholdSeconds: 3 } } });
    const stuck = req('INVITE', 1, 0, { callId: 'stuck' });
    const ringing = req('INVITE', 1, 0, { callId: 'ringing' });
    analyzer.add(stuck);
    analyzer.add(ringing);
    analyzer.add(res(stuck, '100 Trying', 20));
    analyzer.add(res(ringing, '100 Trying', 20));
    analyzer.add(res(ringing, '180 Ringing', 2000));
    tick(analyzer, 2250, 6000);
    expect(fired.map((f) => [f.call.call.callId, f.finding.rule])).toEqual([['stuck', 'stuck-on-100-trying']]);
    expect(fired[0]!.atMs).toBeLessThanOrEqual(3250);
  });

  it('no response at all: flagged when Timer B (64*T1) runs out, not before', () => {
    const { analyzer, fired } = watched();
    const invite = req('INVITE', 1, 0);
    analyzer.add(invite);
    // Retransmitted at T1, 2*T1, 4*T1... (RFC 3261 §17.1.1.2).
    for (const at of [500, 1500, 3500, 7500, 15_500, 31_500]) {
      tick(analyzer, at - 250, at - 250);
      analyzer.add(again(invite, at));
    }
    expect(fired).toEqual([]);
    tick(analyzer, 31_750, 33_000);
    expect(fired.map((f) => [f.finding.rule, f.finding.messageId])).toEqual([['no-response', 'timeout']]);
    expect(fired[0]!.atMs).toBeGreaterThanOrEqual(32_000);
    expect(fired[0]!.atMs).toBeLessThanOrEqual(32_250);
  });

  it('no ACK: a 2xx sent three times with no ACK is flagged; an ACK after one retransmission is not', () => {
    const { analyzer, fired } = watched();
    const lost = req('INVITE', 1, 0, { callId: 'lost-ack' });
    const fine = req('INVITE', 1, 0, { callId: 'fine' });
    analyzer.add(lost);
    analyzer.add(fine);
    const ok = res(lost, '200 OK', 100);
    const ok2 = res(fine, '200 OK', 100);
    analyzer.add(ok);
    analyzer.add(ok2);
    analyzer.add(again(ok, 600));
    analyzer.add(again(ok2, 600));
    analyzer.add(req('ACK', 1, 700, { callId: 'fine', toTag: 'b', branch: 'z9hG4bK-ack' }));
    analyzer.add(again(ok, 1600));
    tick(analyzer, 1750, 2500);
    expect(fired.map((f) => [f.call.call.callId, f.finding.rule, f.finding.messageId])).toEqual([['lost-ack', 'no-ack-for-2xx', 'no-ack']]);
  });

  it('a rule turned off does not fire live either', () => {
    const { analyzer, fired } = watched({ 'stuck-on-100-trying': { severity: 'off' } });
    const invite = req('INVITE', 1, 0);
    analyzer.add(invite);
    analyzer.add(res(invite, '100 Trying', 50));
    tick(analyzer, 250, 12_000);
    expect(fired).toEqual([]);
  });
});

describe('at real pace through a live stream', () => {
  /** One SIP datagram at wall-clock time `ms`. */
  function datagram(ms: number, text: string, fromCallee = false): Packet {
    const [src, dst] = fromCallee ? ['10.0.0.2', '10.0.0.1'] : ['10.0.0.1', '10.0.0.2'];
    return { sec: Math.floor(ms / 1000), nsec: Math.round((ms % 1000) * 1e6), data: ethernet(0x0800, ipv4(src, dst, udp(5060, 5060, text))) };
  }

  it('a stuck call is flagged (1 s threshold) before its CANCEL, sent 2.5 s after the INVITE, is read', async () => {
    const start = Date.now();
    const header = writePcap({ linkType: 1 }, []);
    // Each packet is written when its time comes, as tcpdump -U does.
    const plan: [number, string, boolean][] = [
      [0, sipRequest('INVITE', 'stuck-rt'), false],
      [50, sipResponse(100, 'Trying', 'INVITE', 'stuck-rt').replace(';tag=b2', ''), true],
      [2500, sipRequest('CANCEL', 'stuck-rt'), false],
    ];
    async function* paced() {
      yield header;
      for (const [at, text, back] of plan) {
        const wait = start + at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        yield writePcap({ linkType: 1 }, [datagram(Date.now(), text, back)]).subarray(header.length);
      }
    }
    const events: string[] = [];
    let open: OpenCall[] = [];
    await analyzeStream([{ name: '-', stream: paced() }], {
      live: true,
      rules: { 'stuck-on-100-trying': { options: { thresholdSeconds: 1 } } },
      onOpen: (view) => setTimeout(() => (open = view.openCalls()), 1800).unref(),
      onMessage: (m) => events.push(m.message.method ?? String(m.message.status)),
      onLiveFinding: (_, f) => events.push(`${f.rule} at ${Math.round(toMs(f.time) - start)}`),
      onCalls: () => {},
    });
    expect(events.map((e) => e.replace(/ at \d+$/, ''))).toEqual(['INVITE', '100', 'stuck-on-100-trying', 'CANCEL']);
    expect(open.map((c) => [c.call.callId, c.progress.phase, c.findings.map((f) => f.rule)])).toEqual([['stuck-rt', 'inviting', ['stuck-on-100-trying']]]);
  });
});

describe('the words for it (src/present/live/words.ts)', () => {
  it('say where a call stands in English and Spanish', async () => {
    const { progressText, clock } = await import('../../src/present/live/words.js');
    expect(progressText({ phase: 'inviting', sinceMs: 8400, provisional: 100 }, 'en')).toBe('INVITE 8 s ago, only 100 Trying');
    expect(progressText({ phase: 'inviting', sinceMs: 8400, provisional: 100 }, 'es')).toBe('INVITE hace 8 s, solo 100 Trying');
    expect(progressText({ phase: 'ringing', sinceMs: 12_000, status: 180 }, 'en')).toBe('ringing 12 s (180)');
    expect(progressText({ phase: 'answered', sinceMs: 42_500 }, 'en')).toBe('answered 0:42');
    expect(progressText({ phase: 'ended', how: 'rejected', status: 486, talkMs: null }, 'en')).toBe('ended 486');
    expect(clock(3_729_000)).toBe('1:02:09');
  });
});
