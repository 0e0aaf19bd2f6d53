/**
 * Several inputs (capture points of the same traffic, or captures taken one after another) are
 * read side by side and their SIP messages, media packets and ICMP errors handed over merged by
 * time, without holding more than one read chunk's worth of them per input: a reader waits before
 * its next chunk until its queue has been drained. Media is merged with the messages because the
 * SDP of the calls open at a packet's time says which call it belongs to: two captures that reuse
 * the same addresses and ports would otherwise lend one call's media to the other.
 */
import { stat } from 'node:fs/promises';
import { compareTime } from '../time.js';
import type { CapturedMessage, InputSummary, Timestamp } from '../types.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import type { IcmpError, MediaPacket } from './outputs.js';
import { readInput, type InputSpec, type ReadOptions } from './pipeline.js';

/**
 * How many inputs may be opening at once (opened, format not yet known). An input siplens
 * rejects is closed before the next one opens, so a thousand unreadable inputs never hold more
 * than this many descriptors; the inputs it reads stay open until read, as merging needs.
 */
const MAX_OPENING = 8;

/**
 * For each input, the position of an earlier input naming the same file (same device and
 * inode: another path, a link, the same name twice), or null. Streams (stdin) are never the
 * same; a path that cannot be examined is left to readInput to report.
 */
async function earlierSame(inputs: readonly InputSpec[]): Promise<(number | null)[]> {
  const keys = await Promise.all(
    inputs.map(async (input) => {
      if (typeof input !== 'string') return null;
      try {
        const info = await stat(input, { bigint: true });
        return info.isFile() ? `${info.dev}:${info.ino}` : null;
      } catch {
        // diagnostic: input.not-found or input.unreadable, reported by readInput when it opens this path
        return null;
      }
    }),
  );
  const first = new Map<string, number>();
  return keys.map((key, i) => {
    if (key === null) return null;
    const earlier = first.get(key);
    if (earlier !== undefined) return earlier;
    first.set(key, i);
    return null;
  });
}

/** The summary of a file given again under `path`: read once, under its first name; a diagnostic says so. */
function duplicateSummary(path: string, first: InputSummary): InputSummary {
  const diagnostics = new DiagnosticSink(path);
  diagnostics.report('input.duplicate', { input: { path }, first: { path: first.path } });
  return {
    path,
    format: first.format,
    readable: first.readable,
    bytes: 0,
    frames: 0,
    sipMessages: 0,
    firstTime: null,
    lastTime: null,
    linkTypes: [],
    diagnostics: diagnostics.list(),
  };
}

/** How many of `summaries` were read (a file given twice is read once). */
export function inputsRead(summaries: readonly InputSummary[]): number {
  return summaries.filter((s) => !s.diagnostics.some((d) => d.code === 'input.duplicate')).length;
}

/** A gate that lets `max` holders in at once. */
function gate(max: number): () => Promise<() => void> {
  let inside = 0;
  const waiting: (() => void)[] = [];
  return async () => {
    while (inside >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    inside++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      inside--;
      waiting.shift()?.();
    };
  };
}

/** What a reader queues for the merger: the media packets own their bytes (MediaPacket.detached). */
type Item = { readonly message: CapturedMessage } | { readonly media: MediaPacket } | { readonly icmp: IcmpError };

function timeOf(item: Item): Timestamp {
  return 'message' in item ? item.message.time : 'media' in item ? item.media : item.icmp;
}

interface Queue {
  items: Item[];
  head: number;
  done: boolean;
  /** Lets the reader go on to its next chunk. */
  resumeReader: (() => void) | null;
  /** Wakes the merger waiting for this queue. */
  wakeMerger: (() => void) | null;
}

/**
 * Reads every input, calling `onMessage` for each SIP message: one input in its own order,
 * several merged by capture time (ties go to the earlier input). Returns each input's summary.
 *
 * onMedia and onIcmp are merged with the messages the same way (with several inputs, the media
 * packets handed over own their bytes). onTlsRecord passes through to every reader unmerged: it
 * is called as its input is decoded, so with several inputs it follows each input's order and may
 * run ahead of the merged messages by up to a read chunk per input. Each output names its input
 * (`file`).
 */
export async function readInputsMerged(
  inputs: readonly InputSpec[],
  onMessage: (message: CapturedMessage) => void,
  options: Omit<ReadOptions, 'onMessage' | 'onBytes'> & { readonly onBytes?: (input: number, bytes: number) => void } = {},
): Promise<InputSummary[]> {
  const same = inputs.length === 1 ? [null] : await earlierSame(inputs);
  // The inputs read, by their position among all inputs.
  const read = same.flatMap((earlier, i) => (earlier === null ? [i] : []));
  const summaries = await readDistinct(
    read.map((i) => inputs[i]!),
    onMessage,
    { ...options, ...(options.onBytes === undefined ? {} : { onBytes: (k: number, n: number) => options.onBytes!(read[k]!, n) }) },
  );
  const byPosition = new Map(read.map((i, k) => [i, summaries[k]!]));
  return inputs.map((input, i) => byPosition.get(i) ?? duplicateSummary(input as string, byPosition.get(same[i]!)!));
}

async function readDistinct(
  inputs: readonly InputSpec[],
  onMessage: (message: CapturedMessage) => void,
  options: Omit<ReadOptions, 'onMessage' | 'onBytes'> & { readonly onBytes?: (input: number, bytes: number) => void },
): Promise<InputSummary[]> {
  const { onBytes, beforeChunk: paced, onMedia, onIcmp, ...readOptions } = options;
  const bytesOf = (i: number) => (onBytes === undefined ? {} : { onBytes: (n: number) => onBytes(i, n) });
  if (inputs.length === 1) {
    const sinks = { ...(onMedia === undefined ? {} : { onMedia }), ...(onIcmp === undefined ? {} : { onIcmp }) };
    return [await readInput(inputs[0]!, { ...readOptions, ...sinks, ...bytesOf(0), ...(paced === undefined ? {} : { beforeChunk: paced }), onMessage })];
  }
  const opening = gate(MAX_OPENING);
  const queues: Queue[] = inputs.map(() => ({ items: [], head: 0, done: false, resumeReader: null, wakeMerger: null }));
  const wake = (q: Queue): void => {
    const w = q.wakeMerger;
    q.wakeMerger = null;
    w?.();
  };
  // What the merger's onMessage threw: every reader stops at its next chunk and closes its file.
  let stopped: { error: unknown } | null = null;
  const readers = inputs.map(async (input, i) => {
    const q = queues[i]!;
    const queue = (item: Item): void => {
      q.items.push(item);
      wake(q);
    };
    const sinks = {
      ...(onMedia === undefined ? {} : { onMedia: (p: MediaPacket) => queue({ media: p.detached() }) }),
      ...(onIcmp === undefined ? {} : { onIcmp: (icmp: IcmpError) => queue({ icmp }) }),
    };
    // Opened one gate-full at a time: each lets the next in once its format is known.
    const opened = await opening();
    try {
      if (stopped !== null) throw stopped.error;
      return await readInput(input, {
        ...readOptions,
        ...sinks,
        ...bytesOf(i),
        onSniffed: opened,
        onMessage: (message) => queue({ message }),
        // Held back until the merger has taken this input's last chunk, and until the caller's pace allows.
        beforeChunk: () => {
          const merged = (): Promise<void> | undefined =>
            stopped !== null ? Promise.reject(stopped.error) : q.head < q.items.length ? new Promise<void>((resolve) => (q.resumeReader = resolve)) : undefined;
          const pace = paced?.();
          return pace === undefined ? merged() : pace.then(merged);
        },
      });
    } finally {
      opened();
      q.done = true;
      wake(q);
    }
  });
  try {
    for (;;) {
      for (const q of queues) {
        while (!q.done && q.head === q.items.length) await new Promise<void>((resolve) => (q.wakeMerger = resolve));
      }
      let next: Queue | null = null;
      for (const q of queues) {
        if (q.head === q.items.length) continue;
        if (next === null || compareTime(timeOf(q.items[q.head]!), timeOf(next.items[next.head]!)) < 0) next = q;
      }
      if (next === null) break;
      const item = next.items[next.head++]!;
      if ('message' in item) onMessage(item.message);
      else if ('media' in item) onMedia!(item.media);
      else onIcmp!(item.icmp);
      if (next.head === next.items.length) {
        next.items = [];
        next.head = 0;
        const resume = next.resumeReader;
        next.resumeReader = null;
        resume?.();
      }
    }
  } catch (error) {
    // diagnostic: input.unreadable, reported by each reader for its own read errors; what the
    // caller's callback threw is the caller's and is thrown on to it.
    // Readers held back wait for a drain that will not come: they are let go, to stop.
    stopped = { error };
    for (const q of queues) {
      const resume = q.resumeReader;
      q.resumeReader = null;
      resume?.();
    }
    // Not awaited: a reader may be waiting for stdin, which may never send again.
    void Promise.allSettled(readers);
    throw error;
  }
  return Promise.all(readers);
}
