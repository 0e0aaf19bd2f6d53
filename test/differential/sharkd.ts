/**
 * Wireshark's dissector for the differential tests, as one sharkd process (Wireshark's engine
 * behind JSON-RPC on stdin, shipped with tshark in wireshark-common) that loads one capture after
 * another. A tshark run spends about half a second of CPU starting (loading libwireshark and
 * registering every dissector) whatever the capture; with one run per capture that start was
 * most of these tests' time. sharkd starts once and reads each capture with the same dissectors
 * and preferences, and every load starts a new dissection session (conversations, reassembly and
 * RTP set-ups from SDP are per capture, as in a tshark run).
 *
 * Three habits of sharkd 4.0 are handled here:
 * - a capture cut short in the middle of a packet gets no answer to its load, though the frames
 *   before the cut are loaded (tshark prints them too): an answer to a later request settles the
 *   earlier requests still waiting;
 * - `frames` remembers which frames a display filter matched by the filter's text, across loads:
 *   each load's filter gets a clause that never matches and names the load;
 * - each load keeps about 11 MB that is never freed: the process is replaced every
 *   LOADS_PER_PROCESS loads, which bounds it near 300 MB.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const LOADS_PER_PROCESS = 24;

/** "Sharkd (Wireshark) 4.0.17 (...)", or null when sharkd is not installed: the tests skip. */
export async function sharkdVersion(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('sharkd', ['-v']);
    return stdout.split('\n').find((line) => line.startsWith('Sharkd')) ?? null;
  } catch {
    return null;
  }
}

interface Answer {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

class Process {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (answer: Answer | null) => void>();
  private lastId = 0;
  alive = true;

  constructor() {
    this.child = spawn('sharkd', ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.resume(); // its log of each request
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const answer = JSON.parse(line) as Answer;
      // Answers come in the order of the requests; one that never came (a cut-short load) is settled by the next.
      for (const [id, settle] of this.waiting) {
        if (id > answer.id) break;
        this.waiting.delete(id);
        settle(id === answer.id ? answer : null);
      }
    });
    this.child.stdin.on('error', () => {}); // a process that died: its exit settles what waits
    this.child.on('exit', () => {
      this.alive = false;
      for (const settle of this.waiting.values()) settle(null);
      this.waiting.clear();
    });
  }

  call(method: string, params: Record<string, unknown>): Promise<Answer | null> {
    if (!this.alive) return Promise.resolve(null);
    const id = ++this.lastId;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

export interface FrameColumns {
  frame: number;
  columns: string[];
}

export class Sharkd {
  private process: Process | null = null;
  private loadsInProcess = 0;
  private loads = 0;

  /** preferences as tshark's `-o name:value` */
  constructor(private readonly preferences: Record<string, string>) {}

  /** Reads a capture; the questions that follow are about it. */
  load(file: string): void {
    if (this.process === null || !this.process.alive || this.loadsInProcess === LOADS_PER_PROCESS) {
      this.process?.close();
      this.process = new Process();
      this.loadsInProcess = 0;
      for (const [name, value] of Object.entries(this.preferences)) void this.process.call('setconf', { name, value });
    }
    this.loadsInProcess++;
    this.loads++;
    void this.process.call('load', { file });
  }

  /** The frames the display filter matches, each with the values of the given columns (custom columns "field:occurrence"). */
  async frames(filter: string, columns: readonly string[]): Promise<FrameColumns[]> {
    const params: Record<string, unknown> = { filter: `(${filter}) || (frame.number == 0 && frame.number == ${this.loads})` };
    columns.forEach((column, i) => (params[`column${i}`] = column));
    const rows = this.result(await this.loaded().call('frames', params)) as { num: number; c: string[] }[];
    return rows.map((r) => ({ frame: r.num, columns: r.c }));
  }

  /** What a tap (sharkd's name, e.g. "rtp-streams") collected over the capture. */
  async tap(name: string): Promise<Record<string, unknown>> {
    const { taps } = this.result(await this.loaded().call('tap', { tap0: name })) as { taps: Record<string, unknown>[] };
    return taps[0]!;
  }

  close(): void {
    this.process?.close();
    this.process = null;
  }

  private loaded(): Process {
    if (this.process === null) throw new Error('sharkd: no capture loaded');
    return this.process;
  }

  private result(answer: Answer | null): unknown {
    if (answer === null) throw new Error('sharkd gave no answer');
    if (answer.error !== undefined) throw new Error(`sharkd: ${answer.error.message}`);
    return answer.result;
  }
}
