/** How a call ended, and its figures (setup time, post-dial delay, talk time, who hung up). */
import type { Call, Transaction } from '../parse/dialog/types.js';
import { diffMs } from '../time.js';
import type { CapturedMessage } from '../types.js';
import { isInitialRequest } from './rules/lib/call.js';
import type { Finding } from './rules/types.js';

export type Outcome =
  | 'answered' // INVITE got a 2xx
  | 'completed' // a non-INVITE request got a 2xx
  | 'busy' // 486, 600
  | 'rejected' // the callee or its proxy refused: 403, 603, 607, 608
  | 'no-answer' // it rang, then 408/480, or nobody picked up before the caller cancelled
  | 'cancelled' // the caller cancelled before any ringing
  | 'redirected' // 3xx
  | 'failed' // any other final failure
  | 'stuck' // only 100 Trying, then nothing for longer than the stuck-on-100-trying threshold
  | 'unresolved' // provisional responses only, and the capture ended; or answered and not hung up when the capture was cut short
  | 'no-response' // no response at all
  | 'unknown'; // no request in the capture, and no response to an INVITE

export interface CallOutcome {
  readonly outcome: Outcome;
  /** The final status that decided it, if any. */
  readonly status: number | null;
  /**
   * Present (true) when the request that decided the outcome is not in the capture (an INVITE
   * lost to IP fragmentation, or sent inside an encrypted tunnel): the outcome is read from the
   * responses that answer it (CSeq method INVITE).
   */
  readonly requestMissing?: true;
}

export interface CallFigures {
  /** INVITE to the first 18x (post-dial delay), ms. */
  readonly postDialDelayMs: number | null;
  /** INVITE to its 2xx (setup time), ms. */
  readonly setupMs: number | null;
  /** 2xx to the BYE (talk time), ms. */
  readonly talkMs: number | null;
  /** Who sent the BYE: the side that placed the call, or the side that answered. */
  readonly hungUpBy: 'caller' | 'callee' | null;
}

function statusesOf(call: Call, tx: Transaction): number[] {
  return tx.responses.map((i) => call.messages[i]!.captured.message.status ?? 0);
}

/**
 * The transaction that decides the outcome. A call may try several INVITEs (a 401/407
 * challenge answered with credentials, a 3xx followed): the first one answered with a 2xx
 * decides, otherwise the last attempt. Re-INVITEs inside a dialog (To tag set) do not count.
 * An INVITE whose request is missing from the capture but whose responses are there (CSeq
 * method INVITE) is an attempt too, unless it is a captured INVITE seen on another hop (same
 * CSeq number and From tag): its responses say how it ended. One attempt seen on several hops
 * (a proxy forwarding it) is decided by its first hop, what the caller got (a proxy's 408 when
 * its next hop is silent is "failed (408)", not "no response"), unless that hop shows no final
 * response and a later one does (the capture missed it). Other calls (REGISTER, OPTIONS...) are
 * decided by their last request. The analysis finds it once per call and gives it to callOutcome
 * and callFigures (their last argument), which otherwise find it themselves.
 */
export function decidingTransaction(call: Call): Transaction | undefined {
  const transactions = call.transactions;
  // Loops, not a chain of filtered lists: this runs for every call handed over (outcome, figures).
  // Most calls make one attempt: a list of them is made only from the second.
  let first: Transaction | undefined;
  let invites: Transaction[] | null = null;
  for (let x = 0; x < transactions.length; x++) {
    const t = transactions[x]!;
    if (t.method !== 'INVITE') continue;
    const attempt = t.request !== null ? isInitialInvite(call, t) : t.responses.length > 0 && !transactions.some((i) => isInitialInvite(call, i) && i.cseq === t.cseq && fromTagOf(call, i) === fromTagOf(call, t));
    if (!attempt) continue;
    if (first === undefined) first = t;
    else (invites ??= [first]).push(t);
  }
  if (invites !== null) {
    const pool = firstHops(call, invites);
    return pool.find((t) => answered(call, t)) ?? pool[pool.length - 1];
  }
  if (first !== undefined) return first;
  // The other attempts, a BYE only when there is nothing else.
  return lastAttempt(call, false) ?? lastAttempt(call, true);
}

function fromTagOf(call: Call, t: Transaction): string | null {
  return call.messages[t.request ?? t.responses[0]!]!.captured.message.fromTag ?? null;
}

/** A captured INVITE outside a dialog (no To tag): an attempt of the call. */
function isInitialInvite(call: Call, t: Transaction): boolean {
  return t.request !== null && t.method === 'INVITE' && call.messages[t.request]!.captured.message.toTag == null;
}

/** Of the requests that are not ACK nor CANCEL (nor BYE unless `withBye`), the first answered with a 2xx, else the last. */
function lastAttempt(call: Call, withBye: boolean): Transaction | undefined {
  let last: Transaction | undefined;
  const transactions = call.transactions;
  for (let x = 0; x < transactions.length; x++) {
    const t = transactions[x]!;
    if (t.request === null || t.method === 'ACK' || t.method === 'CANCEL' || (!withBye && t.method === 'BYE')) continue;
    if (answered(call, t)) return t;
    last = t;
  }
  return last;
}

/** Some response of the transaction has a status in [low, high). */
function anyStatus(call: Call, tx: Transaction, low: number, high: number): boolean {
  for (const i of tx.responses) {
    const s = call.messages[i]!.captured.message.status ?? 0;
    if (s >= low && s < high) return true;
  }
  return false;
}

function answered(call: Call, tx: Transaction): boolean {
  return anyStatus(call, tx, 200, 300);
}

/**
 * One transaction per attempt: of the INVITEs that are one attempt on several hops (same CSeq
 * number and From tag), the first hop's (its message came first), or, when that one has no final
 * response, the first hop that has one. Order kept.
 */
function firstHops(call: Call, invites: readonly Transaction[]): Transaction[] {
  const hasFinal = (t: Transaction): boolean => anyStatus(call, t, 200, Infinity);
  const firstIndex = (t: Transaction): number => Math.min(...(t.request === null ? t.responses : [t.request]));
  const groups = new Map<string, Transaction[]>();
  for (const t of invites) {
    const key = `${t.cseq}\u0000${fromTagOf(call, t) ?? ''}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [t]);
    else group.push(t);
  }
  const chosen = new Set<Transaction>();
  for (const group of groups.values()) {
    const byHop = [...group].sort((a, b) => firstIndex(a) - firstIndex(b));
    chosen.add(hasFinal(byHop[0]!) ? byHop[0]! : (byHop.find(hasFinal) ?? byHop[0]!));
  }
  return invites.filter((t) => chosen.has(t));
}

/** stuck-on-100-trying's message ids for a wait that a 408 ended. */
const TIMED_OUT = new Set(['timeout', 'timeout-silent-hop']);
const BUSY = new Set([486, 600]);
const REJECTED = new Set([403, 603, 607, 608]);
const NO_ANSWER = new Set([408, 480]);

/**
 * `captureCut`: the capture was cut short while the call was open (it ends inside a record, as
 * when the capture process is killed, or reading failed part-way). A call answered and not hung
 * up is then unresolved, not answered: how it went after the cut is not in the capture. Its
 * status stays the 2xx it got. In a capture that simply ended, it stays answered.
 */
export function callOutcome(call: Call, findings: readonly Finding[] = [], captureCut = false, tx = decidingTransaction(call)): CallOutcome {
  if (tx === undefined) return { outcome: 'unknown', status: null };
  const decided = tx.request === null ? { ...outcomeOf(call, tx, findings), requestMissing: true as const } : outcomeOf(call, tx, findings);
  if (captureCut && decided.outcome === 'answered' && openAtEnd(call, tx) === 'up') return { ...decided, outcome: 'unresolved' };
  return decided;
}

/**
 * Whether a call was still mid-dialog when its capture ended: 'setup' for an INVITE with no
 * final response yet, 'up' for a call answered (2xx) with no BYE; null when it was over, or is
 * not an INVITE call (a registration, OPTIONS...).
 */
export function openAtEnd(call: Call, tx = decidingTransaction(call)): 'setup' | 'up' | null {
  if (tx === undefined || tx.method !== 'INVITE') return null;
  const statuses = statusesOf(call, tx);
  if (statuses.some((s) => s >= 200 && s < 300)) return call.transactions.some((t) => t.method === 'BYE') ? null : 'up';
  return statuses.some((s) => s >= 300) ? null : 'setup';
}

function outcomeOf(call: Call, tx: Transaction, findings: readonly Finding[]): CallOutcome {
  const statuses = statusesOf(call, tx);
  const success = statuses.find((s) => s >= 200 && s < 300);
  if (success !== undefined) return { outcome: tx.method === 'INVITE' ? 'answered' : 'completed', status: success };
  const final = statuses.find((s) => s >= 300) ?? null;
  const rang = statuses.some((s) => s > 100 && s < 200);
  // A 408 that ended the wait (the first hop gave up on a silent next hop) is what the caller got: failed (408), not stuck.
  // A caller that cancelled after the threshold is a warning, and the call is still stuck; an unresolved wait (info) is not.
  const stuck = tx.request !== null && findings.some((f) => f.rule === 'stuck-on-100-trying' && f.severity !== 'info' && f.messages[0] === tx.request && !TIMED_OUT.has(f.messageId));
  if (stuck) return { outcome: 'stuck', status: final };
  if (tx.cancelledBy !== null) return { outcome: rang ? 'no-answer' : 'cancelled', status: final };
  if (final === null) return { outcome: statuses.length > 0 ? 'unresolved' : 'no-response', status: null };
  if (final < 400) return { outcome: 'redirected', status: final };
  if (BUSY.has(final)) return { outcome: 'busy', status: final };
  if (REJECTED.has(final)) return { outcome: 'rejected', status: final };
  if (NO_ANSWER.has(final) && rang) return { outcome: 'no-answer', status: final };
  return { outcome: 'failed', status: final };
}

/** The figures of a call that has none (a fresh object: a library user may change the one it gets). */
export function noFigures(): CallFigures {
  return { postDialDelayMs: null, setupMs: null, talkMs: null, hungUpBy: null };
}

export function callFigures(call: Call, tx = decidingTransaction(call)): CallFigures {
  if (tx === undefined || tx.method !== 'INVITE' || tx.request === null) return noFigures();
  const invite = call.messages[tx.request]!.captured;
  // Figures count from the initial INVITE: when only a re-INVITE was captured (the capture began
  // mid-call), when the call was set up is not in the capture.
  if (!isInitialRequest(invite.message)) return noFigures();
  const ringing = firstResponse(call, tx, 101, 200);
  const answer = firstResponse(call, tx, 200, 300);
  const bye = call.transactions.find((t) => t.method === 'BYE' && t.request !== null);
  const byeMessage = bye === undefined ? undefined : call.messages[bye.request!]!.captured;
  const callerTag = invite.message.fromTag ?? null;
  return {
    postDialDelayMs: ringing === undefined ? null : diffMs(invite.time, ringing.time),
    setupMs: answer === undefined ? null : diffMs(invite.time, answer.time),
    talkMs: answer === undefined || byeMessage === undefined ? null : diffMs(answer.time, byeMessage.time),
    hungUpBy: byeMessage === undefined || callerTag === null ? null : byeMessage.message.fromTag === callerTag ? 'caller' : 'callee',
  };
}

/** The transaction's first response with a status in [low, high). */
function firstResponse(call: Call, tx: Transaction, low: number, high: number): CapturedMessage | undefined {
  for (const i of tx.responses) {
    const m = call.messages[i]!.captured;
    const s = m.message.status ?? 0;
    if (s >= low && s < high) return m;
  }
  return undefined;
}
