/**
 * Writes frames to a capture file, classic pcap or pcapng, through a fixed buffer flushed with
 * synchronous writes: memory stays one buffer whatever the number of frames. The byte layouts are
 * those the readers of src/parse/capture/ read (draft-ietf-opsawg-pcap and
 * draft-ietf-opsawg-pcapng); both are written little-endian with nanosecond timestamps, so the
 * times of the input survive whatever its resolution.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { PCAP_MAGIC_NS } from '../../parse/capture/pcap.js';
import { BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, BYTE_ORDER_MAGIC, OPT_IF_TSRESOL } from '../../parse/capture/pcapng.js';

export type CaptureFileFormat = 'pcap' | 'pcapng';

/** The format a file name asks for: pcapng by the extension `.pcapng`, classic pcap otherwise. */
export function captureFileFormat(path: string): CaptureFileFormat {
  return extname(path).toLowerCase() === '.pcapng' ? 'pcapng' : 'pcap';
}

/** One frame to write: its bytes are read during the call only. */
export interface FrameToWrite {
  readonly sec: number;
  readonly nsec: number;
  readonly linkType: number;
  /** Which capture interface it came from (input and pcapng interface): each gets its own pcapng Interface Description Block. */
  readonly interfaceKey: string;
  /** Length on the wire (at least bytes.length). */
  readonly origLen: number;
  readonly bytes: Uint8Array;
}

/** libpcap's MAXIMUM_SNAPLEN: larger than any frame the readers accept from a pcap. */
const SNAPLEN = 262144;
const BUFFER_BYTES = 1024 * 1024;

export class CaptureFileWriter {
  private readonly fd: number;
  private buffer = new Uint8Array(BUFFER_BYTES);
  private view = new DataView(this.buffer.buffer);
  private used = 0;
  private readonly interfaces = new Map<string, number>();
  private headerWritten = false;
  /** Frames written. */
  frames = 0;

  /**
   * `linkType`: a classic pcap holds one link type for every frame, known before the first frame
   * (the caller checks that the frames share it); pcapng names each interface's on first use.
   */
  constructor(
    path: string,
    readonly format: CaptureFileFormat,
    private readonly linkType: number,
  ) {
    this.fd = openSync(path, 'w');
  }

  write(frame: FrameToWrite): void {
    this.writeHeader();
    if (this.format === 'pcap') this.pcapRecord(frame);
    else this.enhancedPacket(frame);
    this.frames++;
  }

  /** Flushes and closes the file (a capture with no frame still gets its header: a valid, empty capture). */
  close(): void {
    try {
      this.writeHeader();
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private writeHeader(): void {
    if (this.headerWritten) return;
    this.headerWritten = true;
    if (this.format === 'pcap') {
      const p = this.reserve(24);
      this.u32(p, PCAP_MAGIC_NS);
      this.u16(p + 4, 2);
      this.u16(p + 6, 4);
      this.u32(p + 8, 0);
      this.u32(p + 12, 0);
      this.u32(p + 16, SNAPLEN);
      this.u32(p + 20, this.linkType);
      return;
    }
    // Section Header Block (§4.1): byte-order magic, version 1.0, section length unknown (-1).
    const p = this.reserve(28);
    this.u32(p, BLOCK_SHB);
    this.u32(p + 4, 28);
    this.u32(p + 8, BYTE_ORDER_MAGIC);
    this.u16(p + 12, 1);
    this.u16(p + 14, 0);
    this.u32(p + 16, 0xffffffff);
    this.u32(p + 20, 0xffffffff);
    this.u32(p + 24, 28);
  }

  private pcapRecord(frame: FrameToWrite): void {
    const n = frame.bytes.length;
    const p = this.reserve(16 + n);
    this.u32(p, frame.sec);
    this.u32(p + 4, frame.nsec);
    this.u32(p + 8, n);
    this.u32(p + 12, Math.max(frame.origLen, n));
    this.buffer.set(frame.bytes, p + 16);
  }

  /** The interface id of a frame's interface, writing its Interface Description Block (§4.2) on first use. */
  private interfaceId(frame: FrameToWrite): number {
    const known = this.interfaces.get(frame.interfaceKey);
    if (known !== undefined) return known;
    const id = this.interfaces.size;
    this.interfaces.set(frame.interfaceKey, id);
    // Fixed part 16 bytes, if_tsresol option (4 + 1, padded to 8), opt_endofopt (4), trailing length (4).
    const p = this.reserve(32);
    this.u32(p, BLOCK_IDB);
    this.u32(p + 4, 32);
    this.u16(p + 8, frame.linkType);
    this.u16(p + 10, 0);
    this.u32(p + 12, 0);
    this.u16(p + 16, OPT_IF_TSRESOL);
    this.u16(p + 18, 1);
    // if_tsresol 9: units of 10^-9 s, nanoseconds.
    this.u32(p + 20, 9);
    this.u32(p + 24, 0);
    this.u32(p + 28, 32);
    return id;
  }

  private enhancedPacket(frame: FrameToWrite): void {
    const id = this.interfaceId(frame);
    const n = frame.bytes.length;
    const padded = (n + 3) & ~3;
    const length = 32 + padded;
    const p = this.reserve(length);
    // Enhanced Packet Block (§4.3): a 64-bit timestamp in if_tsresol units, here nanoseconds.
    const ns = BigInt(frame.sec) * 1_000_000_000n + BigInt(frame.nsec);
    this.u32(p, BLOCK_EPB);
    this.u32(p + 4, length);
    this.u32(p + 8, id);
    this.u32(p + 12, Number(ns >> 32n));
    this.u32(p + 16, Number(ns & 0xffffffffn));
    this.u32(p + 20, n);
    this.u32(p + 24, Math.max(frame.origLen, n));
    this.buffer.set(frame.bytes, p + 28);
    this.buffer.fill(0, p + 28 + n, p + 28 + padded);
    this.u32(p + 28 + padded, length);
  }

  /** Room for `n` bytes at the returned position of the buffer (flushed first when full; grown for a record larger than it). */
  private reserve(n: number): number {
    if (this.used + n > this.buffer.length) this.flush();
    if (n > this.buffer.length) {
      // A record larger than the buffer (the readers accept records of up to 16 MiB): the buffer grows to hold it.
      this.buffer = new Uint8Array(n);
      this.view = new DataView(this.buffer.buffer);
    }
    const p = this.used;
    this.used += n;
    return p;
  }

  private flush(): void {
    let written = 0;
    while (written < this.used) written += writeSync(this.fd, this.buffer, written, this.used - written);
    this.used = 0;
  }

  private u16(p: number, v: number): void {
    this.view.setUint16(p, v, true);
  }

  private u32(p: number, v: number): void {
    this.view.setUint32(p, v >>> 0, true);
  }
}
