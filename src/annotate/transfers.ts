/**
 * Transfers across calls. A REFER (RFC 3515) in one call asks the transferee to call the
 * Refer-To target; the INVITE it sends for that starts another call, with its own Call-ID.
 * This module finds that call, with the reason the two are linked:
 *
 * - `replaces`: an attended transfer (RFC 3891): the Refer-To URI carries a Replaces header, and
 *   the new INVITE carries that Replaces (same Call-ID of the dialog to replace);
 * - `referred-by`: the new INVITE carries Referred-By (RFC 3892) naming the REFER's Referred-By
 *   (or, when the REFER had none, its sender, the From of the REFER);
 * - `refer-to` (a guess): neither header, but the new INVITE is from the transferee (its From is
 *   the REFER's To) to the target.
 *
 * In each case the INVITE's target (Request-URI or To) is the Refer-To URI's (same user, or the
 * same host when the Refer-To has no user), it is sent at most TRANSFER_WINDOW_MS after the
 * REFER, and it opens a call of another Call-ID. Candidates are the calls handed over with the
 * REFER's call and those still open: memory follows the calls open at once, and the links kept
 * for calls not handed over yet (`TransferLinks`) go with them.
 */
import type { Call } from '../parse/dialog/types.js';
import { headerValue } from '../parse/sip/header-values.js';
import { parseNameAddr, parseUri } from '../parse/sip/headers.js';
import type { SipMessage, SipUri } from '../parse/sip/types.js';
import { compareTime, diffMs } from '../time.js';
import type { CapturedMessage } from '../types.js';
import { lookupResponseCode } from './codes/index.js';

export type TransferLinkReason = 'replaces' | 'referred-by' | 'refer-to';

/**
 * Longest time from the REFER to the transferee's INVITE, ms: the transferee acts on an
 * accepted REFER at once; 64*T1 (RFC 3261 §17.1.1.2) covers a REFER retransmitted until answered.
 */
export const TRANSFER_WINDOW_MS = 32_000;

/** What a REFER's Refer-To asks for. */
export interface ReferTarget {
  /** The URI without its headers part. */
  readonly uri: string;
  /** It carries Replaces (RFC 3891): an attended transfer. */
  readonly attended: boolean;
  /** The Call-ID of the dialog its Replaces names, or null. */
  readonly replacesCallId: string | null;
}

/** The call a REFER became. */
export interface TransferredCall {
  /** Number of that call. */
  readonly number: number;
  readonly reason: TransferLinkReason;
  /** The final response its INVITE got (not a 401/407 challenge), as "200 OK", or null when none had come when the REFER's call was handed over. */
  readonly response: string | null;
  readonly status: number | null;
}

/** The REFER a call carries out. */
export interface TransferOrigin {
  /** Number of the call that holds the REFER. */
  readonly number: number;
  readonly reason: TransferLinkReason;
  /** The REFER (its first copy). */
  readonly refer: CapturedMessage;
  readonly target: ReferTarget;
}

/** What the rules see of calls related to the one they check (src/annotate/rules/types.ts RuleContext). */
export interface RelatedCalls {
  /**
   * For the inbound leg of an end-to-end call through a B2BUA (src/annotate/legs.ts), its
   * outbound legs in order of start; empty for any other call.
   */
  outboundLegs(call: Call): readonly Call[];
  /** The call the REFER at `referIndex` (an index into `call.messages`) became, or null. */
  transferOf(call: Call, referIndex: number): TransferredCall | null;
  /** The REFER, in another call, that this call carries out, or null. */
  transferredFrom(call: Call): TransferOrigin | null;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A Refer-To value (`<sip:carol@example.com?Replaces=...>`) read. */
export function referTarget(value: string): ReferTarget {
  const inner = /<([^>]*)>/.exec(value)?.[1] ?? value.split(';')[0]!.trim();
  const q = inner.indexOf('?');
  const headers = q < 0 ? '' : inner.slice(q + 1);
  // RFC 3891: the Replaces value is escaped in the Refer-To URI's headers part; its first field is the Call-ID.
  const replaces = /(?:^|&)replaces=([^&]*)/i.exec(headers)?.[1];
  const replacesCallId = replaces === undefined ? null : decoded(replaces).split(';')[0]!.trim() || null;
  return { uri: q < 0 ? inner : inner.slice(0, q), attended: replaces !== undefined, replacesCallId };
}

function nameAddrUri(value: string | null): SipUri | null {
  if (value === null) return null;
  const uri = parseNameAddr(value)?.uri ?? null;
  return uri === null || uri.scheme === '' ? null : uri;
}

/** Same user (or, for URIs without one, the same host). */
function sameParty(a: SipUri | null | undefined, b: SipUri | null | undefined): boolean {
  if (!a || !b) return false;
  if (a.user !== '' || b.user !== '') return a.user !== '' && a.user === b.user;
  return a.host !== '' && a.host.toLowerCase() === b.host.toLowerCase();
}

function uriWithoutHeaders(raw: string | null): SipUri | null {
  if (raw === null) return null;
  const q = raw.indexOf('?');
  return parseUri(q < 0 ? raw : raw.slice(0, q));
}

/** The first INVITE out of a dialog in a call (its first copy), or null. */
function initialInvite(call: Call): CapturedMessage | null {
  const messages = call.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const msg = m.captured.message;
    if (!m.retransmission && msg.kind === 'request' && msg.method === 'INVITE' && msg.toTag == null) return m.captured;
  }
  return null;
}

/** Why `invite` carries out the REFER `refer` to `target`, or null when it does not. */
export function transferReason(refer: CapturedMessage, target: ReferTarget, invite: SipMessage): TransferLinkReason | null {
  const to = uriWithoutHeaders(target.uri);
  if (!sameParty(to, uriWithoutHeaders(invite.requestUri)) && !sameParty(to, invite.to?.uri)) return null;
  const replaces = headerValue(invite, 'replaces');
  if (target.replacesCallId !== null && replaces !== null && replaces.split(';')[0]!.trim() === target.replacesCallId) return 'replaces';
  const referredBy = nameAddrUri(headerValue(invite, 'referred-by'));
  const referrer = nameAddrUri(headerValue(refer.message, 'referred-by')) ?? refer.message.from?.uri ?? null;
  if (referredBy !== null && sameParty(referredBy, referrer)) return 'referred-by';
  // The transferee is the REFER's recipient: the To of the REFER, the From of its INVITE.
  if (replaces === null && referredBy === null && sameParty(invite.from?.uri, refer.message.to?.uri)) return 'refer-to';
  return null;
}

const STRENGTH: Record<TransferLinkReason, number> = { replaces: 0, 'referred-by': 1, 'refer-to': 2 };

/** The final response of a call's initial INVITE (the first one that is not a challenge the caller answered), or null. */
function inviteFinal(call: Call): SipMessage | null {
  for (const m of call.messages) {
    const msg = m.captured.message;
    if (m.retransmission || msg.kind !== 'response' || msg.cseq?.method !== 'INVITE' || (msg.status ?? 0) < 200) continue;
    if (msg.status === 401 || msg.status === 407) continue;
    return msg;
  }
  return null;
}

/**
 * The calls a REFER became, found among `candidates`: the best-linked one, earliest first on a
 * tie; null when none.
 */
export function findTransfer(referCall: Call, referIndex: number, candidates: Iterable<Call>): { call: Call; reason: TransferLinkReason } | null {
  const refer = referCall.messages[referIndex]!.captured;
  const referTo = headerValue(refer.message, 'refer-to');
  if (referTo === null) return null;
  const target = referTarget(referTo);
  let best: { call: Call; reason: TransferLinkReason } | null = null;
  for (const call of candidates) {
    if (call.callId === referCall.callId || call.type !== 'call' || compareTime(call.start, refer.time) < 0) continue;
    const invite = initialInvite(call);
    if (invite === null || diffMs(refer.time, invite.time) > TRANSFER_WINDOW_MS) continue;
    const reason = transferReason(refer, target, invite.message);
    if (reason === null) continue;
    if (best === null || STRENGTH[reason] < STRENGTH[best.reason] || (STRENGTH[reason] === STRENGTH[best.reason] && call.number < best.call.number)) best = { call, reason };
  }
  return best;
}

/** A call's REFERs (first copies), as indices into its messages. */
function refersOf(call: Call): readonly number[] {
  // Made at the first REFER: most calls have none, and share one empty list.
  let out: number[] | null = null;
  const messages = call.messages;
  for (let index = 0; index < messages.length; index++) {
    const m = messages[index]!;
    const msg = m.captured.message;
    if (!m.retransmission && msg.kind === 'request' && msg.method === 'REFER') (out ??= []).push(index);
  }
  return out ?? NO_REFERS;
}

const NO_REFERS: readonly number[] = [];

function transferred(call: Call, reason: TransferLinkReason): TransferredCall {
  const final = inviteFinal(call);
  const status = final?.status ?? null;
  const response = final === null ? null : `${status} ${final.reason || lookupResponseCode(status!).reason}`.trim();
  return { number: call.number, reason, response, status };
}

/**
 * The transfer links between calls, as they are handed over. Either side of a link may go
 * first: the REFER's call (the new call is then open, or handed over with it), or the new call
 * (a transfer that failed at once ends before the call it was asked in). So at each hand-over the
 * REFERs of the calls handed over are looked for among those calls and the open ones, and the
 * new calls handed over (their INVITE carries Referred-By or Replaces) among the open calls'
 * REFERs. A link whose other call is still open is kept until that call is handed over in turn:
 * one entry per open call at most.
 */
export class TransferLinks implements Omit<RelatedCalls, 'outboundLegs'> {
  /** Call number -> the REFER (in another call) that it carries out. */
  private readonly origins = new Map<number, TransferOrigin>();
  /** Call number -> REFER index -> the call it became. */
  private readonly forward = new Map<number, Map<number, TransferredCall>>();

  private link(referCall: Call, referIndex: number, call: Call, reason: TransferLinkReason): void {
    let byRefer = this.forward.get(referCall.number);
    if (byRefer === undefined) this.forward.set(referCall.number, (byRefer = new Map()));
    if (!byRefer.has(referIndex)) byRefer.set(referIndex, transferred(call, reason));
    const known = this.origins.get(call.number);
    if (known !== undefined && STRENGTH[known.reason] <= STRENGTH[reason]) return;
    const refer = referCall.messages[referIndex]!.captured;
    this.origins.set(call.number, { number: referCall.number, reason, refer, target: referTarget(headerValue(refer.message, 'refer-to') ?? '') });
  }

  /** Links the calls handed over now (`due`) to one another and to the open ones, before their rules run. */
  prepare(due: readonly Call[], open: () => Iterable<Call>): void {
    let candidates: Call[] | null = null;
    // Index loops over the batch, not for-of: run once per batch, this ran partly unoptimised,
    // where each step of a for-of allocated an iterator result.
    for (let i = 0; i < due.length; i++) {
      const call = due[i]!;
      const refers = refersOf(call);
      for (let k = 0; k < refers.length; k++) {
        const index = refers[k]!;
        if (this.forward.get(call.number)?.has(index)) continue;
        candidates ??= [...due, ...open()];
        const found = findTransfer(call, index, candidates);
        if (found !== null) this.link(call, index, found.call, found.reason);
      }
    }
    // New calls that end before the call whose REFER they carry out.
    let openRefers: { call: Call; index: number }[] | null = null;
    for (let i = 0; i < due.length; i++) {
      const call = due[i]!;
      if (call.type !== 'call' || this.origins.has(call.number)) continue;
      const invite = initialInvite(call);
      if (invite === null || (headerValue(invite.message, 'referred-by') === null && headerValue(invite.message, 'replaces') === null)) continue;
      openRefers ??= [...open()].flatMap((c) => (c.type === 'call' ? refersOf(c).map((index) => ({ call: c, index })) : []));
      for (const { call: referCall, index } of openRefers) {
        const found = findTransfer(referCall, index, [call]);
        if (found === null) continue;
        this.link(referCall, index, call, found.reason);
        break;
      }
    }
  }

  transferOf(call: Call, referIndex: number): TransferredCall | null {
    return this.forward.get(call.number)?.get(referIndex) ?? null;
  }

  transferredFrom(call: Call): TransferOrigin | null {
    return this.origins.get(call.number) ?? null;
  }

  /** The REFERs held for the open calls that carry them out (their call may have been handed over): for the walk of message-bytes.ts. */
  *heldRefers(): IterableIterator<CapturedMessage> {
    for (const origin of this.origins.values()) yield origin.refer;
  }

  /** The calls handed over are done with: their links go. */
  release(due: readonly Call[]): void {
    for (let i = 0; i < due.length; i++) {
      this.origins.delete(due[i]!.number);
      this.forward.delete(due[i]!.number);
    }
  }
}
