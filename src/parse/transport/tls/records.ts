/**
 * TLS records (RFC 8446 §5.1, RFC 5246 §6.2) out of one direction of a reassembled TCP
 * connection: a 5-byte header (content type, legacy version, length) and the fragment. Each
 * record goes out as soon as its last byte arrives, as a view (in place when one segment holds
 * it, else from the queue holding at most one record). A direction seen from the middle, or
 * after lost bytes, is read from the next place where record headers follow one another.
 */
import { u16be } from '../../capture/bytes.js';
import type { DiagnosticValues, StreamRef } from '../../../diagnostics.js';
import type { DiagnosticSink } from '../../diagnostic-sink.js';
import type { TlsRecord } from '../../outputs.js';
import type { Endpoint } from '../../../types.js';
import { ByteQueue, Provenance, type ChunkOrigin, type MemoryBudget, type StreamConsumer } from '../stream.js';
import { isTlsHello, tlsRecordAt } from './detect.js';

/**
 * The longest record fragment: 2^14 bytes of plaintext plus 2048 of compression and protection
 * (RFC 5246 §6.2.3; TLS 1.3 allows 2^14 + 256, RFC 8446 §5.2).
 */
export const MAX_TLS_RECORD = 16384 + 2048;

const HEADER = 5;

/** What the records of one direction share. */
export interface TlsDirection {
  readonly file: string;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly fromClient: boolean;
}

/** A header in step: a content type of TLS 1.3 or 1.2 (20-25) and a 3.x version (SSL 3.0 to TLS 1.3). */
function headerInStep(b: Uint8Array, p: number): boolean {
  const type = b[p]!;
  return type >= 20 && type <= 25 && b[p + 1] === 3 && b[p + 2]! <= 4;
}

/**
 * Where records start again in b[p, e): a plausible header (tls.ts tlsRecordAt) followed, when the
 * bytes reach that far, by another one. -1 when there is none yet.
 */
function findRecord(b: Uint8Array, p: number, e: number): number {
  for (let q = p; q + HEADER <= e; q++) {
    if (tlsRecordAt(b, q, e) === 0) continue;
    const next = q + HEADER + u16be(b, q + 3);
    if (next + 3 > e || headerInStep(b, next)) return q;
  }
  return -1;
}

export class TlsRecordStream implements StreamConsumer {
  private readonly queue: ByteQueue;
  private readonly provenance: Provenance;
  /** Stream position of the first byte not yet consumed. */
  private pos = 0;
  private now: ChunkOrigin | null = null;
  /** At a record boundary (else looking for one). */
  private inStep: boolean;
  /** Records delivered since the direction was last in step. */
  private index = 0;
  /** The next record follows lost or skipped bytes. */
  private resynced: boolean;
  private readonly onEnd: (() => void) | null;

  constructor(
    private readonly onRecord: (record: TlsRecord) => void,
    private readonly diagnostics: DiagnosticSink,
    /** The direction, as diagnostics name it (TLS 10.0.0.1:40000 → 10.0.0.2:5061). */
    private readonly stream: StreamRef,
    private readonly direction: TlsDirection,
    options: {
      readonly midstream: boolean;
      readonly first: { readonly bytes: Uint8Array; readonly start: number; readonly end: number };
      readonly budget?: MemoryBudget | null;
      /** Told when the direction ends, after its last record. */
      readonly onEnd?: (() => void) | null;
    },
  ) {
    this.onEnd = options.onEnd ?? null;
    const { bytes, start, end } = options.first;
    // Seen from the middle (no SYN): in step if the first bytes are a record header; numbering is
    // known only when that record is a hello, the first one of its direction.
    this.inStep = !options.midstream || tlsRecordAt(bytes, start, end) !== 0;
    this.resynced = options.midstream && !isTlsHello(bytes, start, end);
    this.queue = new ByteQueue(options.budget ?? null);
    this.provenance = new Provenance(options.budget ?? null);
  }

  data(bytes: Uint8Array, start: number, end: number, origin: ChunkOrigin, now: ChunkOrigin | null): void {
    if (end <= start) return;
    this.now = now;
    const queue = this.queue;
    this.provenance.add(this.pos + queue.length, origin);
    if (queue.length === 0) {
      // Nothing held: records are read in place, only an unfinished one is copied.
      const consumed = this.records(bytes, start, end);
      this.pos += consumed;
      if (start + consumed < end) queue.append(bytes, start + consumed, end);
    } else {
      queue.append(bytes, start, end);
      const consumed = this.records(queue.bytes, queue.head, queue.tail);
      this.pos += consumed;
      queue.consume(consumed);
    }
    this.provenance.release(this.pos);
  }

  gap(lost: number, _origin: ChunkOrigin, now: ChunkOrigin | null): void {
    this.now = now;
    this.pos += this.queue.length + lost;
    this.queue.reset();
    this.provenance.clear();
    this.outOfStep();
  }

  end(): void {
    // A record cut by the end of the capture is not delivered (nothing to decrypt in it).
    this.now = null;
    this.pos += this.queue.length;
    this.queue.free();
    this.provenance.clear();
    this.onEnd?.();
  }

  private outOfStep(): void {
    this.inStep = false;
    this.resynced = true;
    this.index = 0;
  }

  /** Delivers the whole records in b[s, e) (b[s] is at stream position this.pos); returns the bytes consumed. */
  private records(b: Uint8Array, s: number, e: number): number {
    let p = s;
    for (;;) {
      if (!this.inStep) {
        const at = findRecord(b, p, e);
        if (at < 0) {
          // Keep the last bytes: a header may start among them.
          p = Math.max(p, e - (HEADER - 1));
          break;
        }
        p = at;
        this.inStep = true;
      }
      if (e - p < HEADER) break;
      const length = u16be(b, p + 3);
      if (!headerInStep(b, p) || length > MAX_TLS_RECORD) {
        this.bad(
          length > MAX_TLS_RECORD && headerInStep(b, p)
            ? { stream: this.stream, reason: 'too-long', length, max: MAX_TLS_RECORD }
            : { stream: this.stream, reason: 'not-a-header', bytes: Buffer.from(b.subarray(p, p + HEADER)).toString('hex') },
          this.pos + (p - s),
        );
        this.outOfStep();
        p++;
        continue;
      }
      const total = HEADER + length;
      if (e - p < total) break;
      const from = this.pos + (p - s);
      const span = this.provenance.span(from, from + total, this.now);
      const d = this.direction;
      this.onRecord({
        file: d.file,
        frames: span.frames,
        frame: span.frame,
        sec: span.sec,
        nsec: span.nsec,
        offset: span.offset,
        client: d.client,
        server: d.server,
        fromClient: d.fromClient,
        contentType: b[p]!,
        version: u16be(b, p + 1),
        length,
        bytes: b.subarray(p, p + total),
        index: this.index++,
        resynced: this.resynced,
      });
      this.resynced = false;
      p += total;
    }
    return p - s;
  }

  private bad(values: DiagnosticValues['tls.bad-record'], pos: number): void {
    const origin = this.provenance.originAt(pos);
    this.diagnostics.report('tls.bad-record', values, origin === null ? {} : { frame: origin.frame, offset: this.provenance.offsetAt(pos) });
  }
}
