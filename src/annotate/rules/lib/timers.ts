/**
 * T1 as a trace shows it. The timers themselves are one table, src/parse/dialog/timers.ts
 * (RFC 3261 §17, Table 4); every one is a multiple of T1, so the estimate scales them all.
 */
import type { Call } from '../../../parse/dialog/types.js';
import { DEFAULT_T1_MS } from '../../../parse/dialog/timers.js';
import { diffMs } from '../../../time.js';
import { firstRetransmission } from './call.js';
import { PerCall } from '../../facts.js';

export { DEFAULT_T1_MS, transactionTimeoutMs } from '../../../parse/dialog/timers.js';

/** Gaps outside this range are not taken as T1: the first one would be a duplicate, the second a new attempt. */
const T1_MIN_MS = 50;
const T1_MAX_MS = 3000;

export interface T1Estimate {
  readonly t1Ms: number;
  /** True when the value comes from the trace (a first retransmission gap), false for the default. */
  readonly fromTrace: boolean;
}

/**
 * T1 as the trace shows it: the shortest gap between a request (or a 2xx to INVITE) sent over
 * UDP and its first retransmission, both of which start at T1 (RFC 3261 §17.1.1.2, §17.1.2.2,
 * §13.3.1.4). Without any retransmission, `fallbackMs` (the rule's option, 500 ms by default).
 */
export function estimateT1(call: Call, fallbackMs: number = DEFAULT_T1_MS): T1Estimate {
  const best = SHORTEST_FIRST_GAP.of(call);
  // To 50 ms: the gap jitters by a few ms around the configured value, which is a round number (500, 250, 1000 ms).
  return best === null ? { t1Ms: fallbackMs, fromTrace: false } : { t1Ms: Math.max(T1_MIN_MS, Math.round(best / 50) * 50), fromTrace: true };
}

/** The shortest gap in the T1 range between a first copy and its first retransmission, once per call for every rule that estimates T1. */
const SHORTEST_FIRST_GAP = new PerCall<number | null>((call) => {
  // Most calls hold no retransmission at all: no message then has a first retransmission to look for.
  // Loops, not `some` and `forEach`: no closure made for every call.
  const messages = call.messages;
  let any = false;
  for (let i = 0; i < messages.length && !any; i++) any = messages[i]!.retransmission;
  if (!any) return null;
  let best: number | null = null;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.retransmission || m.captured.transport !== 'UDP') continue;
    const msg = m.captured.message;
    const candidate = msg.kind === 'request' ? msg.method !== 'ACK' : msg.status !== null && msg.status >= 200 && msg.status < 300 && msg.cseq?.method === 'INVITE';
    if (!candidate) continue;
    const next = firstRetransmission(call, i);
    if (next === null) continue;
    const gap = diffMs(m.captured.time, messages[next]!.captured.time);
    if (gap >= T1_MIN_MS && gap <= T1_MAX_MS && (best === null || gap < best)) best = gap;
  }
  return best;
});
