/**
 * Filters select calls (never single messages, so every ladder stays whole) and apply to
 * every output format: the summary is recomputed over the calls kept. The criteria and their
 * matcher are src/analysis/select.ts (the same before the rules run); this adds the one that
 * needs findings (--only-problems) and works on the calls a report shows. Pure.
 */
import { ProblemCounts } from '../analysis/problems.js';
import type { MainProblem } from '../analysis/types.js';
import { factsMatch, isEmptyFilter, type CallFacts, type FilterCriteria } from '../analysis/select.js';
import type { Severity, Timestamp } from '../types.js';
import type { Outcome } from '../annotate/outcome.js';
import type { Timeline, TimelineCall } from './timeline.js';

export { CALL_TYPES, isEmptyFilter, isStatusPattern, type CallFacts, type FilterCriteria } from '../analysis/select.js';

function callEnd(call: TimelineCall): Timestamp {
  const totalNs = call.start.nsec + Math.round(call.durationMs * 1e6);
  return { sec: call.start.sec + Math.floor(totalNs / 1e9), nsec: totalNs % 1e9 };
}

const PROBLEM: ReadonlySet<Severity> = new Set(['warning', 'error']);

/** The facts of a call as a report shows it. */
function factsOfShown(call: TimelineCall): CallFacts {
  return { callId: call.callId, type: call.type, start: call.start, end: callEnd(call), from: call.from, to: call.to, messages: call.messages };
}

export function callMatches(call: TimelineCall, c: FilterCriteria): boolean {
  if (c.onlyProblems && !call.findings.some((f) => PROBLEM.has(f.severity))) return false;
  return factsMatch(factsOfShown(call), c);
}

/** The same criteria on the facts of a call as the analysis gives it (select.ts factsOfCall), with its findings so far (the live view's rows). */
export function liveCallMatches(facts: CallFacts, findings: readonly { readonly severity: Severity }[], c: FilterCriteria): boolean {
  if (c.onlyProblems && !findings.some((f) => PROBLEM.has(f.severity))) return false;
  return factsMatch(facts, c);
}

/** The summary counts of the calls shown, added up call by call (a filtered report counts only what it shows). */
export class ShownCounts {
  private calls = 0;
  private messages = 0;
  private retransmissions = 0;
  private duplicates = 0;
  private readonly outcomes: Partial<Record<Outcome, number>> = {};
  private readonly findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private readonly problems = new ProblemCounts();

  add(call: TimelineCall): void {
    this.calls++;
    for (const m of call.messages) {
      if (m.duplicateOf !== null) this.duplicates++;
      else this.messages++;
      if (m.retransmission) this.retransmissions++;
    }
    this.outcomes[call.outcome] = (this.outcomes[call.outcome] ?? 0) + 1;
    for (const f of call.findings) this.findings[f.severity]++;
    this.problems.add(call.number, call.findings);
  }

  /**
   * `summary` with its call, message, outcome and finding counts and its main problems replaced by
   * those of the calls shown. A story shown keeps the data `summary` told it with (the counts of the
   * whole input, which only the analysis knows), found by its rule, message id and call.
   */
  over(summary: Timeline['summary']): Timeline['summary'] {
    const told = (p: MainProblem): MainProblem['data'] => summary.mainProblems.find((q) => q.rule === p.rule && q.messageId === p.messageId && q.firstCall === p.firstCall)?.data ?? p.data;
    const mainProblems = this.problems.result().map((p) => ({ ...p, data: told(p) }));
    return { ...summary, calls: this.calls, messages: this.messages, retransmissions: this.retransmissions, duplicates: this.duplicates, outcomes: { ...this.outcomes }, findings: { ...this.findings }, mainProblems };
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
