/**
 * The trace's main problems: the few kinds of error and warning that matter most, by severity,
 * then by how many calls they touch. Built from counts kept per rule and message id as calls are
 * handed over (one entry per kind of finding, whatever the size of the input), never by holding
 * findings: the summary comes last, when the calls are long written.
 */
import { RULES } from '../annotate/rules/index.js';
import type { Finding, ReportData } from '../annotate/rules/types.js';
import type { SourceProfiles } from '../annotate/sources.js';
import { SEVERITIES } from '../severity.js';
import type { CapturedMessage, Severity } from '../types.js';
import type { MainProblem } from './types.js';

/** At most this many lines: the main problems, not a second list of findings. */
export const MAX_MAIN_PROBLEMS = 3;

/** Per rule: story message id -> the message id it tells as one story (meta.stories). */
const STORIES = new Map(RULES.map((r) => [r.meta.id, r.meta.stories ?? {}]));
const RULE_BY_ID = new Map(RULES.map((r) => [r.meta.id, r]));

/** The kinds ("rule\0messageId") that are stories or that a story sums up: counted by subject as well. */
const BY_SUBJECT = new Set(RULES.flatMap((r) => Object.entries(r.meta.stories ?? {}).flatMap(([story, told]) => [`${r.meta.id}\u0000${story}`, `${r.meta.id}\u0000${told}`])));

/** Subjects counted at most (all kinds together); past it a story sums up the findings of every subject, as a guess. */
export const MAX_SUBJECTS = 1024;

interface Tally {
  severity: Severity;
  findings: number;
  calls: number;
  firstCall: number;
  data: ReportData;
}

interface Kind extends Tally {
  readonly rule: string;
  readonly messageId: string;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/**
 * The address a finding is about, which a story and the per-call findings it sums up both name as
 * `server` (the server that lost subscriptions and its 481s; the server a late client answered and
 * its refusals); "" when the finding names none.
 */
function subjectOf(f: Finding): string {
  const server = f.data['server'];
  return typeof server === 'object' && server.kind === 'endpoint' ? server.ip : '';
}

/** Counts one finding of a call into a tally; `firstOfCall` when it is the call's first of the tally. */
function count(tally: Tally, f: Finding, callNumber: number, firstOfCall: boolean): void {
  tally.findings++;
  if (rank(f.severity) < rank(tally.severity)) tally.severity = f.severity;
  // Calls are handed over in the order they end, not by number: the first call is the lowest number.
  if (callNumber < tally.firstCall) {
    tally.firstCall = callNumber;
    tally.data = f.data;
  }
  if (firstOfCall) tally.calls++;
}

export class ProblemCounts {
  private readonly kinds = new Map<string, Kind>();
  /** For the kinds in BY_SUBJECT: subject -> its tally, so a story sums up only the findings about its own subject. */
  private readonly subjects = new Map<string, Map<string, Tally>>();
  private subjectCount = 0;
  private subjectsFull = false;
  /** Findings not counted by subject once MAX_SUBJECTS was reached, and the first message of the first such call: the analysis.main-problems-limit diagnostic. */
  overflow: { count: number; first: CapturedMessage } | null = null;
  readonly maxSubjects = MAX_SUBJECTS;

  /**
   * The findings of one call handed over; `first`, the call's first message, locates a table-limit
   * diagnostic (absent when the calls are counted again for a filtered report: the analysis has
   * reported the limit already).
   */
  add(callNumber: number, findings: readonly Finding[], first?: CapturedMessage): void {
    // Made at the first finding counted: most calls have none but info findings. An index loop,
    // not for-of (each step of which allocated an iterator result here).
    let seen: Set<string> | null = null;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      if (f.severity === 'info') continue;
      const key = `${f.rule}\u0000${f.messageId}`;
      let kind = this.kinds.get(key);
      if (kind === undefined) {
        kind = { rule: f.rule, messageId: f.messageId, severity: f.severity, findings: 0, calls: 0, firstCall: callNumber, data: f.data };
        this.kinds.set(key, kind);
      }
      count(kind, f, callNumber, seen?.has(key) !== true);
      (seen ??= new Set()).add(key);
      if (BY_SUBJECT.has(key) && !this.addBySubject(key, f, callNumber, seen) && first !== undefined) {
        if (this.overflow === null) this.overflow = { count: 1, first };
        else this.overflow.count++;
      }
    }
  }

  /** False when the finding's subject is new and the table of subjects is full. */
  private addBySubject(key: string, f: Finding, callNumber: number, seen: Set<string>): boolean {
    const subject = subjectOf(f);
    let bySubject = this.subjects.get(key);
    if (bySubject === undefined) this.subjects.set(key, (bySubject = new Map()));
    let tally = bySubject.get(subject);
    if (tally === undefined) {
      if (this.subjectCount >= MAX_SUBJECTS) {
        this.subjectsFull = true;
        return false;
      }
      this.subjectCount++;
      tally = { severity: f.severity, findings: 0, calls: 0, firstCall: callNumber, data: f.data };
      bySubject.set(subject, tally);
    }
    const subjectKey = `${key}\u0000${subject}`;
    count(tally, f, callNumber, !seen.has(subjectKey));
    seen.add(subjectKey);
    return true;
  }

  /**
   * The main problems: a story told across calls stands for the per-call findings it sums up, those
   * about its own subject (it touches as many calls as they do), then by severity, calls touched,
   * first call. The findings of that kind about other subjects stay a problem of their own.
   * `sources`, the analysis's account across calls at the end of the input: a story is told with
   * the counts the whole input gave, not those known on the call it was told on.
   */
  result(sources: SourceProfiles | null = null): MainProblem[] {
    const kinds = new Map([...this.kinds].map(([key, k]) => [key, { ...k }]));
    for (const story of [...kinds.values()]) {
      const told = STORIES.get(story.rule)?.[story.messageId];
      if (told !== undefined && sources !== null) story.data = RULE_BY_ID.get(story.rule)?.retell?.(sources, story.messageId, story.data) ?? story.data;
      const toldKey = `${story.rule}\u0000${told}`;
      const summed = told === undefined ? undefined : kinds.get(toldKey);
      if (summed === undefined) continue;
      const storySubjects = this.subjects.get(`${story.rule}\u0000${story.messageId}`);
      const toldSubjects = [...(this.subjects.get(toldKey) ?? [])];
      // Past the bound of subjects the tallies are not whole: the story sums up the kind, as before there were subjects.
      const own = (subject: string): boolean => this.subjectsFull || storySubjects?.has(subject) === true;
      const absorbed = this.subjectsFull ? summed : sumOf(toldSubjects.filter(([subject]) => own(subject)).map(([, t]) => t));
      if (absorbed === null) continue;
      story.calls = Math.max(story.calls, absorbed.calls);
      story.findings = Math.max(story.findings, absorbed.findings);
      if (rank(absorbed.severity) < rank(story.severity)) story.severity = absorbed.severity;
      const left = sumOf(toldSubjects.filter(([subject]) => !own(subject)).map(([, t]) => t));
      if (left === null) kinds.delete(toldKey);
      else kinds.set(toldKey, { ...summed, ...left });
    }
    return [...kinds.values()]
      .sort((a, b) => rank(a.severity) - rank(b.severity) || b.calls - a.calls || a.firstCall - b.firstCall)
      .slice(0, MAX_MAIN_PROBLEMS)
      .map((k) => ({ rule: k.rule, messageId: k.messageId, severity: k.severity, findings: k.findings, calls: k.calls, firstCall: k.firstCall, data: k.data }));
  }
}

/** Tallies added up (calls as their sum: a call rarely has findings about two subjects); null for none. */
function sumOf(tallies: readonly Tally[]): Tally | null {
  if (tallies.length === 0) return null;
  const first = tallies.reduce((a, b) => (b.firstCall < a.firstCall ? b : a));
  return {
    severity: tallies.reduce((a, b) => (rank(b.severity) < rank(a.severity) ? b : a)).severity,
    findings: tallies.reduce((n, t) => n + t.findings, 0),
    calls: tallies.reduce((n, t) => n + t.calls, 0),
    firstCall: first.firstCall,
    data: first.data,
  };
}
