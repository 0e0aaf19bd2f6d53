/**
 * Where a call stands at a moment of capture time, as data: the INVITE sent and how long ago,
 * ringing, answered, or how it ended. A live view shows it for the calls still open; it reads the
 * call as it stands (src/parse/dialog/correlate.ts keeps it growing). Words are made in
 * src/present (live.ts). Pure.
 */
import type { Call, Transaction } from '../parse/dialog/types.js';
import { diffMs, toMs } from '../time.js';

export type CallProgress =
  /** An INVITE sent `sinceMs` ago and nothing beyond a provisional `provisional` (100 Trying) or nothing at all (null). */
  | { readonly phase: 'inviting'; readonly sinceMs: number; readonly provisional: number | null }
  /** A 18x (`status`) came `sinceMs` ago and no final response yet. */
  | { readonly phase: 'ringing'; readonly sinceMs: number; readonly status: number }
  /** Answered (2xx) `sinceMs` ago and not hung up. */
  | { readonly phase: 'answered'; readonly sinceMs: number }
  /** Over: hung up (BYE) after `talkMs` of talk (null when the answer is not in the capture), cancelled, or a final failure (`status`). */
  | { readonly phase: 'ended'; readonly how: 'bye' | 'cancel' | 'rejected'; readonly status: number | null; readonly talkMs: number | null }
  /** Not a call (REGISTER, OPTIONS, ...): its first request and the latest final status, `sinceMs` after the request. */
  | { readonly phase: 'request'; readonly method: string | null; readonly status: number | null; readonly sinceMs: number };

function statusAt(call: Call, index: number): number {
  return call.messages[index]!.captured.message.status ?? 0;
}

function timeAt(call: Call, index: number): number {
  return toMs(call.messages[index]!.captured.time);
}

/** The attempt of an INVITE: its CSeq number and From tag, the same on every hop a proxy forwards it over. */
function attemptKey(call: Call, tx: Transaction): string {
  return `${tx.cseq}\u0000${call.messages[tx.request!]!.captured.message.fromTag ?? ''}`;
}

/** The first response of `txs` (on any hop) whose status passes `test`, as a message index. */
function firstResponse(call: Call, txs: readonly Transaction[], test: (status: number) => boolean): number | null {
  let found: number | null = null;
  for (const tx of txs) for (const i of tx.responses) if (test(statusAt(call, i)) && (found === null || i < found)) found = i;
  return found;
}

/** Where `call` stands at capture time `nowMs` (ms since the epoch). */
export function callProgress(call: Call, nowMs: number): CallProgress {
  // Initial INVITEs (no To tag: re-INVITEs inside a dialog do not start a call).
  const invites = call.transactions.filter((t) => t.method === 'INVITE' && t.request !== null && call.messages[t.request].captured.message.toTag == null);
  if (invites.length === 0) {
    const first = call.messages.find((m) => m.captured.message.kind === 'request')?.captured;
    let status: number | null = null;
    for (const m of call.messages) if ((m.captured.message.status ?? 0) >= 200) status = m.captured.message.status;
    return { phase: 'request', method: first?.message.method ?? null, status, sinceMs: first === undefined ? 0 : nowMs - toMs(first.time) };
  }
  // The latest attempt (after a 401/407 challenge, the INVITE with credentials), on every hop.
  const latest = invites.reduce((a, b) => (b.request! > a.request! ? b : a));
  const key = attemptKey(call, latest);
  const attempt = invites.filter((t) => attemptKey(call, t) === key);
  const answer = firstResponse(call, invites, (s) => s >= 200 && s < 300);
  const bye = call.messages.findIndex((m) => !m.retransmission && m.captured.message.method === 'BYE');
  if (bye >= 0) return { phase: 'ended', how: 'bye', status: null, talkMs: answer === null ? null : diffMs(call.messages[answer]!.captured.time, call.messages[bye]!.captured.time) };
  if (answer !== null) return { phase: 'answered', sinceMs: nowMs - timeAt(call, answer) };
  const final = firstResponse(call, attempt, (s) => s >= 300);
  const cancelled = attempt.some((t) => t.cancelledBy !== null);
  if (cancelled) return { phase: 'ended', how: 'cancel', status: final === null ? null : statusAt(call, final), talkMs: null };
  if (final !== null) return { phase: 'ended', how: 'rejected', status: statusAt(call, final), talkMs: null };
  const ringing = firstResponse(call, attempt, (s) => s > 100 && s < 200);
  if (ringing !== null) return { phase: 'ringing', sinceMs: nowMs - timeAt(call, ringing), status: statusAt(call, ringing) };
  const first = Math.min(...attempt.map((t) => t.request!));
  const trying = firstResponse(call, attempt, (s) => s === 100);
  return { phase: 'inviting', sinceMs: nowMs - timeAt(call, first), provisional: trying === null ? null : 100 };
}
