/**
 * Running an analysis over inputs: reads them (merged by time, src/parse/merge.ts), feeds the
 * session (src/analysis/analyzer.ts), moves capture time on with the wall clock for a live
 * capture gone quiet, and keeps what the caller's callbacks throw apart from read errors.
 */
import { inputsRead, readInputsMerged } from '../parse/merge.js';
import type { InputSpec } from '../parse/pipeline.js';
import { readKeyLogs, type KeyLogProblem } from '../parse/transport/tls/keylog.js';
import { DIAGNOSTICS } from '../diagnostics.js';
import { parseDate } from '../parse/text/time.js';
import type { CapturedMessage, Diagnostic, InputSummary } from '../types.js';
import { Analyzer } from './analyzer.js';
import { ownBytesOf } from '../parse/sip/parse.js';
import type { AnalysisResult, AnalyzedCall, AnalyzeOptions, AnalyzeStreamOptions, StreamedAnalysis } from './types.js';

/**
 * A live capture quiet for this long (wall clock) moves capture time on; checked this often. A
 * quarter of a second, so a time-based finding on an open call shows within a second of its
 * threshold on a quiet line too.
 */
const LIVE_IDLE_MS = 250;
/** How far a capture's clock may be from the wall clock for it to count as live. */
const LIVE_CLOCK_SKEW_MS = 60_000;

/** Thrown through a reader to stop it when a callback failed (see analyzeStream). */
const STOP_READING = new Error('analysis stopped: a callback failed');

function checkDateOption(date: string | undefined): void {
  if (date !== undefined && parseDate(date) === null) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
}

/**
 * One input is shown in capture order: by the frame that completed each message (a TCP stream
 * whose hole is filled late, or flushed at the end of the capture, can hand messages over out
 * of that order) or the line of a log. Several inputs are merged by time as they are read.
 * Array.prototype.sort is stable, so equal keys keep the order they were found in.
 */
function sortByPosition(messages: CapturedMessage[]): void {
  messages.sort((a, b) => position(a) - position(b));
}

/** Reads every input and returns the SIP messages found, with each input's summary. */
export async function readMessages(
  inputs: readonly InputSpec[],
  onMessage?: (message: CapturedMessage) => void,
  readOptions: { readonly date?: string } = {},
): Promise<{ inputs: InputSummary[]; messages: CapturedMessage[] }> {
  checkDateOption(readOptions.date);
  const messages: CapturedMessage[] = [];
  const summaries = await readInputsMerged(
    inputs,
    (m) => {
      messages.push(m);
      onMessage?.(m);
    },
    readOptions.date === undefined ? {} : { date: readOptions.date },
  );
  // One input read (a file given twice is read once): its own order.
  if (inputsRead(summaries) === 1) sortByPosition(messages);
  return { inputs: summaries, messages };
}

/** `onMessage` handed each message with bytes of its own, out of the shared buffers (AnalyzeOptions.keepsHanded). */
function withOwnBytes(onMessage: (message: CapturedMessage) => void): (message: CapturedMessage) => void {
  return (m) => {
    ownBytesOf(m.message);
    onMessage(m);
  };
}

/** The calls, their messages with bytes of their own (AnalyzeOptions.keepsHanded). */
function callsWithOwnBytes(batch: readonly AnalyzedCall[]): readonly AnalyzedCall[] {
  for (const c of batch) {
    for (const m of c.call.messages) ownBytesOf(m.captured.message);
    for (const d of c.call.duplicates) ownBytesOf(d.captured.message);
  }
  return batch;
}

/** How far back a message of one input may arrive and still be put in its place by streamMessages: a bound on the messages held. */
const REORDER_WINDOW = 10_000;

/**
 * Reads every input and hands each SIP message to `onMessage` without keeping it: several inputs
 * merged by time, one input in its own order (a message handed over late, as when a TCP stream's
 * hole is filled, is put back in place when it is at most REORDER_WINDOW messages late). `pace`
 * is awaited before each chunk is read (back-pressure from the consumer's output).
 */
export async function streamMessages(
  inputs: readonly InputSpec[],
  onMessage: (message: CapturedMessage) => void,
  options: {
    readonly date?: string;
    readonly signal?: AbortSignal;
    readonly pace?: () => Promise<void> | undefined;
    readonly tlsKeyLogs?: readonly string[];
    /** As AnalyzeOptions.keepsHanded: false when `onMessage` keeps none of the messages it is handed. */
    readonly keepsHanded?: boolean;
  } = {},
): Promise<InputSummary[]> {
  checkDateOption(options.date);
  const keyLogs = options.tlsKeyLogs === undefined || options.tlsKeyLogs.length === 0 ? null : await readKeyLogs(options.tlsKeyLogs);
  if (options.keepsHanded !== false) onMessage = withOwnBytes(onMessage);
  const ordered = inputs.length === 1 ? new PositionOrder(onMessage, REORDER_WINDOW) : null;
  const summaries = await readInputsMerged(inputs, ordered === null ? onMessage : (m) => ordered.add(m), {
    ...(options.date === undefined ? {} : { date: options.date }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.pace === undefined ? {} : { beforeChunk: options.pace }),
    ...(keyLogs === null ? {} : { tlsKeys: keyLogs.keys }),
  });
  ordered?.flush();
  return keyLogs === null ? summaries : withKeyLogProblems(summaries, keyLogs.problems);
}

/** Messages put in order of position (frame or line) within a window, ties in the order found; the oldest goes on once the window is full. */
class PositionOrder {
  private held: CapturedMessage[] = [];
  private head = 0;

  constructor(
    private readonly onMessage: (message: CapturedMessage) => void,
    private readonly window: number,
  ) {}

  add(m: CapturedMessage): void {
    const held = this.held;
    const p = position(m);
    let at = held.length;
    // Almost always in order already: the search walks back from the end.
    while (at > this.head && position(held[at - 1]!) > p) at--;
    if (at === held.length) held.push(m);
    else held.splice(at, 0, m);
    if (held.length - this.head > this.window) this.onMessage(held[this.head++]!);
    if (this.head > 4096 && this.head * 2 > held.length) {
      this.held = held.slice(this.head);
      this.head = 0;
    }
  }

  flush(): void {
    for (let i = this.head; i < this.held.length; i++) this.onMessage(this.held[i]!);
    this.held = [];
    this.head = 0;
  }
}

const position = (m: CapturedMessage): number => m.frame ?? m.line ?? 0;

/**
 * The streaming analysis: reads the inputs once, hands every call over as soon as it is over,
 * and keeps only the calls still open, so memory follows the calls open at once, not the size
 * of the inputs. Tables are bounded (options.limits); hitting a bound is a diagnostic.
 */
export async function analyzeStream(inputs: readonly InputSpec[], options: AnalyzeStreamOptions): Promise<StreamedAnalysis> {
  checkDateOption(options.date);
  const keyLogs = options.tlsKeyLogs === undefined || options.tlsKeyLogs.length === 0 ? null : await readKeyLogs(options.tlsKeyLogs);
  // A capture read as it is made is watched: the time-based rules run on its open calls as its clock moves (a file read at full speed needs not).
  const live = options.live !== undefined && options.live !== false;
  // What the caller may keep gets bytes of its own (AnalyzeOptions.keepsHanded).
  const keepsHanded = options.keepsHanded !== false;
  const onMessage = options.onMessage === undefined ? undefined : keepsHanded ? withOwnBytes(options.onMessage) : options.onMessage;
  const onCalls = keepsHanded ? (batch: readonly AnalyzedCall[]) => options.onCalls(callsWithOwnBytes(batch)) : options.onCalls;
  const analyzer = new Analyzer({ ...options, onCalls, watch: options.onOpen !== undefined && live });
  options.onOpen?.(analyzer);
  // What the caller's callbacks throw is theirs, not a read error of the input: reading stops
  // and it is thrown again once the readers are done.
  let thrown: { error: unknown } | null = null;
  const clock = typeof options.live === 'object' ? options.live.clock : Date.now;
  let lastArrival = clock();
  const liveTimer =
    !live
      ? null
      : setInterval(() => {
          // Between chunks (never inside a message's processing): a live capture gone quiet moves on with the wall clock.
          if (thrown !== null || analyzer.latestMs === -Infinity) return;
          const idle = clock() - lastArrival;
          if (idle < LIVE_IDLE_MS || Math.abs(lastArrival - analyzer.latestMs) > LIVE_CLOCK_SKEW_MS) return;
          try {
            analyzer.advanceTo(analyzer.latestMs + idle);
          } catch (error) {
            thrown = { error };
          }
        }, LIVE_IDLE_MS);
  liveTimer?.unref();
  const reading = readInputsMerged(
    inputs,
    (m) => {
      if (thrown !== null) throw STOP_READING;
      try {
        if (liveTimer !== null) lastArrival = clock();
        onMessage?.(m);
        analyzer.add(m);
      } catch (error) {
        thrown = { error };
        throw STOP_READING;
      }
    },
    {
      ...(options.date === undefined ? {} : { date: options.date }),
      ...(analyzer.media === null ? {} : { onMedia: analyzer.media.addPacket.bind(analyzer.media) }),
      onIcmp: analyzer.icmp.add.bind(analyzer.icmp),
      ...(options.onBytes === undefined ? {} : { onBytes: options.onBytes }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.pace === undefined ? {} : { beforeChunk: options.pace }),
      ...(keyLogs === null ? {} : { tlsKeys: keyLogs.keys }),
    },
  );
  // Several inputs: the merger calls back outside any reader, so the stop comes out of it.
  const summaries = await reading
    .catch((err: unknown) => {
      if (thrown === null) throw err;
      return [];
    })
    .finally(() => {
      if (liveTimer !== null) clearInterval(liveTimer);
    });
  if (thrown !== null) throw (thrown as { error: unknown }).error;
  return analyzer.finish(keyLogs === null ? summaries : withKeyLogProblems(summaries, keyLogs.problems));
}

/** What went wrong with the key log files, as diagnostics of the first input (they belong to no input). */
function withKeyLogProblems(summaries: readonly InputSummary[], problems: readonly KeyLogProblem[]): InputSummary[] {
  if (problems.length === 0 || summaries.length === 0) return [...summaries];
  const first = summaries[0]!;
  const found = problems.map((p) => ({ code: p.code, severity: DIAGNOSTICS[p.code].severity, values: p.values, file: first.path }) as Diagnostic);
  return [{ ...first, diagnostics: [...first.diagnostics, ...found] }, ...summaries.slice(1)];
}

/**
 * Everything at once: every call and every message in memory, for a library user who wants
 * the whole picture as data. The CLI streams (analyzeStream) where the output format allows.
 */
export async function analyze(inputs: readonly InputSpec[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const calls: AnalyzedCall[] = [];
  const messages: CapturedMessage[] = [];
  const streamed = await analyzeStream(inputs, {
    ...options,
    // Every message and call is kept here, so the shared buffers are full of what is kept: no copy of its own.
    keepsHanded: false,
    onMessage: (m) => {
      messages.push(m);
      options.onMessage?.(m);
    },
    onCalls: (batch) => {
      for (const c of batch) calls.push(c);
    },
  });
  if (inputsRead(streamed.inputs) === 1) sortByPosition(messages);
  return { inputs: streamed.inputs, messages, calls, summary: streamed.summary };
}
