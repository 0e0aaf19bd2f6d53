import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../src/parse/capture/input.js';

const text = (s: string): Uint8Array => Buffer.from(s, 'latin1');

describe('sniffFormat: what an input is, from its first bytes', () => {
  it('magic numbers: pcap in both byte orders and resolutions, pcapng, gzip', () => {
    expect(sniffFormat(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1))).toBe('pcap');
    expect(sniffFormat(Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d))).toBe('pcap');
    expect(sniffFormat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a))).toBe('pcapng');
    expect(sniffFormat(Uint8Array.of(0x1f, 0x8b, 0x08))).toBe('gzip');
  });

  it('text: a log, a coloured log, and a log holding a message with a stray control byte', () => {
    expect(sniffFormat(text('INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n'))).toBe('text');
    expect(sniffFormat(text('\u001b[32m2024-11-19 07:06:45\u001b[0m <--- Received SIP request\n'))).toBe('text');
    expect(sniffFormat(text(`INVITE sip:bob\u0007@example.com SIP/2.0\r\n${'Via: SIP/2.0/UDP 10.0.0.1\r\n'.repeat(10)}`))).toBe('text');
  });

  it('binary is not text: a NUL, or many control bytes', () => {
    expect(sniffFormat(text('INVITE sip:bob\u0000@example.com SIP/2.0\r\n'))).toBe('unknown');
    expect(sniffFormat(Uint8Array.from({ length: 256 }, (_, i) => (i * 7) & 0x1f | 1))).toBe('unknown');
    expect(sniffFormat(new Uint8Array(0))).toBe('unknown');
  });
});
