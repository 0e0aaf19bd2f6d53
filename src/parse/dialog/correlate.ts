/**
 * Groups SIP messages into calls (one per Call-ID), transactions (RFC 3261 §17) and
 * dialogs (§12), and marks retransmissions. Works incrementally, message by message, and
 * hands a call over (and forgets it) once it is over: quiet for longer than the RFC timers
 * allow for anything more to come. The table of open calls is bounded.
 */
import { Timer } from './timers.js';
import type { CapturedMessage } from '../../types.js';
import { laterOf, toMs } from '../../time.js';
import type { SipMessage } from '../sip/types.js';
import { ownBytesOfOld, shareFieldsWith, useCallId } from '../sip/parse.js';
import type { SlabWalk } from '../sip/message-bytes.js';
import { carriesCredentials, headerValue } from '../sip/header-values.js';
import type { Call, CallMessage, CallType, Dialog, Transaction } from './types.js';
import { ActivityList } from '../activity-list.js';
import { duplicateOf } from './duplicates.js';

/** RFC 3261 §8.1.1.7: a branch starting with this cookie is unique per transaction. */
const MAGIC_COOKIE = 'z9hG4bK';

/** Methods whose 1xx/2xx responses with a To tag create a dialog (RFC 3261 §12.1, RFC 6665 §4.1.2.1, RFC 3515). */
const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

/**
 * What the first request makes its entry. BYE, PRACK and UPDATE exist only inside an INVITE's
 * dialog (RFC 3261 §15, RFC 3262, RFC 3311): an entry that begins with one is a call whose INVITE
 * came before the capture began (a fragment of a call, src/annotate/partial.ts).
 */
const TYPE_BY_METHOD: Record<string, CallType> = {
  INVITE: 'call',
  BYE: 'call',
  PRACK: 'call',
  UPDATE: 'call',
  REGISTER: 'registration',
  OPTIONS: 'options',
  SUBSCRIBE: 'subscription',
  NOTIFY: 'subscription',
  MESSAGE: 'message',
};

/**
 * How long an entry waits for more (ms), beside the RFC 3261 timers (timers.ts `Timer`): after
 * 64×T1 (`Timer.TIMEOUT_MS`, the quiet time) with no message, every retransmission of a finished
 * transaction is over and a non-INVITE transaction with no final response has timed out; an
 * INVITE with no final response waits for Timer C (a proxy gives up after it), then the quiet
 * time. Read for every message (deadlineMs); a const enum, so that the bundler writes each into
 * the code as a number (docs/decisions.md "Offsets read per packet as const enums").
 */
const enum WaitMs {
  /**
   * OPTIONS keep-alives often reuse one Call-ID, one ping every 15 to 60 s (Kamailio dispatcher,
   * Asterisk qualify, phones): an OPTIONS entry waits this long for the next ping, so a ping
   * series stays one entry.
   */
  KEEPALIVE = 120_000,
  /** A refresh may come this late before a binding counts as lapsed (the registration rule's grace); the quiet time follows. */
  BINDING_GRACE = 10_000,
  /**
   * A client answers a 401/407 with the same Call-ID and the next CSeq (RFC 3261 §8.1.3.5, §22.2),
   * at once or once its user has typed a password: a challenged entry waits this long for that
   * request (sngrep-aaa answers its challenges 17 to 51 s later), so the answer stays in the call
   * whose challenge it answers.
   */
  CREDENTIALS = 120_000,
}

/** RFC 3261 §10.2.1.1 / RFC 6665 §4.1.2.1: the expiry a registrar or notifier applies when none is said. */
const DEFAULT_EXPIRES_S = 3600;
/** Longest binding kept open (a day); a larger Expires is still shown, the entry just closes earlier. */
const MAX_BINDING_S = 86_400;

export interface CorrelatorOptions {
  /** Calls open at once (the least recently active is closed early beyond this). */
  readonly maxOpenCalls?: number;
  /** Messages in one call (it is closed and continued as a new entry beyond this). */
  readonly maxMessagesPerCall?: number;
}

export const DEFAULT_MAX_OPEN_CALLS = 50_000;
export const DEFAULT_MAX_MESSAGES_PER_CALL = 5_000;

/** Why a call was handed over before it was over: the first message it happened at and how often. */
export interface TableLimitHit {
  count: number;
  readonly first: CapturedMessage;
}

/** An open call as the correlator holds it: what a live view may read. */
export interface OpenEntry {
  readonly call: Call;
  /** Capture time (ms) of its latest message. */
  readonly lastMs: number;
  /** INVITE transactions whose request was seen and no final response yet. */
  readonly pendingInvites: readonly number[];
}

interface CallState extends OpenEntry {
  readonly call: Call;
  /** What identifies each of the call's transactions, KeyField.COUNT values per transaction in the order of their indices (withKey); EMPTY once transactionsByKey is made. */
  transactionKeys: KeyValue[];
  /** The same by key text (keyText), made once the call has more than LINEAR_LOOKUP transactions. */
  transactionsByKey: Map<string, number> | null;
  /** The call's dialogs by dialogKey, made once it has more than LINEAR_LOOKUP dialogs. */
  dialogsByTags: Map<string, number> | null;
  /** The call's messages before this index have bytes of their own (Correlator.ownBytesOfOld). */
  ownTo: number;
  /** The same for the call's second captures. */
  duplicatesOwnTo: number;
  /** Whether the type came from a request (a response-only start is a guess from its CSeq). */
  typedByRequest: boolean;
  /** What inCaptureOrder does with the call, learnt as its messages arrive (CaptureOrder). */
  order: CaptureOrder;
  /** Frame (or line) number of its latest message, while `order` is still Undecided. */
  lastPosition: number;
  /** The input of its first message (learnOrder compares each message's with it, without reading the first message again). */
  readonly firstFile: string;
  /** Capture time (ms) of the latest message. */
  lastMs: number;
  /** Capture time (ms) of each of the call's messages, by index (duplicateOf reads these). */
  readonly times: number[];
  /** INVITE transactions whose request was seen and no final response yet (by transaction index; few, so an array). */
  pendingInvites: number[];
  /** Confirmed INVITE dialogs with no BYE yet: the call is up and may stay quiet for hours. */
  openDialogs: number[];
  /** Dialogs that saw a BYE. */
  endedDialogs: number[];
  /** Neighbours in the list of open calls, least recently active first. */
  older: CallState | null;
  newer: CallState | null;
  /** Capture time (ms) until which a REGISTER or SUBSCRIBE binding granted in this call lasts. */
  bindingUntilMs: number;
  /** The latest final response was a 401/407 challenge and no request has followed it yet. */
  awaitingCredentials: boolean;
}

/** The expiry a 2xx to REGISTER/SUBSCRIBE grants: the first Contact's expires, else Expires, else the default. */
function grantedSeconds(msg: SipMessage): number {
  // Read without making the message's header list, which it would hold while its call is open.
  const text = msg.contact[0]?.params['expires'] ?? headerValue(msg, 'expires') ?? undefined;
  if (text === undefined) return DEFAULT_EXPIRES_S;
  const seconds = parseInt(text, 10);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, MAX_BINDING_S) : DEFAULT_EXPIRES_S;
}

/** Sent from the same address and port to the same address and port (the numbers first: comparing them costs less). */
function sameHop(a: CapturedMessage, b: CapturedMessage): boolean {
  return a.src.port === b.src.port && a.dst.port === b.dst.port && a.src.ip === b.src.ip && a.dst.ip === b.dst.ip;
}

/**
 * What identifies the transaction a message belongs to. RFC 3261 §17.2.3: with a magic-cookie
 * branch, the top Via branch and sent-by plus the method (ACK matching INVITE) identify it; CANCEL
 * has the INVITE's branch but is a transaction of its own. The CSeq number is part of the key too:
 * every message of a transaction carries its request's (§8.2.6.2, §9.1, §17.1.1.3), so a new
 * request that reuses a branch (which §8.1.1.7 forbids; a Zoiper re-INVITE in the corpus does)
 * is a transaction of its own, not a retransmission. RFC 2543 requests are matched on CSeq,
 * From tag and top Via instead. `KeyFlag.ACK`: the transaction of an ACK to a 2xx (§17.1.1.3),
 * which with an RFC 2543 branch has its INVITE's fields.
 *
 * A call holds its keys as these fields, one after another in one array (`transactionKeys`): no
 * object per transaction is made and held while the call is open, and a lookup reads the keys in a
 * row, latest first. A const enum, so that the bundler writes each offset into the code as a number.
 */
const enum KeyField {
  /** The CSeq number (undefined without a CSeq). */
  SEQ,
  /** KeyFlag bits. */
  FLAGS,
  /** keyMethod, or INVITE for a CANCEL's INVITE. */
  METHOD,
  SENT_BY,
  /** The top Via branch (null without one). */
  BRANCH,
  /** Compared for RFC 2543 transactions only. */
  FROM_TAG,
  COUNT,
}

const enum KeyFlag {
  /** The branch has the magic cookie. */
  COOKIE = 1,
  /** The transaction of an ACK to a 2xx. */
  ACK = 2,
}

type KeyValue = string | number | null | undefined;

/**
 * A call's transactions and dialogs are found by comparing fields while it has up to this many:
 * nearly every call. Past it (a keep-alive series under one Call-ID, a scanner) a Map by key text
 * keeps each lookup constant. Maps per call and their keys (a 55-character string made for every
 * message, then flattened and hashed) were about 1 KB held per open call and 2 % of the run on the
 * SIP-heavy benchmark.
 */
const LINEAR_LOOKUP = 16;

/** The method a message's transaction is keyed by: its CSeq method (its own without a CSeq); INVITE for an ACK, which belongs to its INVITE's transaction after a non-2xx (RFC 3261 §17.1.1.3). */
function keyMethod(msg: SipMessage): string {
  const method = msg.cseq?.method ?? msg.method ?? '';
  return method === 'ACK' ? 'INVITE' : method;
}

function hasMagicCookie(branch: string | null): boolean {
  return branch !== null && branch.startsWith(MAGIC_COOKIE);
}

function keyFlags(cookie: boolean, ack: boolean): number {
  return (cookie ? KeyFlag.COOKIE : 0) | (ack ? KeyFlag.ACK : 0);
}

/** `keys` (a call's transactionKeys) with the key of the transaction `msg` begins when keyed by `method` and `ack`. */
function withKey(keys: KeyValue[], msg: SipMessage, method: string, ack: boolean): KeyValue[] {
  const seq = msg.cseq?.seq;
  const flags = keyFlags(hasMagicCookie(msg.branch), ack);
  // In KeyField order. The first key makes the call's own array (it starts as the shared EMPTY).
  if (keys.length === 0) return [seq, flags, method, msg.sentBy, msg.branch, msg.fromTag];
  // Copied one key longer, not pushed: a push past the room gives at least 16 more slots (25 for a
  // call's second key, 13 of them unused), and the keys are held while the call is open; a call
  // has at most LINEAR_LOOKUP keys here, and a new key is made per transaction, not per message.
  // Concat of an array gives exactly its room and keeps the elements packed (of bare values, holey).
  return keys.concat([seq, flags, method, msg.sentBy, msg.branch, msg.fromTag]);
}

/**
 * Whether the key at `at` in `keys` is the one `msg` has when keyed by `method` and `flags`
 * (keyFlags): the message's fields are compared where they are, no key is made for a message
 * whose transaction exists (most messages).
 */
function isKeyOf(keys: readonly KeyValue[], at: number, msg: SipMessage, method: string, flags: number): boolean {
  // Numbers and the parser's shared method names first: two strings of their own compare through a runtime call.
  if (keys[at + KeyField.SEQ] !== msg.cseq?.seq || keys[at + KeyField.FLAGS] !== flags || keys[at + KeyField.METHOD] !== method || keys[at + KeyField.SENT_BY] !== msg.sentBy) return false;
  const branch = keys[at + KeyField.BRANCH] as string | null;
  if ((flags & KeyFlag.COOKIE) !== 0) return branch === msg.branch;
  // As in the key text: without a magic cookie, no branch and an empty one are the same, as are no From tag and an empty one.
  return (branch ?? '') === (msg.branch ?? '') && ((keys[at + KeyField.FROM_TAG] as string | null) ?? '') === (msg.fromTag ?? '');
}

/** The text of the key at `at` in `keys`, for the Map of a call with many transactions: equal texts for equal keys. */
function transactionKeyText(keys: readonly KeyValue[], at: number): string {
  const flags = keys[at + KeyField.FLAGS] as number;
  return keyText(
    (flags & KeyFlag.COOKIE) !== 0,
    keys[at + KeyField.BRANCH] as string | null,
    keys[at + KeyField.SENT_BY] as string,
    keys[at + KeyField.METHOD] as string,
    keys[at + KeyField.SEQ] as number | undefined,
    keys[at + KeyField.FROM_TAG] as string | null,
    (flags & KeyFlag.ACK) !== 0,
  );
}

function keyText(cookie: boolean, branch: string | null, sentBy: string, method: string, seq: number | undefined, fromTag: string | null, ack: boolean): string {
  const ackText = ack ? '\u0000ACK' : '';
  if (cookie) return `${branch}\u0000${sentBy}\u0000${method}\u0000${seq ?? ''}${ackText}`;
  return `2543\u0000${seq ?? ''}\u0000${method}\u0000${fromTag ?? ''}\u0000${sentBy}\u0000${branch ?? ''}${ackText}`;
}

function dialogKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * Correlator.ownBytesOfOld for a call's messages (or its second captures) from `from` (those
 * before have bytes of their own): up to the first young one, the rest being younger (made later,
 * give or take the order in which several inputs are merged: such a message is met at a later
 * walk). Returns where the next walk starts.
 */
function ownBytesFrom(list: readonly { readonly captured: CapturedMessage }[], from: number, walk: SlabWalk): number {
  let i = from;
  while (i < list.length && !ownBytesOfOld(list[i]!.captured.message, walk)) i++;
  walk.leaves(list.length - i);
  return i;
}

export class Correlator {
  /** Open calls by Call-ID. */
  private readonly calls = new Map<string, CallState>();
  /** The same calls in order of activity: the least recently active is found at once, and hand-over stops at the first call active recently. */
  private readonly byActivity = new ActivityList<CallState>();
  /** Calls closed early by a limit, waiting to be taken. */
  private readonly closedEarly: Call[] = [];
  readonly maxOpenCalls: number;
  readonly maxMessagesPerCall: number;
  /** Calls closed early because too many were open at once. */
  tableFull: TableLimitHit | null = null;
  /** Calls closed early because they grew too long. */
  callTooLong: TableLimitHit | null = null;
  /** Most calls open at once. */
  peakOpenCalls = 0;
  /** Entries begun so far: the number of the next one is this plus one. */
  private entriesBegun = 0;
  /**
   * takeDue walks the open calls from the least recently active while they have been quiet for
   * the quiet time, and most of those it finds not due (a call that is up, a binding that lasts an
   * hour): walking them again at every hand-over cost a walk of hundreds of calls per REGISTER
   * refresh on a busy trunk. So it remembers the last call of the part it walked and found not
   * due, and the earliest deadline there; until capture time reaches that deadline, the next walk
   * starts after that part. A call of the part that gets a message leaves it (it moves to the
   * newest end), so the deadlines in it never change.
   */
  private walkedTo: CallState | null = null;
  private walkedDueMs = Infinity;
  private walkedAtMs = -Infinity;

  constructor(options: CorrelatorOptions = {}) {
    this.maxOpenCalls = Math.max(1, options.maxOpenCalls ?? DEFAULT_MAX_OPEN_CALLS);
    this.maxMessagesPerCall = Math.max(1, options.maxMessagesPerCall ?? DEFAULT_MAX_MESSAGES_PER_CALL);
  }

  /** A call was closed early by a limit and waits to be taken. */
  get closedEarlyWaiting(): boolean {
    return this.closedEarly.length > 0;
  }

  /** Calls open now. */
  get openCalls(): number {
    return this.calls.size;
  }

  /** The calls open now, as they stand (they still grow), least recently active first: for a live view. */
  *open(): IterableIterator<OpenEntry> {
    for (let state = this.byActivity.oldest; state !== null; state = state.newer) yield state;
  }

  /**
   * Adds one message; messages should arrive in capture order. Returns false for a second
   * capture of a message of the call (duplicates.ts): it is kept in the call's `duplicates`,
   * out of its messages, transactions and dialogs.
   */
  add(captured: CapturedMessage): boolean {
    const msg = captured.message;
    const callId = msg.callId ?? '';
    const ms = toMs(captured.time);
    let state = this.calls.get(callId);
    if (state !== undefined) {
      useCallId(msg, state.call.callId);
      const of = duplicateOf(state.call.messages, state.times, captured, ms, state.lastMs);
      if (of >= 0) {
        shareFieldsWith(msg, state.call.messages[of]!.captured.message);
        state.call.duplicates.push({ captured, of });
        return false;
      }
    }
    if (state !== undefined && deadlineMs(state) <= ms) {
      // The call was over before this message: a new entry.
      this.close(state);
      state = undefined;
    } else if (state !== undefined && isRefresh(state, msg, ms)) {
      state.call.refreshedBy = captured;
      this.close(state);
      state = undefined;
    } else if (state !== undefined && state.call.messages.length >= this.maxMessagesPerCall) {
      this.callTooLong = hit(this.callTooLong, captured);
      this.close(state);
      state = undefined;
    }
    if (state === undefined) {
      // The message may hold a closed entry's Call-ID (equal, shared above): the new entry's is its own.
      useCallId(msg, callId);
      state = {
        call: { number: ++this.entriesBegun, callId, type: 'other', messages: [], transactions: [], dialogs: [], duplicates: [], start: captured.time, end: captured.time },
        transactionKeys: EMPTY,
        transactionsByKey: null,
        dialogsByTags: null,
        typedByRequest: false,
        order: CaptureOrder.Undecided,
        lastPosition: position(captured),
        firstFile: captured.file,
        lastMs: ms,
        times: [],
        pendingInvites: EMPTY,
        openDialogs: EMPTY,
        endedDialogs: EMPTY,
        bindingUntilMs: -Infinity,
        awaitingCredentials: false,
        ownTo: 0,
        duplicatesOwnTo: 0,
        older: null,
        newer: null,
      };
      this.calls.set(state.call.callId, state);
      this.byActivity.append(state);
      if (this.calls.size > this.maxOpenCalls) {
        // Bounded table: the least recently active call is handed over as it is.
        this.tableFull = hit(this.tableFull, captured);
        this.close(this.byActivity.oldest!);
      }
      this.peakOpenCalls = Math.max(this.peakOpenCalls, this.calls.size);
    } else {
      this.leaveWalked(state);
      this.byActivity.touch(state);
    }
    const call = state.call;
    // Later in ms is later in time (toMs keeps the order of times whose nsec is below 1e9): the
    // latest message's timestamp, long out of the cache, is read only for a message no later than it.
    if (ms > state.lastMs && captured.time.nsec < 1e9) call.end = captured.time;
    else call.end = laterOf(call.end, captured.time);
    state.lastMs = Math.max(state.lastMs, ms);
    this.updateType(state, msg);

    const index = call.messages.length;
    const txIndex = this.transactionFor(state, captured);
    const tx = call.transactions[txIndex]!;
    const original = this.findOriginal(call, tx, captured);
    const retransmission = original !== null;
    const earlier = tx.request ?? tx.responses[0] ?? tx.acks[0] ?? (index > 0 ? 0 : null);
    if (earlier !== null) shareFieldsWith(msg, call.messages[earlier]!.captured.message);
    if (msg.kind === 'request') {
      if (msg.method === 'ACK' && tx.method === 'INVITE') tx.acks = appended(tx.acks, index);
      else {
        tx.requests = appended(tx.requests, index);
        if (tx.request === null) tx.request = index;
      }
    } else {
      tx.responses = appended(tx.responses, index);
    }
    const dialog = retransmission ? (call.messages[original]!.dialog) : this.dialogFor(state, captured, tx, index);
    const creator = dialog === null ? index : call.dialogs[dialog]!.createdBy;
    if (creator !== index && creator !== earlier) shareFieldsWith(msg, call.messages[creator]!.captured.message);
    const entry: CallMessage = { captured, transaction: txIndex, dialog, retransmission, original };
    if (index > 0 && state.order === CaptureOrder.Undecided) learnOrder(state, captured);
    call.messages.push(entry);
    state.times.push(ms);
    if (!retransmission) this.track(state, msg, tx, txIndex, dialog, ms);
    return true;
  }

  /**
   * The calls that are over at capture time `nowMs` (ms since the epoch), and those closed
   * early by a limit, in order of their first message; they are forgotten here.
   */
  takeDue(nowMs: number): Call[] {
    const due: Call[] = this.closedEarly.splice(0);
    if (nowMs >= this.walkedDueMs || nowMs < this.walkedAtMs) {
      this.walkedTo = null;
      this.walkedDueMs = Infinity;
    }
    this.walkedAtMs = nowMs;
    // In order of activity: once a call had a message within the quiet time, so have the rest (give or take clock steps).
    for (let state = this.walkedTo === null ? this.byActivity.oldest : this.walkedTo.newer; state !== null && state.lastMs + Timer.TIMEOUT_MS <= nowMs; ) {
      const next = state.newer;
      const deadline = deadlineMs(state);
      if (deadline <= nowMs) {
        this.forget(state);
        due.push(inCaptureOrder(state));
      } else {
        this.walkedTo = state;
        this.walkedDueMs = Math.min(this.walkedDueMs, deadline);
      }
      state = next;
    }
    return due.sort((a, b) => a.number - b.number);
  }

  /** Every call still held (the input has ended), in order of its first message. */
  takeAll(): Call[] {
    const all = [...this.closedEarly.splice(0), ...[...this.calls.values()].map(inCaptureOrder)];
    this.calls.clear();
    this.byActivity.clear();
    this.walkedTo = null;
    this.walkedDueMs = Infinity;
    return all.sort((a, b) => a.number - b.number);
  }

  /**
   * A walk of message-bytes.ts (SlabWalk): every message held here whose bytes lie in an old
   * slab gets a copy of its own (ownBytesOfOld): the open calls' messages and second captures,
   * the calls closed early and not taken yet, and the message each table limit was first hit at.
   */
  ownBytesOfOld(walk: SlabWalk): void {
    for (let state = this.byActivity.oldest; state !== null; state = state.newer) {
      state.ownTo = ownBytesFrom(state.call.messages, state.ownTo, walk);
      state.duplicatesOwnTo = ownBytesFrom(state.call.duplicates, state.duplicatesOwnTo, walk);
    }
    for (const call of this.closedEarly) {
      ownBytesFrom(call.messages, 0, walk);
      ownBytesFrom(call.duplicates, 0, walk);
    }
    if (this.tableFull !== null) ownBytesOfOld(this.tableFull.first.message, walk);
    if (this.callTooLong !== null) ownBytesOfOld(this.callTooLong.first.message, walk);
  }

  private close(state: CallState): void {
    this.forget(state);
    this.closedEarly.push(inCaptureOrder(state));
  }

  private forget(state: CallState): void {
    this.leaveWalked(state);
    this.calls.delete(state.call.callId);
    this.byActivity.remove(state);
  }

  /** Before a call moves or leaves the list of open calls: the walked part (takeDue) ends before it. */
  private leaveWalked(state: CallState): void {
    if (state === this.walkedTo) this.walkedTo = state.older;
  }

  /** What keeps a call open: INVITEs waiting for a final response, dialogs that are up, bindings that last. */
  private track(state: CallState, msg: SipMessage, tx: Transaction, txIndex: number, dialog: number | null, ms: number): void {
    if (msg.kind === 'request') {
      if (msg.method !== 'ACK' && msg.method !== 'CANCEL') state.awaitingCredentials = false;
      if (msg.method === 'INVITE' && tx.method === 'INVITE' && tx.requests.length === 1) state.pendingInvites = appended(state.pendingInvites, txIndex);
      if (msg.method === 'BYE' && dialog !== null) {
        state.endedDialogs = appended(state.endedDialogs, dialog);
        state.openDialogs = without(state.openDialogs, dialog);
      }
    } else if (msg.status !== null && msg.status >= 200) {
      state.awaitingCredentials = msg.status === 401 || msg.status === 407;
      state.pendingInvites = without(state.pendingInvites, txIndex);
      if (msg.status < 300 && (tx.method === 'REGISTER' || tx.method === 'SUBSCRIBE')) {
        const seconds = grantedSeconds(msg);
        if (seconds > 0) state.bindingUntilMs = Math.max(state.bindingUntilMs, ms + seconds * 1000);
      }
    }
    if (dialog === null) return;
    const d = state.call.dialogs[dialog]!;
    if (d.state === 'terminated') state.openDialogs = without(state.openDialogs, dialog);
    else if (d.state === 'confirmed' && !state.endedDialogs.includes(dialog) && !state.openDialogs.includes(dialog) && !SUBSCRIPTION_METHODS.has(tx.method)) state.openDialogs = appended(state.openDialogs, dialog);
  }

  private updateType(state: CallState, msg: SipMessage): void {
    const method = msg.kind === 'request' ? msg.method : msg.cseq?.method;
    if (method === undefined || method === null) return;
    // An INVITE anywhere makes it a call; otherwise the first request decides (a BYE first: a call begun before the capture).
    if (method === 'INVITE') state.call.type = 'call';
    else if (!state.typedByRequest && state.call.type !== 'call') state.call.type = TYPE_BY_METHOD[method] ?? state.call.type;
    if (msg.kind === 'request' && (msg.method !== 'ACK' && msg.method !== 'CANCEL')) state.typedByRequest = true;
  }

  private transactionFor(state: CallState, captured: CapturedMessage): number {
    const msg = captured.message;
    const call = state.call;
    const method = keyMethod(msg);
    let ack = false;
    let index = this.findTransaction(state, msg, method, false);
    // An ACK whose INVITE got a 2xx (or with no transaction found) is a transaction of its own (RFC 3261 §17.1.1.3); with RFC 2543 branches it shares the INVITE's key.
    if (msg.kind === 'request' && msg.method === 'ACK' && (index === undefined || answeredWith2xx(call, call.transactions[index]!))) {
      ack = true;
      index = this.findTransaction(state, msg, method, true);
    }
    index ??= msg.kind === 'response' ? this.requestForResponse(call, captured) : undefined;
    if (index !== undefined) return index;
    const txMethod = msg.kind === 'request' ? (msg.method ?? '') : (msg.cseq?.method ?? '');
    const tx: Transaction = {
      method: txMethod,
      branch: msg.branch,
      sentBy: msg.sentBy,
      cseq: msg.cseq?.seq ?? 0,
      request: null,
      requests: [],
      responses: [],
      acks: [],
      cancelledBy: null,
      cancels: null,
      ack2xx: [],
    };
    index = call.transactions.length;
    call.transactions = appended(call.transactions, tx);
    if (state.transactionsByKey !== null) {
      state.transactionsByKey.set(keyText(hasMagicCookie(msg.branch), msg.branch, msg.sentBy, method, msg.cseq?.seq, msg.fromTag, ack), index);
    } else {
      const keys = (state.transactionKeys = withKey(state.transactionKeys, msg, method, ack));
      if (index === LINEAR_LOOKUP) {
        const byKey = new Map<string, number>();
        for (let i = 0; i <= index; i++) byKey.set(transactionKeyText(keys, i * KeyField.COUNT), i);
        state.transactionsByKey = byKey;
        state.transactionKeys = EMPTY;
      }
    }
    if (txMethod === 'CANCEL') {
      // CANCEL carries the INVITE's branch (RFC 3261 §9.1), and should carry its whole top Via; one
      // that changed the sent-by (Nero SIPPS leaves the port out) still cancels that INVITE for the
      // caller, and the malformed-message rule says what a server will make of it.
      const invite = this.findTransaction(state, msg, 'INVITE', false) ?? this.inviteByBranch(call, captured);
      if (invite !== undefined) {
        tx.cancels = invite;
        call.transactions[invite]!.cancelledBy = index;
      }
    } else if (txMethod === 'ACK') {
      // ACK for a 2xx: a new transaction, tied to the INVITE by its CSeq number (RFC 3261 §13.2.2.4).
      // Through a proxy the same INVITE exists once per hop: prefer the one sent from where the ACK comes from.
      let match: Transaction | undefined;
      for (let i = call.transactions.length - 2; i >= 0; i--) {
        const t = call.transactions[i]!;
        if (t.method !== 'INVITE' || t.cseq !== tx.cseq) continue;
        const sender = t.request === null ? null : call.messages[t.request]!.captured.src;
        if (sender !== null && sender.ip === captured.src.ip && sender.port === captured.src.port) {
          match = t;
          break;
        }
        match ??= t;
      }
      if (match !== undefined) match.ack2xx = appended(match.ack2xx, index);
    }
    return index;
  }

  /** The call's transaction `msg` belongs to when keyed by `method` and `ack` (keys are unique in a call: a transaction is made only for a key not found). */
  private findTransaction(state: CallState, msg: SipMessage, method: string, ack: boolean): number | undefined {
    const cookie = hasMagicCookie(msg.branch);
    if (state.transactionsByKey !== null) return state.transactionsByKey.get(keyText(cookie, msg.branch, msg.sentBy, method, msg.cseq?.seq, msg.fromTag, ack));
    const keys = state.transactionKeys;
    const flags = keyFlags(cookie, ack);
    for (let i = keys.length / KeyField.COUNT - 1; i >= 0; i--) if (isKeyOf(keys, i * KeyField.COUNT, msg, method, flags)) return i;
    return undefined;
  }

  /** The call's dialog between these two tags, whichever side sent which. */
  private findDialog(state: CallState, fromTag: string, toTag: string): number | undefined {
    if (state.dialogsByTags !== null) return state.dialogsByTags.get(dialogKey(fromTag, toTag));
    const dialogs = state.call.dialogs;
    for (let i = 0; i < dialogs.length; i++) {
      const d = dialogs[i]!;
      if ((d.callerTag === fromTag && d.calleeTag === toTag) || (d.callerTag === toTag && d.calleeTag === fromTag)) return i;
    }
    return undefined;
  }

  /**
   * RFC 3261 §17.1.3: a client transaction takes a response whose top Via branch and CSeq method
   * are its request's; the sent-by is not compared. A NAT's SIP ALG that rewrites the sent-by of a
   * response on its way back (heplify-erspan #7: port 5260 made 5860, `rport=5260` added) leaves
   * it the response of that request, which the sender took (it never sent the request again).
   * Among requests with that branch on several hops, the one sent to where the response comes from;
   * a request on a hop the response has no address of (a B2BUA or SBC that passes the branch on, its
   * other leg's request not captured) is another client transaction, so it never takes the response.
   */
  private requestForResponse(call: Call, captured: CapturedMessage): number | undefined {
    const msg = captured.message;
    if (msg.branch === null || !msg.branch.startsWith(MAGIC_COOKIE)) return undefined;
    let found: number | undefined;
    for (let i = call.transactions.length - 1; i >= 0; i--) {
      const tx = call.transactions[i]!;
      if (tx.branch !== msg.branch || tx.method !== msg.cseq?.method || tx.cseq !== msg.cseq.seq || tx.request === null) continue;
      const request = call.messages[tx.request]!.captured;
      if (request.dst.ip === captured.src.ip && request.dst.port === captured.src.port) return i;
      if (request.dst.ip === captured.src.ip || request.src.ip === captured.dst.ip) found ??= i;
    }
    return found;
  }

  /**
   * The INVITE transaction with this CANCEL's magic-cookie branch and CSeq number, whatever its
   * sent-by, sent where the CANCEL goes (RFC 3261 §9.1: the CANCEL's destination address and port
   * are the INVITE's), so the same branch on another hop is not taken for it.
   */
  private inviteByBranch(call: Call, captured: CapturedMessage): number | undefined {
    const msg = captured.message;
    if (msg.branch === null || !msg.branch.startsWith(MAGIC_COOKIE)) return undefined;
    for (let i = call.transactions.length - 1; i >= 0; i--) {
      const tx = call.transactions[i]!;
      if (tx.method !== 'INVITE' || tx.branch !== msg.branch || tx.cseq !== msg.cseq?.seq || tx.request === null) continue;
      const to = call.messages[tx.request]!.captured.dst;
      if (to.ip === captured.dst.ip && to.port === captured.dst.port) return i;
    }
    return undefined;
  }

  /** The earlier copy of this message on the same hop in the same transaction, if any. */
  private findOriginal(call: Call, tx: Transaction, captured: CapturedMessage): number | null {
    const msg = captured.message;
    const candidates = msg.kind === 'request' ? (msg.method === 'ACK' && tx.method === 'INVITE' ? tx.acks : tx.requests) : tx.responses;
    for (const i of candidates) {
      const other = call.messages[i]!;
      if (other.retransmission) continue;
      const o = other.captured.message;
      // The method or status first: the responses of a transaction differ there (100, 180, 200), so their addresses are not read.
      if (msg.kind === 'request' ? o.method !== msg.method : o.status !== msg.status) continue;
      if (sameHop(other.captured, captured) && (msg.kind === 'request' || o.toTag === msg.toTag)) return i;
    }
    return null;
  }

  private dialogFor(state: CallState, captured: CapturedMessage, tx: Transaction, index: number): number | null {
    const msg = captured.message;
    const fromTag = msg.fromTag;
    const toTag = msg.toTag;
    if (fromTag === null || toTag === null) return null;
    const call = state.call;
    let dialogIndex = this.findDialog(state, fromTag, toTag);
    if (dialogIndex === undefined) {
      const createsDialog =
        msg.kind === 'response' && DIALOG_CREATING.has(tx.method) && msg.status !== null && msg.status > 100 && msg.status < 300;
      // A request with both tags is in-dialog: the capture began after the dialog was made.
      const midDialog = msg.kind === 'request' && msg.method !== 'ACK' && msg.method !== 'CANCEL';
      if (!createsDialog && !midDialog) return null;
      const dialog: Dialog = { callerTag: fromTag, calleeTag: toTag, state: createsDialog && msg.status! < 200 ? 'early' : 'confirmed', createdBy: index };
      dialogIndex = call.dialogs.length;
      call.dialogs = appended(call.dialogs, dialog);
      if (state.dialogsByTags !== null) state.dialogsByTags.set(dialogKey(fromTag, toTag), dialogIndex);
      else if (dialogIndex === LINEAR_LOOKUP) state.dialogsByTags = new Map(call.dialogs.map((d, i) => [dialogKey(d.callerTag, d.calleeTag), i]));
      return dialogIndex;
    }
    const dialog = call.dialogs[dialogIndex]!;
    if (msg.kind === 'response' && msg.status !== null) {
      if (tx.method === 'INVITE' && msg.status >= 200 && msg.status < 300 && dialog.state === 'early') dialog.state = 'confirmed';
      else if (tx.method === 'INVITE' && msg.status >= 300 && dialog.state === 'early') dialog.state = 'terminated';
      else if (tx.method === 'BYE' && msg.status >= 200) dialog.state = 'terminated';
    }
    return dialogIndex;
  }
}

function answeredWith2xx(call: Call, tx: Transaction): boolean {
  return tx.responses.some((i) => {
    const status = call.messages[i]!.captured.message.status;
    return status !== null && status >= 200 && status < 300;
  });
}

/** Dialogs whose lifetime is an expiry, not a BYE (RFC 6665, RFC 3515). */
const SUBSCRIPTION_METHODS = new Set(['SUBSCRIBE', 'NOTIFY', 'REFER']);

/**
 * A REGISTER or SUBSCRIBE refresh: a new request of the method that made the binding, once the
 * earlier exchange is quiet. Each refresh cycle is an entry of its own, so a binding refreshed
 * all day long does not grow one entry without end; the entry it ends is checked up to the
 * refresh (a refresh after the binding ran out shows there as a lapsed binding).
 */
function isRefresh(state: CallState, msg: SipMessage, ms: number): boolean {
  if (state.bindingUntilMs === -Infinity || msg.kind !== 'request' || state.pendingInvites.length > 0 || state.openDialogs.length > 0) return false;
  if (msg.method !== 'REGISTER' && msg.method !== 'SUBSCRIBE') return false;
  if (state.awaitingCredentials && carriesCredentials(msg)) return false;
  return ms - state.lastMs >= Timer.TIMEOUT_MS;
}

/**
 * The list with `item` at its end. A push past an array's room gives it at least 16 more slots
 * (V8), and most lists of a call and of its transactions hold one to four entries and are kept
 * while the call is open: about 130 bytes unused per list, copied by every collection until the call
 * ends. Up to four entries, a list is made again one longer (an array literal has exactly its room).
 */
function appended<T>(list: T[], item: T): T[] {
  switch (list.length) {
    case 0:
      return [item];
    case 1:
      return [list[0]!, item];
    case 2:
      return [list[0]!, list[1]!, item];
    case 3:
      return [list[0]!, list[1]!, list[2]!, item];
    default:
      list.push(item);
      return list;
  }
}

/**
 * The empty list a call's transaction keys, pending INVITEs and dialog lists start as, and
 * return to (the keys once their Map is made): one shared array, so reading an empty list
 * (deadlineMs reads two per message) reads an object already in the cache, and no call makes its
 * own. Never written: `withKey`, `appended` and `without` replace a list while it is empty.
 */
const EMPTY: never[] = [];

/** The list without `value`: taken out in place, or EMPTY for its last element. */
function without(list: number[], value: number): number[] {
  const i = list.indexOf(value);
  if (i < 0) return list;
  if (list.length === 1) return EMPTY;
  list.splice(i, 1);
  return list;
}

function hit(previous: TableLimitHit | null, at: CapturedMessage): TableLimitHit {
  if (previous === null) return { count: 1, first: at };
  previous.count++;
  return previous;
}

/** When nothing more can belong to this call (ms since the epoch); Infinity while a dialog is up. */
function deadlineMs(state: CallState): number {
  if (state.openDialogs.length > 0) return Infinity;
  let deadline = state.lastMs + (state.call.type === 'options' ? WaitMs.KEEPALIVE : Timer.TIMEOUT_MS);
  if (state.pendingInvites.length > 0) deadline = Math.max(deadline, state.lastMs + (Timer.C_MS + Timer.TIMEOUT_MS));
  if (state.awaitingCredentials) deadline = Math.max(deadline, state.lastMs + WaitMs.CREDENTIALS);
  return Math.max(deadline, state.bindingUntilMs + (WaitMs.BINDING_GRACE + Timer.TIMEOUT_MS));
}

/**
 * Whether a call's messages came out of frame (or line) order — a TCP stream flushed at the end
 * of its input hands over its last message late — learnt as each message is added, so that no
 * call's messages are walked again at its hand-over. Frames of different inputs are not
 * compared: a call whose messages come from another input than its first's before any is out of
 * order is kept as it is.
 */
const enum CaptureOrder {
  /** One input so far, in order. */
  Undecided,
  /** A message of another input came before any out of order: kept in the order received. */
  Kept,
  /** A message of the first input came before the one received ahead of it: correlated again. */
  Reorder,
}

/** The next message of a call whose order is undecided (a message of its own after its first). */
function learnOrder(state: CallState, captured: CapturedMessage): void {
  const at = position(captured);
  if (captured.file !== state.firstFile) state.order = CaptureOrder.Kept;
  else if (at < state.lastPosition) state.order = CaptureOrder.Reorder;
  else state.lastPosition = at;
}

/** The call, correlated again in capture order when its messages came out of it (CaptureOrder), so retransmissions and transactions are judged as they happened on the wire. */
function inCaptureOrder(state: CallState): Call {
  const call = state.call;
  if (state.order !== CaptureOrder.Reorder) return call;
  const again = new Correlator({ maxMessagesPerCall: Infinity });
  const all = [...call.messages.map((x) => x.captured), ...call.duplicates.map((d) => d.captured)];
  for (const m of all.sort((a, b) => position(a) - position(b))) again.add(m);
  return { ...again.takeAll()[0]!, number: call.number };
}

function position(m: CapturedMessage): number {
  return m.frame ?? m.line ?? 0;
}

/** Correlates a list of messages (already in capture order) into every call, in order of its first message. */
export function correlate(messages: Iterable<CapturedMessage>): Call[] {
  const correlator = new Correlator({ maxOpenCalls: Infinity, maxMessagesPerCall: Infinity });
  for (const m of messages) correlator.add(m);
  return correlator.takeAll();
}
