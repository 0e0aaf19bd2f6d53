/**
 * Cuts a byte stream into records (pcap packet records, pcapng blocks) without copying:
 * a record that lies inside one input chunk is handed out as a view into that chunk;
 * only a record that straddles two chunks is copied into a carry buffer. Memory is
 * bounded by the largest record the format allows, never by file size.
 */
export interface RecordFormat {
  /** Bytes needed before `recordLength` can be called. */
  headerBytes(): number;
  /** Total length of the record starting at `pos` (given at least headerBytes() bytes), or -1 to stop reading. */
  recordLength(buf: Uint8Array, pos: number, fileOffset: number): number;
  /** A whole record `buf[pos, pos + length)` that starts at `fileOffset` in the input. */
  onRecord(buf: Uint8Array, pos: number, length: number, fileOffset: number): void;
  /** The input ended inside a record. */
  onTruncated(fileOffset: number, have: number, need: number): void;
}

export class RecordAssembler {
  private carry = new Uint8Array(0);
  private carryLength = 0;
  /** Length of the record being assembled in `carry`, or 0 while its header is incomplete. */
  private carryNeed = 0;
  private offset = 0;
  private stopped = false;

  constructor(private readonly format: RecordFormat) {}

  get bytesConsumed(): number {
    return this.offset;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    const end = chunk.length;
    if (this.stopped) return;
    if (this.carryLength > 0) {
      pos = this.fillCarry(chunk);
      if (pos < 0 || this.stopped) return;
    }
    const format = this.format;
    while (!this.stopped) {
      const available = end - pos;
      const header = format.headerBytes();
      if (available < header) break;
      const length = format.recordLength(chunk, pos, this.offset);
      if (length < 0) {
        this.stopped = true;
        return;
      }
      if (available < length) break;
      format.onRecord(chunk, pos, length, this.offset);
      pos += length;
      this.offset += length;
    }
    if (pos < end && !this.stopped) this.startCarry(chunk, pos, end);
  }

  end(): void {
    if (this.stopped || this.carryLength === 0) return;
    const need = this.carryNeed > 0 ? this.carryNeed : this.format.headerBytes();
    this.format.onTruncated(this.offset, this.carryLength, need);
    this.carryLength = 0;
  }

  private startCarry(chunk: Uint8Array, pos: number, end: number): void {
    const tail = end - pos;
    this.ensureCarry(Math.max(tail, 64 * 1024));
    this.carry.set(chunk.subarray(pos, end), 0);
    this.carryLength = tail;
    this.carryNeed = 0;
    if (tail >= this.format.headerBytes()) this.measureCarry();
  }

  /** Continue the carried record with bytes from `chunk`; returns how many bytes of chunk were used, or -1 if all. */
  private fillCarry(chunk: Uint8Array): number {
    let used = 0;
    for (;;) {
      const target = this.carryNeed > 0 ? this.carryNeed : this.format.headerBytes();
      const take = Math.min(target - this.carryLength, chunk.length - used);
      this.ensureCarry(this.carryLength + take);
      this.carry.set(chunk.subarray(used, used + take), this.carryLength);
      this.carryLength += take;
      used += take;
      if (this.carryLength < target) return -1;
      if (this.carryNeed === 0) {
        this.measureCarry();
        if (this.stopped) return -1;
        continue;
      }
      this.format.onRecord(this.carry, 0, this.carryNeed, this.offset);
      this.offset += this.carryNeed;
      this.carryLength = 0;
      this.carryNeed = 0;
      return used;
    }
  }

  private measureCarry(): void {
    const length = this.format.recordLength(this.carry, 0, this.offset);
    if (length < 0) {
      this.stopped = true;
      this.carryLength = 0;
      return;
    }
    this.carryNeed = length;
  }

  private ensureCarry(size: number): void {
    if (this.carry.length >= size) return;
    const bigger = new Uint8Array(Math.max(size, this.carry.length * 2));
    bigger.set(this.carry.subarray(0, this.carryLength));
    this.carry = bigger;
  }
}
