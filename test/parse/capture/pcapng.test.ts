import { describe, expect, it } from 'vitest';
import { writePcapng, type PcapngBlock } from '../../support/capture-writer.js';
import { codes, readFrames } from '../../support/read-frames.js';

const data = (s: string) => Buffer.from(s);

function twoInterfaceSection(littleEndian: boolean): PcapngBlock[] {
  return [
    { type: 'shb', littleEndian },
    { type: 'idb', iface: { linkType: 1, name: 'eth0' } },
    { type: 'idb', iface: { linkType: 113, tsresol: 9, snaplen: 65535 } },
    { type: 'epb', packet: { sec: 1700000000, nsec: 250000000, data: data('on eth0'), interfaceId: 0 } },
    { type: 'raw', blockType: 5, body: Buffer.alloc(16) }, // Interface Statistics: skipped
    { type: 'epb', packet: { sec: 1700000000, nsec: 123456789, data: data('on any, ns'), interfaceId: 1, origLen: 90 } },
    { type: 'pb', packet: { sec: 1700000001, nsec: 1000, data: data('obsolete PB'), interfaceId: 1 } },
  ];
}

describe('pcapng', () => {
  for (const littleEndian of [true, false]) {
    it(`reads several interfaces with their own link types and clocks (${littleEndian ? 'little' : 'big'} endian)`, () => {
      const { frames, diagnostics, bigEndian } = readFrames(writePcapng(twoInterfaceSection(littleEndian)));
      expect(bigEndian).toBe(!littleEndian);
      expect(frames.map((f) => [f.number, f.linkType, f.interfaceId, f.sec, f.nsec, f.bytes.toString()])).toEqual([
        [1, 1, 0, 1700000000, 250000000, 'on eth0'],
        [2, 113, 1, 1700000000, 123456789, 'on any, ns'],
        [3, 113, 1, 1700000001, 1000, 'obsolete PB'],
      ]);
      expect(frames[1]!.origLen).toBe(90);
      expect(diagnostics).toEqual([expect.objectContaining({ code: 'pcapng.unknown-block', count: 1 })]);
    });
  }

  it('reads sections of different byte orders, each with its own interfaces', () => {
    const file = writePcapng([
      ...twoInterfaceSection(true),
      { type: 'shb', littleEndian: false },
      { type: 'idb', iface: { linkType: 228 } },
      { type: 'epb', packet: { sec: 1700000005, nsec: 5000, data: data('second section') } },
    ]);
    const { frames, sections } = readFrames(file);
    expect(sections).toBe(2);
    expect(frames.map((f) => [f.number, f.linkType, f.bytes.toString()]).at(-1)).toEqual([4, 228, 'second section']);
  });

  it('forgets the previous section\'s interfaces', () => {
    const file = writePcapng([
      ...twoInterfaceSection(true),
      { type: 'shb' },
      { type: 'idb', iface: { linkType: 1 } },
      { type: 'epb', packet: { sec: 1, nsec: 0, data: data('x'), interfaceId: 1 } },
    ]);
    const { frames, diagnostics } = readFrames(file);
    expect(frames.length).toBe(3);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'pcapng.unknown-interface', frame: 4 }));
  });

  it('reads Simple Packet Blocks, cut to the interface snaplen', () => {
    const file = writePcapng([
      { type: 'shb' },
      { type: 'idb', iface: { linkType: 101, snaplen: 4 } },
      { type: 'spb', packet: { sec: 0, nsec: 0, data: data('abcdefgh') } },
    ]);
    const { frames } = readFrames(file);
    expect(frames[0]).toMatchObject({ number: 1, linkType: 101, origLen: 8, sec: 0, nsec: 0 });
    expect(frames[0]!.bytes.toString()).toBe('abcd');
  });

  it('applies if_tsresol (powers of 10 and 2) and if_tsoffset', () => {
    const file = writePcapng([
      { type: 'shb' },
      { type: 'idb', iface: { linkType: 1, tsresol: 3 } },
      { type: 'idb', iface: { linkType: 1, tsresol: 0x80 | 20 } },
      { type: 'idb', iface: { linkType: 1, tsoffset: 1600000000 } },
      { type: 'idb', iface: { linkType: 1, tsresol: 9 } },
      { type: 'epb', packet: { sec: 1700000000, nsec: 123000000, data: data('ms'), interfaceId: 0 } },
      { type: 'epb', packet: { sec: 1700000000, nsec: 500000000, data: data('2^-20'), interfaceId: 1 } },
      { type: 'epb', packet: { sec: 1700000000, nsec: 42000, data: data('offset'), interfaceId: 2 } },
      { type: 'epb', packet: { sec: 4102444800, nsec: 999999999, data: data('year 2100 ns'), interfaceId: 3 } },
    ]);
    const { frames } = readFrames(file);
    expect(frames.map((f) => [f.sec, f.nsec])).toEqual([
      [1700000000, 123000000],
      [1700000000, 500000000],
      [1700000000, 42000],
      [4102444800, 999999999],
    ]);
  });

  it('gives the same frames whatever the chunk size', () => {
    const file = writePcapng(twoInterfaceSection(false));
    const whole = readFrames(file).frames;
    for (let chunk = 1; chunk <= 64; chunk++) expect(readFrames(file, chunk).frames, `chunk ${chunk}`).toEqual(whole);
  });

  it('reports every truncation length and keeps the whole blocks', () => {
    const file = writePcapng(twoInterfaceSection(true));
    const full = readFrames(file).frames.length;
    for (let length = 1; length < file.length; length++) {
      const { frames, diagnostics } = readFrames(file.subarray(0, length), length, 'pcapng');
      expect(frames.length).toBeLessThanOrEqual(full);
      const c = codes(diagnostics).filter((x) => x !== 'pcapng.unknown-block');
      // A cut exactly on a block boundary loses nothing and says nothing.
      if (c.length > 0) expect(c, `length ${length}`).toEqual([length < 28 ? 'capture.truncated-header' : 'capture.truncated-record']);
    }
  });

  it('stops at an impossible block length', () => {
    for (const bad of [0, 8, 13, 0x7ffffffc]) {
      const file = writePcapng(twoInterfaceSection(true));
      const idbOffset = file.readUInt32LE(4);
      file.writeUInt32LE(bad, idbOffset + 4);
      const { frames, diagnostics } = readFrames(file);
      expect(frames).toEqual([]);
      expect(diagnostics[0]).toMatchObject({ code: 'pcapng.bad-block-length', offset: idbOffset + 4 });
    }
  });

  it('flags a trailing length that disagrees and goes on', () => {
    const file = writePcapng(twoInterfaceSection(true));
    const shbLength = file.readUInt32LE(4);
    file.writeUInt32LE(999, shbLength - 4);
    const { frames, diagnostics } = readFrames(file);
    expect(frames.length).toBe(3);
    expect(codes(diagnostics)).toContain('pcapng.block-length-mismatch');
  });

  it('flags a packet block whose captured length runs past the block', () => {
    const blocks = twoInterfaceSection(true);
    const file = writePcapng(blocks);
    // First EPB: after SHB and two IDBs.
    let offset = 0;
    for (let i = 0; i < 3; i++) offset += file.readUInt32LE(offset + 4);
    file.writeUInt32LE(5000, offset + 20);
    const { frames, diagnostics } = readFrames(file);
    expect(frames.map((f) => f.number)).toEqual([2, 3]);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'pcapng.bad-block', frame: 1 }));
  });

  it('refuses a byte-order magic it does not know', () => {
    const file = writePcapng(twoInterfaceSection(true));
    file.writeUInt32LE(0x12345678, 8);
    expect(codes(readFrames(file).diagnostics)).toEqual(['pcapng.bad-byte-order-magic']);
  });
});
