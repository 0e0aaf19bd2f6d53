/** "Was it answered, and did the capture last long enough to say it never will be?" */
import type { Call, Transaction } from '../../../parse/dialog/types.js';
import type { CallIcmpError } from '../../../parse/icmp-calls.js';
import { diffMs } from '../../../time.js';
import type { Timestamp } from '../../../types.js';
import { captured, isReliable, copiesOf, sipOf } from './call.js';
import { transactionTimeoutMs } from './timers.js';
import { duration, endpoint, type DataValue } from '../types.js';

export interface Unanswered {
  /** First copy of the request. */
  readonly first: number;
  /** The first copy and its real retransmissions on that hop. */
  readonly sends: readonly number[];
  /** From the first copy to the end of the capture. */
  readonly waitedMs: number;
  /** Timer B or F: 64*T1. */
  readonly timerMs: number;
  /** The capture lasted past the timer: the sender has given up by then. */
  readonly expired: boolean;
  /**
   * Over UDP, the sender sent the last copy its timer allows (Timer A or E brings the last one at
   * 63*T1, and Timer B or F fires at 64*T1 with nothing left to send): it has given up even when
   * the capture, which sees nothing more, ends with that copy.
   */
  readonly lastCopySent: boolean;
  readonly reliable: boolean;
}

/** RFC 3261 §17.1.1.2, §17.1.2.2: over UDP the last retransmission leaves 63*T1 after the first copy (T1 * (1+2+4+8+16+32) for an INVITE; the same sum, capped at T2, for the others). */
const LAST_COPY_T1S = 63;

/**
 * A transaction whose request got no response at all (or, with `finalOnly`, no final response),
 * with how long the capture watched it. RFC 3261 §17.1.1.2 / §17.1.2.2: the client transaction
 * gives up when Timer B (INVITE) or Timer F (others), 64*T1, fires.
 */
export function unanswered(call: Call, tx: Transaction, captureEnd: Timestamp, t1Ms: number, finalOnly = false): Unanswered | null {
  if (tx.request === null) return null;
  const answered = finalOnly ? tx.responses.some((i) => (sipOf(call, i).status ?? 0) >= 200) : tx.responses.length > 0;
  if (answered) return null;
  const first = captured(call, tx.request);
  const waitedMs = diffMs(first.time, captureEnd);
  const timerMs = transactionTimeoutMs(t1Ms);
  const copies = copiesOf(call, tx.request);
  const reliable = isReliable(first);
  const lastMs = diffMs(first.time, captured(call, copies[copies.length - 1]!).time);
  // Half a T1 of slack for the sender's timer jitter around 63*T1.
  const lastCopySent = !reliable && copies.length > 1 && lastMs >= LAST_COPY_T1S * t1Ms - t1Ms / 2;
  return { first: tx.request, sends: copies, waitedMs, timerMs, expired: waitedMs >= timerMs, lastCopySent, reliable };
}

/**
 * Over UDP a sender left without an answer sends its request again after T1 (RFC 3261 §17.1.1.2
 * Timer A, §17.1.2.2 Timer E): one copy and a capture that went on past the timer means the capture
 * misses part of the transaction. Unless an ICMP destination unreachable quoting that copy is in the
 * capture: the sender's transport reported the error, which ends the transaction at once (§17.1.4,
 * §18.4), so one copy is all there was and the next hop is really unreachable.
 */
export function sentOnceUnseen(call: Call, u: Unanswered, icmp: readonly CallIcmpError[]): boolean {
  if (!u.expired || u.reliable || u.sends.length !== 1) return false;
  return !icmp.some((e) => e.kind === 'unreachable' && e.message !== null && (call.messages[e.message]!.original ?? e.message) === u.first);
}

/** Data every "no answer" finding shares. */
export function unansweredData(call: Call, u: Unanswered, t1Ms: number, t1FromTrace: boolean): Record<string, DataValue> {
  const first = captured(call, u.first);
  const msg = first.message;
  return {
    method: msg.method ?? 'request',
    target: msg.requestUri ?? '(unknown)',
    peer: endpoint(first.dst),
    sender: endpoint(first.src),
    transport: first.transport,
    copies: u.sends.length,
    retransmissions: u.sends.length - 1,
    waited: duration(u.waitedMs),
    waitedMs: Math.round(u.waitedMs),
    timer: duration(u.timerMs),
    timerName: msg.method === 'INVITE' ? 'Timer B' : 'Timer F',
    t1: duration(t1Ms),
    t1Source: t1FromTrace ? 'trace' : 'default',
  };
}
