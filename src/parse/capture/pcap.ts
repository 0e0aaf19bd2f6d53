import type { InputRef } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { u32 } from './bytes.js';
import type { CaptureInfo, FrameHandler, FrameView } from './frame.js';
import type { RecordFormat } from './record-assembler.js';

/** Classic pcap magics as read big-endian from the first four bytes (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html). */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Alexey Kuznetzov's "modified" pcap: 8 extra bytes per record header. */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

/** Sizes read per record; a const enum, so that the bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as const enums"). */
const enum PcapBytes {
  GLOBAL_HEADER = 24,
  /** Larger than any real link MTU or snaplen (libpcap's MAXIMUM_SNAPLEN is 262144); a bigger record means the file is corrupt. */
  MAX_RECORD = 16 * 1024 * 1024,
}

/** Reads classic pcap records (all four byte-order/resolution variants and the modified format). */
export class PcapFormat implements RecordFormat {
  private inGlobalHeader = true;
  private littleEndian = true;
  private nanoseconds = false;
  private recordHeaderBytes = 16;
  private snaplen = 0;
  private linkType = 0;
  private frameNumber = 0;
  readonly info: CaptureInfo = { format: 'pcap', bigEndian: false, interfaces: [], sections: 1 };

  constructor(
    private readonly frame: FrameView,
    private readonly onFrame: FrameHandler,
    private readonly diagnostics: DiagnosticSink,
    /** The input, as diagnostics that may be printed alone name it (the file could not be read); null: "the file". */
    private readonly file: InputRef | null = null,
  ) {}

  get frames(): number {
    return this.frameNumber;
  }

  headerBytes(): number {
    return this.inGlobalHeader ? PcapBytes.GLOBAL_HEADER : this.recordHeaderBytes;
  }

  recordLength(buf: Uint8Array, pos: number, fileOffset: number): number {
    if (this.inGlobalHeader) return PcapBytes.GLOBAL_HEADER;
    const capLen = u32(buf, pos + 8, this.littleEndian);
    if (capLen > PcapBytes.MAX_RECORD) {
      this.diagnostics.report(
        'capture.record-too-large',
        { record: this.frameNumber + 1, captured: capLen, snaplen: this.snaplen },
        { frame: this.frameNumber + 1, offset: fileOffset },
      );
      return -1;
    }
    return this.recordHeaderBytes + capLen;
  }

  onRecord(buf: Uint8Array, pos: number, length: number, fileOffset: number): void {
    if (this.inGlobalHeader) {
      this.readGlobalHeader(buf, pos);
      return;
    }
    const le = this.littleEndian;
    const frame = this.frame;
    frame.number = ++this.frameNumber;
    frame.sec = u32(buf, pos, le);
    const fraction = u32(buf, pos + 4, le);
    frame.nsec = this.nanoseconds ? fraction : fraction * 1000;
    const capLen = length - this.recordHeaderBytes;
    frame.origLen = u32(buf, pos + 12, le);
    frame.linkType = this.linkType;
    frame.data = buf;
    frame.start = pos + this.recordHeaderBytes;
    frame.end = frame.start + capLen;
    frame.fileOffset = fileOffset + this.recordHeaderBytes;
    if (capLen > frame.origLen) {
      this.diagnostics.count('capture.caplen-exceeds-origlen', '', { frame: frame.number }, {
        frame: frame.number,
        offset: fileOffset,
      });
    }
    this.onFrame(frame);
  }

  onTruncated(fileOffset: number, have: number, need: number): void {
    if (this.inGlobalHeader) {
      this.diagnostics.report('capture.truncated-header', { file: this.file, format: 'pcap', have, need: PcapBytes.GLOBAL_HEADER }, { offset: 0 });
      return;
    }
    this.diagnostics.report(
      'capture.truncated-record',
      { format: 'pcap', record: this.frameNumber + 1, have, need },
      { frame: this.frameNumber + 1, offset: fileOffset },
    );
  }

  private readGlobalHeader(buf: Uint8Array, pos: number): void {
    const magicBE = u32(buf, pos, false);
    const magicLE = u32(buf, pos, true);
    this.littleEndian = magicLE === PCAP_MAGIC_US || magicLE === PCAP_MAGIC_NS || magicLE === PCAP_MAGIC_MODIFIED;
    const magic = this.littleEndian ? magicLE : magicBE;
    this.nanoseconds = magic === PCAP_MAGIC_NS;
    this.recordHeaderBytes = magic === PCAP_MAGIC_MODIFIED ? 24 : 16;
    this.snaplen = u32(buf, pos + 16, this.littleEndian);
    // The link-type field's upper bits carry FCS information (pcap spec §"LinkType and additional information").
    const linkType = u32(buf, pos + 20, this.littleEndian) & 0x0fffffff;
    this.linkType = linkType & 0xffff;
    this.info.format = this.nanoseconds ? 'pcap-ns' : magic === PCAP_MAGIC_MODIFIED ? 'pcap-modified' : 'pcap';
    this.info.bigEndian = !this.littleEndian;
    this.info.interfaces.push({ linkType: linkType & 0xffff, snaplen: this.snaplen, tsUnitsPerSecond: this.nanoseconds ? 1e9 : 1e6, tsOffsetSec: 0 });
    this.inGlobalHeader = false;
  }
}
