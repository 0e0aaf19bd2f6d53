/**
 * Several inputs (capture points of the same traffic) are read side by side and their SIP
 * messages handed over merged by time, without holding more than one read chunk's worth of
 * messages per input: a reader waits before its next chunk until its queue has been drained.
 */
import { compareTime } from '../time.js';
import type { CapturedMessage, InputSummary } from '../types.js';
import { readInput, type InputSpec, type ReadOptions } from './pipeline.js';

interface Queue {
  items: CapturedMessage[];
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
 * The optional outputs of ReadOptions (onMedia, onIcmp, onTlsRecord) pass through to every
 * reader. They are not merged: each is called as its input is decoded (their views live only
 * during the call), so with several inputs they follow each input's order, and may run ahead of
 * the merged messages by up to a read chunk per input; each output names its input (`file`).
 */
export async function readInputsMerged(
  inputs: readonly InputSpec[],
  onMessage: (message: CapturedMessage) => void,
  options: Omit<ReadOptions, 'onMessage' | 'beforeChunk' | 'onBytes'> & { readonly onBytes?: (input: number, bytes: number) => void } = {},
): Promise<InputSummary[]> {
  const { onBytes, ...readOptions } = options;
  const bytesOf = (i: number) => (onBytes === undefined ? {} : { onBytes: (n: number) => onBytes(i, n) });
  if (inputs.length === 1) return [await readInput(inputs[0]!, { ...readOptions, ...bytesOf(0), onMessage })];
  const queues: Queue[] = inputs.map(() => ({ items: [], head: 0, done: false, resumeReader: null, wakeMerger: null }));
  const wake = (q: Queue): void => {
    const w = q.wakeMerger;
    q.wakeMerger = null;
    w?.();
  };
  const readers = inputs.map((input, i) => {
    const q = queues[i]!;
    return readInput(input, {
      ...readOptions,
      ...bytesOf(i),
      onMessage: (m) => {
        q.items.push(m);
        wake(q);
      },
      beforeChunk: () => (q.head < q.items.length ? new Promise<void>((resolve) => (q.resumeReader = resolve)) : undefined),
    }).finally(() => {
      q.done = true;
      wake(q);
    });
  });
  for (;;) {
    for (const q of queues) {
      while (!q.done && q.head === q.items.length) await new Promise<void>((resolve) => (q.wakeMerger = resolve));
    }
    let next: Queue | null = null;
    for (const q of queues) {
      if (q.head === q.items.length) continue;
      if (next === null || compareTime(q.items[q.head]!.time, next.items[next.head]!.time) < 0) next = q;
    }
    if (next === null) break;
    onMessage(next.items[next.head++]!);
    if (next.head === next.items.length) {
      next.items = [];
      next.head = 0;
      const resume = next.resumeReader;
      next.resumeReader = null;
      resume?.();
    }
  }
  return Promise.all(readers);
}
