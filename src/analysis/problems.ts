/**
 * The trace's main problems: the few kinds of error and warning that matter most, by severity,
 * then by how many calls they touch. Built from counts kept per rule and message id as calls are
 * handed over (one entry per kind of finding, whatever the size of the input), never by holding
 * findings: the summary comes last, when the calls are long written.
 */
import { RULES } from '../annotate/rules/index.js';
import type { Finding, ReportData } from '../annotate/rules/types.js';
import { SEVERITIES } from '../severity.js';
import type { Severity } from '../types.js';
import type { MainProblem } from './types.js';

/** At most this many lines: the main problems, not a second list of findings. */
export const MAX_MAIN_PROBLEMS = 3;

/** Per rule: story message id -> the message id it tells as one story (meta.stories). */
const STORIES = new Map(RULES.map((r) => [r.meta.id, r.meta.stories ?? {}]));

interface Kind {
  readonly rule: string;
  readonly messageId: string;
  severity: Severity;
  findings: number;
  calls: number;
  firstCall: number;
  data: ReportData;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

export class ProblemCounts {
  private readonly kinds = new Map<string, Kind>();

  /** The findings of one call handed over. */
  add(callNumber: number, findings: readonly Finding[]): void {
    const seen = new Set<string>();
    for (const f of findings) {
      if (f.severity === 'info') continue;
      const key = `${f.rule}\u0000${f.messageId}`;
      let kind = this.kinds.get(key);
      if (kind === undefined) {
        kind = { rule: f.rule, messageId: f.messageId, severity: f.severity, findings: 0, calls: 0, firstCall: callNumber, data: f.data };
        this.kinds.set(key, kind);
      }
      kind.findings++;
      if (rank(f.severity) < rank(kind.severity)) kind.severity = f.severity;
      // Calls are handed over in the order they end, not by number: the first call is the lowest number.
      if (callNumber < kind.firstCall) {
        kind.firstCall = callNumber;
        kind.data = f.data;
      }
      if (!seen.has(key)) {
        seen.add(key);
        kind.calls++;
      }
    }
  }

  /**
   * The main problems: a story told across calls stands for the per-call findings it sums up
   * (it touches as many calls as they do), then by severity, calls touched, first call.
   */
  result(): MainProblem[] {
    const kinds = new Map([...this.kinds].map(([key, k]) => [key, { ...k }]));
    for (const story of kinds.values()) {
      const told = STORIES.get(story.rule)?.[story.messageId];
      const summed = told === undefined ? undefined : kinds.get(`${story.rule}\u0000${told}`);
      if (summed === undefined) continue;
      story.calls = Math.max(story.calls, summed.calls);
      story.findings = Math.max(story.findings, summed.findings);
      if (rank(summed.severity) < rank(story.severity)) story.severity = summed.severity;
      kinds.delete(`${story.rule}\u0000${told}`);
    }
    return [...kinds.values()]
      .sort((a, b) => rank(a.severity) - rank(b.severity) || b.calls - a.calls || a.firstCall - b.firstCall)
      .slice(0, MAX_MAIN_PROBLEMS)
      .map((k) => ({ rule: k.rule, messageId: k.messageId, severity: k.severity, findings: k.findings, calls: k.calls, firstCall: k.firstCall, data: k.data }));
  }
}
