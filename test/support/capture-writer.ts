/**
 * A small pcap / pcapng writer for tests and fixtures: every byte order, timestamp
 * resolution and block type the reader supports, so tests can build exact inputs.
 */

export interface Packet {
  /** Seconds since the epoch. */
  sec: number;
  /** Nanoseconds within the second. */
  nsec: number;
  data: Uint8Array;
  /** Defaults to data.length. */
  origLen?: number;
  /** pcapng interface index (default 0). */
  interfaceId?: number;
}

class ByteWriter {
  private parts: Buffer[] = [];
  constructor(private readonly littleEndian: boolean) {}
  u8(v: number): this {
    this.parts.push(Buffer.from([v & 0xff]));
    return this;
  }
  u16(v: number): this {
    const b = Buffer.alloc(2);
    if (this.littleEndian) b.writeUInt16LE(v & 0xffff);
    else b.writeUInt16BE(v & 0xffff);
    this.parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    if (this.littleEndian) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    this.parts.push(b);
    return this;
  }
  i64(v: bigint): this {
    const b = Buffer.alloc(8);
    if (this.littleEndian) b.writeBigInt64LE(v);
    else b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  bytes(data: Uint8Array): this {
    this.parts.push(Buffer.from(data));
    return this;
  }
  pad4(): this {
    const len = this.length;
    if (len % 4 !== 0) this.parts.push(Buffer.alloc(4 - (len % 4)));
    return this;
  }
  get length(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface PcapOptions {
  linkType: number;
  littleEndian?: boolean;
  nanoseconds?: boolean;
  snaplen?: number;
  /** Kuznetzov's modified format (magic 0xa1b2cd34, 24-byte record headers). */
  modified?: boolean;
}

export function writePcap(options: PcapOptions, packets: readonly Packet[]): Buffer {
  const le = options.littleEndian ?? true;
  const w = new ByteWriter(le);
  const magic = options.modified ? 0xa1b2cd34 : options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4;
  w.u32(magic).u16(2).u16(4).u32(0).u32(0).u32(options.snaplen ?? 262144).u32(options.linkType);
  for (const p of packets) {
    w.u32(p.sec)
      .u32(options.nanoseconds ? p.nsec : Math.floor(p.nsec / 1000))
      .u32(p.data.length)
      .u32(p.origLen ?? p.data.length);
    if (options.modified) w.u32(0).u16(0).u8(0).u8(0);
    w.bytes(p.data);
  }
  return w.done();
}

export interface PcapngInterface {
  linkType: number;
  snaplen?: number;
  /** if_tsresol byte (default: absent = µs). */
  tsresol?: number;
  /** if_tsoffset seconds. */
  tsoffset?: number;
  name?: string;
}

export type PcapngBlock =
  | { type: 'shb'; littleEndian?: boolean; major?: number }
  | { type: 'idb'; iface: PcapngInterface }
  | { type: 'epb'; packet: Packet }
  | { type: 'spb'; packet: Packet }
  | { type: 'pb'; packet: Packet }
  | { type: 'raw'; blockType: number; body: Uint8Array };

function option(w: ByteWriter, code: number, value: Uint8Array): void {
  w.u16(code).u16(value.length).bytes(value).pad4();
}

/** Units of a timestamp for an interface's resolution. */
function timestampUnits(p: Packet, iface: PcapngInterface | undefined): bigint {
  const total = BigInt(p.sec - (iface?.tsoffset ?? 0)) * 1_000_000_000n + BigInt(p.nsec);
  const resol = iface?.tsresol;
  if (resol === undefined) return total / 1000n;
  if (resol & 0x80) return (total * (1n << BigInt(resol & 0x7f))) / 1_000_000_000n;
  const exp = resol & 0x7f;
  return exp >= 9 ? total * 10n ** BigInt(exp - 9) : total / 10n ** BigInt(9 - exp);
}

/** Writes pcapng blocks in order; the byte order follows the latest SHB. */
export function writePcapng(blocks: readonly PcapngBlock[]): Buffer {
  const out: Buffer[] = [];
  let le = true;
  let interfaces: PcapngInterface[] = [];
  for (const block of blocks) {
    if (block.type === 'shb') {
      le = block.littleEndian ?? true;
      interfaces = [];
    }
    const body = new ByteWriter(le);
    let type: number;
    switch (block.type) {
      case 'shb':
        type = 0x0a0d0d0a;
        body.u32(0x1a2b3c4d).u16(block.major ?? 1).u16(0).i64(-1n);
        break;
      case 'idb': {
        type = 1;
        interfaces.push(block.iface);
        body.u16(block.iface.linkType).u16(0).u32(block.iface.snaplen ?? 0);
        if (block.iface.name !== undefined) option(body, 2, Buffer.from(block.iface.name));
        if (block.iface.tsresol !== undefined) option(body, 9, Uint8Array.of(block.iface.tsresol));
        if (block.iface.tsoffset !== undefined) {
          const v = new ByteWriter(le).i64(BigInt(block.iface.tsoffset)).done();
          option(body, 14, v);
        }
        if (block.iface.name !== undefined || block.iface.tsresol !== undefined || block.iface.tsoffset !== undefined) body.u16(0).u16(0);
        break;
      }
      case 'epb':
      case 'pb': {
        const p = block.packet;
        const iface = p.interfaceId ?? 0;
        const units = timestampUnits(p, interfaces[iface]);
        type = block.type === 'epb' ? 6 : 2;
        if (block.type === 'epb') body.u32(iface);
        else body.u16(iface).u16(0);
        body.u32(Number(units >> 32n)).u32(Number(units & 0xffffffffn)).u32(p.data.length).u32(p.origLen ?? p.data.length).bytes(p.data).pad4();
        break;
      }
      case 'spb':
        type = 3;
        body.u32(block.packet.origLen ?? block.packet.data.length).bytes(block.packet.data).pad4();
        break;
      case 'raw':
        type = block.blockType;
        body.bytes(block.body).pad4();
        break;
    }
    const total = body.length + 12;
    const w = new ByteWriter(le);
    w.u32(type).u32(total).bytes(body.done()).u32(total);
    out.push(w.done());
  }
  return Buffer.concat(out);
}
