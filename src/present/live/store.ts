/**
 * The live view's rows: the calls in progress (the analysis' open calls, replaced at each
 * refresh) and the calls handed over (kept up to a bound, oldest dropped first, with their
 * count), filtered with the CLI's criteria (src/present/filter.ts) and sorted. Data only: the
 * screens (screen.ts) make the words.
 */
import type { CallProgress } from '../../analysis/progress.js';
import { callProgress } from '../../analysis/progress.js';
import { addressOfRecord, factsOfCall } from '../../analysis/select.js';
import type { AnalyzedCall, OpenCall } from '../../analysis/types.js';
import { callFigures, callOutcome } from '../../annotate/outcome.js';
import type { Finding } from '../../annotate/rules/types.js';
import type { MediaSoFar } from '../../parse/media/join.js';
import { ownBytesOf } from '../../parse/sip/parse.js';
import { compareTime, toMs } from '../../time.js';
import type { Severity } from '../../types.js';
import { CALL_TYPES, isEmptyFilter, liveCallMatches, type CallFacts, type FilterCriteria } from '../filter.js';
import type { Call, CallType } from '../../parse/dialog/types.js';

/** Calls handed over that the view keeps (the oldest go first beyond it; the header counts them). */
export const DEFAULT_MAX_KEPT_CALLS = 100_000;

export interface LiveRow {
  readonly number: number;
  readonly call: Call;
  readonly from: string | null;
  readonly to: string | null;
  readonly progress: CallProgress;
  readonly findings: readonly Finding[];
  readonly media: MediaSoFar | null;
  /** Still open (its findings so far are the time-based ones), or handed over with every rule run. */
  readonly open: boolean;
  /** The call as the report renderers take it (for an open call: its outcome so far). */
  readonly analyzed: AnalyzedCall;
}

export const SORT_KEYS = ['start', 'state', 'findings', 'from', 'to'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The most severe finding's rank, then how many: what the findings column sorts by. */
function findingWeight(findings: readonly Finding[]): number {
  let top = 0;
  for (const f of findings) top = Math.max(top, SEVERITY_RANK[f.severity]);
  return top * 10_000 + findings.length;
}

const PHASE_RANK: Record<CallProgress['phase'], number> = { inviting: 0, ringing: 1, answered: 2, request: 3, ended: 4 };

function partiesOf(call: Call): { from: string | null; to: string | null } {
  const first = call.messages.find((m) => m.captured.message.kind === 'request')?.captured.message ?? call.messages[0]?.captured.message;
  return { from: addressOfRecord(first?.from), to: addressOfRecord(first?.to) };
}

function mediaOf(analyzed: AnalyzedCall): MediaSoFar | null {
  const media = analyzed.media;
  if (media === null) return null;
  let packets = 0;
  for (const s of media.streams) packets += s.packets;
  return { announced: media.announced.length, streams: media.streams.length, packets };
}

function endedRow(analyzed: AnalyzedCall): LiveRow {
  const call = analyzed.call;
  return { number: analyzed.number, call, ...partiesOf(call), progress: callProgress(call, toMs(call.end)), findings: analyzed.findings, media: mediaOf(analyzed), open: false, analyzed };
}

function openRow(open: OpenCall): LiveRow {
  const call = open.call;
  // The outcome so far, for the ladder's header; every rule runs at the hand-over.
  const analyzed: AnalyzedCall = { number: open.number, call, outcome: callOutcome(call, open.findings), figures: callFigures(call), findings: open.findings, leg: null, media: null };
  return { number: open.number, call, ...partiesOf(call), progress: open.progress, findings: open.findings, media: open.media, open: true, analyzed };
}

export class LiveCalls {
  private readonly ended = new Map<number, LiveRow>();
  private openRows: LiveRow[] = [];
  /** Calls handed over and dropped by the bound. */
  dropped = 0;
  /** Every call handed over so far. */
  endedCount = 0;
  /** Moves on with every change of the rows: a view whose rows are of this version need not take them again. */
  version = 0;
  /** What the filter looks at, once per row (a row is replaced when its call changes). */
  private readonly facts = new WeakMap<LiveRow, CallFacts>();

  constructor(private readonly maxKept: number = DEFAULT_MAX_KEPT_CALLS) {}

  /** Calls handed over by the analysis (AnalyzeStreamOptions.onCalls). */
  addEnded(batch: readonly AnalyzedCall[]): void {
    if (batch.length > 0) this.version++;
    for (const c of batch) {
      // Kept long after their hand-over, beside messages of calls let go: their bytes in buffers of their own, not in shared slabs (message-bytes.ts).
      for (const m of c.call.messages) ownBytesOf(m.captured.message);
      for (const d of c.call.duplicates) ownBytesOf(d.captured.message);
      this.ended.set(c.number, endedRow(c));
      this.endedCount++;
      if (this.ended.size > this.maxKept) {
        // Map order is insertion order: the first key is the call handed over longest ago.
        this.ended.delete(this.ended.keys().next().value!);
        this.dropped++;
      }
    }
    // A call handed over is no longer open.
    if (this.openRows.length > 0) this.openRows = this.openRows.filter((r) => !this.ended.has(r.number));
  }

  /** The open calls as the analysis sees them now (OpenCallsView.openCalls). */
  setOpen(open: readonly OpenCall[]): void {
    if (open.length === 0 && this.openRows.length === 0) return;
    this.version++;
    this.openRows = open.filter((o) => !this.ended.has(o.number)).map(openRow);
  }

  private factsOf(row: LiveRow): CallFacts {
    let facts = this.facts.get(row);
    if (facts === undefined) {
      facts = factsOfCall(row.call);
      this.facts.set(row, facts);
    }
    return facts;
  }

  /** The row of call `number`, open or kept, or undefined when it is not (or no longer) kept. */
  row(number: number): LiveRow | undefined {
    return this.ended.get(number) ?? this.openRows.find((r) => r.number === number);
  }

  get openCount(): number {
    return this.openRows.length;
  }

  get size(): number {
    return this.ended.size + this.openRows.length;
  }

  /** The rows that match `filter`, sorted by `key` (then by number). */
  rows(filter: FilterCriteria, key: SortKey, descending: boolean): LiveRow[] {
    const all = [...this.ended.values(), ...this.openRows];
    const kept = isEmptyFilter(filter) ? all : all.filter((r) => liveCallMatches(this.factsOf(r), r.findings, filter));
    const sign = descending ? -1 : 1;
    const by = COMPARE[key];
    return kept.sort((a, b) => sign * (by(a, b) || a.number - b.number));
  }
}

const text = (s: string | null): string => s ?? '';

const COMPARE: Record<SortKey, (a: LiveRow, b: LiveRow) => number> = {
  start: (a, b) => compareTime(a.call.start, b.call.start),
  state: (a, b) => PHASE_RANK[a.progress.phase] - PHASE_RANK[b.progress.phase],
  findings: (a, b) => findingWeight(b.findings) - findingWeight(a.findings),
  from: (a, b) => text(a.from).localeCompare(text(b.from)),
  to: (a, b) => text(a.to).localeCompare(text(b.to)),
};

/**
 * The `/` filter as typed: the CLI's criteria as `name=value` words (user, call-id, method,
 * status, type; several values comma-separated), `problems` for --only-problems, and any other
 * word as a user part (`*` wildcards; a word with none matches anywhere in the user part).
 */
export function parseFilterText(input: string): FilterCriteria {
  const users: string[] = [];
  const callIds: string[] = [];
  const methods: string[] = [];
  const statuses: string[] = [];
  const types: CallType[] = [];
  let onlyProblems = false;
  for (const word of input.trim().split(/\s+/)) {
    if (word === '') continue;
    const eq = word.search(/[=:]/);
    const name = eq < 0 ? '' : word.slice(0, eq).toLowerCase();
    const values = eq < 0 ? [] : word.slice(eq + 1).split(',').filter(Boolean);
    if (name === 'user') users.push(...values);
    else if (name === 'call-id' || name === 'callid') callIds.push(...values);
    else if (name === 'method') methods.push(...values);
    else if (name === 'status') statuses.push(...values);
    else if (name === 'type') types.push(...CALL_TYPES.filter((t) => values.includes(t)));
    else if (word.toLowerCase() === 'problems') onlyProblems = true;
    else users.push(word.includes('*') ? word : `*${word}*`);
  }
  return {
    ...(users.length > 0 ? { users } : {}),
    ...(callIds.length > 0 ? { callIds } : {}),
    ...(methods.length > 0 ? { methods } : {}),
    ...(statuses.length > 0 ? { statuses } : {}),
    ...(types.length > 0 ? { types } : {}),
    ...(onlyProblems ? { onlyProblems } : {}),
  };
}
