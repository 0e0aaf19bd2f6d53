/**
 * Message bytes made in shared slabs (src/parse/sip/message-bytes.ts), at their edges: the
 * largest message a slab takes (8 KiB) and the first it does not, messages that end a 64 KiB slab
 * exactly or do not fit in its tail, and the same sizes read whole through each path that makes
 * them (a UDP datagram, a TCP stream cut into segments, a text log). A message's bytes must be
 * exactly its own, whatever lies beside them in the slab, and stay so when the walk moves them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMessages } from '../../../src/analysis/session.js';
import { inSlab, messageBytes, messageBytesOfText, movedCopy } from '../../../src/parse/sip/message-bytes.js';
import { ownBytesOf, parseSipMessage } from '../../../src/parse/sip/parse.js';
import { writePcap } from '../../support/capture-writer.js';
import { ethernet, ipv4, tcp, udp } from '../../support/packets.js';

const SLAB = 64 * 1024;
const LARGEST = 8 * 1024;

/** A SIP request of exactly `size` bytes (its body a run of one letter, so that neighbours differ). */
function sipOfSize(size: number, n: number, letter = 'x'): string {
  const head = (bodyLength: number) =>
    `MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-${n}\r\nFrom: <sip:alice@example.com>;tag=a${n}\r\n` +
    `To: <sip:bob@example.com>\r\nCall-ID: size-${n}@example.com\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Type: text/plain\r\nContent-Length: ${bodyLength}\r\n\r\n`;
  let body = size - head(0).length;
  // The Content-Length's own digits count.
  while (head(body).length + body !== size) body--;
  if (body < 0) throw new Error(`no message of ${size} bytes`);
  return head(body) + letter.repeat(body);
}

const dir = mkdtempSync(join(tmpdir(), 'siplens-slab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('message bytes at the edges of a slab', () => {
  it('copies each message whole, 8-byte aligned, never overlapping its neighbours; past 8 KiB into a buffer of its own', () => {
    // Sizes that end a slab exactly, fill its tail but one byte, and straddle it.
    const sizes = [0, 1, 7, 8, 9, LARGEST - 1, LARGEST, LARGEST + 1, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST - 8, 8, LARGEST, 65, 3, SLAB - 1, SLAB, SLAB + 1];
    const made = sizes.map((n, i) => {
      const src = Buffer.alloc(n + 10, 0x41 + (i % 26));
      const bytes = messageBytes(src, 5, 5 + n);
      return { n, fill: 0x41 + (i % 26), bytes };
    });
    for (const { n, fill, bytes } of made) {
      expect(bytes.length).toBe(n);
      expect(bytes.every((b) => b === fill)).toBe(true);
      if (n > 0) expect(inSlab(bytes)).toBe(n <= LARGEST);
      if (inSlab(bytes)) expect(bytes.byteOffset % 8).toBe(0);
    }
    // No two views share a byte.
    const inSlabs = made.filter((m) => inSlab(m.bytes) && m.n > 0);
    for (let i = 0; i < inSlabs.length; i++)
      for (let j = i + 1; j < inSlabs.length; j++) {
        const a = inSlabs[i]!.bytes;
        const b = inSlabs[j]!.bytes;
        if (a.buffer !== b.buffer) continue;
        expect(a.byteOffset + a.length <= b.byteOffset || b.byteOffset + b.length <= a.byteOffset).toBe(true);
      }
  });

  it('a text log block is its latin1 bytes, at and past 8 KiB', () => {
    for (const n of [LARGEST - 1, LARGEST, LARGEST + 1]) {
      const text = 'é'.repeat(3) + 'z'.repeat(n - 3);
      const bytes = messageBytesOfText(text);
      expect(Buffer.compare(bytes, Buffer.from(text, 'latin1'))).toBe(0);
      expect(inSlab(bytes)).toBe(n <= LARGEST);
    }
  });

  it('a message moved out of its slab keeps its bytes and its body', () => {
    const text = sipOfSize(700, 1, 'q');
    const src = Buffer.from(text, 'latin1');
    const msg = parseSipMessage(messageBytes(src, 0, src.length)).message;
    const bodyBefore = Buffer.from(msg.body).toString('latin1');
    expect(inSlab(msg.raw)).toBe(true);
    ownBytesOf(msg);
    expect(inSlab(msg.raw)).toBe(false);
    expect(Buffer.from(msg.raw).toString('latin1')).toBe(text);
    expect(Buffer.from(msg.body).toString('latin1')).toBe(bodyBefore);
    // A body asked for after the move is a view of the new bytes.
    const msg2 = parseSipMessage(messageBytes(src, 0, src.length)).message;
    ownBytesOf(msg2);
    expect(Buffer.from(msg2.body).toString('latin1')).toBe(bodyBefore);
    expect(movedCopy(src).equals(src)).toBe(true);
  });

  // Messages of 8 KiB and about, back to back: several end a slab exactly or miss its tail.
  const SIZES = [LARGEST - 1, LARGEST, LARGEST + 1, 600, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST, 333, LARGEST - 8, LARGEST + 8, 1000, 20_000];
  const texts = SIZES.map((n, i) => sipOfSize(n, i, String.fromCharCode(0x61 + (i % 26))));

  it('a TCP stream cut into 1400-byte segments gives every message whole', async () => {
    const stream = Buffer.from(texts.join(''), 'latin1');
    const packets = [];
    for (let at = 0, i = 0; at < stream.length; at += 1400, i++) {
      packets.push({ sec: 1_700_000_000, nsec: i * 1000, data: ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', tcp(5060, 5060, stream.subarray(at, at + 1400), 1 + at), { protocol: 6 })) });
    }
    const path = join(dir, 'tcp.pcap');
    writeFileSync(path, writePcap({ linkType: 1 }, packets));
    const { messages } = await readMessages([path]);
    expect(messages.map((m) => Buffer.from(m.message.raw).toString('latin1'))).toEqual(texts);
  });

  it('UDP datagrams of the same sizes give every message whole', async () => {
    // One datagram each; past 64 KiB a datagram cannot go.
    const udpTexts = texts.filter((t) => t.length < 60_000);
    const packets = udpTexts.map((t, i) => ({ sec: 1_700_000_000, nsec: i * 1000, data: ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', udp(5060, 5060, Buffer.from(t, 'latin1')))) }));
    const path = join(dir, 'udp.pcap');
    writeFileSync(path, writePcap({ linkType: 1 }, packets));
    const { messages } = await readMessages([path]);
    expect(messages.map((m) => Buffer.from(m.message.raw).toString('latin1'))).toEqual(udpTexts);
  });

  it('a raw SIP text log of the same sizes gives every message whole', async () => {
    // A text log holds CRLF as LF; the reader gives the message its CRLFs back.
    const path = join(dir, 'raw.txt');
    const small = texts.filter((t) => t.length <= LARGEST + 8);
    writeFileSync(path, small.map((t) => t.replaceAll('\r\n', '\n')).join('\n'), 'latin1');
    const { messages } = await readMessages([path]);
    expect(messages.length).toBe(small.length);
    for (let i = 0; i < small.length; i++) {
      const raw = Buffer.from(messages[i]!.message.raw).toString('latin1');
      // Headers as sent; the body as the log held it.
      expect(raw.slice(0, raw.indexOf('\r\n\r\n'))).toBe(small[i]!.slice(0, small[i]!.indexOf('\r\n\r\n')));
      expect(messages[i]!.message.body.length).toBeGreaterThan(0);
    }
  });
});
