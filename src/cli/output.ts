/**
 * Where reports go: stdout, or the file of --output (a failure to open it is a UsageError),
 * written as the report is made and paced by whoever reads it.
 */
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CLI_WORDS } from '../present/help.js';
import { sanitizeForTerminal } from '../present/render/sanitize.js';
import { langOf } from './args.js';
import { EXIT_INPUT_ERROR } from './exit-codes.js';
import { UsageError } from './options.js';

/**
 * Report text is gathered into buffers of this many bytes before it is written: one write per
 * call cost twice the CPU time of one per 64 KiB (the per-write work of a stream, and a Buffer made
 * from each string; BENCHMARKS.md, session 7).
 */
const enum Batch {
  BYTES = 1 << 16,
}

/** Batch buffers kept for reuse: more are in flight only while a slow reader holds them, and those go to the collector. */
const SPARE_BATCHES = 4;

/**
 * The report's destination, with back-pressure. A pipe takes what the reader has room for and
 * Node queues the rest in memory: when `write` says the queue is full, `ready()` is a promise
 * for the 'drain' that empties it, and the analysis awaits it before reading its next chunk
 * (AnalyzeStreamOptions.pace), so a slow reader slows siplens instead of growing its memory.
 * A file (--output) is written synchronously: nothing queues.
 */
export class ReportOutput {
  private waiting: Promise<void> | null = null;
  /** Wraps each write (the progress line steps aside for it). */
  around: ((write: () => void) => void) | null = null;
  /** Text written since the last flush, encoded in place (see Batch.BYTES). */
  private batch: Buffer | null = null;
  private batched = 0;
  private flushQueued = false;
  /**
   * Batch buffers written and let go, for the next batches (a new 64 KiB buffer per flush was
   * 0.7 % of an NDJSON run: BENCHMARKS.md, session 10). Only where nothing keeps a buffer once
   * written: a file, and stdout, whose stream holds one until its write callback; a caller's
   * stream may keep the chunks it is given.
   */
  private readonly spare: Buffer[] | null;

  private constructor(
    private readonly stream: NodeJS.WritableStream | null,
    private readonly fd: number | null,
    reuseBatches: boolean,
    /** `fd` is closed with the output (the file of --output; not stdout's). */
    private readonly ownsFd = true,
    /** What a failed write names: the --output path, or stdout. */
    private readonly target = 'stdout',
  ) {
    this.spare = reuseBatches ? [] : null;
  }

  /** stdout, or the file `output` (created or truncated). */
  static open(output: string | undefined): ReportOutput {
    if (output === undefined) return stdoutIsFile() ? new ReportOutput(null, STDOUT, true, false) : new ReportOutput(process.stdout, null, true);
    try {
      return new ReportOutput(null, openSync(output, 'w'), true, true, output);
    } catch (err) {
      throw new UsageError((w) => w.outputUnwritable(output, err instanceof Error ? err.message : String(err)));
    }
  }

  /** A stream of the caller's (tests: a pipe to a slow reader, a sink that collects the chunks). */
  static to(stream: NodeJS.WritableStream): ReportOutput {
    return new ReportOutput(stream, null, false);
  }

  /** Writes `text`; bytes are copied before this returns (the caller may reuse them: a renderer's bytes are valid until its next call). */
  write(text: string | Uint8Array): void {
    if (text.length === 0) return;
    if (this.around !== null) {
      this.flush();
      const owned = typeof text === 'string' ? text : Buffer.from(text);
      this.around(() => this.put(owned));
      return;
    }
    if (typeof text !== 'string') {
      this.writeBytes(text);
      return;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit: what may not fit goes as it is, after what is held.
    if (text.length * 3 > Batch.BYTES) {
      this.flush();
      this.put(text);
      return;
    }
    if (this.batched + text.length * 3 > Batch.BYTES) this.flush();
    this.batch ??= this.spare?.pop() ?? Buffer.allocUnsafe(Batch.BYTES);
    this.batched += this.batch.write(text, this.batched);
    this.flushSoon();
  }

  /** Bytes into the batch, or, more than a batch holds, after what is held in a copy of their own (a file's write is done before this returns). */
  private writeBytes(bytes: Uint8Array): void {
    if (bytes.length > Batch.BYTES) {
      this.flush();
      this.put(this.fd === null ? Buffer.from(bytes) : bytes);
      return;
    }
    if (this.batched + bytes.length > Batch.BYTES) this.flush();
    this.batch ??= this.spare?.pop() ?? Buffer.allocUnsafe(Batch.BYTES);
    this.batch.set(bytes, this.batched);
    this.batched += bytes.length;
    this.flushSoon();
  }

  private flushSoon(): void {
    if (this.flushQueued) return;
    // Nothing waits past this turn of the event loop: a live capture's calls show as they end.
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Hands what is held to the stream or the file; its buffer comes back for a later batch once written. */
  private flush(): void {
    if (this.batched === 0) return;
    const batch = this.batch!;
    const bytes = batch.subarray(0, this.batched);
    this.batch = null;
    this.batched = 0;
    const spare = this.spare;
    this.put(
      bytes,
      spare === null
        ? undefined
        : () => {
            if (spare.length < SPARE_BATCHES) spare.push(batch);
          },
    );
  }

  /** `written`: called once the bytes are out of the stream's hands (at once for a file). */
  private put(text: string | Uint8Array, written?: () => void): void {
    if (this.fd !== null) {
      const bytes = typeof text === 'string' ? Buffer.from(text) : text;
      let done = 0;
      try {
        while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
      } catch (err) {
        unwritable(this.target, err);
      }
      written?.();
      return;
    }
    const stream = this.stream!;
    if (stream.write(text, written) || this.waiting !== null) return;
    this.waiting = new Promise<void>((resolve) => {
      // A reader gone (EPIPE, closed) never drains: waiting ends then too, and the error is the stream's to report.
      const done = (): void => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        this.waiting = null;
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done);
    });
  }

  /** A promise for the reader to catch up, or undefined when nothing is queued: what the analysis awaits between chunks. */
  ready(): Promise<void> | undefined {
    this.flush();
    return this.waiting ?? undefined;
  }

  /** Waits until what was written has been taken by the reader. */
  async drained(): Promise<void> {
    this.flush();
    while (this.waiting !== null) await this.waiting;
  }

  close(): void {
    this.flush();
    if (this.fd !== null && this.ownsFd) closeSync(this.fd);
  }
}

const STDOUT = 1;

/**
 * True when stdout is a file or a device other than a terminal (`> report.ndjson`, `> /dev/null`):
 * then Node's own stdout writes each chunk at once (fs.writeSync, in its SyncWriteStream), and
 * the report is written to the descriptor as a file of --output is, without the stream's work
 * per batch and with its one batch buffer reused at once (through the stream, a batch was a new
 * 64 KiB buffer four times out of five: its write callback comes on the next tick, after the
 * batch's calls; BENCHMARKS.md, session 13). A pipe, a socket and a terminal keep the stream:
 * a pipe may hold a buffer after write() returns (session 12).
 */
function stdoutIsFile(): boolean {
  try {
    const stat = fstatSync(STDOUT);
    return stat.isFile() || (stat.isCharacterDevice() && !isatty(STDOUT));
  } catch {
    return false;
  }
}

/**
 * The report can no longer be written (a full disk, a device error, a file past its size limit):
 * one sentence and exit 2, as when --output cannot be opened, not a stack trace. What was written
 * before stays; nothing more would reach the reader, so the analysis stops here.
 */
export function unwritable(target: string, err: unknown): never {
  const words = CLI_WORDS[langOf(process.argv.slice(2), process.env)].errors;
  const reason = err instanceof Error ? err.message : String(err);
  process.stderr.write(`siplens: ${sanitizeForTerminal(words.outputUnwritable(target, reason))}\n`);
  process.exit(EXIT_INPUT_ERROR);
}

/** One line on stderr about what was written with -o (stdout holds no report then, and the file says nothing itself). */
export function saidWritten(line: string): void {
  process.stderr.write(`siplens: ${sanitizeForTerminal(line)}\n`);
}

/** Bytes copied back from a spill file at a time. */
const SPILL_CHUNK = 1 << 20;

/**
 * Report text held aside on disk until the head that must precede it is known (JUnit's totals,
 * Markdown's call table). The file is unlinked as soon as it is opened: it lives only through
 * its descriptor, so the system removes it however siplens ends (error, Ctrl-C, kill).
 */
export class Spill {
  private fd: number | null = null;
  private size = 0;

  append(text: string): void {
    if (text === '') return;
    // A temporary directory that cannot be written (full, missing, read-only TMPDIR) fails the
    // report as a full output disk does: one sentence naming it, exit 2.
    try {
      if (this.fd === null) {
        const dir = mkdtempSync(join(tmpdir(), 'siplens-'));
        const path = join(dir, 'spill');
        this.fd = openSync(path, 'w+', 0o600);
        unlinkSync(path);
        rmdirSync(dir);
      }
      const bytes = Buffer.from(text);
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.size + done);
      this.size += bytes.length;
    } catch (err) {
      unwritable(tmpdir(), err);
    }
  }

  /** Writes everything held to `out`, a chunk at a time, each once the reader is ready for it. */
  async copyTo(out: ReportOutput): Promise<void> {
    if (this.fd === null) return;
    // One buffer for every chunk: `write` copies what it is given before it returns.
    const buffer = Buffer.allocUnsafe(Math.min(SPILL_CHUNK, this.size));
    for (let position = 0; position < this.size; ) {
      const chunk = buffer.subarray(0, Math.min(SPILL_CHUNK, this.size - position));
      let filled = 0;
      while (filled < chunk.length) filled += readSync(this.fd, chunk, filled, chunk.length - filled, position + filled);
      position += filled;
      out.write(chunk);
      await out.ready();
    }
  }

  /** Writes each line held (without its line break) as `transform` makes it, a chunk of lines at a time, each once the reader is ready. */
  async copyLinesTo(out: ReportOutput, transform: (line: string) => string): Promise<void> {
    if (this.fd === null) return;
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let position = 0; position < this.size; ) {
      const chunk = Buffer.allocUnsafe(Math.min(SPILL_CHUNK, this.size - position));
      let filled = 0;
      while (filled < chunk.length) filled += readSync(this.fd, chunk, filled, chunk.length - filled, position + filled);
      position += filled;
      const lines = (rest + decoder.write(chunk)).split('\n');
      rest = lines.pop()!;
      out.write(lines.map(transform).join(''));
      await out.ready();
    }
    rest += decoder.end();
    if (rest !== '') out.write(transform(rest));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** A report made whole (the statistics, a JSON document of streams) to stdout or --output, at the reader's pace. */
export async function writeWhole(text: string, output: string | undefined): Promise<void> {
  const out = ReportOutput.open(output);
  try {
    out.write(text);
    await out.drained();
  } finally {
    out.close();
  }
}
