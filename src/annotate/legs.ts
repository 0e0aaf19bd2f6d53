/**
 * Legs of one call. A PBX or SBC (a B2BUA) turns one call into several legs, each with its
 * own Call-ID. This module links them with no configuration, from what the trace carries:
 *
 * - `x-call-id`: a header named like X-Call-ID, X-CID, X-Original-Call-ID, X-Orig-Call-ID,
 *   X-Asterisk-Call-ID (any `X-…Call-ID`/`X-…CallID`/`X-…CID`), in any message of a call, whose
 *   value is the Call-ID of another call in the trace. Every occurrence counts, not only the
 *   first; a value naming a Call-ID that is not in the trace links nothing.
 * - `session-id`: RFC 7989 Session-ID (`local-uuid;remote=remote-uuid`): a B2BUA that supports
 *   it passes the UUIDs through, so two calls sharing a UUID are legs of one session. The null
 *   UUID (all zeros) links nothing.
 * - `icid`: the icid-value of P-Charging-Vector (RFC 7315 §4.6), kept end to end by IMS nodes.
 * - `shared-media`: the same RTP stream (addresses, ports, SSRC and first packet) tied to both
 *   calls by their SDP: a B2BUA that lets the media flow between the phones (Asterisk's
 *   directmedia, FreeSWITCH's bypass media) gives each leg the other phone's media address, so
 *   one stream belongs to both legs. Two calls of one phone one after the other reuse its ports
 *   but not its packets, so they are never linked by this.
 * - `numbers-and-time` (a guess): the first INVITEs of the two calls name the same caller
 *   number (user part of From) and the same callee number (user part of To or of the
 *   Request-URI), the later INVITE came at most `windowMs` (default 5 s) after an INVITE of
 *   the earlier call (its first one, or the one it sent again with credentials after a 401/407
 *   challenge), and before the earlier call had its final response (so a redial after a failure
 *   is not a leg), from another address (a B2BUA sends its outbound leg itself: INVITEs from one
 *   address to many targets are a burst, never legs). A 401/407 that the caller answered with a new INVITE does not end the call:
 *   the final response is the first one that is not such a challenge. Numbers are the user parts made only of digits and the separators `+ - . ( )`,
 *   with at least 3 digits; they are compared after removing the separators, a leading `+`,
 *   a leading `00` (international prefix) and a leading `0` (trunk prefix), and two numbers
 *   match when they are equal or when the shorter one, of at least 7 digits, ends the longer
 *   one (a country code added by one leg: 4930123456 and 30123456). Only pairs that no header
 *   already links are guessed.
 *
 * Only calls (INVITE) are linked. Pure: calls in, groups out.
 */
import type { Call, CallMessage } from '../parse/dialog/types.js';
import { isLegLinkKey } from '../parse/sip/headers.js';
import { HEADER_BIT } from '../parse/sip/types.js';
import { compareTime, diffMs } from '../time.js';
import type { Endpoint, Timestamp } from '../types.js';

export type LegLinkReason = 'x-call-id' | 'session-id' | 'icid' | 'shared-media' | 'numbers-and-time';

export interface LegOptions {
  /** Longest time between the INVITEs of two legs linked by their numbers alone, ms (default 5000); negative: no guess. */
  readonly windowMs?: number;
}

export const DEFAULT_LEG_WINDOW_MS = 5000;

/** A link between two calls (indices into the calls given). `a` started first. */
export interface LegLink {
  readonly a: number;
  readonly b: number;
  readonly reason: LegLinkReason;
  /** True for a link made from numbers and time alone. */
  readonly guess: boolean;
  /** Time between the two calls' first messages, ms (b − a, ≥ 0). */
  readonly gapMs: number;
}

export interface LegGroup {
  /** Indices of the calls, in order of start. The first is the inbound leg (it reached the B2BUA first). */
  readonly calls: readonly number[];
  readonly links: readonly LegLink[];
}

const NULL_UUID = /^0+$/;
const REASON_STRENGTH: Record<LegLinkReason, number> = { 'x-call-id': 0, 'session-id': 1, icid: 2, 'shared-media': 3, 'numbers-and-time': 4 };

/** Only calls with an INVITE of their own (not a retransmitted copy) have legs. */
function sentInvite(call: Call): boolean {
  return call.messages.some((m) => !m.retransmission && m.captured.message.kind === 'request' && m.captured.message.method === 'INVITE');
}

/**
 * What links this call to its other legs, from one pass over the headers of its messages
 * (retransmitted copies skipped: they say the same):
 * - `referenced`: Call-IDs another leg is said to have, from X-Call-ID-style headers;
 * - `sessions`: RFC 7989 Session-ID UUIDs (local and remote), lower case, the null UUID left out;
 * - `charging`: P-Charging-Vector icid-values (RFC 7315 §4.6).
 */
export function legKeys(call: Call): LegKeys {
  // Most calls have none of these headers: nothing to make for them.
  if (!call.messages.some(carriesLegLink)) return NO_LEG_KEYS;
  const referenced = new Set<string>();
  const sessions = new Set<string>();
  const charging = new Set<string>();
  for (const m of call.messages) {
    // Most messages have none of these headers: the parser noted that, so their header lines are not read again.
    if (!carriesLegLink(m)) continue;
    for (const h of m.captured.message.headers) {
      const key = h.key;
      if (key === 'session-id') {
        const [local, ...params] = h.value.split(';');
        const remote = params.map((p) => p.trim().match(/^remote\s*=\s*([0-9a-f]+)$/i)?.[1]).find((r) => r !== undefined);
        for (const u of [local?.trim(), remote]) {
          if (u && /^[0-9a-f]{32}$/i.test(u) && !NULL_UUID.test(u)) sessions.add(u.toLowerCase());
        }
      } else if (key === 'p-charging-vector') {
        const icid = h.value.match(/(?:^|;)\s*icid-value\s*=\s*("([^"]*)"|[^;\s]+)/i);
        const value = icid?.[2] ?? icid?.[1];
        if (value) charging.add(value);
      } else if (isLegLinkKey(key)) {
        // The X-…Call-ID kind: the other two are above.
        for (const v of h.value.split(/[\s,]+/)) {
          const id = v.replace(/^[<"]+|[>"]+$/g, '');
          if (id !== '') referenced.add(id);
        }
      }
    }
  }
  return { referenced: [...referenced], sessions: [...sessions], charging: [...charging] };
}

/** What links a call to its other legs (legKeys). */
export interface LegKeys {
  readonly referenced: readonly string[];
  readonly sessions: readonly string[];
  readonly charging: readonly string[];
}

const NO_LEG_KEYS: LegKeys = Object.freeze({ referenced: [], sessions: [], charging: [] });

/** A message (not a retransmitted copy: it says the same) with a header legKeys reads, as the parser noted it, so the header lines of the others are not read again. */
function carriesLegLink(m: CallMessage): boolean {
  return !m.retransmission && (m.captured.message.headerBits & HEADER_BIT.legLink) !== 0;
}

/**
 * The characters normalizeNumber compares each one of a user part with; a const enum, so that the
 * bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as
 * const enums").
 */
const enum NumberChar {
  PLUS = 0x2b,
  DIGIT_0 = 0x30,
  DIGIT_9 = 0x39,
}
/** `-`, `.`, `(`, `)` and space: written between the digits of a number, removed before comparing. */
const NUMBER_SEPARATORS: readonly number[] = [0x2d, 0x2e, 0x28, 0x29, 0x20];

/** A user part as a number for comparing (see the module comment), or null when it is not a number. */
export function normalizeNumber(user: string | null | undefined): string | null {
  if (!user) return null;
  const semicolon = user.indexOf(';');
  const bare = semicolon < 0 ? user : user.slice(0, semicolon);
  // An optional `+`, then one or more of the digits and separators `- . ( )` and space, read by
  // hand (called for every INVITE call at its hand-over): a user part of digits alone is its own
  // digits, with no string made for them.
  const start = bare.charCodeAt(0) === NumberChar.PLUS ? 1 : 0;
  if (start >= bare.length) return null;
  let digitsOnly = start === 0;
  for (let i = start; i < bare.length; i++) {
    const c = bare.charCodeAt(i);
    if (c >= NumberChar.DIGIT_0 && c <= NumberChar.DIGIT_9) continue;
    if (!NUMBER_SEPARATORS.includes(c)) return null;
    digitsOnly = false;
  }
  let digits = digitsOnly ? bare : bare.replace(/[^0-9]/g, '');
  if (digits.length < 3) return null;
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  return digits.length >= 3 ? digits : null;
}

export function sameNumber(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 7 && long.endsWith(short);
}

function uriUser(uri: string | null): string | null {
  const m = uri?.match(/^[a-z]+:([^@;?]+)@/i);
  return m ? percentDecoded(m[1]!) : null;
}

/** RFC 3986 §2.1 percent-decoding that never throws: a broken escape (a fuzzed "%E0%A4%A") is kept as written. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface InviteInfo {
  /** The first INVITE out of a dialog. */
  readonly time: Timestamp;
  /** The last INVITE out of a dialog (the one sent again with credentials, when challenged). */
  readonly lastTime: Timestamp;
  readonly caller: string | null;
  readonly callees: readonly string[];
  /** The final response that ended the INVITE attempts (a 401/407 followed by a new INVITE does not), if any. */
  readonly finalAt: Timestamp | null;
  /** The address the first INVITE came from. */
  readonly source: string;
}

const isChallenge = (status: number): boolean => status === 401 || status === 407;

function firstInvite(call: Call): CallMessage | undefined {
  return call.messages.find((m) => m.captured.message.kind === 'request' && m.captured.message.method === 'INVITE');
}

function inviteInfo(call: Call): InviteInfo | null {
  const invite = firstInvite(call);
  if (!invite) return null;
  const msg = invite.captured.message;
  const callees = [normalizeNumber(msg.to?.uri.user), normalizeNumber(uriUser(msg.requestUri))].filter((n): n is string => n !== null);
  const initial = call.messages.filter((m) => !m.retransmission && m.captured.message.kind === 'request' && m.captured.message.method === 'INVITE' && m.captured.message.toTag == null);
  const lastTime = initial.length === 0 ? invite.captured.time : initial[initial.length - 1]!.captured.time;
  const finals = call.messages.filter((m) => m.captured.message.kind === 'response' && m.captured.message.cseq?.method === 'INVITE' && (m.captured.message.status ?? 0) >= 200);
  // A challenge ends the call only when no INVITE followed it.
  const final = finals.find((m) => !isChallenge(m.captured.message.status ?? 0) || !initial.some((r) => compareTime(r.captured.time, m.captured.time) > 0)) ?? null;
  return { time: invite.captured.time, lastTime, caller: normalizeNumber(msg.from?.uri.user), callees, finalAt: final?.captured.time ?? null, source: invite.captured.src.ip };
}

/**
 * Links the calls that are legs of one end-to-end call; groups of two or more calls.
 * `streams`: for each call, an identity of each media stream tied to it (`streamIdentity`);
 * absent when media is not known (no stream links anything then).
 */
export function linkLegs(calls: readonly Call[], options: LegOptions = {}, streams: readonly (readonly string[])[] = []): LegGroup[] {
  const windowMs = options.windowMs ?? DEFAULT_LEG_WINDOW_MS;
  const eligible = calls.map((c) => c.type === 'call' && sentInvite(c));
  const parent = calls.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const best = new Map<string, LegLink>();
  const addLink = (x: number, y: number, reason: LegLinkReason): void => {
    if (x === y || !eligible[x] || !eligible[y]) return;
    const [a, b] = compareTime(calls[x]!.start, calls[y]!.start) <= 0 ? [x, y] : [y, x];
    const key = `${a}:${b}`;
    const old = best.get(key);
    if (old && REASON_STRENGTH[old.reason] <= REASON_STRENGTH[reason]) return;
    best.set(key, { a, b, reason, guess: reason === 'numbers-and-time', gapMs: diffMs(calls[a]!.start, calls[b]!.start) });
    parent[find(a)] = find(b);
  };

  const keys = calls.map((c, i) => (eligible[i] ? legKeys(c) : null));
  // The calls by Call-ID, made only when some call names another's.
  if (keys.some((k) => k !== null && k.referenced.length > 0)) {
    const byCallId = new Map<string, number[]>();
    calls.forEach((c, i) => {
      const list = byCallId.get(c.callId);
      if (list) list.push(i);
      else byCallId.set(c.callId, [i]);
    });
    calls.forEach((c, i) => {
      if (!eligible[i]) return;
      for (const id of keys[i]!.referenced) {
        if (id === c.callId) continue;
        for (const j of byCallId.get(id) ?? []) addLink(i, j, 'x-call-id');
      }
    });
  }
  const shared = (ids: (k: LegKeys) => readonly string[], reason: LegLinkReason): void => {
    const seen = new Map<string, number>();
    calls.forEach((_, i) => {
      if (!eligible[i]) return;
      // Index loops over the ids here and below, not for-of: linkLegs runs once per batch, partly
      // unoptimised, where each step of a for-of allocated an iterator result.
      const list = ids(keys[i]!);
      for (let k = 0; k < list.length; k++) {
        const id = list[k]!;
        const first = seen.get(id);
        if (first === undefined) seen.set(id, i);
        else addLink(first, i, reason);
      }
    });
  };
  shared((k) => k.sessions, 'session-id');
  shared((k) => k.charging, 'icid');
  const streamOwner = new Map<string, number>();
  streams.forEach((ids, i) => {
    if (!eligible[i]) return;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      const first = streamOwner.get(id);
      if (first === undefined) streamOwner.set(id, i);
      else addLink(first, i, 'shared-media');
    }
  });

  // Callers that can match share their last 7 digits (all of them when shorter): one bucket each,
  // so a busy trace compares only calls from the same number. Only a call that shares its bucket
  // needs the rest of its INVITE's facts (its To, its attempts, the final response).
  const buckets = new Map<string, number[]>();
  calls.forEach((c, i) => {
    if (!eligible[i]) return;
    const caller = normalizeNumber(firstInvite(c)?.captured.message.from?.uri.user);
    if (caller === null) return;
    const key = caller.slice(-7);
    const list = buckets.get(key);
    if (list) list.push(i);
    else buckets.set(key, [i]);
  });
  const infos = new Map<number, InviteInfo>();
  const matchable: number[][] = [];
  for (const members of buckets.values()) {
    if (members.length < 2) continue;
    const order = members.filter((i) => {
      const info = inviteInfo(calls[i]!);
      if (info === null || info.callees.length === 0) return false;
      infos.set(i, info);
      return true;
    });
    if (order.length > 1) matchable.push(order);
  }
  // In the order of each bucket's first call with a callee, as the links below depend on which came first.
  matchable.sort((x, y) => x[0]! - y[0]!);
  for (const order of matchable) {
    order.sort((x, y) => compareTime(infos.get(x)!.time, infos.get(y)!.time) || x - y);
    for (let p = 0; p < order.length; p++) {
      const first = infos.get(order[p]!)!;
      for (let q = p + 1; q < order.length; q++) {
        const second = infos.get(order[q]!)!;
        // Later INVITEs only come later: none of them is within the window of the last attempt either.
        if (diffMs(first.lastTime, second.time) > windowMs) break;
        if (find(order[p]!) === find(order[q]!)) continue;
        if (first.finalAt !== null && compareTime(first.finalAt, second.time) <= 0) continue;
        // A B2BUA sends the outbound leg itself: two INVITEs from one address are a burst (a
        // dialler, a scanner sweeping targets with one From and To), never two legs of one call.
        if (first.source === second.source) continue;
        if (!sameNumber(first.caller!, second.caller!)) continue;
        if (!first.callees.some((a) => second.callees.some((b) => sameNumber(a, b)))) continue;
        addLink(order[p]!, order[q]!, 'numbers-and-time');
      }
    }
  }

  if (best.size === 0) return [];
  const members = new Map<number, number[]>();
  const linksOf = new Map<number, LegLink[]>();
  for (const link of best.values()) {
    const root = find(link.a);
    if (!members.has(root)) members.set(root, []);
    const list = linksOf.get(root);
    if (list) list.push(link);
    else linksOf.set(root, [link]);
  }
  calls.forEach((_, i) => members.get(find(i))?.push(i));
  return [...members.entries()]
    .map(([root, m]) => ({
      calls: m.sort((x, y) => compareTime(calls[x]!.start, calls[y]!.start) || x - y),
      links: linksOf.get(root)!.sort((x, y) => x.a - y.a || x.b - y.b),
      first: m.reduce((a, b) => Math.min(a, b)),
    }))
    .sort((x, y) => x.first - y.first)
    .map(({ calls: c, links }) => ({ calls: c, links }));
}

/** One stream's identity for `linkLegs`: the same packets give the same string, another stream on the same ports does not. */
export function streamIdentity(s: { readonly src: Endpoint; readonly dst: Endpoint; readonly ssrc: number | null; readonly file: string; readonly firstFrame: number }): string {
  return `${s.file}#${s.firstFrame} ${s.src.ip}:${s.src.port}>${s.dst.ip}:${s.dst.port} ${s.ssrc ?? ''}`;
}

/** Time of the final response that ended the call's INVITE attempts (not a challenge answered by a new INVITE), or null. */
export function inviteFinalTime(call: Call): Timestamp | null {
  return inviteInfo(call)?.finalAt ?? null;
}
