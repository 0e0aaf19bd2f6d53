/**
 * Hostile and broken input: mutations of real fixtures (bit flips, truncations, length fields
 * set to 0 / max / off by one, duplicated and dropped records) and random bytes go through
 * the whole pipeline. Properties: nothing throws, every run ends quickly, and what is read
 * stays consistent (frame numbers increase, every diagnostic code is in the table).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTICS } from '../../src/diagnostics.js';
import { analyze } from '../../src/index.js';
import { parseSipMessage } from '../../src/parse/sip/parse.js';
import { REPO_ROOT } from '../support/captures.js';
import { FUZZ } from './seed.js';
import { diagnosticText } from '../../src/present/diagnostics.js';

const FIXTURES = [
  'samples/demo.pcap',
  'fixtures/synthetic/link-types.pcapng',
  'fixtures/synthetic/odd-sip.pcap',
  'fixtures/synthetic/big-endian-ns.pcap',
  'fixtures/real/sipp-call-tcp.pcap',
  'fixtures/real/sipp-call.pcapng',
].map((p) => readFileSync(join(REPO_ROOT, p)));

/** One mutation of a capture: where, and what is done there. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('u32' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff, 12, 16, 65535, 65536) }),
  fc.record({ kind: fc.constant('nudge' as const), at: fc.nat(), delta: fc.constantFrom(-4, -1, 1, 4) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    switch (m.kind) {
      case 'flip':
        b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'u32':
        if (at + 4 <= b.length) b.writeUInt32LE(m.value >>> 0, at);
        break;
      case 'nudge':
        if (at + 4 <= b.length) b.writeUInt32LE((b.readUInt32LE(at) + m.delta) >>> 0, at);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at, at + m.length), b.subarray(at + m.length)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

async function analyzeBytes(bytes: Buffer) {
  // Small chunks exercise the record assembler's boundaries as well.
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 997) chunks.push(bytes.subarray(i, i + 997));
  return analyze([{ name: 'fuzz', stream: Readable.from(chunks) }]);
}

function checkResult(result: Awaited<ReturnType<typeof analyzeBytes>>): void {
  const input = result.inputs[0]!;
  for (const d of input.diagnostics) expect(Object.hasOwn(DIAGNOSTICS, d.code), d.code).toBe(true);
  const frames = result.messages.map((m) => m.frame ?? 0);
  for (let i = 1; i < frames.length; i++) expect(frames[i]!).toBeGreaterThanOrEqual(frames[i - 1]!);
  expect(result.messages.length).toBe(result.calls.reduce((n, c) => n + c.call.messages.length, 0));
  // No siplens bug met on the way: no rule or step threw, no parser failure.
  expect(result.calls.flatMap((c) => c.findings).filter((f) => f.messageId === 'siplens-bug')).toEqual([]);
  expect(input.diagnostics.filter((d) => d.code === 'sip.parser-failure' || (d.code === 'input.unreadable' && /bug/.test(diagnosticText(d))))).toEqual([]);
}

describe('fuzzing the whole pipeline', () => {
  it('mutated fixtures never throw, end quickly and stay consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: FIXTURES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (which, mutations) => {
        const bytes = mutate(FIXTURES[which]!, mutations);
        const started = performance.now();
        checkResult(await analyzeBytes(bytes));
        // Generous bound: these inputs are at most a few tens of KB.
        expect(performance.now() - started).toBeLessThan(2000);
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.numRuns },
    );
  });

  it('random bytes behind a valid capture header never throw', async () => {
    const pcapHeader = FIXTURES[0]!.subarray(0, 24);
    const pcapngHeader = FIXTURES[1]!.subarray(0, FIXTURES[1]!.readUInt32LE(4));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 4096 }), async (ng, tail) => {
        checkResult(await analyzeBytes(Buffer.concat([ng ? pcapngHeader : pcapHeader, Buffer.from(tail)])));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.numRuns },
    );
  });
});

describe('fuzzing the analysis with hostile header values', () => {
  /** A call (INVITE, 180, 200, ACK, BYE, 200) as a raw SIP log, one header value replaced in every message. */
  const CALL = [
    ['INVITE sip:{v}@example.com SIP/2.0', 'a'],
    ['SIP/2.0 180 Ringing', 'b'],
    ['SIP/2.0 200 OK', 'b'],
    ['ACK sip:bob@10.0.0.2 SIP/2.0', 'a'],
    ['BYE sip:bob@10.0.0.2 SIP/2.0', 'a'],
    ['SIP/2.0 200 OK', 'b'],
  ] as const;
  const HEADERS = ['From', 'To', 'Contact', 'Call-ID', 'X-Call-ID', 'Session-ID', 'P-Charging-Vector', 'Reason', 'Warning', 'Session-Expires', 'Expires', 'Retry-After', 'Max-Forwards', 'Via', 'Content-Type'];
  const piece = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '\u0007', '\u001b[31m', '\u202e', '<', '>', '"', ';', ',', '=', ':', '@', 'sip:', 'tel:+1', ';tag=', ';branch=z9hG4bK', ';expires=', '9'.repeat(30), '-1', 'NaN', '\u00ff', '\ud800'),
  );
  const hostile = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('').replace(/[\r\n]/g, ' '));

  it('every header value, in every message of a call, may be anything on one line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HEADERS), hostile, async (header, value) => {
        const log = CALL.map(([start, side], i) => {
          const lines = [
            start.replace('{v}', () => value.replace(/ /g, '') || 'bob'),
            `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-fuzz-${start.startsWith('BYE') ? 2 : 1}`,
            'From: <sip:+4930555123@example.com>;tag=a1',
            `To: <sip:bob@example.com>${side === 'b' || i > 2 ? ';tag=b2' : ''}`,
            'Call-ID: fuzz@example.com',
            `CSeq: ${start.startsWith('BYE') || (start.startsWith('SIP') && i === 5) ? 2 : 1} ${start.startsWith('ACK') ? 'ACK' : start.startsWith('BYE') || i === 5 ? 'BYE' : 'INVITE'}`,
            'Contact: <sip:bob@10.0.0.2>',
            'Max-Forwards: 70',
          ].map((l) => (l.startsWith(`${header}:`) ? `${header}: ${value}` : l));
          if (!lines.some((l) => l.startsWith(`${header}:`))) lines.push(`${header}: ${value}`);
          return `${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`;
        }).join('');
        const result = await analyze([{ name: 'fuzz.log', stream: Readable.from([Buffer.from(log, 'utf8')]) }]);
        checkResult(result);
        expect(result.summary.messages).toBe(CALL.length);
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.numRuns },
    );
  });
});

describe('fuzzing the SIP parser', () => {
  const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9.!%*_+`'~-]{0,11}$/);
  const value = fc.stringMatching(/^[!-~][ -~]{0,40}$/).map((s) => s.trimEnd());

  it('never throws on arbitrary bytes, in datagram and stream mode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), (bytes, datagram) => {
        const r = parseSipMessage(bytes, { datagram });
        expect(r.consumed).toBeLessThanOrEqual(bytes.length);
        for (const d of r.diagnostics) expect(Object.hasOwn(DIAGNOSTICS, d.code)).toBe(true);
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.numRuns * 5 },
    );
  });

  it('valid generated messages round-trip: method, URI, Call-ID, CSeq, tags, branch and extra headers come back', () => {
    fc.assert(
      fc.property(token, token, fc.integer({ min: 0, max: 2 ** 31 - 1 }), token, token, token, fc.array(fc.tuple(token, value), { maxLength: 8 }), fc.boolean(), (method, callId, seq, fromTag, toTag, branch, extra, lfOnly) => {
        const eol = lfOnly ? '\n' : '\r\n';
        const method_ = method.toUpperCase();
        const headers = [
          `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK${branch}`,
          `From: <sip:a@example.com>;tag=${fromTag}`,
          `To: <sip:b@example.com>;tag=${toTag}`,
          `Call-ID: ${callId}@host`,
          `CSeq: ${seq} ${method_}`,
          ...extra.map(([n, v]) => `X-${n}: ${v}`),
          'Content-Length: 0',
        ];
        const text = `${method_} sip:b@example.com SIP/2.0${eol}${headers.join(eol)}${eol}${eol}`;
        const { message } = parseSipMessage(Buffer.from(text));
        expect([message.method, message.requestUri, message.callId, message.cseq, message.from?.tag, message.to?.tag, message.via[0]?.branch]).toEqual([
          method_,
          'sip:b@example.com',
          `${callId}@host`,
          { seq, method: method_ },
          fromTag,
          toTag,
          `z9hG4bK${branch}`,
        ]);
        const xs = message.headers.filter((h) => h.key.startsWith('x-'));
        expect(xs.map((h) => h.value)).toEqual(extra.map(([, v]) => v));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.numRuns },
    );
  });
});
