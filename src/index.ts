/**
 * siplens as a library: `analyze(inputs)` reads captures, rebuilds calls, runs the rules
 * and returns everything as data. It never prints and never exits; the CLI (cli.ts)
 * decides what to show and the exit code.
 */
import { checkCall, type RulesConfig } from './annotate/engine.js';
import { callFigures, callOutcome, type CallFigures, type CallOutcome, type Outcome } from './annotate/outcome.js';
import type { Finding } from './annotate/rules/types.js';
import type { Lang } from './annotate/i18n.js';
import { RULES } from './annotate/rules/index.js';
import { inviteFinalTime, linkLegs, type LegLinkReason, type LegOptions } from './annotate/legs.js';
import { Correlator } from './parse/dialog/correlate.js';
import type { Call } from './parse/dialog/types.js';
import { readInput, type InputSpec } from './parse/pipeline.js';
import { parseDate } from './parse/text/time.js';
import { compareTime, laterOf } from './time.js';
import type { CapturedMessage, InputSummary, Severity, Timestamp } from './types.js';

export type { InputSpec } from './parse/pipeline.js';
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
  if (readOptions.date !== undefined && parseDate(readOptions.date) === null) throw new RangeError(`date must be YYYY-MM-DD, got "${readOptions.date}"`);
  const messages: CapturedMessage[] = [];
  const summaries: InputSummary[] = [];
  for (const input of inputs) {
    summaries.push(
      await readInput(input, {
        onMessage: (m) => {
          messages.push(m);
          onMessage?.(m);
        },
        ...(readOptions.date === undefined ? {} : { date: readOptions.date }),
      }),
    );
  }
  // One input is shown in capture order: by the frame that completed each message (a TCP stream
  // whose hole is filled late, or flushed at the end of the capture, can hand messages over out
  // of that order) or the line of a log. Several inputs (capture points) interleave by time.
  // Array.prototype.sort is stable, so equal keys keep the order they were found in.
  const position = (m: CapturedMessage): number => m.frame ?? m.line ?? 0;
  if (summaries.length > 1) messages.sort((a, b) => compareTime(a.time, b.time));
  else messages.sort((a, b) => position(a) - position(b));
  return { inputs: summaries, messages };
}

function countBySeverity(items: readonly { severity: Severity }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const item of items) counts[item.severity]++;
  return counts;
}

export async function analyze(inputs: readonly InputSpec[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const { inputs: summaries, messages } = await readMessages(inputs, options.onMessage, options.date === undefined ? {} : { date: options.date });
  const correlator = new Correlator();
  for (const m of messages) correlator.add(m);
  const lastTimeOf = new Map(summaries.map((s) => [s.path, s.lastTime]));
  const finished = correlator.finish();
  const calls = finished.map((call, i): Omit<AnalyzedCall, 'leg'> => {
    // "Nothing happened until here": the latest frame of any input that holds this call.
    let captureEnd: Timestamp = call.end;
    for (const m of call.messages) {
      const last = lastTimeOf.get(m.captured.file);
      if (last) captureEnd = laterOf(captureEnd, last);
    }
    const findings = checkCall(call, captureEnd, options.rules, RULES, options.lang ?? 'en');
    return { number: i + 1, call, outcome: callOutcome(call, findings), figures: callFigures(call), findings };
  });
  const analyzed = withLegs(calls, options.legs);
  const outcomes: Partial<Record<Outcome, number>> = {};
  for (const c of analyzed) outcomes[c.outcome.outcome] = (outcomes[c.outcome.outcome] ?? 0) + 1;
  const summary: AnalysisSummary = {
    calls: calls.length,
    messages: messages.length,
    retransmissions: calls.reduce((n, c) => n + c.call.messages.filter((m) => m.retransmission).length, 0),
    outcomes,
    findings: countBySeverity(calls.flatMap((c) => c.findings)),
    diagnostics: countBySeverity(summaries.flatMap((s) => s.diagnostics)),
  };
  return { inputs: summaries, messages, calls: analyzed, summary };
}

/** Links the legs of one call (src/annotate/legs.ts) and notes why a failed inbound leg failed. */
function withLegs(calls: readonly Omit<AnalyzedCall, 'leg'>[], options: LegOptions | false | undefined): AnalyzedCall[] {
  const legs = new Map<number, CallLeg>();
  if (options !== false) {
    linkLegs(
      calls.map((c) => c.call),
      options ?? {},
    ).forEach((group, g) => {
      const numbers = group.calls.map((i) => calls[i]!.number);
      const links = group.links.map((l) => ({ from: calls[l.a]!.number, to: calls[l.b]!.number, reason: l.reason, guess: l.guess, gapMs: Math.round(l.gapMs * 1000) / 1000 }));
      const inbound = calls[group.calls[0]!]!;
      let cause: CallLeg['cause'] = null;
      const inboundStatus = inbound.outcome.status;
      const inboundFinal = inviteFinalTime(inbound.call);
      if (inboundStatus !== null && inboundStatus >= 300 && inbound.outcome.outcome !== 'cancelled' && inboundFinal !== null) {
        for (const i of group.calls.slice(1)) {
          const out = calls[i]!;
          const status = out.outcome.status;
          const at = inviteFinalTime(out.call);
          if (status === null || status < 300 || at === null || compareTime(at, inboundFinal) > 0) continue;
          cause = { call: out.number, status };
        }
      }
      group.calls.forEach((i, k) => legs.set(i, { group: g + 1, role: k === 0 ? 'inbound' : 'outbound', calls: numbers, links, cause: k === 0 ? cause : null }));
    });
  }
  return calls.map((c, i) => ({ ...c, leg: legs.get(i) ?? null }));
}
