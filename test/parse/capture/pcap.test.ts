import { describe, expect, it } from 'vitest';
import { writePcap, type Packet } from '../../support/capture-writer.js';
import { codes, readFrames } from '../../support/read-frames.js';

const packets: Packet[] = [
  { sec: 1700000000, nsec: 123456000, data: Buffer.from('first packet') },
  { sec: 1700000001, nsec: 999999000, data: Buffer.from('second'), origLen: 1500 },
  { sec: 1700000002, nsec: 0, data: Buffer.alloc(0) },
  { sec: 1700000003, nsec: 5000, data: Buffer.alloc(3000, 7) },
];

describe('classic pcap', () => {
  for (const littleEndian of [true, false]) {
    for (const nanoseconds of [false, true]) {
      it(`reads ${littleEndian ? 'little' : 'big'}-endian ${nanoseconds ? 'ns' : 'µs'} files`, () => {
        const file = writePcap({ linkType: 1, littleEndian, nanoseconds }, [...packets, { sec: 5, nsec: 123456789, data: Buffer.from('x') }]);
        const { frames, diagnostics, format, bigEndian } = readFrames(file);
        expect(diagnostics).toEqual([]);
        expect(format).toBe(nanoseconds ? 'pcap-ns' : 'pcap');
        expect(bigEndian).toBe(!littleEndian);
        expect(frames.map((f) => f.number)).toEqual([1, 2, 3, 4, 5]);
        expect(frames[0]).toMatchObject({ sec: 1700000000, nsec: 123456000, linkType: 1, origLen: 12, fileOffset: 24 + 16 });
        expect(frames[0]!.bytes.toString()).toBe('first packet');
        expect(frames[1]).toMatchObject({ origLen: 1500 });
        expect(frames[2]!.bytes.length).toBe(0);
        expect(frames[3]!.bytes).toEqual(Buffer.alloc(3000, 7));
        expect(frames[4]!.nsec).toBe(nanoseconds ? 123456789 : 123456000);
      });
    }
  }

  it('reads the modified (Kuznetzov) format with 24-byte record headers', () => {
    const file = writePcap({ linkType: 113, modified: true }, packets);
    const { frames, format } = readFrames(file);
    expect(format).toBe('pcap-modified');
    expect(frames.map((f) => f.bytes.length)).toEqual([12, 6, 0, 3000]);
    expect(frames[0]!.linkType).toBe(113);
  });

  it('ignores the FCS bits in the link-type field', () => {
    const file = writePcap({ linkType: 1 | 0x04000000 | (2 << 28) }, packets.slice(0, 1));
    expect(readFrames(file).frames[0]!.linkType).toBe(1);
  });

  it('gives the same frames whatever the chunk size', () => {
    const file = writePcap({ linkType: 1 }, packets);
    const whole = readFrames(file).frames;
    for (const chunk of [1, 2, 3, 7, 16, 23, 24, 25, 39, 40, 41, 100, 1000, 4096]) {
      expect(readFrames(file, chunk).frames, `chunk ${chunk}`).toEqual(whole);
    }
  });

  it('reports every truncation length with a diagnostic and keeps the whole records', () => {
    const file = writePcap({ linkType: 1 }, packets.slice(0, 2));
    const firstRecordEnd = 24 + 16 + 12;
    for (let length = 1; length < file.length; length++) {
      const { frames, diagnostics } = readFrames(file.subarray(0, length), length, 'pcap');
      const wholeRecords = length >= file.length ? 2 : length >= firstRecordEnd ? 1 : 0;
      expect(frames.length, `length ${length}`).toBe(wholeRecords);
      if (length < 24) expect(codes(diagnostics)).toEqual(['capture.truncated-header']);
      else if (length === 24 || length === firstRecordEnd) expect(diagnostics).toEqual([]);
      else {
        expect(codes(diagnostics), `length ${length}`).toEqual(['capture.truncated-record']);
        expect(diagnostics[0]).toMatchObject({ frame: wholeRecords + 1, offset: wholeRecords === 0 ? 24 : firstRecordEnd });
      }
    }
  });

  it('stops with a diagnostic at a record larger than any real packet', () => {
    const file = writePcap({ linkType: 1 }, packets.slice(0, 1));
    file.writeUInt32LE(0x7fffffff, 24 + 8);
    const { frames, diagnostics } = readFrames(file);
    expect(frames).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ code: 'capture.record-too-large', frame: 1, offset: 24 });
  });

  it('notes a captured length above the original length', () => {
    const file = writePcap({ linkType: 1 }, [{ sec: 1, nsec: 0, data: Buffer.from('abcdef'), origLen: 2 }]);
    const { frames, diagnostics } = readFrames(file);
    expect(frames.length).toBe(1);
    expect(codes(diagnostics)).toEqual(['capture.caplen-exceeds-origlen']);
  });
});
