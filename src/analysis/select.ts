/**
 * Which calls a report is about: the criteria of --call-id, --user, --method, --status, --since,
 * --until, --type and --only-problems, matched on the facts of a call. The facts come from the
 * analysis (a Call, before the rules run: `callSelector` for AnalyzeStreamOptions.select) or from
 * what a report shows (src/present/filter.ts); one matcher serves both, so a call is kept or
 * dropped alike before and after the rules. All criteria must match; a criterion given several
 * values matches any of them. Pure.
 */
import type { Call, CallType } from '../parse/dialog/types.js';
import type { NameAddr, SipMessage } from '../parse/sip/types.js';
import { isInitialRequest } from '../annotate/rules/lib/call.js';
import { compareTime } from '../time.js';
import type { Timestamp } from '../types.js';

export interface FilterCriteria {
  /** Call-IDs; `*` matches any run of characters. */
  readonly callIds?: readonly string[];
  /** User parts of From, To or a Request-URI (case-insensitive, a leading + ignored; `*` wildcard). */
  readonly users?: readonly string[];
  /** Calls with a request of one of these methods. */
  readonly methods?: readonly string[];
  /** Calls with a response of one of these statuses: "486" or a class "4xx". */
  readonly statuses?: readonly string[];
  /** Calls that overlap [since, until] in capture time. */
  readonly since?: Timestamp;
  readonly until?: Timestamp;
  /** Calls with a finding at warning or error (needs the rules: matched on shown calls only). */
  readonly onlyProblems?: boolean;
  readonly types?: readonly CallType[];
}

export const CALL_TYPES: readonly CallType[] = ['call', 'registration', 'options', 'subscription', 'message', 'other'];

/** What the criteria other than --only-problems look at. */
export interface CallFacts {
  readonly callId: string;
  readonly type: CallType;
  readonly start: Timestamp;
  readonly end: Timestamp;
  /** The call's parties (partiesMessage), as addressOfRecord writes them. */
  readonly from: string | null;
  readonly to: string | null;
  readonly messages: readonly { readonly method: string | null; readonly requestUri: string | null; readonly status: number | null }[];
}

/** A party as "user@host" (the host alone without a user, the URI as written when it has no host). */
export function addressOfRecord(addr: NameAddr | null | undefined): string | null {
  if (!addr) return null;
  const uri = addr.uri;
  if (uri.host === '') return uri.raw || null;
  return uri.user ? `${uri.user}@${uri.host}` : uri.host;
}

/**
 * The message whose From and To name a call's parties: its initial INVITE (no To tag), else its
 * first INVITE, else the first response to an INVITE, else its first request, else its first
 * message. A REGISTER, SUBSCRIBE or OPTIONS may share the Call-ID of a call (a UA that reuses one
 * Call-ID for everything it sends), and its From and To name the registering user, not the call's.
 */
export function partiesMessage(call: Call): SipMessage | undefined {
  let firstInvite: SipMessage | undefined;
  let inviteResponse: SipMessage | undefined;
  let firstRequest: SipMessage | undefined;
  for (const m of call.messages) {
    const msg = m.captured.message;
    if (msg.kind === 'request' && msg.method === 'INVITE') {
      if (isInitialRequest(msg)) return msg;
      firstInvite ??= msg;
    } else if (msg.kind === 'request') firstRequest ??= msg;
    else if (msg.cseq?.method === 'INVITE') inviteResponse ??= msg;
  }
  return firstInvite ?? inviteResponse ?? firstRequest ?? call.messages[0]?.captured.message;
}

/** The facts of a call as the analysis has it. */
export function factsOfCall(call: Call): CallFacts {
  const parties = partiesMessage(call);
  return {
    callId: call.callId,
    type: call.type,
    start: call.start,
    end: call.end,
    from: addressOfRecord(parties?.from),
    to: addressOfRecord(parties?.to),
    messages: call.messages.map((m) => m.captured.message),
  };
}

/** A selector for AnalyzeStreamOptions.select: the criteria that need no findings. */
export function callSelector(criteria: FilterCriteria): ((call: Call) => boolean) | undefined {
  const c: FilterCriteria = { ...criteria, onlyProblems: false };
  return isEmptyFilter(c) ? undefined : (call) => factsMatch(factsOfCall(call), c);
}

/**
 * A `*` glob, matched without a regular expression: `^.*a.*a.*b$` backtracks polynomially
 * on a long Call-ID from the trace. Greedy two-pointer wildcard matching is O(n·m).
 */
export function glob(pattern: string, flags = ''): { test(text: string): boolean } {
  const fold = flags.includes('i');
  const p = fold ? pattern.toLowerCase() : pattern;
  return {
    test(input: string): boolean {
      const t = fold ? input.toLowerCase() : input;
      let i = 0;
      let j = 0;
      let star = -1;
      let mark = 0;
      while (i < t.length) {
        if (j < p.length && p[j] !== '*' && p[j] === t[i]) {
          i++;
          j++;
        } else if (j < p.length && p[j] === '*') {
          star = j++;
          mark = i;
        } else if (star >= 0) {
          j = star + 1;
          i = ++mark;
        } else {
          return false;
        }
      }
      while (j < p.length && p[j] === '*') j++;
      return j === p.length;
    },
  };
}

function userOf(uriOrAor: string | null): string | null {
  if (uriOrAor === null) return null;
  const withoutScheme = uriOrAor.replace(/^[a-z][a-z0-9+.-]*:/i, '');
  const at = withoutScheme.lastIndexOf('@');
  if (at < 0) return /^(sip|sips):/i.test(uriOrAor) ? null : withoutScheme.split(/[;?]/)[0]!;
  return withoutScheme.slice(0, at).split(/[:;]/)[0]!;
}

/** User parts seen in a call: From and To of its first request, and every Request-URI. */
export function usersOf(facts: Pick<CallFacts, 'from' | 'to' | 'messages'>): string[] {
  const users = [userOf(facts.from), userOf(facts.to), ...facts.messages.map((m) => userOf(m.requestUri))];
  return [...new Set(users.filter((u): u is string => u !== null && u !== ''))];
}

function statusMatches(status: number, pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (/^[1-6]xx$/.test(p)) return Math.floor(status / 100) === Number(p[0]);
  return Number(p) === status;
}

/** "486", "4xx": a status or a class. */
export function isStatusPattern(pattern: string): boolean {
  return /^[1-6](\d\d|xx)$/i.test(pattern.trim());
}

/** Every criterion but --only-problems, on the facts of a call. */
export function factsMatch(f: CallFacts, c: FilterCriteria): boolean {
  if (c.callIds?.length && !c.callIds.some((id) => glob(id).test(f.callId))) return false;
  if (c.users?.length) {
    const users = usersOf(f).map((u) => u.replace(/^\+/, ''));
    if (!c.users.some((want) => users.some((u) => glob(want.replace(/^\+/, ''), 'i').test(u)))) return false;
  }
  if (c.methods?.length) {
    const methods = new Set(c.methods.map((m) => m.toUpperCase()));
    if (!f.messages.some((m) => m.method !== null && methods.has(m.method.toUpperCase()))) return false;
  }
  if (c.statuses?.length && !f.messages.some((m) => m.status !== null && c.statuses!.some((p) => statusMatches(m.status!, p)))) return false;
  if (c.since && compareTime(f.end, c.since) < 0) return false;
  if (c.until && compareTime(f.start, c.until) > 0) return false;
  if (c.types?.length && !c.types.includes(f.type)) return false;
  return true;
}

export function isEmptyFilter(c: FilterCriteria): boolean {
  return !(c.callIds?.length || c.users?.length || c.methods?.length || c.statuses?.length || c.since || c.until || c.onlyProblems || c.types?.length);
}
