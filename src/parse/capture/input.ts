import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { DiagnosticCode } from '../../diagnostics.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import { u32 } from './bytes.js';
import { PCAP_MAGIC_MODIFIED, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap.js';
import { BLOCK_SHB } from './pcapng.js';

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
const OTHER_FORMATS: readonly { readonly magic: readonly number[]; readonly name: string; readonly capture: boolean }[] = [
  { magic: [0x47, 0x4d, 0x42, 0x55], name: 'a Microsoft Network Monitor 2.x capture', capture: true }, // "GMBU"
  { magic: [0x52, 0x54, 0x53, 0x53], name: 'a Microsoft Network Monitor 1.x capture', capture: true }, // "RTSS"
  { magic: [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0, 0, 0], name: 'a Solaris snoop capture', capture: true }, // "snoop\0\0\0"
  { magic: [0x58, 0x43, 0x50, 0x00], name: 'a NetXRay / Windows Sniffer capture', capture: true }, // "XCP\0"
  { magic: [0x54, 0x52, 0x53, 0x4e, 0x49, 0x46, 0x46], name: 'a Sniffer (DOS) capture', capture: true }, // "TRSNIFF"
  { magic: [0x69, 0x70, 0x74, 0x72, 0x61, 0x63, 0x65], name: 'an AIX iptrace capture', capture: true }, // "iptrace"
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2-compressed', capture: false }, // "BZh"
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed', capture: false },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed', capture: false },
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'a zip archive', capture: false }, // "PK\3\4"
];

/**
 * What an unreadable input is, when its first bytes say so, and what to do about it; null
 * when they name nothing siplens knows.
 */
export function otherFormat(head: Uint8Array): { readonly name: string; readonly advice: string } | null {
  const found = OTHER_FORMATS.find((f) => head.length >= f.magic.length && f.magic.every((byte, i) => head[i] === byte));
  if (found === undefined) return null;
  return {
    name: found.name,
    advice: found.capture ? 'convert it with editcap -F pcapng (Wireshark) and give siplens the result' : 'decompress it first (siplens reads gzip itself), or pipe it in: e.g. xz -dc FILE | siplens -',
  };
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

export interface InputError {
  readonly code: DiagnosticCode;
  readonly message: string;
}

/** How an input is named in a sentence: stdin ("-") by what it is. */
export function inputName(path: string): string {
  return path === '-' ? 'standard input (-)' : path;
}

/**
 * Why an input could not be opened or read, as one sentence that says what to do. Errors with
 * an errno code are the system's (permissions, I/O); any other error thrown while reading is a
 * bug in siplens and says so.
 */
export function readFailureMessage(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  const name = inputName(path);
  if (code === 'EACCES' || code === 'EPERM') return `${name} cannot be read: permission denied; give your user read access to it (chmod +r, or run siplens as a user who can read it)`;
  if (code === 'EISDIR') return `${name} is a directory; give the capture or log files in it instead`;
  if (code === 'ENOENT') return `${name} does not exist (it was removed while siplens started); check the path`;
  if (typeof code === 'string' && code.startsWith('Z_')) return `${name} begins like gzip data but does not decompress (${detail}): it is corrupt or was cut short; check it with gzip -t and copy it again`;
  if (typeof code === 'string') return `${name} cannot be read (${detail}); check that it is a regular file on a working disk or mount`;
  return `siplens failed while reading ${name} (${detail}); this is a bug in siplens: please report it with the file`;
}

/** Checks that a path names a readable, non-empty file; returns the error otherwise. */
export async function checkFile(path: string): Promise<InputError | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { code: 'input.is-directory', message: `${path} is a directory; give the capture or log files in it instead (e.g. ${join(path, '*.pcap')})` };
    if (info.isFile() && info.size === 0) {
      return { code: 'input.empty', message: `${path} is empty (0 bytes): nothing was written to it; if a capture is still running, stop it first (tcpdump writes as it goes only with -U)` };
    }
    return null;
  } catch (err) {
    // diagnostic: input.not-found or input.unreadable, reported by the caller (readInput) with this message
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { code: 'input.not-found', message: `${path} does not exist; check the path and the file name` };
    return { code: 'input.unreadable', message: readFailureMessage(path, err) };
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
      yield current.subarray(0, bytesRead);
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

/** Opens a path as a chunk stream; used for compressed files, which go through zlib. */
export function fileStream(path: string): AsyncIterable<Uint8Array> {
  return streamChunks(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }));
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
  const head = Buffer.concat(parts);
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, all: replay() };
}

/** Decompresses a gzip chunk stream. */
export function gunzip(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return streamChunks(Readable.from(chunks, { objectMode: false }).pipe(createGunzip()));
}

/** A stream that fails part-way (corrupt gzip, I/O error): one diagnostic; what was read before is kept. */
export function reportReadError(diagnostics: DiagnosticSink, path: string, err: unknown, bytesRead: number): void {
  const code = (err as NodeJS.ErrnoException).code;
  const gzipError = typeof code === 'string' && code.startsWith('Z_');
  const message = err instanceof Error ? err.message : String(err);
  const name = inputName(path);
  diagnostics.report(
    gzipError ? 'input.gzip-error' : 'input.unreadable',
    gzipError
      ? `${name}: the gzip data is corrupt or cut short after ${bytesRead} decompressed bytes (${message}); what came before is analysed — check the file with gzip -t and copy it again for the rest`
      : typeof code === 'string'
        ? `${name}: reading failed after ${bytesRead} bytes (${message}); what came before is analysed — copy the file again or check the disk for the rest`
        : `${name}: siplens failed after ${bytesRead} bytes (${message}); what came before is analysed — this is a bug in siplens: please report it with the file`,
    { offset: bytesRead },
  );
}
