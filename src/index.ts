/**
 * siplens as a library: `analyze(inputs)` reads captures, rebuilds calls, runs the rules
 * and returns everything as data. It never prints and never exits; the CLI (cli.ts)
 * decides what to show and the exit code.
 */
import { checkCall, internalErrorFinding, type RulesConfig } from './annotate/engine.js';
import { callFigures, callOutcome, type CallFigures, type CallOutcome, type Outcome } from './annotate/outcome.js';
import type { Finding } from './annotate/rules/types.js';
import type { Lang } from './annotate/i18n.js';
import { RULES } from './annotate/rules/index.js';
import { inviteFinalTime, linkLegs, type LegGroup, type LegLinkReason, type LegOptions } from './annotate/legs.js';
import { Correlator, type CorrelatorOptions } from './parse/dialog/correlate.js';
import type { Call } from './parse/dialog/types.js';
import { readInputsMerged } from './parse/merge.js';
import type { InputSpec } from './parse/pipeline.js';
import { parseDate } from './parse/text/time.js';
import { compareTime, fromMs, laterOf, toMs } from './time.js';
import type { DiagnosticCode } from './diagnostics.js';
import type { CapturedMessage, Diagnostic, InputSummary, Severity, Timestamp } from './types.js';

export type { InputSpec } from './parse/pipeline.js';
export type { CorrelatorOptions } from './parse/dialog/correlate.js';
export type * from './types.js';
export type * from './parse/sip/types.js';
export type * from './parse/dialog/types.js';
export type { Finding, Rule, RuleMeta } from './annotate/rules/types.js';
export type { CallFigures, CallOutcome, Outcome } from './annotate/outcome.js';
export type { RulesConfig, RuleSetting } from './annotate/engine.js';
export type { LegLinkReason, LegOptions } from './annotate/legs.js';
export { DIAGNOSTICS, type DiagnosticCode, type DiagnosticInfo } from './diagnostics.js';
export { parseSipMessage } from './parse/sip/parse.js';
export { RULES } from './annotate/rules/index.js';
export { LANGS, langFromEnv, type Lang } from './annotate/i18n.js';
export { RESPONSE_CODES, lookupResponseCode, compareResponseCodes } from './annotate/codes/index.js';

export interface AnalyzeOptions {
  /** Called for every SIP message as soon as it is read, in capture order per input. */
  readonly onMessage?: (message: CapturedMessage) => void;
  /**
   * A live capture (tcpdump on stdin): while no packet comes, capture time moves on with the
   * wall clock, so a call whose timers run out is reported even when the line goes quiet (a
   * call stuck on 100 Trying shows after Timer C, not at the next packet). Only while the
   * capture's clock matches the wall clock (within a minute). `clock` is for tests.
   */
  readonly live?: boolean | { readonly clock: () => number };
  /** Stops reading every input (a live capture ended with Ctrl-C): what was read is analysed as if the inputs ended there. */
  readonly signal?: AbortSignal;
  /** Called as input is read: the index of the input and its bytes read so far (after decompression). */
  readonly onBytes?: (input: number, bytes: number) => void;
  /** Rule severities ("off" disables) and options. */
  readonly rules?: RulesConfig;
  /**
   * For text logs that print times without a date: the date of the first message, `YYYY-MM-DD`
   * (otherwise the file's modification date is taken as the date of the last message).
   */
  readonly date?: string;
  /** Language of finding texts (default English). */
  readonly lang?: Lang;
  /** Linking the legs of one call (src/annotate/legs.ts); `false` turns it off. */
  readonly legs?: LegOptions | false;
  /** Bounds on the calls held open (defaults in src/parse/dialog/correlate.ts). */
  readonly limits?: CorrelatorOptions;
}

/** A link between two legs, by call number. `from` started first. */
export interface CallLegLink {
  readonly from: number;
  readonly to: number;
  readonly reason: LegLinkReason;
  /** Linked from numbers and time alone. */
  readonly guess: boolean;
  /** Time between the two calls' first messages, ms. */
  readonly gapMs: number;
}

/** This call is one leg of an end-to-end call through a B2BUA (PBX, SBC). */
export interface CallLeg {
  /** 1-based number of the end-to-end call (group of legs), in order of its first leg. */
  readonly group: number;
  /** The first leg to start is the inbound one (it reached the B2BUA); the others are outbound. */
  readonly role: 'inbound' | 'outbound';
  /** Every leg of the group by call number, in order of start (this call included). */
  readonly calls: readonly number[];
  /** Every link of the group. */
  readonly links: readonly CallLegLink[];
  /**
   * For an inbound leg that failed: the outbound leg whose failure came first, and its status
   * ("the outbound leg got 503, so the inbound leg got 480").
   */
  readonly cause: { readonly call: number; readonly status: number } | null;
}

export interface AnalyzedCall {
  /** 1-based, in order of the call's first message. */
  readonly number: number;
  readonly call: Call;
  readonly outcome: CallOutcome;
  readonly figures: CallFigures;
  readonly findings: readonly Finding[];
  /** The legs this call is linked to, or null when it stands alone. */
  readonly leg: CallLeg | null;
}

export interface AnalysisSummary {
  readonly calls: number;
  readonly messages: number;
  readonly retransmissions: number;
  readonly outcomes: Readonly<Partial<Record<Outcome, number>>>;
  readonly findings: Readonly<Record<Severity, number>>;
  readonly diagnostics: Readonly<Record<Severity, number>>;
}

export interface AnalysisResult {
  readonly inputs: readonly InputSummary[];
  /** Every SIP message, in capture order (inputs merged by time). */
  readonly messages: readonly CapturedMessage[];
  readonly calls: readonly AnalyzedCall[];
  readonly summary: AnalysisSummary;
}

/** Reads every input and returns the SIP messages found, with each input's summary. */
export async function readMessages(
  inputs: readonly InputSpec[],
  onMessage?: (message: CapturedMessage) => void,
  readOptions: { readonly date?: string } = {},
): Promise<{ inputs: InputSummary[]; messages: CapturedMessage[] }> {
  checkDateOption(readOptions.date);
  const messages: CapturedMessage[] = [];
  const summaries = await readInputsMerged(
    inputs,
    (m) => {
      messages.push(m);
      onMessage?.(m);
    },
    readOptions.date === undefined ? {} : { date: readOptions.date },
  );
  if (summaries.length === 1) sortByPosition(messages);
  return { inputs: summaries, messages };
}

function checkDateOption(date: string | undefined): void {
  if (date !== undefined && parseDate(date) === null) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
}

/**
 * One input is shown in capture order: by the frame that completed each message (a TCP stream
 * whose hole is filled late, or flushed at the end of the capture, can hand messages over out
 * of that order) or the line of a log. Several inputs are merged by time as they are read.
 * Array.prototype.sort is stable, so equal keys keep the order they were found in.
 */
function sortByPosition(messages: CapturedMessage[]): void {
  const position = (m: CapturedMessage): number => m.frame ?? m.line ?? 0;
  messages.sort((a, b) => position(a) - position(b));
}

function countBySeverity(items: readonly { severity: Severity }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const item of items) counts[item.severity]++;
  return counts;
}

export interface AnalyzeStreamOptions extends AnalyzeOptions {
  /**
   * Called with each batch of calls as soon as they are over (quiet in capture time for longer
   * than the RFC 3261 timers allow anything more; see src/parse/dialog/correlate.ts), and with
   * the rest when the inputs end. Numbers follow the order calls are handed over; a batch is in
   * order of first message. Once handed over, a call is forgotten.
   */
  readonly onCalls: (calls: readonly AnalyzedCall[]) => void;
  /**
   * Calls for which this returns false are dropped before the rules run: not handed over, not
   * counted (a report filtered by Call-ID, user, method, status, type or time needs no rules for
   * the rest), unless they are another leg of a call that is kept. Numbers stay those of the
   * whole analysis.
   */
  readonly select?: (call: Call) => boolean;
}

/** What analyzeStream returns once every input has been read: everything but the calls. */
export interface StreamedAnalysis {
  readonly inputs: readonly InputSummary[];
  readonly summary: AnalysisSummary;
  /** Most calls held open at once: what the memory of the analysis followed. */
  readonly peakOpenCalls: number;
}

/** A live capture quiet for this long (wall clock) moves capture time on; checked this often. */
const LIVE_IDLE_MS = 1000;
/** How far a capture's clock may be from the wall clock for it to count as live. */
const LIVE_CLOCK_SKEW_MS = 60_000;

/** Thrown through a reader to stop it when a callback failed (see analyzeStream). */
const STOP_READING = new Error('analysis stopped: a callback failed');

/** How often (capture time) finished calls are looked for and handed over; the legs of one call are linked within one batch. */
const HANDOVER_INTERVAL_MS = 10_000;

/**
 * The streaming analysis: reads the inputs once, hands every call over as soon as it is over,
 * and keeps only the calls still open, so memory follows the calls open at once, not the size
 * of the inputs. Tables are bounded (options.limits); hitting a bound is a diagnostic.
 */
export async function analyzeStream(inputs: readonly InputSpec[], options: AnalyzeStreamOptions): Promise<StreamedAnalysis> {
  checkDateOption(options.date);
  const correlator = new Correlator(options.limits ?? {});
  const lang = options.lang ?? 'en';
  let handedOver = 0;
  let callsKept = 0;
  const legGroups = { count: 0 };
  let messages = 0;
  let retransmissions = 0;
  const outcomes: Partial<Record<Outcome, number>> = {};
  const findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const handOver = (due: readonly Call[], endOf: (call: Call) => Timestamp): void => {
    // Every call and every end-to-end call (group of legs) gets its number, selected or not, so a
    // filtered report numbers them as the whole one does: legs are linked over the whole batch.
    const firstNumber = handedOver + 1;
    handedOver += due.length;
    let groups: readonly LegGroup[] = [];
    let legsError: { error: unknown } | null = null;
    if (options.legs !== false) {
      try {
        groups = linkLegs(due, options.legs ?? {});
      } catch (error) {
        legsError = { error };
      }
    }
    const firstGroup = legGroups.count + 1;
    legGroups.count += groups.length;
    const selected = options.select === undefined ? due.map((_, i) => i) : selectWithLegs(due, options.select, groups);
    if (selected.length === 0) return;
    // A bug met in one step of one call is an internal-error finding on that call; the others go on.
    const analyzed = selected.map((i): Omit<AnalyzedCall, 'leg'> => {
      const call = due[i]!;
      const number = firstNumber + i;
      const found = checkCall(call, endOf(call), options.rules, RULES, lang);
      let outcome: CallOutcome = { outcome: 'unknown', status: null };
      let figures: CallFigures = { postDialDelayMs: null, setupMs: null, talkMs: null, hungUpBy: null };
      try {
        outcome = callOutcome(call, found);
        figures = callFigures(call);
      } catch (err) {
        found.push(internalErrorFinding(call, 'outcome', err, lang));
      }
      return { number, call, outcome, figures, findings: found };
    });
    let batch: AnalyzedCall[];
    try {
      batch = withLegs(analyzed, selected, groups, firstGroup);
    } catch (error) {
      batch = analyzed.map((c) => ({ ...c, leg: null }));
      legsError = { error };
    }
    if (legsError !== null && batch[0] !== undefined) (batch[0].findings as Finding[]).push(internalErrorFinding(batch[0].call, 'legs', legsError.error, lang));
    callsKept += batch.length;
    for (const c of batch) {
      outcomes[c.outcome.outcome] = (outcomes[c.outcome.outcome] ?? 0) + 1;
      for (const f of c.findings) findings[f.severity]++;
      for (const m of c.call.messages) if (m.retransmission) retransmissions++;
    }
    options.onCalls(batch);
  };

  let latest: Timestamp | null = null;
  let latestMs = -Infinity;
  let nextHandoverMs = -Infinity;
  // What the caller's callbacks throw is theirs, not a read error of the input: reading stops
  // and it is thrown again once the readers are done.
  let thrown: { error: unknown } | null = null;
  const clock = typeof options.live === 'object' ? options.live.clock : Date.now;
  let lastArrival = clock();
  const liveTimer =
    options.live === undefined || options.live === false
      ? null
      : setInterval(() => {
          // Between chunks (never inside a message's processing): a live capture gone quiet moves on with the wall clock.
          if (thrown !== null || latest === null) return;
          const idle = clock() - lastArrival;
          if (idle < LIVE_IDLE_MS || Math.abs(lastArrival - latestMs) > LIVE_CLOCK_SKEW_MS) return;
          const nowMs = latestMs + idle;
          const now = fromMs(nowMs);
          try {
            handOver(correlator.takeDue(nowMs), () => now);
          } catch (error) {
            thrown = { error };
          }
        }, LIVE_IDLE_MS);
  liveTimer?.unref();
  const reading = readInputsMerged(
    inputs,
    (m) => {
      if (thrown !== null) throw STOP_READING;
      try {
        step(m);
      } catch (error) {
        thrown = { error };
        throw STOP_READING;
      }
    },
    {
      ...(options.date === undefined ? {} : { date: options.date }),
      ...(options.onBytes === undefined ? {} : { onBytes: options.onBytes }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
  // Several inputs: the merger calls back outside any reader, so the stop comes out of it.
  const summaries = await reading
    .catch((err: unknown) => {
      if (thrown === null) throw err;
      return [];
    })
    .finally(() => {
      if (liveTimer !== null) clearInterval(liveTimer);
    });
  if (thrown !== null) throw (thrown as { error: unknown }).error;
  function step(m: CapturedMessage): void {
    messages++;
    if (liveTimer !== null) lastArrival = clock();
    options.onMessage?.(m);
    correlator.add(m);
    const ms = toMs(m.time);
    if (ms > latestMs) {
      latestMs = ms;
      latest = m.time;
    }
    // Calls closed early by a table limit go at once, so the table stays within its bound.
    if (latestMs >= nextHandoverMs || correlator.closedEarlyWaiting) {
      if (latestMs >= nextHandoverMs) nextHandoverMs = latestMs + HANDOVER_INTERVAL_MS;
      // Nothing happened in a call handed over now until the latest time seen.
      const now = latest!;
      handOver(correlator.takeDue(latestMs), () => now);
    }
  }
  // The rest: "nothing happened until here" is the latest frame of any input that holds the call.
  const lastTimeOf = new Map(summaries.map((s) => [s.path, s.lastTime]));
  handOver(correlator.takeAll(), (call) => {
    let end: Timestamp = call.end;
    for (const m of call.messages) {
      const last = lastTimeOf.get(m.captured.file);
      if (last) end = laterOf(end, last);
    }
    return end;
  });
  const withLimits = withLimitDiagnostics(summaries, correlator);
  return {
    inputs: withLimits,
    peakOpenCalls: correlator.peakOpenCalls,
    summary: {
      calls: callsKept,
      messages,
      retransmissions,
      outcomes,
      findings,
      diagnostics: countBySeverity(withLimits.flatMap((s) => s.diagnostics)),
    },
  };
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

/** The correlator's table limits, when hit, as diagnostics of the input where it first happened. */
function withLimitDiagnostics(summaries: readonly InputSummary[], correlator: Correlator): InputSummary[] {
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
      message: `more than ${correlator.maxOpenCalls} calls were open at once; ${count} of them ${count === 1 ? 'was' : 'were'} reported before they were over (the least recently active first), so a later message of such a call starts a new entry with the same Call-ID. Raise the limit with --max-open-calls if memory allows.`,
      count,
      ...at(first),
    });
  }
  if (correlator.callTooLong !== null) {
    const { count, first } = correlator.callTooLong;
    found.push({
      code: 'analysis.call-too-long',
      severity: 'warning',
      message: `a call reached ${correlator.maxMessagesPerCall} messages and was reported there; its later messages are a new entry with the same Call-ID (${count} time${count === 1 ? '' : 's'}).`,
      count,
      ...at(first),
    });
  }
  if (found.length === 0) return [...summaries];
  return summaries.map((s) => {
    const mine = found.filter((d) => d.file === s.path);
    return mine.length === 0 ? s : { ...s, diagnostics: [...s.diagnostics, ...mine] };
  });
}

/**
 * Everything at once: every call and every message in memory, for a library user who wants
 * the whole picture as data. The CLI streams (analyzeStream) where the output format allows.
 */
export async function analyze(inputs: readonly InputSpec[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const calls: AnalyzedCall[] = [];
  const messages: CapturedMessage[] = [];
  const streamed = await analyzeStream(inputs, {
    ...options,
    onMessage: (m) => {
      messages.push(m);
      options.onMessage?.(m);
    },
    onCalls: (batch) => {
      for (const c of batch) calls.push(c);
    },
  });
  if (streamed.inputs.length === 1) sortByPosition(messages);
  return { inputs: streamed.inputs, messages, calls, summary: streamed.summary };
}

/**
 * Attaches the leg groups (src/annotate/legs.ts, linked over the whole batch, numbered from
 * `firstGroup`) to the analysed calls, which sit at `positions` of the batch, and notes why a
 * failed inbound leg failed. A group none of whose calls was analysed keeps its number unused.
 */
function withLegs(calls: readonly Omit<AnalyzedCall, 'leg'>[], positions: readonly number[], groups: readonly LegGroup[], firstGroup: number): AnalyzedCall[] {
  const analyzedAt = new Map(positions.map((position, i) => [position, i]));
  const legs = new Map<number, CallLeg>();
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
    members.forEach((i, k) => legs.set(i!, { group: firstGroup + g, role: k === 0 ? 'inbound' : 'outbound', calls: numbers, links, cause: k === 0 ? cause : null }));
  });
  return calls.map((c, i) => ({ ...c, leg: legs.get(i) ?? null }));
}
