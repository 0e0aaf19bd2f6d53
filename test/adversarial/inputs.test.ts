/**
 * Adversarial inputs from the hostile-input issue, each with what siplens must do: finish
 * quickly, keep what it can, and say what happened with a diagnostic.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { parseSipMessage } from '../../src/parse/sip/parse.js';
import { writePcap } from '../support/capture-writer.js';
import { ethernet, ipv4, sipRequest, udp } from '../support/packets.js';

function capture(payloads: { text: string | Buffer; sec?: number }[]): Buffer {
  return writePcap(
    { linkType: 1 },
    payloads.map((p, i) => ({ sec: p.sec ?? 1700000000 + i, nsec: 0, data: ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(5060, 5060, p.text))) })),
  );
}

async function run(bytes: Buffer) {
  const started = performance.now();
  const result = await analyze([{ name: 'adversarial', stream: Readable.from([bytes]) }]);
  return { result, ms: performance.now() - started, codes: result.inputs[0]!.diagnostics.map((d) => d.code) };
}

describe('adversarial inputs', () => {
  it('a Content-Length of 2^31 keeps the message and says the body is short', async () => {
    const text = sipRequest('INVITE', 'cl-huge').replace('Content-Length: 0', 'Content-Length: 2147483648') + 'v=0\r\n';
    const { result, codes } = await run(capture([{ text }]));
    expect(result.messages.length).toBe(1);
    expect(codes).toContain('sip.body-truncated');
  });

  it('a 60 KB header line in a datagram parses in linear time', async () => {
    const text = sipRequest('OPTIONS', 'long-line', 1, `X-Long: ${'a'.repeat(60_000)}\r\n`);
    const { result, ms } = await run(capture([{ text }]));
    expect(result.messages[0]!.message.headers.find((h) => h.key === 'x-long')!.value.length).toBe(60_000);
    expect(ms).toBeLessThan(2000);
  });

  it('100,000 header lines: the parser keeps its limit and says so', () => {
    const text = `OPTIONS sip:a@b SIP/2.0\r\n${'X-A: b\r\n'.repeat(100_000)}\r\n`;
    const started = performance.now();
    const r = parseSipMessage(Buffer.from(text));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.diagnostics.map((d) => d.code)).toContain('sip.too-many-headers');
  });

  it('a 10 MB line in a text log is cut with a diagnostic, and the SIP after it is still read', async () => {
    const log = Buffer.concat([Buffer.from(`junk ${'x'.repeat(10 * 1024 * 1024)}\n`), Buffer.from(sipRequest('OPTIONS', 'after-long-line'))]);
    const started = performance.now();
    const result = await analyze([{ name: 'huge.log', stream: Readable.from([log]) }]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.messages.map((m) => m.message.callId)).toEqual(['after-long-line']);
    expect(result.inputs[0]!.diagnostics.map((d) => d.code)).toContain('text.line-too-long');
  });

  it('timestamps going backwards: messages stay in frame order and a diagnostic says so', async () => {
    const { result, codes } = await run(
      capture([
        { text: sipRequest('OPTIONS', 'back', 1), sec: 1700000100 },
        { text: sipRequest('OPTIONS', 'back', 2), sec: 1700000000 },
      ]),
    );
    expect(result.messages.map((m) => m.frame)).toEqual([1, 2]);
    expect(codes).toContain('capture.time-backwards');
  });

  it('a datagram of binary junk on port 5060 is counted, not parsed', async () => {
    const { result, codes } = await run(capture([{ text: Buffer.alloc(1400, 0xff) }]));
    expect(result.messages).toEqual([]);
    expect(codes).toContain('sip.not-sip-on-sip-port');
  });
});

describe('linear time where the trace meets a pattern', () => {
  it('redaction of a display-name list made of 50,000 blanks', async () => {
    const { buildTimeline } = await import('../../src/present/timeline.js');
    const { redactTimeline } = await import('../../src/present/redact.js');
    const text = sipRequest('OPTIONS', 'blanks', 1, `Contact: ,${' '.repeat(50_000)}x\r\n`);
    const timeline = buildTimeline((await run(capture([{ text }]))).result);
    const started = performance.now();
    const redacted = redactTimeline(timeline, {});
    expect(performance.now() - started).toBeLessThan(3000);
    expect(redacted.calls.length).toBe(1);
  });

  it('a --call-id glob with many stars against a long Call-ID', async () => {
    const { glob } = await import('../../src/analysis/select.js');
    const started = performance.now();
    expect(glob('*a*a*a*a*a*a*a*b').test('a'.repeat(20_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    expect(glob('demo-*@192.0.2.*').test('demo-call-1@192.0.2.10')).toBe(true);
    expect(glob('*CALL*', 'i').test('x-call-y')).toBe(true);
    expect(glob('abc').test('abcd')).toBe(false);
    expect(glob('a*').test('a')).toBe(true);
    expect(glob('').test('')).toBe(true);
  });
});
