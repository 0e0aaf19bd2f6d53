import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import type { DiagnosticValues, InputRef, OtherFormat, ReadFailure, TraceText } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { u32 } from './bytes.js';
import { PCAP_MAGIC_MODIFIED, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap.js';
import { BLOCK_SHB } from './pcapng.js';
import { zlib } from '../lazy-builtins.js';

/** Bytes read per file read: large enough to amortise the syscall, small enough to stay in cache. */
export const READ_CHUNK_BYTES = 1024 * 1024;

export type SniffedFormat = 'pcap' | 'pcapng' | 'gzip' | 'text' | 'unknown';

/** What an input is made of, from its first bytes (never from its name). */
export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4) {
    const be = u32(head, 0, false);
    const le = u32(head, 0, true);
    for (const magic of [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MODIFIED]) if (be === magic || le === magic) return 'pcap';
    if (be === BLOCK_SHB) return 'pcapng';
  }
  if (looksLikeText(head)) return 'text';
  return 'unknown';
}

/**
 * Formats siplens does not read but can name from their first bytes, so an unreadable input
 * says what it is: other capture formats (Wireshark's editcap converts them) and compressions
 * other than gzip. Magic numbers from the formats' own documentation and Wireshark's wiretap.
 */
const OTHER_FORMATS: readonly { readonly magic: readonly number[]; readonly format: OtherFormat }[] = [
  { magic: [0x47, 0x4d, 0x42, 0x55], format: 'netmon2' }, // "GMBU"
  { magic: [0x52, 0x54, 0x53, 0x53], format: 'netmon1' }, // "RTSS"
  { magic: [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0, 0, 0], format: 'snoop' }, // "snoop\0\0\0"
  { magic: [0x58, 0x43, 0x50, 0x00], format: 'netxray' }, // "XCP\0"
  { magic: [0x54, 0x52, 0x53, 0x4e, 0x49, 0x46, 0x46], format: 'sniffer' }, // "TRSNIFF"
  { magic: [0x69, 0x70, 0x74, 0x72, 0x61, 0x63, 0x65], format: 'iptrace' }, // "iptrace"
  { magic: [0x42, 0x5a, 0x68], format: 'bzip2' }, // "BZh"
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], format: 'xz' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], format: 'zstd' },
  { magic: [0x50, 0x4b, 0x03, 0x04], format: 'zip' }, // "PK\3\4"
];

/** What an unreadable input is, when its first bytes say so; null when they name nothing siplens knows. */
export function otherFormat(head: Uint8Array): OtherFormat | null {
  return OTHER_FORMATS.find((f) => head.length >= f.magic.length && f.magic.every((byte, i) => head[i] === byte))?.format ?? null;
}

/**
 * Text: no NUL, and hardly any other control bytes. ESC starts the ANSI colour codes of
 * coloured logs (sipgrep, terminal captures) and does not count; a stray BEL or a control
 * byte inside a logged message (hostile traffic is logged too) does not make a log binary.
 */
function looksLikeText(head: Uint8Array): boolean {
  const n = Math.min(head.length, 512);
  if (n === 0) return false;
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i]!;
    if (c === 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b) || c === 0x7f) controls++;
  }
  return controls * 50 <= n;
}

/** Why an input cannot be read, as the diagnostic that says so. */
export type InputError =
  | { readonly code: 'input.not-found' | 'input.is-directory'; readonly values: { readonly input: InputRef } }
  | { readonly code: 'input.empty'; readonly values: DiagnosticValues['input.empty'] }
  | { readonly code: 'input.unreadable' | 'input.gzip-error'; readonly values: ReadFailure };

/** The text of an error, as the system or the library gave it. */
export function errorText(err: unknown): TraceText {
  return { text: err instanceof Error ? err.message : String(err) };
}

/**
 * Why an input could not be opened or read. Errors with an errno code are the system's
 * (permissions, I/O); any other error thrown while reading is a bug in siplens and says so.
 */
export function readFailure(path: string, err: unknown): ReadFailure {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const input = { path };
  if (code === 'EACCES' || code === 'EPERM') return { input, reason: 'permission' };
  if (code === 'EISDIR') return { input, reason: 'directory' };
  if (code === 'ENOENT') return { input, reason: 'vanished' };
  return { input, reason: typeof code !== 'string' ? 'bug' : code.startsWith('Z_') ? 'gzip' : 'system', detail: errorText(err) };
}

/** Checks that a path names a readable, non-empty file; returns the error otherwise. */
export async function checkFile(path: string): Promise<InputError | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { code: 'input.is-directory', values: { input: { path } } };
    if (info.isFile() && info.size === 0) return { code: 'input.empty', values: { input: { path }, reason: 'empty-file' } };
    return null;
  } catch (err) {
    // diagnostic: input.not-found or input.unreadable, reported by the caller (readInput) with these values
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { code: 'input.not-found', values: { input: { path } } };
    return { code: 'input.unreadable', values: readFailure(path, err) };
  }
}

/**
 * Reads a file in fixed-size chunks into two reused buffers. Each yielded view is valid
 * only until the next iteration: consumers process it synchronously (the record
 * assembler copies only records that straddle two chunks). The next chunk is read into
 * the other buffer while the consumer works on the current one, so decoding does not
 * wait for the disk (or the page cache copy) between chunks.
 */
export async function* fileChunks(path: string, chunkBytes = READ_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  let pending: Promise<{ bytesRead: number }> | null = null;
  try {
    const buffers = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)];
    let which = 0;
    pending = handle.read(buffers[0]!, 0, chunkBytes, null);
    for (;;) {
      const { bytesRead } = await pending;
      pending = null;
      if (bytesRead === 0) return;
      const current = buffers[which]!;
      which ^= 1;
      pending = handle.read(buffers[which]!, 0, chunkBytes, null);
      // A full chunk is the buffer itself, not a new view of it: every frame stores its chunk in
      // long-lived objects (the frame view, the media packet view), and storing an object made
      // per chunk, still young, into old ones ran V8's write barrier into its remembered set on
      // each store (about 120 instructions a frame more, cachegrind).
      yield bytesRead === chunkBytes ? current : current.subarray(0, bytesRead);
    }
  } finally {
    // A consumer that stopped early (the capture reader gave up on the file) leaves the read of a
    // chunk it will never ask for in flight: let it settle before closing. Its outcome is not
    // reported: nothing was lost that the consumer wanted.
    if (pending !== null) await Promise.allSettled([pending]);
    await handle.close();
  }
}

/** A Node stream (stdin, a socket) as chunks. */
export async function* streamChunks(stream: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, 'latin1');
    else if (chunk instanceof Uint8Array) yield chunk;
  }
}

/**
 * Opens a path as a chunk stream; used for compressed files, which go through zlib. The file is
 * opened when the first chunk is asked for, so a stream never started holds no descriptor.
 */
export async function* fileStream(path: string): AsyncGenerator<Uint8Array> {
  yield* streamChunks(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }));
}

function concatBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Splits the first `n` bytes off a chunk stream so the format can be sniffed, then replays them. */
export async function peek(chunks: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    // Copy: a file chunk's buffer is reused by the next read.
    parts.push(next.value.slice());
    have += next.value.length;
  }
  // The head is replayed as the first chunk: it keeps the kind of array the source yields (a file
  // yields Uint8Arrays, a Node stream Buffers), so the decoders see one kind only. A Buffer before
  // Uint8Arrays made V8 drop the optimized code of every per-frame function at the second chunk.
  const head = parts.length === 1 ? parts[0]! : parts[0] instanceof Buffer ? Buffer.concat(parts) : concatBytes(parts, have);
  async function* replay(): AsyncGenerator<Uint8Array> {
    let finished = done;
    try {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          return;
        }
        yield next.value;
      }
    } finally {
      // A consumer that stops early lets go of the source (its file) too.
      if (!finished) await iterator.return?.();
    }
  }
  return { head, all: replay() };
}

/**
 * Decompresses a gzip chunk stream. Through `pipeline`, not `pipe`: a corrupt stream, or a
 * consumer that stops early, destroys the source too, so its file is closed on every path.
 */
export function gunzip(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const unzip = zlib().createGunzip();
  // The error, if any, reaches the consumer through `unzip`, which pipeline destroys with it.
  pipeline(Readable.from(chunks, { objectMode: false }), unzip, () => {});
  return streamChunks(unzip);
}

/** A stream that fails part-way (corrupt gzip, I/O error): one diagnostic; what was read before is kept. */
export function reportReadError(diagnostics: DiagnosticSink, path: string, err: unknown, bytesRead: number): void {
  const code = (err as NodeJS.ErrnoException).code;
  const gzipError = typeof code === 'string' && code.startsWith('Z_');
  diagnostics.report(
    gzipError ? 'input.gzip-error' : 'input.unreadable',
    { input: { path }, reason: gzipError ? 'gzip-partway' : typeof code === 'string' ? 'system-partway' : 'bug-partway', bytesRead, detail: errorText(err) },
    { offset: bytesRead },
  );
}
