/**
 * Groups SIP messages into calls (one per Call-ID), transactions (RFC 3261 §17) and
 * dialogs (§12), and marks retransmissions. Works incrementally, message by message.
 */
import type { CapturedMessage } from '../../types.js';
import { compareTime, laterOf } from '../../time.js';
import type { SipMessage } from '../sip/types.js';
import type { Call, CallMessage, CallType, Dialog, Transaction } from './types.js';

/** RFC 3261 §8.1.1.7: a branch starting with this cookie is unique per transaction. */
const MAGIC_COOKIE = 'z9hG4bK';

/** Methods whose 1xx/2xx responses with a To tag create a dialog (RFC 3261 §12.1, RFC 6665 §4.1.2.1, RFC 3515). */
const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

const TYPE_BY_METHOD: Record<string, CallType> = {
  INVITE: 'call',
  REGISTER: 'registration',
  OPTIONS: 'options',
  SUBSCRIBE: 'subscription',
  NOTIFY: 'subscription',
  MESSAGE: 'message',
};

interface CallState {
  readonly call: Call;
  readonly transactionsByKey: Map<string, number>;
  readonly dialogsByTags: Map<string, number>;
  /** Whether the type came from a request (a response-only start is a guess from its CSeq). */
  typedByRequest: boolean;
}

function hop(m: CapturedMessage): string {
  return `${m.src.ip}|${m.src.port}|${m.dst.ip}|${m.dst.port}`;
}

function sentBy(msg: SipMessage): string {
  const via = msg.via[0];
  return via === undefined ? '' : `${via.host.toLowerCase()}:${via.port ?? ''}`;
}

/**
 * The transaction a message belongs to. RFC 3261 §17.2.3: with a magic-cookie branch, the
 * top Via branch and sent-by plus the method (ACK matching INVITE) identify it; CANCEL has
 * the INVITE's branch but is a transaction of its own. RFC 2543 requests are matched on
 * CSeq, From tag and top Via instead.
 */
function transactionKey(msg: SipMessage, asMethod?: string): string {
  const cseqMethod = asMethod ?? msg.cseq?.method ?? msg.method ?? '';
  const method = cseqMethod === 'ACK' ? 'INVITE' : cseqMethod;
  const branch = msg.via[0]?.branch ?? null;
  if (branch !== null && branch.startsWith(MAGIC_COOKIE)) return `${branch}\u0000${sentBy(msg)}\u0000${method}`;
  return `2543\u0000${msg.cseq?.seq ?? ''}\u0000${method}\u0000${msg.from?.tag ?? ''}\u0000${sentBy(msg)}\u0000${branch ?? ''}`;
}

function dialogKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export class Correlator {
  private readonly calls = new Map<string, CallState>();

  /** Adds one message; messages should arrive in capture order. */
  add(captured: CapturedMessage): void {
    const msg = captured.message;
    const callId = msg.callId ?? '';
    let state = this.calls.get(callId);
    if (state === undefined) {
      state = {
        call: { callId, type: 'other', messages: [], transactions: [], dialogs: [], start: captured.time, end: captured.time },
        transactionsByKey: new Map(),
        dialogsByTags: new Map(),
        typedByRequest: false,
      };
      this.calls.set(callId, state);
    }
    const call = state.call;
    call.end = laterOf(call.end, captured.time);
    this.updateType(state, msg);

    const index = call.messages.length;
    const txIndex = this.transactionFor(state, captured);
    const tx = call.transactions[txIndex]!;
    const original = this.findOriginal(call, tx, captured);
    const retransmission = original !== null;
    if (msg.kind === 'request') {
      if (msg.method === 'ACK' && tx.method === 'INVITE') tx.acks.push(index);
      else {
        tx.requests.push(index);
        if (tx.request === null) tx.request = index;
      }
    } else {
      tx.responses.push(index);
    }
    const dialog = retransmission ? (call.messages[original]!.dialog) : this.dialogFor(state, captured, tx, index);
    const entry: CallMessage = { captured, transaction: txIndex, dialog, retransmission, original };
    call.messages.push(entry);
  }

  /** Every call, in order of its first message. */
  finish(): Call[] {
    return [...this.calls.values()].map((s) => s.call).sort((a, b) => compareTime(a.start, b.start));
  }

  private updateType(state: CallState, msg: SipMessage): void {
    const method = msg.kind === 'request' ? msg.method : msg.cseq?.method;
    if (method === undefined || method === null) return;
    const type = TYPE_BY_METHOD[method];
    // An INVITE anywhere makes it a call; otherwise the first request decides.
    if (type === 'call') state.call.type = 'call';
    else if (!state.typedByRequest && state.call.type !== 'call' && type !== undefined) state.call.type = type;
    if (msg.kind === 'request' && (msg.method !== 'ACK' && msg.method !== 'CANCEL')) state.typedByRequest = true;
  }

  private transactionFor(state: CallState, captured: CapturedMessage): number {
    const msg = captured.message;
    const call = state.call;
    let key = transactionKey(msg);
    let index = state.transactionsByKey.get(key);
    // An ACK whose INVITE got a 2xx is a transaction of its own (RFC 3261 §17.1.1.3); with RFC 2543 branches it shares the INVITE's key.
    if (index !== undefined && msg.kind === 'request' && msg.method === 'ACK' && answeredWith2xx(call, call.transactions[index]!)) {
      key = `${key}\u0000ACK`;
      index = state.transactionsByKey.get(key);
    } else if (index === undefined && msg.kind === 'request' && msg.method === 'ACK') {
      key = `${key}\u0000ACK`;
      index = state.transactionsByKey.get(key);
    }
    if (index !== undefined) return index;
    const via = msg.via[0];
    const method = msg.kind === 'request' ? (msg.method ?? '') : (msg.cseq?.method ?? '');
    const tx: Transaction = {
      method,
      branch: via?.branch ?? null,
      sentBy: sentBy(msg),
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
    call.transactions.push(tx);
    state.transactionsByKey.set(key, index);
    if (method === 'CANCEL') {
      // CANCEL carries the INVITE's branch (RFC 3261 §9.1).
      const invite = state.transactionsByKey.get(transactionKey(msg, 'INVITE'));
      if (invite !== undefined) {
        tx.cancels = invite;
        call.transactions[invite]!.cancelledBy = index;
      }
    } else if (method === 'ACK') {
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
      match?.ack2xx.push(index);
    }
    return index;
  }

  /** The earlier copy of this message on the same hop in the same transaction, if any. */
  private findOriginal(call: Call, tx: Transaction, captured: CapturedMessage): number | null {
    const msg = captured.message;
    const where = hop(captured);
    const candidates = msg.kind === 'request' ? (msg.method === 'ACK' && tx.method === 'INVITE' ? tx.acks : tx.requests) : tx.responses;
    for (const i of candidates) {
      const other = call.messages[i]!;
      if (other.retransmission) continue;
      const o = other.captured.message;
      if (hop(other.captured) !== where) continue;
      if (msg.kind === 'request' ? o.method === msg.method : o.status === msg.status && (o.to?.tag ?? null) === (msg.to?.tag ?? null)) return i;
    }
    return null;
  }

  private dialogFor(state: CallState, captured: CapturedMessage, tx: Transaction, index: number): number | null {
    const msg = captured.message;
    const fromTag = msg.from?.tag ?? null;
    const toTag = msg.to?.tag ?? null;
    if (fromTag === null || toTag === null) return null;
    const call = state.call;
    const key = dialogKey(fromTag, toTag);
    let dialogIndex = state.dialogsByTags.get(key);
    if (dialogIndex === undefined) {
      const createsDialog =
        msg.kind === 'response' && DIALOG_CREATING.has(tx.method) && msg.status !== null && msg.status > 100 && msg.status < 300;
      // A request with both tags is in-dialog: the capture began after the dialog was made.
      const midDialog = msg.kind === 'request' && msg.method !== 'ACK' && msg.method !== 'CANCEL';
      if (!createsDialog && !midDialog) return null;
      const dialog: Dialog = { callerTag: fromTag, calleeTag: toTag, state: createsDialog && msg.status! < 200 ? 'early' : 'confirmed', createdBy: index };
      dialogIndex = call.dialogs.length;
      call.dialogs.push(dialog);
      state.dialogsByTags.set(key, dialogIndex);
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

/** Correlates a list of messages (already in capture order). */
export function correlate(messages: Iterable<CapturedMessage>): Call[] {
  const correlator = new Correlator();
  for (const m of messages) correlator.add(m);
  return correlator.finish();
}
