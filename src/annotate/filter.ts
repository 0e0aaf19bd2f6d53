/**
 * Filters select calls (never single messages, so every ladder stays whole) and apply to
 * every output format: the summary is recomputed over the calls kept. All criteria must
 * match; a criterion given several values matches any of them. Pure.
 */
import type { CallType } from '../parse/dialog/types.js';
import { compareTime } from '../time.js';
import type { Severity, Timestamp } from '../types.js';
import type { Outcome } from './outcome.js';
import type { Timeline, TimelineCall } from './timeline.js';

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
  /** Calls with a finding at warning or error. */
  readonly onlyProblems?: boolean;
  readonly types?: readonly CallType[];
}

export const CALL_TYPES: readonly CallType[] = ['call', 'registration', 'options', 'subscription', 'message', 'other'];

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
export function usersOf(call: TimelineCall): string[] {
  const users = [userOf(call.from), userOf(call.to), ...call.messages.map((m) => userOf(m.requestUri))];
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

function callEnd(call: TimelineCall): Timestamp {
  const totalNs = call.start.nsec + Math.round(call.durationMs * 1e6);
  return { sec: call.start.sec + Math.floor(totalNs / 1e9), nsec: totalNs % 1e9 };
}

const PROBLEM: ReadonlySet<Severity> = new Set(['warning', 'error']);

export function callMatches(call: TimelineCall, c: FilterCriteria): boolean {
  if (c.callIds?.length && !c.callIds.some((id) => glob(id).test(call.callId))) return false;
  if (c.users?.length) {
    const users = usersOf(call).map((u) => u.replace(/^\+/, ''));
    if (!c.users.some((want) => users.some((u) => glob(want.replace(/^\+/, ''), 'i').test(u)))) return false;
  }
  if (c.methods?.length) {
    const methods = new Set(c.methods.map((m) => m.toUpperCase()));
    if (!call.messages.some((m) => m.method !== null && methods.has(m.method.toUpperCase()))) return false;
  }
  if (c.statuses?.length && !call.messages.some((m) => m.status !== null && c.statuses!.some((p) => statusMatches(m.status!, p)))) return false;
  if (c.since && compareTime(callEnd(call), c.since) < 0) return false;
  if (c.until && compareTime(call.start, c.until) > 0) return false;
  if (c.onlyProblems && !call.findings.some((f) => PROBLEM.has(f.severity))) return false;
  if (c.types?.length && !c.types.includes(call.type)) return false;
  return true;
}

export function isEmptyFilter(c: FilterCriteria): boolean {
  return !(c.callIds?.length || c.users?.length || c.methods?.length || c.statuses?.length || c.since || c.until || c.onlyProblems || c.types?.length);
}

/** The summary counts of the calls shown, added up call by call (a filtered report counts only what it shows). */
export class ShownCounts {
  private calls = 0;
  private messages = 0;
  private retransmissions = 0;
  private readonly outcomes: Partial<Record<Outcome, number>> = {};
  private readonly findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };

  add(call: TimelineCall): void {
    this.calls++;
    this.messages += call.messages.length;
    for (const m of call.messages) if (m.retransmission) this.retransmissions++;
    this.outcomes[call.outcome] = (this.outcomes[call.outcome] ?? 0) + 1;
    for (const f of call.findings) this.findings[f.severity]++;
  }

  /** `summary` with its call, message, outcome and finding counts replaced by those of the calls shown. */
  over(summary: Timeline['summary']): Timeline['summary'] {
    return { ...summary, calls: this.calls, messages: this.messages, retransmissions: this.retransmissions, outcomes: { ...this.outcomes }, findings: { ...this.findings } };
  }
}

/** The calls that match, numbered as before, with the summary recomputed over them. */
export function filterTimeline(timeline: Timeline, criteria: FilterCriteria): Timeline {
  if (isEmptyFilter(criteria)) return timeline;
  const calls = timeline.calls.filter((c) => callMatches(c, criteria));
  const counts = new ShownCounts();
  for (const c of calls) counts.add(c);
  return { ...timeline, calls, summary: counts.over(timeline.summary) };
}

/**
 * A capture time from the command line: ISO 8601 ("2024-11-19T07:06:45Z", "2024-11-19 07:06:45.5";
 * UTC unless a zone is given, as every siplens time is) or Unix seconds ("1732000000.25").
 */
export function parseCaptureTime(text: string): Timestamp | null {
  const t = text.trim();
  if (/^\d+(\.\d{1,9})?$/.test(t)) {
    const [sec, frac = ''] = t.split('.');
    return { sec: Number(sec), nsec: Number(frac.padEnd(9, '0')) };
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return null;
  const zone = m[4] === undefined || m[4].toUpperCase() === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
  if (Number.isNaN(ms)) return null;
  return { sec: Math.floor(ms / 1000), nsec: Number((m[3] ?? '').padEnd(9, '0')) };
}
