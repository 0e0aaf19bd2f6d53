/**
 * Which frames of the inputs belong to the calls a report shows: the first pass of --write-pcap.
 * Each shown call (before redaction: the frames and addresses of the input) leaves the frame
 * numbers of its SIP messages, the 5-tuple and frame range of each of its media streams, and the
 * time window in which RTCP and ICMP errors about its packets count as its own. The second pass
 * (write.ts) reads the inputs again and copies the frames this names.
 *
 * Memory follows what is shown, a few numbers per message and stream, never the frames: a call is
 * a few dozen numbers. A bound (`maxFrames`) keeps a report of a whole trunk capture in check:
 * past it the calls are counted, not selected.
 */
import { toMs } from '../../time.js';
import type { Endpoint } from '../../types.js';
import type { TimelineCall } from '../timeline.js';

/** SIP frames selected at most (4 bytes each): past it, calls are left out of the written capture and counted. */
export const DEFAULT_MAX_SELECTED_FRAMES = 4_000_000;

/** How long after a call's last SIP message or media packet RTCP (a last report, a BYE) and ICMP errors may still be its own. */
const GRACE_MS = 5000;

/** A 5-tuple as the selection keys it: the text forms the analysis uses (formatIp). */
export function flowKey(srcIp: string, srcPort: number, dstIp: string, dstPort: number): string {
  return `${srcIp}|${srcPort}|${dstIp}|${dstPort}`;
}

const keyOf = (src: Endpoint, dst: Endpoint): string => flowKey(src.ip, src.port, dst.ip, dst.port);

/** Frames [first, last] of one stream of a shown call. */
interface FrameRange {
  readonly first: number;
  readonly last: number;
}

/** Capture milliseconds [from, to] of a shown call, with the grace after its end. */
interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/**
 * Frame (or line) numbers added in any order, then looked up: a growing array, sorted once when
 * first asked (4 bytes a number; a Set would take about ten times that).
 */
export class FrameNumbers {
  private numbers = new Uint32Array(1024);
  private count = 0;
  private sorted = true;

  add(n: number): void {
    if (this.count === this.numbers.length) {
      const bigger = new Uint32Array(this.numbers.length * 2);
      bigger.set(this.numbers);
      this.numbers = bigger;
    }
    this.numbers[this.count++] = n;
    this.sorted = false;
  }

  get size(): number {
    return this.count;
  }

  has(n: number): boolean {
    if (!this.sorted) {
      this.numbers.subarray(0, this.count).sort();
      this.sorted = true;
    }
    const s = this.numbers;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = s[mid]!;
      if (v === n) return true;
      if (v < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

/** What one input contributes. */
export class InputSelection {
  /** RTP and UDPTL streams by 5-tuple. */
  readonly streams = new Map<string, FrameRange[]>();
  /** RTCP flows (the streams' ports + 1, and the same ports for rtcp-mux, RFC 5761), both ways, by 5-tuple. */
  readonly rtcp = new Map<string, TimeWindow[]>();
  /** Flows of the shown calls (SIP and media) that an ICMP error may quote. */
  readonly quoted = new Map<string, TimeWindow[]>();
  /** Ports of the streams and RTCP flows: a packet on no such port is not looked up. */
  readonly mediaPorts = new Set<number>();
  /** Call-IDs of the shown calls: a TCP segment may complete messages of several calls, and an ICMP error may quote one. */
  readonly callIds = new Set<string>();
  /**
   * WebSocket connections (both directions' 5-tuples) that carried SIP of a shown call, and the
   * last frame of that call on them: a plain copy takes every frame of the connection up to it,
   * so the HTTP Upgrade (RFC 6455 §4) that makes the stream WebSocket is in the capture too.
   */
  readonly webSockets = new Map<string, number>();

  /** Frames carrying (part of) a SIP message of a shown call. */
  readonly sip = new FrameNumbers();

  /** A media packet of a shown call's stream (RTP, UDPTL) or one of its RTCP flows. */
  hasMedia(key: string, frame: number, ms: number, rtcp: boolean): boolean {
    if (rtcp) return within(this.rtcp.get(key), ms) || (this.streams.get(key)?.some((r) => frame >= r.first && frame <= r.last) ?? false);
    return this.streams.get(key)?.some((r) => frame >= r.first && frame <= r.last) ?? false;
  }

  /** An ICMP error quoting a packet of a shown call. */
  hasQuoted(key: string, ms: number): boolean {
    return within(this.quoted.get(key), ms);
  }
}

function within(windows: readonly TimeWindow[] | undefined, ms: number): boolean {
  return windows !== undefined && windows.some((w) => ms >= w.from && ms <= w.to);
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export class CaptureSelection {
  private readonly inputs = new Map<string, InputSelection>();
  private frames = 0;
  /** Calls selected, and calls left out because the bound was reached. */
  calls = 0;
  callsOverLimit = 0;
  /** Messages read from a text log: there is no frame to write. */
  textMessages = 0;

  constructor(private readonly maxFrames = DEFAULT_MAX_SELECTED_FRAMES) {}

  /** The selection of one input (by the path the analysis names it), or undefined when none of its frames is selected. */
  input(path: string): InputSelection | undefined {
    return this.inputs.get(path);
  }

  private of(path: string): InputSelection {
    let s = this.inputs.get(path);
    if (s === undefined) {
      s = new InputSelection();
      this.inputs.set(path, s);
    }
    return s;
  }

  /** A call as the report shows it, before redaction. */
  add(call: TimelineCall): void {
    const frames = call.messages.reduce((n, m) => n + m.frames.length, 0);
    if (this.frames + frames > this.maxFrames) {
      this.callsOverLimit++;
      return;
    }
    this.frames += frames;
    this.calls++;
    let lastMs = toMs(call.start) + call.durationMs;
    for (const stream of call.media?.streams ?? []) lastMs = Math.max(lastMs, toMs(stream.last));
    const window: TimeWindow = { from: toMs(call.start), to: lastMs + GRACE_MS };
    for (const m of call.messages) {
      if (m.frame === null) {
        this.textMessages++;
        continue;
      }
      const input = this.of(m.file);
      input.callIds.add(call.callId);
      for (const f of m.frames) input.sip.add(f);
      push(input.quoted, keyOf(m.src, m.dst), window);
      if (m.transport === 'WS') {
        const last = Math.max(...m.frames, m.frame);
        for (const key of [keyOf(m.src, m.dst), keyOf(m.dst, m.src)]) input.webSockets.set(key, Math.max(input.webSockets.get(key) ?? 0, last));
      }
    }
    for (const s of call.media?.streams ?? []) {
      const input = this.of(s.file);
      input.callIds.add(call.callId);
      push(input.streams, keyOf(s.src, s.dst), { first: s.firstFrame, last: s.lastFrame });
      push(input.quoted, keyOf(s.src, s.dst), window);
      for (const [src, dst] of [
        [s.src, s.dst],
        [s.dst, s.src],
      ] as const) {
        push(input.rtcp, flowKey(src.ip, src.port + 1, dst.ip, dst.port + 1), window);
        push(input.rtcp, keyOf(src, dst), window);
        input.mediaPorts.add(src.port).add(src.port + 1);
      }
    }
  }

  /** Every input with frames to write, in the order they were first seen. */
  paths(): string[] {
    return [...this.inputs.keys()];
  }
}
