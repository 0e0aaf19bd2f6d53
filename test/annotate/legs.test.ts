import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkLegs, normalizeNumber, sameNumber, streamIdentity } from '../../src/annotate/legs.js';
import { renderJson } from '../../src/present/render/json.js';
import { renderText } from '../../src/present/render/text.js';
import { buildTimeline } from '../../src/present/timeline.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import { analyze } from '../../src/index.js';
import type { CapturedMessage } from '../../src/types.js';
import { A, B, captured, P } from '../support/sip.js';
import { CORPUS_PCAP_DIR, REPO_ROOT } from '../support/captures.js';

interface LegSpec {
  callId: string;
  from?: string;
  to?: string;
  at: number;
  final?: number | null;
  finalAt?: number;
  extra?: string[];
  method?: string;
  inbound?: boolean;
}

/** An INVITE (or another method) and, unless `final` is null, its final response. */
function leg(spec: LegSpec): CapturedMessage[] {
  const [src, dst] = spec.inbound === false ? [P, B] : [A, P];
  const method = spec.method ?? 'INVITE';
  const from = `From: <sip:${spec.from ?? 'alice'}@example.com>;tag=f-${spec.callId}`;
  const to = `To: <sip:${spec.to ?? 'bob'}@example.com>`;
  const common = [`Via: SIP/2.0/UDP ${src.ip};branch=z9hG4bK-${spec.callId}`, from];
  const messages = [captured([`${method} sip:${spec.to ?? 'bob'}@example.com SIP/2.0`, ...common, to, `Call-ID: ${spec.callId}`, `CSeq: 1 ${method}`, ...(spec.extra ?? [])], spec.at, src, dst)];
  const final = spec.final === undefined ? 486 : spec.final;
  if (final !== null) messages.push(captured([`SIP/2.0 ${final} Whatever`, ...common, `${to};tag=t-${spec.callId}`, `Call-ID: ${spec.callId}`, `CSeq: 1 ${method}`], spec.finalAt ?? spec.at + 3000, dst, src));
  return messages;
}

function groupsOf(...legs: CapturedMessage[][]): { calls: string[]; reasons: string[]; guesses: boolean[] }[] {
  const messages = legs.flat().sort((a, b) => a.time.sec - b.time.sec || a.time.nsec - b.time.nsec);
  const calls = correlate(messages);
  return linkLegs(calls).map((g) => ({ calls: g.calls.map((i) => calls[i]!.callId), reasons: g.links.map((l) => l.reason), guesses: g.links.map((l) => l.guess) }));
}

describe('linking legs by X-Call-ID-style headers', () => {
  it('links an outbound leg that names the inbound Call-ID', () => {
    expect(groupsOf(leg({ callId: 'in', at: 0 }), leg({ callId: 'out', at: 100, inbound: false, extra: ['X-Call-ID: in'] }))).toEqual([{ calls: ['in', 'out'], reasons: ['x-call-id'], guesses: [false] }]);
  });

  it('reads every occurrence and the X-CID / X-Orig-Call-ID / X-Asterisk-Call-ID variants, in any message', () => {
    const a = leg({ callId: 'a', from: 'x', to: 'y', at: 0 });
    const b = leg({ callId: 'b', from: 'p', to: 'q', at: 100, extra: ['X-Call-ID: unknown-1', 'X-CID: a'] });
    const c = leg({ callId: 'c', from: 'r', to: 's', at: 200, extra: ['X-Orig-Call-ID: b'] });
    const d = leg({ callId: 'd', from: 't', to: 'u', at: 300, extra: ['X-Asterisk-Call-ID: c'] });
    expect(groupsOf(a, b, c, d)).toEqual([{ calls: ['a', 'b', 'c', 'd'], reasons: ['x-call-id', 'x-call-id', 'x-call-id'], guesses: [false, false, false] }]);
  });

  it('does not link on an X-Call-ID naming a Call-ID that is not in the trace, nor on its own Call-ID', () => {
    expect(groupsOf(leg({ callId: 'in', from: 'x', at: 0 }), leg({ callId: 'out', from: 'y', at: 100, extra: ['X-Call-ID: elsewhere@10.9.9.9', 'X-Call-ID: out'] }))).toEqual([]);
  });

  it('does not link a registration that names a call', () => {
    expect(groupsOf(leg({ callId: 'in', at: 0 }), leg({ callId: 'reg', method: 'REGISTER', at: 100, extra: ['X-Call-ID: in'] }))).toEqual([]);
  });
});

describe('linking legs by RFC 7989 Session-ID', () => {
  const uuidA = 'ab'.repeat(16);
  const uuidB = 'cd'.repeat(16);
  it('links two calls sharing a UUID (local on one leg, remote on the other)', () => {
    const a = leg({ callId: 'a', from: 'x', at: 0, extra: [`Session-ID: ${uuidA};remote=${'0'.repeat(32)}`] });
    const b = leg({ callId: 'b', from: 'y', at: 100, extra: [`Session-ID: ${uuidB};remote=${uuidA.toUpperCase()}`] });
    expect(groupsOf(a, b)).toEqual([{ calls: ['a', 'b'], reasons: ['session-id'], guesses: [false] }]);
  });
  it('does not link on the null UUID or on different UUIDs', () => {
    const a = leg({ callId: 'a', from: 'x', at: 0, extra: [`Session-ID: ${uuidA};remote=${'0'.repeat(32)}`] });
    const b = leg({ callId: 'b', from: 'y', at: 100, extra: [`Session-ID: ${uuidB};remote=${'0'.repeat(32)}`] });
    expect(groupsOf(a, b)).toEqual([]);
  });
});

describe('linking legs by P-Charging-Vector icid-value', () => {
  it('links two calls with the same icid-value (quoted or not)', () => {
    const a = leg({ callId: 'a', from: 'x', at: 0, extra: ['P-Charging-Vector: icid-value=1234bc9876e;icid-generated-at=192.0.6.8;orig-ioi=home1.net'] });
    const b = leg({ callId: 'b', from: 'y', at: 100, extra: ['P-Charging-Vector: icid-value="1234bc9876e"'] });
    expect(groupsOf(a, b)).toEqual([{ calls: ['a', 'b'], reasons: ['icid'], guesses: [false] }]);
  });
  it('does not link different icid-values', () => {
    const a = leg({ callId: 'a', from: 'x', at: 0, extra: ['P-Charging-Vector: icid-value=one'] });
    const b = leg({ callId: 'b', from: 'y', at: 100, extra: ['P-Charging-Vector: icid-value=two'] });
    expect(groupsOf(a, b)).toEqual([]);
  });
});

describe('linking legs by a shared RTP stream (a B2BUA passing media directly)', () => {
  const stream = (firstFrame: number, ssrc = 7) => streamIdentity({ src: { ip: '10.0.0.13', port: 7078 }, dst: { ip: '10.0.0.2', port: 7078 }, ssrc, file: 'f.pcap', firstFrame });
  const twoCalls = () => {
    const messages = [leg({ callId: 'a', from: 'x', to: '1018', at: 0 }), leg({ callId: 'b', from: 'y', to: 'test18', at: 60 })].flat();
    return correlate(messages.sort((m, n) => m.time.sec - n.time.sec || m.time.nsec - n.time.nsec));
  };
  it('links two calls that the same stream (same packets) was tied to, not as a guess', () => {
    const calls = twoCalls();
    const groups = linkLegs(calls, {}, [[stream(203)], [stream(203)]]);
    expect(groups.map((g) => [g.calls.map((i) => calls[i]!.callId), g.links.map((l) => [l.reason, l.guess])])).toEqual([[['a', 'b'], [['shared-media', false]]]]);
  });
  it('does not link two streams on the same ports (one phone\'s calls one after the other), nor with no media known', () => {
    const calls = twoCalls();
    expect(linkLegs(calls, {}, [[stream(203)], [stream(900)]])).toEqual([]);
    expect(linkLegs(calls, {}, [[stream(203, 7)], [stream(203, 8)]])).toEqual([]);
    expect(linkLegs(calls)).toEqual([]);
  });
  it.skipIf(!existsSync(join(CORPUS_PCAP_DIR, 'michalcab-isa-hour-call.pcap')))('links the two legs of an Asterisk call with direct media (michalcab-isa-hour-call)', async () => {
    const result = await analyze([join(CORPUS_PCAP_DIR, 'michalcab-isa-hour-call.pcap')]);
    const legs = result.calls.filter((c) => c.leg !== null).map((c) => [c.number, c.leg!.role, c.leg!.links.map((l) => l.reason)]);
    expect(legs).toEqual([
      [2, 'inbound', ['shared-media']],
      [3, 'outbound', ['shared-media']],
    ]);
  });
});

describe('linking legs by numbers and time (a guess)', () => {
  it('normalises numbers: separators, +, 00 and 0 prefixes; names are not numbers', () => {
    expect(normalizeNumber('+49 (30) 555-123')).toBe('4930555123');
    expect(normalizeNumber('004930555123')).toBe('4930555123');
    expect(normalizeNumber('030555123')).toBe('30555123');
    expect(normalizeNumber('alice')).toBeNull();
    expect(normalizeNumber('12')).toBeNull();
    expect(normalizeNumber('1234;phone-context=example.com')).toBe('1234');
    expect(normalizeNumber('+')).toBeNull();
    expect(normalizeNumber('++4930555123')).toBeNull();
    expect(normalizeNumber(';4930555123')).toBeNull();
    expect(normalizeNumber('4930555123x')).toBeNull();
    expect(normalizeNumber('+0049 30')).toBe('4930');
    expect(sameNumber('4930555123', '30555123')).toBe(true);
    expect(sameNumber('123', '4123')).toBe(false);
  });

  it('normalises a number as the pattern it is written to (+? then digits and separators) says, for any user part', () => {
    // The definition normalizeNumber reads by hand.
    const byPattern = (user: string): string | null => {
      const bare = user.split(';')[0]!;
      if (!/^\+?[0-9\-.() ]+$/.test(bare)) return null;
      let digits = bare.replace(/[^0-9]/g, '');
      if (digits.length < 3) return null;
      if (digits.startsWith('00')) digits = digits.slice(2);
      else if (digits.startsWith('0')) digits = digits.slice(1);
      return digits.length >= 3 ? digits : null;
    };
    const alphabet = '0123456789+-.() ;a#\u00e9\n';
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 20_000; k++) {
      let user = '';
      for (let n = next(14); n > 0; n--) user += alphabet[next(alphabet.length)];
      expect(normalizeNumber(user), JSON.stringify(user)).toBe(byPattern(user));
    }
  });

  it('links the same caller and callee numbers 0.4 s apart, as a guess', () => {
    const a = leg({ callId: 'a', from: '+4930555123', to: '+4940777888', at: 0 });
    const b = leg({ callId: 'b', from: '030555123', to: '040777888', at: 400, inbound: false });
    expect(groupsOf(a, b)).toEqual([{ calls: ['a', 'b'], reasons: ['numbers-and-time'], guesses: [true] }]);
  });

  it('never links a burst of INVITEs from one address to many targets, whatever their numbers', () => {
    const burst = [0, 100, 200, 300].map((at, k) => leg({ callId: `s${k}`, from: '1001', to: '2002', at, finalAt: at + 4000 }));
    expect(groupsOf(...burst)).toEqual([]);
  });

  it('does not link the same numbers 30 s apart', () => {
    const a = leg({ callId: 'a', from: '1001', to: '2002', at: 0, finalAt: 40000 });
    const b = leg({ callId: 'b', from: '1001', to: '2002', at: 30000, inbound: false });
    expect(groupsOf(a, b)).toEqual([]);
  });

  it('honours the window option', () => {
    const calls = correlate([...leg({ callId: 'a', from: '1001', to: '2002', at: 0, finalAt: 9000 }), ...leg({ callId: 'b', from: '1001', to: '2002', at: 2000, inbound: false })].sort((x, y) => x.time.sec - y.time.sec || x.time.nsec - y.time.nsec));
    expect(linkLegs(calls)).toHaveLength(1);
    expect(linkLegs(calls, { windowMs: 1000 })).toHaveLength(0);
  });

  it('does not link a redial after the first call already failed', () => {
    const a = leg({ callId: 'a', from: '1001', to: '2002', at: 0, finalAt: 500 });
    const b = leg({ callId: 'b', from: '1001', to: '2002', at: 1500 });
    expect(groupsOf(a, b)).toEqual([]);
  });

  it('links by numbers past a call of the same caller whose callee is a name (only calls with a callee are compared)', () => {
    const a = leg({ callId: 'a', from: '1001', to: '2002', at: 0 });
    const named = leg({ callId: 'named', from: '1001', to: 'reception', at: 100 });
    const b = leg({ callId: 'b', from: '1001', to: '2002', at: 300, inbound: false });
    expect(groupsOf(a, named, b)).toEqual([{ calls: ['a', 'b'], reasons: ['numbers-and-time'], guesses: [true] }]);
  });

  it('links a call alone in its caller\'s bucket by another key, and a bucket whose other call has no callee', () => {
    const a = leg({ callId: 'a', from: '1001', to: '2002', at: 0 });
    const b = leg({ callId: 'b', from: '5555', to: '2002', at: 100, inbound: false, extra: ['X-Call-ID: a'] });
    expect(groupsOf(a, b)).toEqual([{ calls: ['a', 'b'], reasons: ['x-call-id'], guesses: [false] }]);
    const named = leg({ callId: 'named', from: '1001', to: 'reception', at: 100, inbound: false, extra: ['X-Call-ID: a'] });
    expect(groupsOf(leg({ callId: 'a', from: '1001', to: '2002', at: 0 }), named)).toEqual([{ calls: ['a', 'named'], reasons: ['x-call-id'], guesses: [false] }]);
  });

  it('does not link different callees, or names instead of numbers', () => {
    expect(groupsOf(leg({ callId: 'a', from: '1001', to: '2002', at: 0 }), leg({ callId: 'b', from: '1001', to: '2003', at: 300 }))).toEqual([]);
    expect(groupsOf(leg({ callId: 'a', from: 'alice', to: 'bob', at: 0 }), leg({ callId: 'b', from: 'alice', to: 'bob', at: 300 }))).toEqual([]);
  });

  /** An inbound INVITE challenged with `challenge` at `at`+20 ms, ACKed, sent again with credentials at `retryAt` (CSeq 2), and its final response. */
  function challenged(callId: string, at: number, retryAt: number, final: number | null, challenge = 407): CapturedMessage[] {
    const from = `From: <sip:1001@example.com>;tag=f-${callId}`;
    const to = 'To: <sip:2002@example.com>';
    const via1 = `Via: SIP/2.0/UDP ${A.ip};branch=z9hG4bK-${callId}-1`;
    const via2 = `Via: SIP/2.0/UDP ${A.ip};branch=z9hG4bK-${callId}-2`;
    const out = [
      captured(['INVITE sip:2002@example.com SIP/2.0', via1, from, to, `Call-ID: ${callId}`, 'CSeq: 1 INVITE'], at, A, P),
      captured([`SIP/2.0 ${challenge} Authentication Required`, via1, from, `${to};tag=c-${callId}`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE'], at + 20, P, A),
      captured(['ACK sip:2002@example.com SIP/2.0', via1, from, `${to};tag=c-${callId}`, `Call-ID: ${callId}`, 'CSeq: 1 ACK'], at + 40, A, P),
      captured(['INVITE sip:2002@example.com SIP/2.0', via2, from, to, `Call-ID: ${callId}`, 'CSeq: 2 INVITE', 'Proxy-Authorization: Digest username="1001", realm="pbx", nonce="n", uri="sip:2002@example.com", response="0123456789abcdef0123456789abcdef"'], retryAt, A, P),
    ];
    if (final !== null) out.push(captured([`SIP/2.0 ${final} Whatever`, via2, from, `${to};tag=t-${callId}`, `Call-ID: ${callId}`, 'CSeq: 2 INVITE'], retryAt + 3000, P, A));
    return out;
  }

  it('links an outbound leg to an inbound INVITE that was challenged first (407, then INVITE with credentials)', () => {
    const inbound = challenged('in', 0, 60, 200);
    const outbound = leg({ callId: 'out', from: '1001', to: '2002', at: 80, inbound: false, final: 200 });
    expect(groupsOf(inbound, outbound)).toEqual([{ calls: ['in', 'out'], reasons: ['numbers-and-time'], guesses: [true] }]);
  });

  it('links within the window of the INVITE sent again, even when the user took longer than the window to answer the challenge (401)', () => {
    const inbound = challenged('in', 0, 17_000, 486, 401);
    const outbound = leg({ callId: 'out', from: '1001', to: '2002', at: 17_030, inbound: false });
    expect(groupsOf(inbound, outbound)).toEqual([{ calls: ['in', 'out'], reasons: ['numbers-and-time'], guesses: [true] }]);
  });

  it('does not link a call after a challenge that no INVITE answered: the challenge was its end', () => {
    const inbound = challenged('in', 0, 60, null).slice(0, 3);
    const later = leg({ callId: 'later', from: '1001', to: '2002', at: 1000, inbound: false });
    expect(groupsOf(inbound, later)).toEqual([]);
  });

  it('keeps the header link when numbers would also link', () => {
    const a = leg({ callId: 'a', from: '1001', to: '2002', at: 0 });
    const b = leg({ callId: 'b', from: '1001', to: '2002', at: 300, extra: ['X-Call-ID: a'] });
    expect(groupsOf(a, b)).toEqual([{ calls: ['a', 'b'], reasons: ['x-call-id'], guesses: [false] }]);
  });
});

describe('legs in the analysis and its output', () => {
  it('b2bua-legs.pcap: the inbound 480 names the outbound 503 as its cause; the guess and the lone call', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'synthetic', 'b2bua-legs.pcap')]);
    const legs = result.calls.map((c) => c.leg);
    expect(legs[0]).toEqual({ group: 1, role: 'inbound', calls: [1, 2], links: [{ from: 1, to: 2, reason: 'x-call-id', guess: false, gapMs: 120 }], cause: { call: 2, status: 503 } });
    expect(legs[1]).toMatchObject({ group: 1, role: 'outbound', cause: null });
    expect(legs[2]).toMatchObject({ group: 2, calls: [3, 4], links: [{ reason: 'numbers-and-time', guess: true }], cause: { call: 4, status: 486 } });
    expect(legs[4]).toBeNull();
    const text = renderText(buildTimeline(result), { color: false });
    expect(text).toContain('legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)');
    expect(text).toContain('the outbound leg, call 2, got 503 Service Unavailable first, so this leg got 480 Temporarily Unavailable');
    expect(text).toContain('call 4 (outbound, guess: same numbers 400 ms apart)');
    const es = renderText(buildTimeline(result, 'es'), { color: false });
    expect(es).toContain('tramos: llamada 1 (entrante) → llamada 2 (saliente, X-Call-ID)');
    const json = JSON.parse(renderJson(buildTimeline(result)));
    expect(json.calls[0].leg.cause).toEqual({ call: 2, status: 503 });
    expect('leg' in json.calls[4]).toBe(false);
  });

  it("every analysed call has the same own members in the same order, linked or not (a library user spreads and serialises them)", async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'synthetic', 'b2bua-legs.pcap')]);
    expect(result.calls.some((c) => c.leg !== null) && result.calls.some((c) => c.leg === null)).toBe(true);
    for (const c of result.calls) expect(Object.keys(c)).toEqual(['number', 'call', 'outcome', 'figures', 'findings', 'media', 'leg']);
  });

  it('legs: false turns linking off', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'synthetic', 'b2bua-legs.pcap')], { legs: false });
    expect(result.calls.every((c) => c.leg === null)).toBe(true);
  });
});
