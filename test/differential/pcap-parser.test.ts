/**
 * pcap-parser (npm) as a second oracle for classic µs pcap: the same number of frames
 * with the same timestamps, lengths and bytes. It reads no pcapng and no ns pcap, so
 * those files are left to the tshark differential test.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import pcapParser from 'pcap-parser';
import { describe, expect, it } from 'vitest';
import { corpusCaptures, fixtureCaptures } from '../support/captures.js';
import { readFrames } from '../support/read-frames.js';

interface OraclePacket {
  sec: number;
  usec: number;
  origLen: number;
  bytes: Buffer;
}

function oracle(file: string): Promise<OraclePacket[]> {
  return new Promise((resolve, reject) => {
    const packets: OraclePacket[] = [];
    const parser = pcapParser.parse(file);
    parser.on('packet', (p: { header: { timestampSeconds: number; timestampMicroseconds: number; originalLength: number }; data: Buffer }) =>
      packets.push({ sec: p.header.timestampSeconds, usec: p.header.timestampMicroseconds, origLen: p.header.originalLength, bytes: Buffer.from(p.data) }),
    );
    parser.on('end', () => resolve(packets));
    parser.on('error', reject);
  });
}

function isClassicMicrosecondPcap(file: string): boolean {
  const magic = readFileSync(file).subarray(0, 4).toString('hex');
  return magic === 'a1b2c3d4' || magic === 'd4c3b2a1';
}

describe('siplens capture reader vs pcap-parser', () => {
  const files = [...fixtureCaptures(), ...corpusCaptures()].filter(isClassicMicrosecondPcap).filter((f) => !f.endsWith('truncated.pcap'));
  it.each(files.map((f) => [basename(f), f]))('%s: same frames, same bytes', async (_name, file) => {
    const theirs = await oracle(file);
    const ours = readFrames(readFileSync(file), 64 * 1024).frames;
    expect(ours.length).toBe(theirs.length);
    ours.forEach((f, i) => {
      const t = theirs[i]!;
      expect([f.sec, f.nsec / 1000, f.origLen], `frame ${f.number}`).toEqual([t.sec, t.usec, t.origLen]);
      expect(f.bytes.equals(t.bytes), `frame ${f.number} bytes`).toBe(true);
    });
  });
});
