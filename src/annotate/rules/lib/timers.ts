/**
 * RFC 3261 timers (§17, Table 4 in Appendix A), in one table. Every timer a rule waits for is
 * a multiple of T1, so a trace that shows another T1 (its first retransmission gap) scales
 * all of them.
 */
import type { Call } from '../../../parse/dialog/types.js';
import { diffMs } from '../../../time.js';
import { firstRealRetransmission } from './call.js';

/** T1: round-trip time estimate, 500 ms by default (RFC 3261 §17.1.1.1). */
export const DEFAULT_T1_MS = 500;

/**
 * Timer B (INVITE client transaction timeout, §17.1.1.2), Timer F (non-INVITE, §17.1.2.2) and
 * Timer H (wait for an ACK to a final INVITE response, §17.2.1) are all 64*T1: 32 s by default.
 */
export function transactionTimeoutMs(t1Ms: number): number {
  return 64 * t1Ms;
}

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
  let best: number | null = null;
  call.messages.forEach((m, i) => {
    if (m.retransmission || m.captured.transport !== 'UDP') return;
    const msg = m.captured.message;
    const candidate = msg.kind === 'request' ? msg.method !== 'ACK' : msg.status !== null && msg.status >= 200 && msg.status < 300 && msg.cseq?.method === 'INVITE';
    if (!candidate) return;
    const next = firstRealRetransmission(call, i);
    if (next === null) return;
    const gap = diffMs(m.captured.time, call.messages[next]!.captured.time);
    if (gap >= T1_MIN_MS && gap <= T1_MAX_MS && (best === null || gap < best)) best = gap;
  });
  // To 50 ms: the gap jitters by a few ms around the configured value, which is a round number (500, 250, 1000 ms).
  return best === null ? { t1Ms: fallbackMs, fromTrace: false } : { t1Ms: Math.max(T1_MIN_MS, Math.round(best / 50) * 50), fromTrace: true };
}
