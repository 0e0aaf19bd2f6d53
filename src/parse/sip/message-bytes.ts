/**
 * The one home of a SIP message's bytes. Every path that makes a message (a UDP datagram, a TCP
 * or TLS stream's framer, a WebSocket or SCTP message, a HEP packet, a text log's block) copies
 * its bytes here, out of a buffer that is reused or let go, into a shared slab: consecutive
 * messages share one ArrayBuffer, so a message costs a bump of a pointer and a view, not an
 * ArrayBuffer of its own with its own backing store for the allocator and the collector
 * (BENCHMARKS.md sessions 12 and 18).
 *
 * A slab stays alive while any message in it does: a message of a call that stays up for hours
 * would keep its whole slab, and the bytes held would follow the slabs, not the open messages. So
 * the layer that holds the open calls walks them now and then (a SlabWalk of its own: due, then
 * ownBytesOfOld for each message it holds, then done): a message whose bytes lie in a
 * slab older than the recent window gets a copy of its own. After a walk no held message is in an
 * old slab, so the slabs alive are the window's and those made since: the bytes held stay within
 * the open messages' own plus a bound.
 */
import { Buffer } from 'node:buffer';

const enum Slab {
  /** Bytes of a slab (measured: BENCHMARKS.md session 18). */
  BYTES = 64 * 1024,
  /** A message longer than this gets a buffer of its own: it would waste most of a slab's tail. */
  LARGEST = 8 * 1024,
  /** Slabs made since a message's own that leave it where it is at a walk, at least (windowSlabs). */
  WINDOW = 16,
  /**
   * The window holds this many times the bytes of the messages a walk left in their slabs: a
   * message of a short call lives about as long as the messages held take to be made again (the
   * call's length, then the 32 s a finished call is held), and most are over before they leave
   * the window, so they are never copied; those of long calls are. On the SIP-heavy benchmark
   * 2.3 % of the messages are moved (BENCHMARKS.md session 18).
   */
  WINDOW_PER_YOUNG = 2,
  /** Slabs made between two walks at least (SlabWalk.done). */
  PERIOD = 16,
}

/** The slab being filled: a Buffer over it, and the bytes used. */
let slab: Buffer = Buffer.allocUnsafeSlow(0);
let used: number = Slab.BYTES;
/** Slabs made so far; the number of the slab being filled. */
let made = 0;
/** Messages made in slabs so far (SlabWalk.done: the mean size of a message). */
let messages = 0;
/** Each slab's number, for the walk's test of its age (a WeakMap: a slab let go takes its entry with it). */
const numbers = new WeakMap<ArrayBufferLike, number>();
/** Messages given bytes of their own after being made in a slab (tests, measurements). */
let moved = 0;

/** A copy of a message's bytes (made in a slab) in a buffer of its own. */
export function movedCopy(bytes: Uint8Array): Buffer {
  moved++;
  return ownCopy(bytes, 0, bytes.length);
}

/** A copy of b[start, end) in a buffer of its own (a message too large for a slab). */
function ownCopy(b: Uint8Array, start: number, end: number): Buffer {
  const copy = Buffer.allocUnsafeSlow(end - start);
  copy.set(b.subarray(start, end));
  return copy;
}

/** n bytes in the current slab (a new one when they do not fit), to be filled by the caller. */
function take(n: number): Buffer {
  if (used + n > Slab.BYTES) {
    // Zero-filled: a library caller that reads a message's `raw.buffer` sees its neighbours' bytes, never stale memory of the process.
    slab = Buffer.alloc(Slab.BYTES);
    used = 0;
    numbers.set(slab.buffer, ++made);
  }
  messages++;
  const view = slab.subarray(used, used + n);
  // 8-byte aligned: a message's view never shares a word with its neighbour's.
  used = (used + n + 7) & ~7;
  return view;
}

/** A copy of b[start, end) as a message's bytes: in a shared slab, or, when large, in a buffer of its own. */
export function messageBytes(b: Uint8Array, start: number, end: number): Buffer {
  const n = end - start;
  if (n > Slab.LARGEST) return ownCopy(b, start, end);
  const view = take(n);
  view.set(b.subarray(start, end));
  return view;
}

/** The latin1 bytes of `text` (one char a byte, as a text log's block is held) as a message's bytes. */
export function messageBytesOfText(text: string): Buffer {
  const n = text.length;
  if (n > Slab.LARGEST) return Buffer.from(text, 'latin1');
  const view = take(n);
  view.write(text, 0, n, 'latin1');
  return view;
}

/**
 * The walks of one holder of messages (an analysis; several may run in one process, sharing the
 * slabs): when its next walk is due and how old a slab must be for a message in it to be moved.
 * Each holder walks on its own clock, so none leaves its messages pinning old slabs because
 * another one walked.
 */
export class SlabWalk {
  /** The window (Slab.WINDOW), in slabs, as the last walk set it. */
  private windowSlabs: number = Slab.WINDOW;
  /** The slab count at which the next walk is due. */
  private walkAt: number = made + Slab.PERIOD;
  /** Messages the walk under way left in their slabs, young. */
  private young = 0;

  /** Whether the holder should walk its messages now (meets for each, then done): read for every message, so a compare. */
  due(): boolean {
    return made >= this.walkAt;
  }

  /**
   * The walk meets the ArrayBuffer a message's bytes lie in: 'old' when they lie in a slab older than the window and
   * should get a copy of their own (the caller makes it, movedCopy), 'young' when they lie in a
   * recent slab, 'own' when they have a buffer of their own.
   */
  meets(buffer: ArrayBufferLike): 'old' | 'young' | 'own' {
    const n = numbers.get(buffer);
    return n === undefined ? 'own' : n <= made - this.windowSlabs ? 'old' : 'young';
  }

  /**
   * The walk left `messages` messages where they are: a young one and those made after it (the
   * holder stops at the first young message of a call: the rest came later).
   */
  leaves(messages: number): void {
    this.young += messages;
  }

  /**
   * The walk is over. The window becomes twice the bytes of the young messages it left (at the
   * mean bytes of a message made so far); the next walk is due after half the window (a walk
   * costs a step per open call, and one per message it moves).
   */
  done(): void {
    const meanBytes = messages === 0 ? 0 : (made * Slab.BYTES) / messages;
    this.windowSlabs = Math.max(Slab.WINDOW, Math.ceil((Slab.WINDOW_PER_YOUNG * this.young * meanBytes) / Slab.BYTES));
    this.walkAt = made + Math.max(Slab.PERIOD, this.windowSlabs >> 1);
    this.young = 0;
  }
}

/** Whether `bytes` lie in a slab at all: a holder that keeps messages past their call's hand-over gives them a copy of their own. */
export function inSlab(bytes: Uint8Array | ArrayBufferLike): boolean {
  return numbers.has(ArrayBuffer.isView(bytes) ? bytes.buffer : bytes);
}

/** Slabs made, and messages moved out of theirs, so far (tests, measurements). */
export function slabCounts(): { made: number; moved: number } {
  return { made, moved };
}
