/**
 * The one file that wires the layers: input -> capture format (or text log) -> frames -> the
 * layer loop (layers.ts: link -> IP -> UDP/TCP/SCTP/... each naming its successor) -> SIP
 * messages, and beside them the optional outputs of outputs.ts. Frames are views into the
 * reader's buffer; only bytes that form a SIP message are copied.
 */
import type { CaptureFormat, CapturedMessage, InputSummary, Timestamp } from '../types.js';
import { checkFile, fileChunks, fileStream, gunzip, otherFormat, peek, readFailure, reportReadError, sniffFormat, streamChunks } from './capture/input.js';
import type { CaptureInfo, FrameView } from './capture/frame.js';
import { createCaptureReader } from './capture/reader.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { LayerId } from './layer.js';
import { LAYERS } from './layers.js';
import type { PacketSinks } from './outputs.js';
import { Packet } from './packet.js';
import { readTextLog } from './text/reader.js';
import { plainMedia } from './transport/media.js';
import { TlsKeyLog } from './transport/tls/keylog.js';

/** An input: a path, or a named stream (stdin). */
export type InputSpec = string | { readonly name: string; readonly stream: AsyncIterable<unknown> };

/**
 * What to read and where its outputs go. Beside SIP messages, the optional sinks of PacketSinks
 * (outputs.ts) receive what the layers find in capture order; a sink left out costs nothing.
 * Text logs hold SIP messages only.
 */
export interface ReadOptions extends PacketSinks {
  /** Called for each SIP message in capture order, as soon as it is found. */
  readonly onMessage: (message: CapturedMessage) => void;
  /** Text logs that print times without a date: the date (YYYY-MM-DD) of the first message. */
  readonly date?: string;
  /** Told the bytes of the input read so far (after decompression), once per chunk: for a progress display. */
  readonly onBytes?: (bytes: number) => void;
  /** Stops reading (Ctrl-C): the input ends there, with an `input.interrupted` diagnostic, and what was read is analysed. */
  readonly signal?: AbortSignal;
  /** Awaited before each chunk after the first is decoded: lets a consumer hold the reader back (merge.ts). */
  readonly beforeChunk?: () => Promise<void> | undefined;
  /**
   * Told once the input's format is known, or it was rejected (at the latest when readInput
   * returns): a caller opening many inputs lets the next one be opened then (merge.ts).
   */
  readonly onSniffed?: () => void;
  /** TLS secrets from key logs (transport/tls/keylog.ts): TLS connections whose client random they hold are decrypted. */
  readonly tlsKeys?: TlsKeyLog;
  /**
   * Told each frame of a capture after every layer (and every sink) has seen it: a consumer that
   * copies frames out (the capture writer) decides from what the sinks said about this frame.
   * The frame is a reused view, valid during the call only.
   */
  readonly onFrame?: (frame: FrameView) => void;
}

/**
 * One listener on an abort signal, however many inputs read under it (Node warns past ten
 * listeners): each reader registers a function here, and the one listener calls them all.
 */
const STOPS = new WeakMap<AbortSignal, Set<() => void>>();

function onAbort(signal: AbortSignal, stop: () => void): () => void {
  let stops = STOPS.get(signal);
  if (stops === undefined) {
    const all = new Set<() => void>();
    stops = all;
    STOPS.set(signal, all);
    signal.addEventListener('abort', () => {
      for (const f of [...all]) f();
    }, { once: true });
  }
  const mine = stops;
  mine.add(stop);
  return () => mine.delete(stop);
}

/**
 * The files one input opened. readInput closes them when it returns, whichever way it returns
 * (rejected after sniffing, bad gzip, an error part-way, a reader that stopped early): no
 * descriptor outlives its input.
 */
class OpenFiles {
  private readonly iterators: AsyncIterator<Uint8Array>[] = [];

  /** `chunks`, closed (its iterator returned) by closeAll. */
  track(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    const iterator = chunks[Symbol.asyncIterator]();
    this.iterators.push(iterator);
    return { [Symbol.asyncIterator]: () => iterator };
  }

  /** Lets go of every file opened so far (a file's pending read settles first: it always does). */
  async closeAll(): Promise<void> {
    const open = this.iterators.splice(0);
    await Promise.allSettled(open.map((iterator) => iterator.return?.()));
  }
}

/**
 * The chunks of `source` until `signal` is aborted, even while a chunk is awaited (a live
 * capture on stdin may send nothing for a long time); `onStop` is told how many bytes came.
 */
async function* untilAborted(source: AsyncIterable<Uint8Array>, signal: AbortSignal, onStop: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  if (signal.aborted) {
    onStop(bytes);
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  // Not Promise.race against one promise that stays pending for the whole input: each race adds a
  // reaction to it that keeps the race's result (the chunk) alive until it settles, so a stream
  // of fresh buffers (stdin) was held whole. Each read gets its own settle-once promise instead.
  let aborted = false;
  let wake: ((value: null) => void) | null = null;
  const forget = onAbort(signal, () => {
    aborted = true;
    wake?.(null);
  });
  try {
    for (;;) {
      const next = await new Promise<IteratorResult<Uint8Array> | null>((resolve, reject) => {
        if (aborted) return resolve(null);
        wake = resolve;
        iterator.next().then(resolve, reject);
      });
      wake = null;
      if (next === null) {
        onStop(bytes);
        return;
      }
      if (next.done === true) return;
      bytes += next.value.length;
      yield next.value;
    }
  } finally {
    forget();
    // Lets go of the file or the stream; not awaited, as a read may still be pending.
    void iterator.return?.();
  }
}

/** The chunks of `source`, counting the bytes handed over. */
async function* counted(source: AsyncIterable<Uint8Array>, onBytes: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of source) {
    yield chunk;
    bytes += chunk.length;
    onBytes(bytes);
  }
}

/** The chunks of `source`, each one handed over only when `before` allows it. */
async function* held(source: AsyncIterable<Uint8Array>, before: () => Promise<void> | undefined): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    await before();
    yield chunk;
  }
}

/** How often (capture seconds) expired fragments and streams are swept. */
const SWEEP_INTERVAL = 1;

/**
 * Decodes the frames of one input: the layers (layers.ts) run in turn over a reused Packet, each
 * naming the next, until one says DONE. One instance per input; nothing here knows a protocol.
 */
export class FrameDecoder {
  private readonly packet: Packet;
  private sweepAt = -Infinity;
  firstTime: Timestamp | null = null;
  /** Latest frame time (a capture whose clock steps back does not move it back). */
  lastSec = -Infinity;
  lastNsec = 0;
  /** The key logs' secrets, and the ones this capture carries in Decryption Secrets Blocks. */
  private readonly tlsKeys: TlsKeyLog;

  constructor(file: string, private readonly diagnostics: DiagnosticSink, onMessage: (message: CapturedMessage) => void, sinks: PacketSinks = {}, tlsKeys: TlsKeyLog | null = null) {
    this.tlsKeys = new TlsKeyLog(tlsKeys);
    this.packet = new Packet(file, diagnostics, onMessage, sinks, this.tlsKeys);
  }

  /** TLS secrets carried by the capture (a pcapng Decryption Secrets Block of type TLSK), in the key log format. */
  readonly onTlsSecrets = (text: string): void => {
    this.tlsKeys.addText(text);
  };

  /** SIP messages handed out so far. */
  get sipMessages(): number {
    return this.packet.sip.delivered;
  }

  readonly onFrame = (frame: FrameView): void => {
    if (frame.sec > this.lastSec || (frame.sec === this.lastSec && frame.nsec > this.lastNsec)) {
      if (this.firstTime === null) this.firstTime = { sec: frame.sec, nsec: frame.nsec };
      this.lastSec = frame.sec;
      this.lastNsec = frame.nsec;
      if (frame.sec >= this.sweepAt) {
        this.sweepAt = this.lastSec + SWEEP_INTERVAL;
        this.packet.sweep(this.lastSec);
      }
    } else if (frame.sec < this.lastSec || (frame.sec === this.lastSec && frame.nsec < this.lastNsec)) {
      // Simple Packet Blocks carry no time (0): not a step back of the clock.
      if (frame.sec !== 0 || frame.nsec !== 0) {
        this.diagnostics.count('capture.time-backwards', '', { frame: frame.number }, {
          frame: frame.number,
          offset: frame.fileOffset,
        });
      }
    }
    const p = this.packet;
    if (plainMedia(p, frame)) return;
    p.begin(frame);
    for (let layer = LayerId.LINK; layer !== LayerId.DONE; ) layer = LAYERS[layer]!(p);
  };

  /** What the decoder holds now (for tests of its bounds). */
  held(): { tcpConnections: number; tcpBytes: number; fragmentDatagrams: number; fragmentBytes: number } {
    return this.packet.held();
  }

  /** End of input: whatever still waits for more data is reported. */
  finish(): void {
    this.packet.finish();
  }
}

function formatOf(info: CaptureInfo | null): CaptureFormat {
  return info === null ? 'unknown' : info.format;
}

/**
 * Reads one input to the end, calling onMessage for every SIP message. Never throws for
 * bad input: every problem becomes a diagnostic in the returned summary.
 */
export async function readInput(input: InputSpec, options: ReadOptions): Promise<InputSummary> {
  const path = typeof input === 'string' ? input : input.name;
  const diagnostics = new DiagnosticSink(path);
  const unreadable = (): InputSummary => ({
    path,
    format: 'unknown',
    readable: false,
    bytes: 0,
    frames: 0,
    sipMessages: 0,
    firstTime: null,
    lastTime: null,
    linkTypes: [],
    diagnostics: diagnostics.list(),
  });

  const files = new OpenFiles();
  try {
    return await readOpened(input, path, files, diagnostics, unreadable, options);
  } finally {
    options.onSniffed?.();
    await files.closeAll();
  }
}

async function readOpened(
  input: InputSpec,
  path: string,
  files: OpenFiles,
  diagnostics: DiagnosticSink,
  unreadable: () => InputSummary,
  options: ReadOptions,
): Promise<InputSummary> {
  let source: AsyncIterable<Uint8Array>;
  if (typeof input === 'string') {
    const problem = await checkFile(path);
    if (problem !== null) {
      diagnostics.report(problem.code, problem.values);
      return unreadable();
    }
    source = files.track(fileChunks(path));
  } else {
    source = streamChunks(input.stream);
  }
  let interrupted = false;
  const interruptible = (chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> =>
    options.signal === undefined
      ? chunks
      : untilAborted(chunks, options.signal, (bytes) => {
          if (interrupted) return;
          interrupted = true;
          diagnostics.report('input.interrupted', { input: { path }, bytes }, { offset: bytes });
        });
  source = interruptible(source);

  let head: Uint8Array;
  try {
    ({ head, all: source } = await peek(source, 16));
    let kind = sniffFormat(head);
    const compressed = kind === 'gzip';
    if (kind === 'gzip') {
      // zlib may hold on to chunks, so a compressed file is read through a stream with fresh buffers:
      // the file opened to sniff it is closed first.
      if (typeof input === 'string') await files.closeAll();
      source = gunzip(typeof input === 'string' ? interruptible(files.track(fileStream(path))) : source);
      ({ head, all: source } = await peek(source, 16));
      kind = sniffFormat(head);
    }
    if (options.beforeChunk !== undefined) source = held(source, options.beforeChunk);
    if (options.onBytes !== undefined) source = counted(source, options.onBytes);
    options.onSniffed?.();
    if (head.length === 0) {
      diagnostics.report('input.empty', { input: { path }, reason: path === '-' && typeof input !== 'string' ? 'stdin-closed' : 'empty-decompressed' });
      return unreadable();
    }
    if (kind === 'text') {
      // A file can be read a second time (for the dates of a log dated by its file); a stream cannot.
      const reopen =
        typeof input === 'string'
          ? () => {
              const chunks = files.track(compressed ? gunzip(fileStream(path)) : fileChunks(path));
              return options.signal === undefined ? chunks : untilAborted(chunks, options.signal, () => {});
            }
          : null;
      return await readTextLog(path, reopen, source, diagnostics, options);
    }
    if (kind !== 'pcap' && kind !== 'pcapng') {
      const magic = Buffer.from(head.subarray(0, 4)).toString('hex');
      diagnostics.report('input.unknown-format', { input: { path }, magic, format: otherFormat(head) }, { offset: 0 });
      return unreadable();
    }
    return await readCapture(path, kind, source, diagnostics, options);
  } catch (err) {
    // Opening failed (permissions), the gzip header is bad, or the first read failed: nothing was read.
    const code = (err as NodeJS.ErrnoException | null)?.code;
    diagnostics.report(typeof code === 'string' && code.startsWith('Z_') ? 'input.gzip-error' : 'input.unreadable', readFailure(path, err));
    return unreadable();
  }
}

async function readCapture(
  path: string,
  kind: 'pcap' | 'pcapng',
  source: AsyncIterable<Uint8Array>,
  diagnostics: DiagnosticSink,
  options: ReadOptions,
): Promise<InputSummary> {
  const decoder = new FrameDecoder(path, diagnostics, options.onMessage, options, options.tlsKeys ?? null);
  const after = options.onFrame;
  const onFrame =
    after === undefined
      ? decoder.onFrame
      : (frame: FrameView): void => {
          decoder.onFrame(frame);
          after(frame);
        };
  const reader = createCaptureReader(kind, onFrame, diagnostics, { path }, decoder.onTlsSecrets);
  try {
    for await (const chunk of source) {
      reader.push(chunk);
      if (reader.stopped) break;
    }
  } catch (err) {
    reportReadError(diagnostics, path, err, reader.bytesConsumed);
  }
  reader.end();
  decoder.finish();
  const info = reader.info;
  if (reader.frames === 0 && !diagnostics.hasErrors()) {
    diagnostics.report('capture.no-frames', { input: { path }, format: kind });
  }
  return {
    path,
    format: formatOf(info),
    // A capture whose header could not be read yields nothing: that input failed as a whole.
    readable: reader.frames > 0 || !diagnostics.hasErrors(),
    bytes: reader.bytesConsumed,
    frames: reader.frames,
    sipMessages: decoder.sipMessages,
    firstTime: decoder.firstTime,
    lastTime: decoder.firstTime === null ? null : { sec: decoder.lastSec, nsec: decoder.lastNsec },
    linkTypes: info.interfaces.map((i) => i.linkType),
    diagnostics: diagnostics.list(),
  };
}
