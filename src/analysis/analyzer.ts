/**
 * The analysis session: messages in, analysed calls out. It correlates messages into calls
 * (src/parse/dialog/correlate.ts), hands every call over once it is over in capture time,
 * runs the rules, the outcome and the figures on it, links the legs of one end-to-end call,
 * and keeps the counts of the summary and the diagnostics of the table limits. Memory follows
 * the calls open at once (bounded by options.limits), never the size of the inputs.
 *
 * It knows nothing of reading (src/analysis/session.ts feeds it) nor of showing.
 */
import { checkCall, internalErrorFinding } from '../annotate/engine.js';
import { inviteFinalTime, linkLegs, streamIdentity, type LegGroup } from '../annotate/legs.js';
import { callFigures, callOutcome, decidingTransaction, noFigures, openAtEnd, type CallFigures, type CallOutcome, type Outcome } from '../annotate/outcome.js';
import { RULES } from '../annotate/rules/index.js';
import { SourceTracker } from '../annotate/sources.js';
import type { PatternTracker } from '../annotate/patterns.js';
import { TransferLinks, type RelatedCalls } from '../annotate/transfers.js';
import type { Finding } from '../annotate/rules/types.js';
import { DIAGNOSTICS, type DiagnosticCode } from '../diagnostics.js';
import { MediaJoin } from '../parse/media/join.js';
import { IcmpTable } from '../parse/icmp-calls.js';
import { Correlator, type OpenEntry } from '../parse/dialog/correlate.js';
import { SlabWalk } from '../parse/sip/message-bytes.js';
import { ownBytesOfOld } from '../parse/sip/parse.js';
import { Timer } from '../parse/dialog/timers.js';
import type { Call } from '../parse/dialog/types.js';
import { compareTime, fromMs, laterOf, toMs } from '../time.js';
import type { CapturedMessage, Diagnostic, InputSummary, Severity, Timestamp } from '../types.js';
import { liveFindingKey, liveFindings } from './live.js';
import { callProgress } from './progress.js';
import { ProblemCounts } from './problems.js';
import type { AnalyzedCall, AnalyzeStreamOptions, CallLeg, OpenCall, OpenCallsView, StreamedAnalysis } from './types.js';

/** How often (capture time) finished calls are looked for and handed over; the legs of one call are linked within one batch. */
const HANDOVER_INTERVAL_MS = 10_000;

/**
 * How often (capture time) the time-based rules look at the open calls when watching live: a
 * finding fires within this long of its threshold.
 */
const LIVE_CHECK_MS = 250;

/** The stream identities (legs.ts) of a call with none, shared. */
const NO_STREAMS: readonly string[] = [];

export type AnalyzerOptions = Pick<AnalyzeStreamOptions, 'onCalls' | 'select' | 'rules' | 'legs' | 'limits' | 'media' | 'onLiveFinding'> & {
  /** Run the time-based rules on open calls as capture time moves (implied by onLiveFinding). */
  readonly watch?: boolean;
};

export class Analyzer implements OpenCallsView {
  private readonly correlator: Correlator;
  /** What each source address sent across calls (a scan is many calls from one address). */
  private readonly sources = new SourceTracker();
  /** Transfers linked across calls (a REFER in one, the INVITE it caused in another), kept while either call is open. */
  private readonly transfers = new TransferLinks();
  /** When this analysis next walks the messages it holds out of old slabs (ownBytesOfOld), on a clock of its own. */
  private readonly slabWalk = new SlabWalk();
  /** Ties media streams to calls through their SDP; null when media is not analysed. */
  readonly media: MediaJoin | null;
  /** ICMP errors held until the call whose packet they quote is handed over (the `onIcmp` sink feeds it). */
  readonly icmp = new IcmpTable();
  private legGroups = 0;
  private callsKept = 0;
  private messages = 0;
  private retransmissions = 0;
  private duplicates = 0;
  private readonly outcomes: Partial<Record<Outcome, number>> = {};
  private readonly findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private readonly problems = new ProblemCounts();
  private latest: Timestamp | null = null;
  /** The latest capture time seen, ms since the epoch (-Infinity before the first message). */
  latestMs = -Infinity;
  /** Capture time moved on to with no message (advanceTo): a live capture gone quiet. */
  private quietUntilMs = -Infinity;
  private nextHandoverMs = -Infinity;
  /** Whether the time-based rules run on open calls (a live view, or a caller of onLiveFinding). */
  private readonly watching: boolean;
  private nextLiveCheckMs = -Infinity;
  /** The live findings of open calls, by call number; a call's go with it at its hand-over, so this follows the open calls. */
  private readonly live = new Map<number, readonly Finding[]>();

  constructor(private readonly options: AnalyzerOptions) {
    this.watching = options.watch === true || options.onLiveFinding !== undefined;
    this.correlator = new Correlator(options.limits ?? {});
    this.media = options.media === false ? null : new MediaJoin(options.media === true || options.media === undefined ? {} : options.media);
  }

  /** One message, in capture order; calls that are over by its time are handed over in batches. */
  add(m: CapturedMessage): void {
    // A second capture of a message is shown beside it and counted apart, never fed to what judges traffic.
    if (this.correlator.add(m)) {
      this.messages++;
      this.media?.addMessage(m);
      this.sources.add(m);
    } else {
      this.duplicates++;
    }
    const ms = toMs(m.time);
    if (ms > this.latestMs) {
      this.latestMs = ms;
      this.latest = m.time;
    }
    // Calls closed early by a table limit go at once, so the table stays within its bound.
    if (this.latestMs >= this.nextHandoverMs || this.correlator.closedEarlyWaiting) {
      if (this.latestMs >= this.nextHandoverMs) this.nextHandoverMs = this.latestMs + HANDOVER_INTERVAL_MS;
      // Nothing happened in a call handed over now until the latest time seen.
      const now = this.latest!;
      this.handOver(this.correlator.takeDue(this.latestMs), () => now);
    }
    if (this.watching && this.latestMs >= this.nextLiveCheckMs) this.checkOpen(this.latestMs);
    if (this.slabWalk.due()) this.ownBytesOfOld();
  }

  /**
   * Every message held gets a copy of its bytes of its own when they lie in an old slab
   * (src/parse/sip/message-bytes.ts), so that the slabs alive follow the open messages: the
   * correlator's calls, the REFERs kept for transfers, and the first message of a table limit
   * hit. The media join holds messages of open calls only (the same objects, repointed here),
   * the renderers none past a batch.
   */
  private ownBytesOfOld(): void {
    const walk = this.slabWalk;
    this.correlator.ownBytesOfOld(walk);
    for (const refer of this.transfers.heldRefers()) ownBytesOfOld(refer.message, walk);
    const patterns = this.sources.patterns.overflow;
    if (patterns !== null) ownBytesOfOld(patterns.first.message, walk);
    const problems = this.problems.overflow;
    if (problems !== null) ownBytesOfOld(problems.first.message, walk);
    walk.done();
  }

  /** Capture time moved on to `nowMs` with no message (a live capture gone quiet): hands over what is due by then. */
  advanceTo(nowMs: number): void {
    this.quietUntilMs = Math.max(this.quietUntilMs, nowMs);
    const now = fromMs(nowMs);
    this.handOver(this.correlator.takeDue(nowMs), () => now);
    if (this.watching) this.checkOpen(nowMs);
  }

  /** The capture clock: the latest message's time, or later when a quiet live capture moved it on. */
  get nowMs(): number {
    return Math.max(this.latestMs, this.quietUntilMs);
  }

  /** The calls open now, in order of their first message, at the capture clock (the live view's list). */
  openCalls(): OpenCall[] {
    const atMs = this.nowMs;
    const open: OpenCall[] = [];
    for (const entry of this.correlator.open()) {
      const call = entry.call;
      if (this.options.select !== undefined && !this.options.select(call)) continue;
      open.push({ number: call.number, call, progress: callProgress(call, atMs), findings: this.live.get(call.number) ?? [], media: this.media?.sofar(call.callId) ?? null, atMs });
    }
    return open.sort((a, b) => a.number - b.number);
  }

  /**
   * The time-based rules over the open calls that can still meet a threshold: an INVITE waiting
   * for its final response, or a call active within the last 64*T1 (a request or a 2xx being
   * retransmitted). A call that is up and quiet is not looked at.
   */
  private checkOpen(nowMs: number): void {
    this.nextLiveCheckMs = nowMs + LIVE_CHECK_MS;
    for (const entry of this.correlator.open()) {
      if (!watchable(entry, nowMs)) continue;
      const call = entry.call;
      if (this.options.select !== undefined && !this.options.select(call)) continue;
      const found = liveFindings(call, nowMs, this.options.rules);
      const before = this.live.get(call.number) ?? [];
      if (found.length === 0 && before.length === 0) continue;
      // A finding once fired stays (a late 18x does not take back that the call was stuck).
      const seen = new Set(before.map(liveFindingKey));
      const fresh = found.filter((f) => !seen.has(liveFindingKey(f)));
      if (fresh.length === 0) continue;
      const all = [...before, ...fresh];
      this.live.set(call.number, all);
      if (this.options.onLiveFinding !== undefined) {
        const open: OpenCall = { number: call.number, call, progress: callProgress(call, nowMs), findings: all, media: this.media?.sofar(call.callId) ?? null, atMs: nowMs };
        for (const f of fresh) this.options.onLiveFinding(open, f);
      }
    }
  }

  /**
   * The inputs ended: hands over every call still open ("nothing happened until here" is the
   * latest frame of any input that holds the call) and returns the summaries, with the
   * diagnostics of the table limits, and the summary.
   */
  finish(summaries: readonly InputSummary[]): StreamedAnalysis {
    const lastTimeOf = new Map(summaries.map((s) => [s.path, s.lastTime]));
    const remaining = this.correlator.takeAll();
    const ended = endedMidCall(remaining, summaries);
    this.handOver(
      remaining,
      (call) => {
        let end: Timestamp = call.end;
        for (const m of call.messages) {
          const last = lastTimeOf.get(m.captured.file);
          if (last) end = laterOf(end, last);
        }
        return end;
      },
      ended.cutCalls,
    );
    const inputs = withMediaDiagnostics(withLimitDiagnostics(ended.summaries, this.correlator, this.sources.patterns, this.problems), this.media);
    return {
      inputs,
      peakOpenCalls: this.correlator.peakOpenCalls,
      unassignedStreams: this.media?.unassigned() ?? [],
      summary: {
        calls: this.callsKept,
        messages: this.messages,
        retransmissions: this.retransmissions,
        duplicates: this.duplicates,
        outcomes: this.outcomes,
        findings: this.findings,
        diagnostics: countBySeverity(inputs.flatMap((s) => s.diagnostics)),
        mainProblems: this.problems.result(this.sources),
      },
    };
  }

  /** `cut`: calls whose capture was cut short while they were open (their outcome says so). */
  private handOver(due: readonly Call[], endOf: (call: Call) => Timestamp, cut: ReadonlySet<Call> | null = null): void {
    const { options } = this;
    // Index loops here and below, not for-of: see the note on handOver's loops below.
    for (let i = 0; i < due.length; i++) this.live.delete(due[i]!.number);
    // Every end-to-end call (group of legs) gets its number, selected or not, so a filtered
    // report numbers them as the whole one does: legs are linked over the whole batch.
    // Every call handed over lets go of its streams, selected or not.
    const media = due.map((call) => this.media?.takeCall(call) ?? null);
    let groups: readonly LegGroup[] = [];
    let legsError: { error: unknown } | null = null;
    if (options.legs !== false) {
      try {
        groups = linkLegs(due, options.legs ?? {}, media.map((m) => (m === null || m.streams.length === 0 ? NO_STREAMS : m.streams.map(streamIdentity))));
      } catch (error) {
        legsError = { error };
      }
    }
    const firstGroup = this.legGroups + 1;
    this.legGroups += groups.length;
    // And of the ICMP errors that quote its packets.
    const icmp = due.map((call, i) => this.icmp.take(call, media[i]!));
    const selected = options.select === undefined ? due.map((_, i) => i) : selectWithLegs(due, options.select, groups);
    // Before the selection: a transfer's other call may be selected in a later batch.
    try {
      this.transfers.prepare(due, () => openCallsOf(this.correlator));
    } catch (error) {
      // Reported as the legs' step: both link calls of one batch to one another.
      legsError ??= { error };
    }
    if (selected.length === 0) {
      this.transfers.release(due);
      return;
    }
    // What the rules see of the other calls: transfers, and the outbound legs of an inbound one (a B2BUA hunting).
    const outbound = new Map<Call, Call[]>(groups.map((g) => [due[g.calls[0]!]!, g.calls.slice(1).map((i) => due[i]!)]));
    const transfers = this.transfers;
    const related: RelatedCalls = {
      transferOf: (call, refer) => transfers.transferOf(call, refer),
      transferredFrom: (call) => transfers.transferredFrom(call),
      outboundLegs: (call) => outbound.get(call) ?? [],
    };
    // A bug met in one step of one call is a siplens-bug finding on that call; the others go on.
    const analyzed = selected.map((i): WithLeg => {
      const call = due[i]!;
      const found = checkCall(call, endOf(call), options.rules, RULES, media[i]!, this.sources, icmp[i]!, related);
      // Counted here, while the rules have just read the call's messages: a later pass over the batch meets them gone from the cache.
      const messages = call.messages;
      for (let k = 0; k < messages.length; k++) if (messages[k]!.retransmission) this.retransmissions++;
      // What a step that failed leaves is made only then, not for every call.
      let outcome: CallOutcome | null = null;
      let figures: CallFigures | null = null;
      try {
        const deciding = decidingTransaction(call);
        outcome = callOutcome(call, found, cut?.has(call) ?? false, deciding);
        figures = callFigures(call, deciding);
      } catch (err) {
        found.push(internalErrorFinding(call, 'outcome', err));
      }
      // `leg` last, as library users have always seen it; withLegs sets it.
      return { number: call.number, call, outcome: outcome ?? { outcome: 'unknown', status: null }, figures: figures ?? noFigures(), findings: found, media: media[i]!, leg: null };
    });
    this.transfers.release(due);
    const batch: AnalyzedCall[] = analyzed;
    try {
      withLegs(analyzed, selected, groups, firstGroup);
    } catch (error) {
      for (const c of analyzed) c.leg = null;
      legsError = { error };
    }
    if (legsError !== null && batch[0] !== undefined) (batch[0].findings as Finding[]).push(internalErrorFinding(batch[0].call, 'legs', legsError.error));
    this.callsKept += batch.length;
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i]!;
      this.outcomes[c.outcome.outcome] = (this.outcomes[c.outcome.outcome] ?? 0) + 1;
      const findings = c.findings;
      for (let k = 0; k < findings.length; k++) this.findings[findings[k]!.severity]++;
      this.problems.add(c.number, findings, c.call.messages[0]!.captured);
    }
    options.onCalls(batch);
  }
}

/** The calls still open, as they stand (a transfer's other call may be one of them). */
function* openCallsOf(correlator: Correlator): Generator<Call> {
  for (const entry of correlator.open()) yield entry.call;
}

/** An open call a time-based rule can still report on at `nowMs` (see Analyzer.checkOpen). */
function watchable(entry: OpenEntry, nowMs: number): boolean {
  return entry.pendingInvites.length > 0 || nowMs - entry.lastMs <= Timer.TIMEOUT_MS;
}

function countBySeverity(items: readonly { severity: Severity }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const item of items) counts[item.severity]++;
  return counts;
}

/**
 * The positions in `calls` of those `select` keeps, with the other legs of their end-to-end
 * calls (analysed, so that the legs and the cause of a failed inbound leg read as in the whole
 * analysis), in order.
 */
function selectWithLegs(calls: readonly Call[], select: (call: Call) => boolean, groups: readonly LegGroup[]): number[] {
  const wanted = calls.map((call) => select(call));
  for (const group of groups) if (group.calls.some((i) => wanted[i])) for (const i of group.calls) wanted[i] = true;
  return calls.flatMap((_, i) => (wanted[i] ? [i] : []));
}

/**
 * An analysed call whose leg withLegs sets. Set, not spread again with `leg`: on Node 20 such a
 * spread gives nearly every result a hidden class of its own, so every later read of an analysed
 * call's members (timeline, writers, summary) met a new shape.
 */
type WithLeg = Omit<AnalyzedCall, 'leg'> & { leg: CallLeg | null };

/**
 * Attaches the leg groups (src/annotate/legs.ts, linked over the whole batch, numbered from
 * `firstGroup`) to the analysed calls, which sit at `positions` of the batch, and notes why a
 * failed inbound leg failed. A group none of whose calls was analysed keeps its number unused.
 */
function withLegs(calls: readonly WithLeg[], positions: readonly number[], groups: readonly LegGroup[], firstGroup: number): void {
  // Most batches link no legs: no table of positions for them.
  if (groups.length === 0) return;
  const analyzedAt = new Map(positions.map((position, i) => [position, i]));
  groups.forEach((group, g) => {
    // Selection keeps whole groups: either every leg was analysed, or none.
    const members = group.calls.map((position) => analyzedAt.get(position));
    if (members.some((i) => i === undefined)) return;
    const call = (k: number) => calls[members[k]!]!;
    const numbers = group.calls.map((_, k) => call(k).number);
    const numberAt = (position: number) => calls[analyzedAt.get(position)!]!.number;
    const links = group.links.map((l) => ({ from: numberAt(l.a), to: numberAt(l.b), reason: l.reason, guess: l.guess, gapMs: Math.round(l.gapMs * 1000) / 1000 }));
    const inbound = call(0);
    let cause: CallLeg['cause'] = null;
    const inboundStatus = inbound.outcome.status;
    const inboundFinal = inviteFinalTime(inbound.call);
    if (inboundStatus !== null && inboundStatus >= 300 && inbound.outcome.outcome !== 'cancelled' && inboundFinal !== null) {
      for (let k = 1; k < members.length; k++) {
        const out = call(k);
        const status = out.outcome.status;
        const at = inviteFinalTime(out.call);
        if (status === null || status < 300 || at === null || compareTime(at, inboundFinal) > 0) continue;
        cause = { call: out.number, status };
      }
    }
    members.forEach((i, k) => {
      calls[i!]!.leg = { group: firstGroup + g, role: k === 0 ? 'inbound' : 'outbound', calls: numbers, links, cause: k === 0 ? cause : null };
    });
  });
}

/** The media join's bounds, when hit, and the RTCP it could not read, as diagnostics of the first input (or the one where it happened). */
function withMediaDiagnostics(summaries: readonly InputSummary[], media: MediaJoin | null): InputSummary[] {
  if (media === null || summaries.length === 0) return [...summaries];
  const c = media.counts;
  const found: Diagnostic[] = [];
  const first = summaries[0]!.path;
  if (c.streamsNotFollowed > 0) {
    const at = c.firstNotFollowed;
    found.push({ code: 'media.stream-limit', severity: 'warning', values: { max: media.maxStreams, count: c.streamsNotFollowed }, count: c.streamsNotFollowed, file: at?.file ?? first, ...(at === null ? {} : { frame: at.frame }) });
  }
  if (c.announcementsDropped > 0) {
    found.push({ code: 'media.announcement-limit', severity: 'warning', values: { max: media.maxAnnouncements, count: c.announcementsDropped }, count: c.announcementsDropped, file: first });
  }
  if (c.rtcpNotRead > 0) found.push({ code: 'media.rtcp-unreadable', severity: 'info', values: { count: c.rtcpNotRead }, count: c.rtcpNotRead, file: first });
  if (found.length === 0) return [...summaries];
  return summaries.map((s) => {
    const mine = found.filter((d) => d.file === s.path);
    return mine.length === 0 ? s : { ...s, diagnostics: [...s.diagnostics, ...mine] };
  });
}

/** How an input was cut short, from its diagnostics: a partial record at its end, or a read failed part-way; null when it simply ended. */
function cutOf(summary: InputSummary): 'partial-record' | 'read-failed' | null {
  if (!summary.readable) return null;
  if (summary.diagnostics.some((d) => d.code === 'capture.truncated-record')) return 'partial-record';
  if (summary.diagnostics.some((d) => (d.code === 'input.gzip-error' || d.code === 'input.unreadable') && 'bytesRead' in d.values)) return 'read-failed';
  return null;
}

/**
 * The calls still mid-dialog when the inputs ended (`calls`, handed over at the end): one
 * diagnostic per input that held any, with their count; input.cut-mid-call when the input was
 * cut short, and then the calls answered and not hung up in it are unresolved (`cutCalls`).
 */
function endedMidCall(calls: readonly Call[], summaries: readonly InputSummary[]): { summaries: InputSummary[]; cutCalls: ReadonlySet<Call> } {
  const cut = new Map(summaries.map((s) => [s.path, cutOf(s)]));
  const counts = new Map<string, { calls: number; unresolved: number }>();
  const cutCalls = new Set<Call>();
  for (const call of calls) {
    const state = openAtEnd(call);
    if (state === null) continue;
    const files = new Set(call.messages.map((m) => m.captured.file));
    const wasCut = [...files].some((f) => (cut.get(f) ?? null) !== null);
    if (wasCut && state === 'up') cutCalls.add(call);
    for (const file of files) {
      const c = counts.get(file) ?? { calls: 0, unresolved: 0 };
      c.calls++;
      if (wasCut && state === 'up' && (cut.get(file) ?? null) !== null) c.unresolved++;
      counts.set(file, c);
    }
  }
  if (counts.size === 0) return { summaries: [...summaries], cutCalls };
  // One diagnostic per input, on the first summary of its name (the same name given twice is read once).
  const done = new Set<string>();
  const result = summaries.map((s) => {
    const c = counts.get(s.path);
    if (c === undefined || done.has(s.path)) return s;
    done.add(s.path);
    const how = cut.get(s.path) ?? null;
    const input = { path: s.path };
    const d: Diagnostic =
      how === null
        ? { code: 'input.ended-mid-call', severity: DIAGNOSTICS['input.ended-mid-call'].severity, values: { input, calls: c.calls }, file: s.path }
        : { code: 'input.cut-mid-call', severity: DIAGNOSTICS['input.cut-mid-call'].severity, values: { input, calls: c.calls, unresolved: c.unresolved, cut: how }, file: s.path };
    return { ...s, diagnostics: [...s.diagnostics, d] };
  });
  return { summaries: result, cutCalls };
}

/** The correlator's table limits, when hit, as diagnostics of the input where it first happened. */
function withLimitDiagnostics(summaries: readonly InputSummary[], correlator: Correlator, patterns: PatternTracker, problems: ProblemCounts): InputSummary[] {
  const found: (Diagnostic & { code: DiagnosticCode })[] = [];
  const at = (m: CapturedMessage) => ({
    file: m.file,
    ...(m.frame === null ? {} : { frame: m.frame }),
    ...(m.line === null ? {} : { line: m.line }),
    offset: m.offset,
  });
  if (correlator.tableFull !== null) {
    const { count, first } = correlator.tableFull;
    found.push({
      code: 'analysis.open-calls-limit',
      severity: 'warning',
      values: { max: correlator.maxOpenCalls, count },
      count,
      ...at(first),
    });
  }
  if (correlator.callTooLong !== null) {
    const { count, first } = correlator.callTooLong;
    found.push({
      code: 'analysis.call-too-long',
      severity: 'warning',
      values: { max: correlator.maxMessagesPerCall, count },
      count,
      ...at(first),
    });
  }
  if (patterns.overflow !== null) {
    const { count, first } = patterns.overflow;
    found.push({ code: 'analysis.patterns-limit', severity: 'info', values: { max: patterns.maxOpen, count }, count, ...at(first) });
  }
  if (problems.overflow !== null) {
    const { count, first } = problems.overflow;
    found.push({ code: 'analysis.main-problems-limit', severity: 'info', values: { max: problems.maxSubjects, count }, count, ...at(first) });
  }
  if (found.length === 0) return [...summaries];
  return summaries.map((s) => {
    const mine = found.filter((d) => d.file === s.path);
    return mine.length === 0 ? s : { ...s, diagnostics: [...s.diagnostics, ...mine] };
  });
}
