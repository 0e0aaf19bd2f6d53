import type { InputRef } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { u16, u32 } from './bytes.js';
import type { CaptureInfo, FrameHandler, FrameView } from './frame.js';
import type { RecordFormat } from './record-assembler.js';

/** pcapng block types (draft-ietf-opsawg-pcapng §4, §11). */
export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
const BLOCK_PB = 0x00000002; // obsolete Packet Block (Appendix A)
const BLOCK_SPB = 0x00000003;
export const BLOCK_EPB = 0x00000006;
const BLOCK_DSB = 0x0000000a;
/** Decryption Secrets Block secrets types (§4.7): TLS key log, the NSS format. */
const SECRETS_TLS_KEY_LOG = 0x544c534b;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_IF_NAME = 2;
export const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

/** Far above any real block; a larger length means corruption, and the file cannot be followed past it. */
export const MAX_PCAPNG_BLOCK = 64 * 1024 * 1024;

interface Interface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second (if_tsresol; default 10^6). */
  unitsPerSecond: number;
  /** Multiply the sub-second remainder by this to get nanoseconds (exact when units are a power of ten up to 10^9). */
  nsPerUnit: number;
  /** if_tsoffset: seconds added to every timestamp. */
  offsetSec: number;
}

const BLOCK_NAMES: Record<number, string> = {
  4: 'Name Resolution Block',
  5: 'Interface Statistics Block',
  7: 'IRIG Timestamp Block',
  8: 'ARINC 429 Block',
  9: 'systemd Journal Export Block',
  10: 'Decryption Secrets Block',
  0x00000bad: 'Custom Block',
  0x40000bad: 'Custom Block',
};

/** Reads pcapng: any number of sections, both byte orders, interfaces with their own link type and clock. */
export class PcapngFormat implements RecordFormat {
  private littleEndian = true;
  private interfaces: Interface[] = [];
  private sawSection = false;
  private frameNumber = 0;
  readonly info: CaptureInfo = { format: 'pcapng', bigEndian: false, interfaces: [], sections: 0 };

  constructor(
    private readonly frame: FrameView,
    private readonly onFrame: FrameHandler,
    private readonly diagnostics: DiagnosticSink,
    /** The input, as diagnostics that may be printed alone name it (the file could not be read); null: "the file". */
    private readonly file: InputRef | null = null,
    /** Told the TLS key log of each Decryption Secrets Block; null: such blocks are skipped as unknown. */
    private readonly onTlsSecrets: ((keyLog: string) => void) | null = null,
  ) {}

  get frames(): number {
    return this.frameNumber;
  }

  headerBytes(): number {
    // 12 bytes: an SHB's length can only be read once its byte-order magic (bytes 8..11) is known.
    return 12;
  }

  recordLength(buf: Uint8Array, pos: number, fileOffset: number): number {
    const type = u32(buf, pos, this.littleEndian);
    if (type === BLOCK_SHB) {
      const magicLE = u32(buf, pos + 8, true);
      if (magicLE === BYTE_ORDER_MAGIC) this.littleEndian = true;
      else if (u32(buf, pos + 8, false) === BYTE_ORDER_MAGIC) this.littleEndian = false;
      else {
        this.diagnostics.report('pcapng.bad-byte-order-magic', { file: this.file, at: fileOffset, magic: magicLE }, {
          offset: fileOffset + 8,
        });
        return -1;
      }
    } else if (!this.sawSection) {
      this.diagnostics.report('pcapng.packet-before-section', { file: this.file }, { offset: fileOffset });
      return -1;
    }
    const length = u32(buf, pos + 4, this.littleEndian);
    if (length < 12 || length % 4 !== 0 || length > MAX_PCAPNG_BLOCK) {
      this.diagnostics.report(
        'pcapng.bad-block-length',
        { file: this.file, type, at: fileOffset, length, max: MAX_PCAPNG_BLOCK },
        { offset: fileOffset + 4, frame: this.frameNumber + 1 },
      );
      return -1;
    }
    return length;
  }

  onRecord(buf: Uint8Array, pos: number, length: number, fileOffset: number): void {
    const le = this.littleEndian;
    const type = u32(buf, pos, le);
    const trailer = u32(buf, pos + length - 4, le);
    if (trailer !== length) {
      this.diagnostics.report('pcapng.block-length-mismatch', { at: fileOffset, leading: length, trailing: trailer }, {
        offset: fileOffset + length - 4,
      });
    }
    switch (type) {
      case BLOCK_EPB:
        this.readPacket(buf, pos, length, fileOffset, u32(buf, pos + 8, le), u32(buf, pos + 12, le), u32(buf, pos + 16, le), u32(buf, pos + 20, le), u32(buf, pos + 24, le), 28);
        return;
      case BLOCK_SPB: {
        if (length < 16) return this.badBlock('Simple Packet Block', fileOffset, length);
        const origLen = u32(buf, pos + 8, le);
        const iface = this.interfaces[0];
        let capLen = Math.min(origLen, length - 16);
        if (iface !== undefined && iface.snaplen > 0) capLen = Math.min(capLen, iface.snaplen);
        // SPBs carry no timestamp (§4.4): the frame gets time 0 so that it sorts first, as Wireshark shows it.
        this.readPacket(buf, pos, length, fileOffset, 0, 0, 0, capLen, origLen, 12);
        return;
      }
      case BLOCK_PB:
        if (length < 32) return this.badBlock('Packet Block', fileOffset, length);
        this.readPacket(buf, pos, length, fileOffset, u16(buf, pos + 8, le), u32(buf, pos + 12, le), u32(buf, pos + 16, le), u32(buf, pos + 20, le), u32(buf, pos + 24, le), 28);
        return;
      case BLOCK_SHB:
        this.readSectionHeader(buf, pos, length, fileOffset);
        return;
      case BLOCK_IDB:
        this.readInterface(buf, pos, length, fileOffset);
        return;
      case BLOCK_DSB:
        if (this.onTlsSecrets !== null && length >= 20 && u32(buf, pos + 8, le) === SECRETS_TLS_KEY_LOG) {
          // Secrets Type, Secrets Length, then the secrets as written to a key log file (§4.7).
          const secretsLength = Math.min(u32(buf, pos + 12, le), length - 20);
          this.onTlsSecrets(Buffer.from(buf.buffer, buf.byteOffset + pos + 16, secretsLength).toString('latin1'));
          return;
        }
        break;
    }
    this.diagnostics.count('pcapng.unknown-block', String(type), { type, name: BLOCK_NAMES[type] ?? null }, { offset: fileOffset });
  }

  onTruncated(fileOffset: number, have: number, need: number): void {
    if (!this.sawSection) {
      this.diagnostics.report('capture.truncated-header', { file: this.file, format: 'pcapng', have }, { offset: 0 });
      return;
    }
    this.diagnostics.report('capture.truncated-record', { format: 'pcapng', at: fileOffset, have, need }, {
      offset: fileOffset,
      frame: this.frameNumber + 1,
    });
  }

  private badBlock(block: 'Simple Packet Block' | 'Packet Block' | 'Section Header Block' | 'Interface Description Block', fileOffset: number, length: number): void {
    this.diagnostics.report('pcapng.bad-block', { reason: 'short', block, at: fileOffset, length }, { offset: fileOffset });
  }

  private readPacket(
    buf: Uint8Array,
    pos: number,
    length: number,
    fileOffset: number,
    interfaceId: number,
    tsHigh: number,
    tsLow: number,
    capLen: number,
    origLen: number,
    dataOffset: number,
  ): void {
    const number = this.frameNumber + 1;
    if (dataOffset + 4 > length || dataOffset + capLen + 4 > length) {
      this.frameNumber = number;
      this.diagnostics.report('pcapng.bad-block', { reason: 'captured-past-block', at: fileOffset, captured: capLen, holds: Math.max(0, length - dataOffset - 4) }, {
        offset: fileOffset,
        frame: number,
      });
      return;
    }
    const iface = this.interfaces[interfaceId];
    this.frameNumber = number;
    if (iface === undefined) {
      this.diagnostics.report('pcapng.unknown-interface', { frame: number, interfaceId }, {
        offset: fileOffset + 8,
        frame: number,
      });
      return;
    }
    const frame = this.frame;
    frame.number = number;
    frame.interfaceId = interfaceId;
    frame.linkType = iface.linkType;
    setTimestamp(frame, tsHigh, tsLow, iface);
    frame.data = buf;
    frame.start = pos + dataOffset;
    frame.end = frame.start + capLen;
    frame.origLen = origLen;
    frame.fileOffset = fileOffset + dataOffset;
    this.onFrame(frame);
  }

  private readSectionHeader(buf: Uint8Array, pos: number, length: number, fileOffset: number): void {
    if (length < 28) return this.badBlock('Section Header Block', fileOffset, length);
    const major = u16(buf, pos + 12, this.littleEndian);
    if (major !== 1) {
      this.diagnostics.report('pcapng.unsupported-version', { at: fileOffset, major, minor: u16(buf, pos + 14, this.littleEndian) }, { offset: fileOffset + 12 });
    }
    // A new section starts a new interface list (§4.1).
    this.interfaces = [];
    this.sawSection = true;
    this.info.sections++;
    if (this.info.sections === 1) this.info.bigEndian = !this.littleEndian;
  }

  private readInterface(buf: Uint8Array, pos: number, length: number, fileOffset: number): void {
    if (length < 20) return this.badBlock('Interface Description Block', fileOffset, length);
    const le = this.littleEndian;
    const iface: Interface = { linkType: u16(buf, pos + 8, le), snaplen: u32(buf, pos + 12, le), unitsPerSecond: 1e6, nsPerUnit: 1000, offsetSec: 0 };
    let name: string | undefined;
    let p = pos + 16;
    const end = pos + length - 4;
    while (p + 4 <= end) {
      const code = u16(buf, p, le);
      const len = u16(buf, p + 2, le);
      if (code === OPT_ENDOFOPT) break;
      if (p + 4 + len > end) {
        this.diagnostics.report('pcapng.bad-option', { option: code, at: fileOffset }, { offset: fileOffset + (p - pos) });
        break;
      }
      const v = p + 4;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        const resol = buf[v]!;
        const exponent = resol & 0x7f;
        // MSB clear: negative power of 10; set: negative power of 2 (§4.2, if_tsresol).
        iface.unitsPerSecond = resol & 0x80 ? 2 ** exponent : 10 ** exponent;
        iface.nsPerUnit = resol & 0x80 || exponent > 9 ? 0 : 10 ** (9 - exponent);
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        const low = u32(buf, v + (le ? 0 : 4), le);
        const high = u32(buf, v + (le ? 4 : 0), le) | 0; // signed 64-bit seconds
        iface.offsetSec = high * 4294967296 + low;
      } else if (code === OPT_IF_NAME && len > 0) {
        name = Buffer.from(buf.buffer, buf.byteOffset + v, len).toString('utf8');
      }
      p = v + ((len + 3) & ~3);
    }
    this.interfaces.push(iface);
    this.info.interfaces.push({
      linkType: iface.linkType,
      snaplen: iface.snaplen,
      tsUnitsPerSecond: iface.unitsPerSecond,
      tsOffsetSec: iface.offsetSec,
      ...(name === undefined ? {} : { name }),
    });
  }
}

/**
 * Splits a 64-bit timestamp (high:low, in `unitsPerSecond` units) into seconds and nanoseconds
 * with exact double arithmetic: long division by 16-bit digits keeps every intermediate below 2^53.
 */
export function setTimestamp(frame: FrameView, high: number, low: number, iface: Interface): void {
  const d = iface.unitsPerSecond;
  if (d === 1e6 && high < 0x100000) {
    // Fast path for the default µs clock while high * 2^32 + low stays below 2^52.
    const units = high * 4294967296 + low;
    const sec = Math.floor(units / 1e6);
    frame.sec = sec + iface.offsetSec;
    frame.nsec = (units - sec * 1e6) * 1000;
    return;
  }
  const q0 = Math.floor(high / d);
  const r0 = high - q0 * d;
  const x1 = r0 * 65536 + (low >>> 16);
  const q1 = Math.floor(x1 / d);
  const r1 = x1 - q1 * d;
  const x2 = r1 * 65536 + (low & 0xffff);
  const q2 = Math.floor(x2 / d);
  const remainder = x2 - q2 * d;
  frame.sec = q0 * 4294967296 + q1 * 65536 + q2 + iface.offsetSec;
  frame.nsec = iface.nsPerUnit > 0 ? remainder * iface.nsPerUnit : Math.floor((remainder / d) * 1e9);
}
