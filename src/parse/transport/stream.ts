/**
 * What flows out of a reassembled byte stream (TCP): in-order chunks with where they came
 * from, gaps, and the end. Consumers (SIP framing, WebSocket, HEP over TCP) own copies of the
 * bytes they keep and account for them in a shared memory budget.
 */
import type { InflateFailure } from '../../diagnostics.js';
/** Where a run of stream bytes came from. */
export interface ChunkOrigin {
  /** The frame that carried the bytes (for a reassembled IP datagram, the frame that completed it). */
  readonly frame: number;
  readonly sec: number;
  readonly nsec: number;
  /** Byte offset in the input of the chunk's first byte. */
  readonly offset: number;
  /** Every frame the bytes came from when the segment was an IP datagram reassembled from fragments, else null. */
  readonly frames: readonly number[] | null;
}

/**
 * Receives one direction of a stream, in order. `now` is the frame being decoded when the call
 * happens (for a segment held out of order, the later frame that filled the hole); a message
 * completed during the call was completed by that frame. null when no frame is being decoded
 * (the end of the input, an expiry).
 */
export interface StreamConsumer {
  /** Bytes [start, end) of `bytes` come next. The view is valid only during the call: copy what is kept. */
  data(bytes: Uint8Array, start: number, end: number, origin: ChunkOrigin, now: ChunkOrigin | null): void;
  /** `lost` bytes of the stream were never captured; the next data follows them. */
  gap(lost: number, origin: ChunkOrigin, now: ChunkOrigin | null): void;
  /** The stream ended (FIN, RST, eviction, end of input); report what is left. */
  end(): void;
}

/** Bytes held by stream consumers and reassembly buffers across all streams of one input. */
export class MemoryBudget {
  used = 0;
  constructor(readonly limit: number) {}
  get exceeded(): boolean {
    return this.used > this.limit;
  }
}

/** The frames a message came from, the frame that completed it, and where it starts. */
export interface Span {
  /** Ascending, without repeats. */
  readonly frames: readonly number[];
  /** The latest frame among them (the one that completed the message), and its time. */
  readonly frame: number;
  readonly sec: number;
  readonly nsec: number;
  /** Byte offset in the input of the first byte. */
  readonly offset: number;
}

/** Accounting for a provenance entry in the memory budget (object, array slots). */
const ENTRY_BYTES = 64;

/**
 * Which frame each stream position came from, for the bytes a consumer still holds. Positions
 * are counted from the consumer's first byte (gaps included), so they only grow.
 */
export class Provenance {
  private positions: number[] = [];
  private origins: ChunkOrigin[] = [];
  private head = 0;

  constructor(private readonly budget: MemoryBudget | null = null) {}

  /** The chunk starting at stream position `pos` came from `origin`. */
  add(pos: number, origin: ChunkOrigin): void {
    const n = this.positions.length;
    if (n > this.head && this.positions[n - 1] === pos) {
      // An empty chunk before this one: replace it.
      this.origins[n - 1] = origin;
      return;
    }
    this.positions.push(pos);
    this.origins.push(origin);
    if (this.budget !== null) this.budget.used += ENTRY_BYTES;
  }

  /**
   * Frames of the bytes [from, to) (to > from), the completing frame and the offset of `from`.
   * `now`: the frame that completed them, when later than the frames the bytes came from.
   */
  span(from: number, to: number, now: ChunkOrigin | null = null): Span {
    const positions = this.positions;
    const origins = this.origins;
    let i = this.head;
    // The entry holding `from`: the last one that starts at or before it.
    while (i + 1 < positions.length && positions[i + 1]! <= from) i++;
    const first = origins[i]!;
    const offset = first.offset + (from - positions[i]!);
    const frames: number[] = [];
    let last = first;
    for (let k = i; k < positions.length && positions[k]! < to; k++) {
      const o = origins[k]!;
      if (o.frames !== null) frames.push(...o.frames);
      else frames.push(o.frame);
      if (o.frame >= last.frame) last = o;
    }
    if (now !== null && now.frame > last.frame) {
      last = now;
      if (now.frames !== null) frames.push(...now.frames);
      else frames.push(now.frame);
    }
    frames.sort((a, b) => a - b);
    const unique = frames.filter((f, k) => k === 0 || frames[k - 1] !== f);
    return { frames: unique, frame: last.frame, sec: last.sec, nsec: last.nsec, offset };
  }

  /** Forgets the entries that lie wholly before stream position `pos`. */
  release(pos: number): void {
    const positions = this.positions;
    let h = this.head;
    while (h + 1 < positions.length && positions[h + 1]! <= pos) h++;
    if (h === this.head) return;
    if (this.budget !== null) this.budget.used -= (h - this.head) * ENTRY_BYTES;
    this.head = h;
    if (h > 64 && h * 2 > positions.length) {
      this.positions = positions.slice(h);
      this.origins = this.origins.slice(h);
      this.head = 0;
    }
  }

  /** Forgets everything (the consumer dropped its bytes). */
  clear(): void {
    if (this.budget !== null) this.budget.used -= (this.positions.length - this.head) * ENTRY_BYTES;
    this.positions = [];
    this.origins = [];
    this.head = 0;
  }

  /** The origin of the entry holding `pos` (for diagnostics), or null when nothing is held. */
  originAt(pos: number): ChunkOrigin | null {
    let i = this.head;
    if (i >= this.positions.length) return null;
    while (i + 1 < this.positions.length && this.positions[i + 1]! <= pos) i++;
    return this.origins[i]!;
  }

  /** The file offset of stream position `pos`, or -1. */
  offsetAt(pos: number): number {
    let i = this.head;
    if (i >= this.positions.length) return -1;
    while (i + 1 < this.positions.length && this.positions[i + 1]! <= pos) i++;
    return this.origins[i]!.offset + (pos - this.positions[i]!);
  }
}

/**
 * A growable byte buffer holding [head, tail) of `bytes`, counted in a memory budget. Appends
 * copy (the source is a view into the reused read buffer).
 */
export class ByteQueue {
  bytes = new Uint8Array(0);
  head = 0;
  tail = 0;

  constructor(private readonly budget: MemoryBudget | null = null) {}

  get length(): number {
    return this.tail - this.head;
  }

  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    if (this.tail + n > this.bytes.length) {
      const live = this.tail - this.head;
      if (live + n <= this.bytes.length && this.head > 0) {
        this.bytes.copyWithin(0, this.head, this.tail);
      } else {
        let capacity = Math.max(4096, this.bytes.length);
        while (capacity < live + n) capacity *= 2;
        const next = new Uint8Array(capacity);
        next.set(this.bytes.subarray(this.head, this.tail));
        if (this.budget !== null) this.budget.used += capacity - this.bytes.length;
        this.bytes = next;
      }
      this.head = 0;
      this.tail = live;
    }
    this.bytes.set(src.subarray(start, end), this.tail);
    this.tail += n;
  }

  consume(n: number): void {
    this.head += n;
    if (this.head >= this.tail) this.reset();
  }

  /** Empties the queue; a large buffer is given back. */
  reset(): void {
    this.head = 0;
    this.tail = 0;
    if (this.bytes.length > 65536) this.free();
  }

  free(): void {
    if (this.budget !== null) this.budget.used -= this.bytes.length;
    this.bytes = new Uint8Array(0);
    this.head = 0;
    this.tail = 0;
  }
}

/** Why zlib refused a compressed message (zlib's own text, or the size limit). */
export function inflateFailure(err: unknown, limit: number): InflateFailure {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ERR_BUFFER_TOO_LARGE') return { reason: 'too-large', kib: Math.round(limit / 1024) };
  return { reason: 'zlib', detail: { text: err instanceof Error ? err.message : String(err) } };
}
