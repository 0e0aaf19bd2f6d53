/** Small readers over a correlated call, shared by the catalog rules. */
import type { Call, Transaction } from '../../../parse/dialog/types.js';
import { parseUri } from '../../../parse/sip/headers.js';
import { HEADER_BIT, type SipMessage, type SipUri } from '../../../parse/sip/types.js';
import type { CapturedMessage, Endpoint } from '../../../types.js';
import { lookupResponseCode } from '../../codes/index.js';
import { endpoint, type DataEndpoint } from '../types.js';
import { PerCall } from '../../facts.js';


/** An endpoint as a key for grouping (not for showing: reports carry `endpoint(e)`). */
export function endpointKey(e: Endpoint): string {
  return `${e.ip}\u0000${e.port}`;
}

/**
 * `msg.from?.tag` without reading the header lines again: the tag the parser kept
 * (SipMessage.fromTag) when the first From line reads as a name-addr; undefined when there is no
 * From or it does not read, as `from` is then null.
 */
export function fromTagOf(msg: SipMessage): string | null | undefined {
  return (msg.headerBits & (HEADER_BIT.from | HEADER_BIT.fromUnreadable)) === HEADER_BIT.from ? msg.fromTag : undefined;
}

export function captured(call: Call, index: number): CapturedMessage {
  return call.messages[index]!.captured;
}

export function sipOf(call: Call, index: number): SipMessage {
  return call.messages[index]!.captured.message;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.ip === b.ip && a.port === b.port;
}

/** Same source and destination. */
export function sameHop(a: CapturedMessage, b: CapturedMessage): boolean {
  return sameEndpoint(a.src, b.src) && sameEndpoint(a.dst, b.dst);
}

/** b's hop is a's hop reversed (b answers a). */
export function reverseHop(a: CapturedMessage, b: CapturedMessage): boolean {
  return sameEndpoint(a.src, b.dst) && sameEndpoint(a.dst, b.src);
}

/**
 * Every transmission of an original message, the original first, in capture order. Copies are
 * always in the original's transaction, so only its lists are searched (long calls stay linear).
 * Second captures of one packet are not among them: the correlator keeps them out of the call
 * (src/parse/dialog/duplicates.ts).
 */
export function copiesOf(call: Call, original: number): number[] {
  const tx = call.transactions[call.messages[original]!.transaction]!;
  const out = [original];
  for (const list of [tx.requests, tx.responses, tx.acks]) for (const i of list) if (call.messages[i]!.original === original) out.push(i);
  return out.sort((a, b) => a - b);
}

/** The second transmission of an original message (copiesOf's second), found without building the list. */
export function firstRetransmission(call: Call, original: number): number | null {
  const tx = call.transactions[call.messages[original]!.transaction]!;
  // The two smallest of the original and its copies; the larger of them is the answer.
  let first = original;
  let second = -1;
  for (const list of [tx.requests, tx.responses, tx.acks]) {
    for (const i of list) {
      if (call.messages[i]!.original !== original) continue;
      if (i < first) {
        second = first;
        first = i;
      } else if (second < 0 || i < second) second = i;
    }
  }
  return second < 0 ? null : second;
}

/** First copies (not retransmissions) among `indices`. */
export function firstCopies(call: Call, indices: readonly number[]): number[] {
  return indices.filter((i) => !call.messages[i]!.retransmission);
}

/** First copies of the final responses (>= 200) of a transaction. */
export function finalResponses(call: Call, tx: Transaction): number[] {
  return firstCopies(call, tx.responses).filter((i) => (sipOf(call, i).status ?? 0) >= 200);
}

/** The first final response of a transaction, or null. */
export function firstFinal(call: Call, tx: Transaction): number | null {
  // finalResponses' first, without making its lists: asked for every transaction by several rules.
  for (let r = 0; r < tx.responses.length; r++) {
    const i = tx.responses[r]!;
    if (!call.messages[i]!.retransmission && (sipOf(call, i).status ?? 0) >= 200) return i;
  }
  return null;
}

/** Status of a message, 0 when it has none. */
export function statusOf(call: Call, index: number): number {
  return sipOf(call, index).status ?? 0;
}

export function isReliable(m: CapturedMessage): boolean {
  return m.transport !== 'UDP';
}

/**
 * A byte-stream transport (TCP, TLS), where Content-Length alone says where a message ends
 * (RFC 3261 §18.3). WebSocket (RFC 7118 §5) and SCTP (RFC 4168) carry one SIP message per
 * message of their own, as UDP does per datagram.
 */
export function isStream(m: CapturedMessage): boolean {
  return m.transport === 'TCP' || m.transport === 'TLS';
}


/** "486 Busy Here": the code with the phrase on the wire, or the standard phrase when it has none. */
export function statusLabel(msg: SipMessage): string {
  const status = msg.status ?? 0;
  const phrase = msg.reason !== null && msg.reason !== '' ? msg.reason : status >= 100 && status <= 699 ? lookupResponseCode(status).reason : '';
  return `${status} ${phrase}`.trim();
}

/** The request of a transaction, or null when only responses were captured. */
export function requestOf(call: Call, tx: Transaction): SipMessage | null {
  return tx.request === null ? null : sipOf(call, tx.request);
}

/** The method a transaction's responses answer: the request's, else the CSeq method. */
export function methodOf(call: Call, tx: Transaction): string {
  return tx.method !== '' ? tx.method : (requestOf(call, tx)?.method ?? 'request');
}

/** An INVITE sent outside a dialog (no To tag): it starts a call, as opposed to a re-INVITE. */
export function isInitialRequest(msg: SipMessage): boolean {
  return msg.toTag == null;
}

/** What a request targets: its Request-URI, or for REGISTER the address-of-record in To. */
export function targetOf(msg: SipMessage | null, fallback: SipMessage): string {
  if (msg === null) return fallback.to?.uri.raw ?? '(unknown)';
  if (msg.method === 'REGISTER') return msg.to?.uri.raw ?? msg.requestUri ?? '(unknown)';
  return msg.requestUri ?? '(unknown)';
}

/** A SIP URI's port: its own, else the default of its scheme (RFC 3261 §19.1.2: 5060, 5061 for sips); null for other schemes. */
function uriPort(u: SipUri): number | null {
  return u.port ?? (u.scheme === 'sips' ? 5061 : u.scheme === 'sip' ? 5060 : null);
}

/** Whether two SIP URIs name the same place: user, host and port (5060 when absent; 5061 for sips). */
export function sameUriTarget(a: SipUri, b: SipUri): boolean {
  return a.user === b.user && a.host.toLowerCase() === b.host.toLowerCase() && uriPort(a) === uriPort(b);
}

/**
 * Whether a SIP URI's host and port are this address (the port its scheme's default when absent):
 * the host without regard to case (RFC 3261 §19.1.4), as an IPv6 address in it may be written in capitals.
 */
export function uriNamesEndpoint(u: SipUri, at: Endpoint): boolean {
  return u.host.toLowerCase() === at.ip.toLowerCase() && uriPort(u) === at.port;
}

export function uriOf(raw: string | null): SipUri | null {
  return raw === null ? null : parseUri(raw);
}

/** A transaction's request copies that are ACKs for a 2xx (the separate ACK transactions tied to it). */
export function ack2xxMessages(call: Call, tx: Transaction): number[] {
  return tx.ack2xx.flatMap((t) => call.transactions[t]!.requests);
}

/**
 * Every ACK for a 2xx to the INVITE with this CSeq number, on any hop: through a proxy the
 * correlator ties each ACK to the INVITE of its own hop, and the ACK for a 2xx is end to end.
 */
export function ack2xxForCseq(call: Call, cseq: number): number[] {
  const out: number[] = [];
  for (const tx of call.transactions) if (tx.method === 'ACK' && tx.cseq === cseq) out.push(...tx.requests);
  return out.sort((a, b) => a - b);
}

/** Messages of a call in one list of transactions, sorted by index. */
export function byIndex(indices: Iterable<number>): number[] {
  return [...new Set(indices)].sort((a, b) => a - b);
}

/**
 * Failure responses grouped across hops: a proxy forwards the same final response (same status
 * and CSeq) towards the caller, so one failure can appear once per hop. Each group is reported
 * once, named after its earliest copy (the hop nearest to where it was generated).
 */
export interface ResponseGroup {
  readonly status: number;
  readonly method: string;
  /** The transaction of the earliest copy. */
  readonly tx: Transaction;
  /** The request of that transaction, or null. */
  readonly request: number | null;
  /** First copy of the response on each hop, earliest first. */
  readonly responses: readonly number[];
}

/** A response's first copy as responseGroups reads it. */
interface ResponseFact {
  readonly index: number;
  readonly status: number;
  readonly method: string;
  /** The CSeq number: with status and method, what the copies of one response on several hops share (responseGroups groups by them). */
  readonly seq: number | undefined;
  readonly tx: Transaction;
}

/** The first copy of every response, transaction by transaction: read once per call for all the rules that group them. */
const RESPONSES = new PerCall<readonly ResponseFact[]>((call) => {
  const out: ResponseFact[] = [];
  for (let t = 0; t < call.transactions.length; t++) {
    const tx = call.transactions[t]!;
    for (let r = 0; r < tx.responses.length; r++) {
      const index = tx.responses[r]!;
      if (call.messages[index]!.retransmission) continue;
      const msg = sipOf(call, index);
      const status = msg.status ?? 0;
      const method = msg.cseq?.method ?? methodOf(call, tx);
      out.push({ index, status, method, seq: msg.cseq?.seq, tx });
    }
  }
  return out;
});

export function responseGroups(call: Call, matches: (status: number, method: string) => boolean): ResponseGroup[] {
  let groups: Map<string, { status: number; method: string; tx: Transaction; request: number | null; responses: number[] }> | null = null;
  const responses = RESPONSES.of(call);
  for (let n = 0; n < responses.length; n++) {
    const r = responses[n]!;
    if (!matches(r.status, r.method)) continue;
    const i = r.index;
    const tx = r.tx;
    groups ??= new Map();
    // Made for the responses a rule asks about only: most are not failures, and nearly every rule asks about failures.
    const key = `${r.status}\u0000${r.seq ?? ''}\u0000${r.method}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { status: r.status, method: r.method, tx, request: tx.request, responses: [i] });
    else {
      group.responses.push(i);
      // Named after the earliest copy, whichever hop's transaction it is in.
      if (i < Math.min(...group.responses.slice(0, -1))) {
        group.tx = tx;
        group.request = tx.request;
      }
    }
  }
  if (groups === null) return [];
  // The groups were made here: their lists are sorted in place, not copied into a spread object per group.
  const out: ResponseGroup[] = [];
  for (const g of groups.values()) {
    if (g.responses.length > 1) g.responses.sort(ascending);
    out.push(g);
  }
  if (out.length > 1) out.sort(byFirstResponse);
  return out;
}

const ascending = (a: number, b: number): number => a - b;
const byFirstResponse = (a: ResponseGroup, b: ResponseGroup): number => a.responses[0]! - b.responses[0]!;

/** Evidence for a response group: the request, then each hop's copy of the response. */
export function groupEvidence(group: ResponseGroup): number[] {
  const responses = group.responses;
  const request = group.request;
  if (request === null) return [...responses];
  // byIndex of the request and the responses, merged: responseGroups sorted the responses, so no Set and no sort (a finding on every failure).
  const out: number[] = [];
  let placed = false;
  for (let n = 0; n < responses.length; n++) {
    const i = responses[n]!;
    if (!placed && request <= i) {
      out.push(request);
      placed = true;
    }
    if (out[out.length - 1] !== i) out.push(i);
  }
  if (!placed) out.push(request);
  return out;
}

/** Common data of a finding about a response group. */
export function groupData(call: Call, group: ResponseGroup): { method: string; uri: string; server: DataEndpoint; status: number; response: string } {
  const first = captured(call, group.responses[0]!);
  const request = group.request === null ? null : sipOf(call, group.request);
  return {
    method: group.method,
    uri: targetOf(request, first.message),
    server: endpoint(first.src),
    status: group.status,
    response: statusLabel(first.message),
  };
}

/** True when the message carries an SDP body (Content-Type mentions sdp, or the body starts with "v="). */
export function hasSdp(msg: SipMessage): boolean {
  const body = msg.body;
  if (body.length === 0) return false;
  if (msg.contentType !== null && msg.contentType.toLowerCase().includes('sdp')) return true;
  return body[0] === 0x76 && body[1] === 0x3d;
}
