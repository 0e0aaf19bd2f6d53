/**
 * Runs the rules over each call and turns their reports into findings: data (rule, message id,
 * values, evidence), never sentences; src/present/findings.ts makes those when a report is shown.
 */
import type { Call } from '../parse/dialog/types.js';
import type { CallMedia } from '../parse/media/types.js';
import type { CallIcmpError } from '../parse/icmp-calls.js';
import { lessSevere } from '../severity.js';
import type { Severity, Timestamp } from '../types.js';
import { releaseCallFacts } from './facts.js';
import { RULES, type AnyRule } from './rules/index.js';
import type { SourceProfiles } from './sources.js';
import type { RelatedCalls } from './transfers.js';
import type { Finding, OptionValue, Report, RuleContext } from './rules/types.js';

export interface RuleSetting {
  /** A severity, or "off" to disable the rule. */
  readonly severity?: Severity | 'off';
  readonly options?: Readonly<Record<string, OptionValue>>;
}

export type RulesConfig = Readonly<Record<string, RuleSetting>>;

/** A rule's options: its defaults with the configured values over them. Computed once per rule and configuration. */
function optionsFor(rule: AnyRule, setting: RuleSetting | undefined): Record<string, OptionValue> {
  const cache = OPTIONS_CACHE.get(rule);
  const key = setting ?? NO_SETTING;
  const hit = cache?.get(key);
  if (hit !== undefined) return hit;
  const options: Record<string, OptionValue> = {};
  for (const [name, meta] of Object.entries(rule.meta.options as Record<string, { default: OptionValue }>)) options[name] = meta.default;
  const merged = Object.freeze({ ...options, ...(setting?.options ?? {}) });
  if (cache === undefined) OPTIONS_CACHE.set(rule, new WeakMap([[key, merged]]));
  else cache.set(key, merged);
  return merged;
}

const NO_SETTING: RuleSetting = {};
const OPTIONS_CACHE = new WeakMap<AnyRule, WeakMap<RuleSetting, Record<string, OptionValue>>>();


/** The message id of a finding that reports a siplens bug (no rule uses it: server-error's 500 is `internal-error`). */
export const SIPLENS_BUG = 'siplens-bug';

/**
 * A siplens bug met while analysing a call (a rule, or the step named `step`, threw): shown
 * as an error finding on the call, so the call and the rest of the analysis go on.
 */
export function internalErrorFinding(call: Call, step: string, err: unknown): Finding {
  const error = String((err as Error)?.message ?? err);
  const first = call.messages[0]?.captured;
  return {
    rule: step,
    severity: 'error',
    messageId: SIPLENS_BUG,
    data: { error },
    messages: [0],
    anchor: 0,
    frames: first?.frame == null ? [] : [first.frame],
    lines: first?.line == null ? [] : [first.line],
    time: call.start,
  };
}

/** What the engine runs for one rule list and configuration: each rule on, with its options and severity. Computed once per pair. */
interface PlannedRule {
  readonly rule: AnyRule;
  readonly options: Record<string, OptionValue>;
  readonly configured: Severity;
}

interface Plan {
  readonly rules: readonly PlannedRule[];
  /** Ids of the rules whose meta says `supersedes`. */
  readonly superseding: ReadonlySet<string>;
  readonly gates: Gates;
}

/** Status codes a response can carry as the gates index them (three digits); a const enum, read per response (docs/decisions.md "Offsets read per packet as const enums"). */
const enum Status {
  CODES = 1000,
}

/**
 * The planned rules' needs (Rule.needs) turned around: which rules each status code, method,
 * header bit and kind of media lets run. A call is read once (its messages' codes and header
 * bits, its transactions' methods, whether it has streams or ICMP errors) and each rule with needs
 * runs only if something it needs was met: the rules whose call holds none of theirs cost no call
 * at all (on a SIP-only capture, the rules about media streams).
 */
class Gates {
  private readonly byStatus: (number[] | undefined)[] = new Array<number[] | undefined>(Status.CODES).fill(undefined);
  private readonly byMethod = new Map<string, number[]>();
  private readonly byHeaders: { readonly bits: number; readonly rule: number }[] = [];
  private readonly byRetransmission: number[] = [];
  private readonly byStreams: number[] = [];
  private readonly byRtp: number[] = [];
  private readonly byIcmp: number[] = [];
  /** Per planned rule: whether it has needs. */
  private readonly gated: boolean[];
  /**
   * Per planned rule, and per status code: the number of the last call that let it run, or that
   * met the code. A call number per check, so nothing is cleared between calls.
   */
  private readonly letRun: Int32Array;
  private readonly statusMet = new Int32Array(Status.CODES);
  private callNumber = 0;

  constructor(rules: readonly PlannedRule[]) {
    this.gated = rules.map((p) => p.rule.needs !== undefined);
    this.letRun = new Int32Array(rules.length);
    rules.forEach(({ rule }, index) => {
      const needs = rule.needs;
      if (needs === undefined) return;
      for (const s of needs.statuses ?? []) {
        const [low, high] = typeof s === 'number' ? [s, s] : s;
        for (let code = low; code <= high; code++) (this.byStatus[code] ??= []).push(index);
      }
      for (const method of needs.methods ?? []) {
        const list = this.byMethod.get(method);
        if (list === undefined) this.byMethod.set(method, [index]);
        else list.push(index);
      }
      if (needs.headers !== undefined) this.byHeaders.push({ bits: needs.headers, rule: index });
      if (needs.retransmitted === true) this.byRetransmission.push(index);
      if (needs.media === 'streams') this.byStreams.push(index);
      if (needs.media === 'rtp') this.byRtp.push(index);
      if (needs.icmp === true) this.byIcmp.push(index);
    });
  }

  /** Reads a call's codes, methods, header bits, retransmissions, media and ICMP errors; then `mayRun` answers for it. */
  open(call: Call, media: CallMedia | null, icmp: readonly CallIcmpError[]): void {
    if (this.callNumber === 0x7fffffff) {
      this.callNumber = 0;
      this.letRun.fill(0);
      this.statusMet.fill(0);
    }
    const n = ++this.callNumber;
    const letRun = this.letRun;
    let headers = 0;
    let retransmitted = false;
    // Index loops, not for-of: run once per call, this function ran partly unoptimised, and each
    // step of a for-of there allocated an iterator result (2 MB on the SIP-heavy benchmark).
    const messages = call.messages;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const msg = m.captured.message;
      headers |= msg.headerBits;
      if (m.retransmission) retransmitted = true;
      const status = msg.status;
      if (status === null || status < 0 || status >= Status.CODES || this.statusMet[status] === n) continue;
      this.statusMet[status] = n;
      const rules = this.byStatus[status];
      if (rules !== undefined) letAll(letRun, rules, n);
    }
    if (this.byMethod.size > 0) {
      const transactions = call.transactions;
      for (let i = 0; i < transactions.length; i++) {
        const rules = this.byMethod.get(transactions[i]!.method);
        if (rules !== undefined) letAll(letRun, rules, n);
      }
    }
    const byHeaders = this.byHeaders;
    for (let i = 0; i < byHeaders.length; i++) if ((headers & byHeaders[i]!.bits) !== 0) letRun[byHeaders[i]!.rule] = n;
    if (retransmitted) letAll(letRun, this.byRetransmission, n);
    if (media !== null) {
      if (media.streams.length > 0) letAll(letRun, this.byStreams, n);
      if (media.mediaCaptured) letAll(letRun, this.byRtp, n);
    }
    if (icmp.length > 0) letAll(letRun, this.byIcmp, n);
  }

  /** Whether the planned rule at `index` may report on the call last opened. */
  mayRun(index: number): boolean {
    return !this.gated[index]! || this.letRun[index] === this.callNumber;
  }
}

const NO_CONFIG: RulesConfig = {};
const PLANS = new WeakMap<readonly AnyRule[], WeakMap<RulesConfig, Plan>>();

/** Marks each rule of `rules` as let run for call `n` (Gates.open). */
function letAll(letRun: Int32Array, rules: readonly number[], n: number): void {
  for (let i = 0; i < rules.length; i++) letRun[rules[i]!] = n;
}

function planFor(rules: readonly AnyRule[], config: RulesConfig): Plan {
  const cache = PLANS.get(rules);
  const hit = cache?.get(config);
  if (hit !== undefined) return hit;
  const planned: PlannedRule[] = [];
  for (const rule of rules) {
    const setting = config[rule.meta.id];
    if (setting?.severity === 'off') continue;
    planned.push({ rule, options: optionsFor(rule, setting), configured: setting?.severity ?? rule.meta.severity });
  }
  const plan: Plan = { rules: planned, superseding: new Set(rules.filter((r) => r.meta.supersedes === true).map((r) => r.meta.id)), gates: new Gates(planned) };
  if (cache === undefined) PLANS.set(rules, new WeakMap([[config, plan]]));
  else cache.set(config, plan);
  return plan;
}

/**
 * The context every rule of one call is given: one object per call, whose options and report
 * follow the rule being run (a context and a report closure per rule and call were a tenth of
 * the rules' time, BENCHMARKS.md session 7).
 */
class CallChecks implements RuleContext<Record<string, OptionValue>> {
  readonly findings: Finding[] = [];
  /** Whether a superseding rule reported on the call only quietly (a scanner's later probes). */
  supersededQuietly = false;
  options: Record<string, OptionValue> = {};
  private current: PlannedRule | null = null;

  constructor(
    private readonly call: Call,
    readonly captureEnd: Timestamp,
    readonly media: CallMedia | null,
    readonly icmp: readonly CallIcmpError[],
    readonly sources: SourceProfiles | null,
    readonly related: RelatedCalls | null,
  ) {}

  run(planned: PlannedRule): void {
    this.current = planned;
    this.options = planned.options;
    try {
      planned.rule.check(this.call, this);
    } catch (err) {
      // A rule that throws is a siplens bug: the call keeps its other findings and the failure is shown, never swallowed.
      this.findings.push(internalErrorFinding(this.call, planned.rule.meta.id, err));
    }
  }

  /** An arrow, so a rule may hand it on as a function. */
  readonly report = (r: Report): void => {
    const { rule, configured } = this.current!;
    if (r.quiet === true) {
      if (rule.meta.supersedes === true) this.supersededQuietly = true;
      return;
    }
    const call = this.call;
    const evidence = r.messages.length > 0 ? r.messages : [0];
    const anchor = r.anchor ?? evidence[evidence.length - 1]!;
    // A report that lowers its own severity (incomplete evidence), or whose message id the rule's
    // table puts lower (RuleMeta.messageSeverity), stays lower than the configured level.
    const own = r.severity ?? rule.meta.messageSeverity?.[r.messageId];
    const severity = own === undefined ? configured : lessSevere(own, configured);
    const frames: number[] = [];
    const lines: number[] = [];
    for (const i of evidence) {
      const c = call.messages[i]!.captured;
      if (c.frame != null) frames.push(c.frame);
      if (c.line != null) lines.push(c.line);
    }
    if (r.packets !== undefined) {
      frames.push(...r.packets);
      frames.sort((a, b) => a - b);
    }
    this.findings.push({
      rule: rule.meta.id,
      severity,
      messageId: r.messageId,
      data: r.data,
      messages: evidence,
      anchor,
      frames,
      lines,
      time: call.messages[anchor]!.captured.time,
    });
  };
}

/**
 * Findings for one call, in the order of the messages they are shown beside. When a rule whose
 * meta says `supersedes` reports on the call (a scanner's probe), only its findings (and any
 * siplens bug) are kept: the other rules' advice is for a phone or a trunk.
 */
export function checkCall(
  call: Call,
  captureEnd: Timestamp,
  config: RulesConfig = NO_CONFIG,
  rules: readonly AnyRule[] = RULES,
  media: CallMedia | null = null,
  sources: SourceProfiles | null = null,
  icmp: readonly CallIcmpError[] = [],
  related: RelatedCalls | null = null,
): Finding[] {
  const plan = planFor(rules, config);
  const checks = new CallChecks(call, captureEnd, media, icmp, sources, related);
  const gates = plan.gates;
  gates.open(call, media, icmp);
  const planned = plan.rules;
  for (let i = 0; i < planned.length; i++) if (gates.mayRun(i)) checks.run(planned[i]!);
  releaseCallFacts();
  const findings = checks.findings;
  // Most calls have no finding: nothing to keep or sort.
  if (findings.length === 0 && !checks.supersededQuietly) return findings;
  const superseding = plan.superseding;
  const superseded = checks.supersededQuietly || findings.some((f) => superseding.has(f.rule) && f.messageId !== SIPLENS_BUG);
  const kept = superseded ? findings.filter((f) => superseding.has(f.rule) || f.messageId === SIPLENS_BUG) : findings;
  return kept.sort(byAnchor);
}

const byAnchor = (a: Finding, b: Finding): number => a.anchor - b.anchor;
