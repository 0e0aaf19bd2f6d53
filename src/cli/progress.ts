/**
 * Reading with a human watching: the progress line on stderr, and Ctrl-C that ends a live
 * capture gracefully.
 */
import { statSync } from 'node:fs';
import type { CapturedMessage, InputSpec } from '../index.js';
import type { Lang } from '../annotate/i18n.js';
import { PROGRESS } from '../present/catalog.js';

/**
 * Runs an analysis that the first Ctrl-C ends gracefully: reading stops, and the report is
 * made from what was read (an `input.interrupted` diagnostic says so) — what one wants at the
 * end of a live capture on stdin. A second Ctrl-C quits at once (exit 130, as shells expect).
 */
export async function untilInterrupted<T>(run: (signal: AbortSignal) => Promise<T>, lang: Lang): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${PROGRESS[lang].interrupted}\n`);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
    // A live stdin would keep the process waiting for data nobody reads any more.
    if (controller.signal.aborted) process.stdin.destroy();
  }
}

/**
 * A one-line progress display on stderr while inputs are read: bytes read of the total (for
 * uncompressed files; bytes alone otherwise), and SIP messages so far. It moves with the bytes,
 * so a capture that is mostly RTP shows progress too. Only on a terminal; redrawn at most ten
 * times a second and erased when done. Holds a number per input, nothing per message.
 */
export class Progress {
  private readonly total: number | null;
  private readonly bytes: number[];
  private messages = 0;
  private last = 0;
  private shown = false;

  constructor(
    inputs: readonly InputSpec[],
    private readonly lang: Lang,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.bytes = inputs.map(() => 0);
    let total: number | null = 0;
    for (const input of inputs) {
      // Gzip inputs count decompressed bytes, and stdin has no size: no percentage then.
      if (typeof input !== 'string' || input.endsWith('.gz')) {
        total = null;
        break;
      }
      try {
        total += statSync(input).size;
      } catch {
        total = null;
        break;
      }
    }
    this.total = total;
  }

  static enabled(stream: NodeJS.WriteStream = process.stderr): boolean {
    return stream.isTTY === true && process.env.TERM !== 'dumb';
  }

  /** The analysis options that feed it. */
  get hooks(): { onMessage: (m: CapturedMessage) => void; onBytes: (input: number, bytes: number) => void } {
    return { onMessage: this.onMessage, onBytes: this.onBytes };
  }

  readonly onMessage = (_m: CapturedMessage): void => {
    this.messages++;
    this.draw();
  };

  readonly onBytes = (input: number, bytes: number): void => {
    this.bytes[input] = bytes;
    this.draw();
  };

  private draw(): void {
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    const read = this.bytes.reduce((a, b) => a + b, 0);
    const w = PROGRESS[this.lang];
    let head: string;
    if (this.total !== null && this.total > 0) {
      const width = Math.min(30, Math.max(10, (this.stream.columns ?? 80) - 60));
      const share = Math.min(1, read / this.total);
      const filled = Math.round(share * width);
      head = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${w.ofTotal((share * 100).toFixed(0).padStart(3), (this.total / 1e6).toFixed(1))}`;
    } else {
      head = w.read((read / 1e6).toFixed(1));
    }
    this.stream.write(`\r\u001b[2K${head} · ${w.sipMessages(this.messages)}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
    this.shown = false;
  }

  /** Output to the same terminal while the progress line shows: the line is erased first and drawn again by the next message. */
  above(write: () => void): void {
    this.done();
    this.last = 0;
    write();
  }
}
