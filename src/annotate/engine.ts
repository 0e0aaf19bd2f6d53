/**
 * Runs the rules over each call and turns their reports into findings: data (rule, message id,
 * values, evidence), never sentences; src/present/findings.ts makes those when a report is shown.
 */
import type { Call } from '../parse/dialog/types.js';
import type { CallMedia } from '../parse/media/types.js';
import type { CallIcmpError } from '../parse/icmp-calls.js';
import { lessSevere } from '../severity.js';
import type { Severity, Timestamp } from '../types.js';
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
}

const NO_CONFIG: RulesConfig = {};
const PLANS = new WeakMap<readonly AnyRule[], WeakMap<RulesConfig, Plan>>();

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
  const plan: Plan = { rules: planned, superseding: new Set(rules.filter((r) => r.meta.supersedes === true).map((r) => r.meta.id)) };
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
  /** Superseding rules that reported on the call only quietly (a scanner's later probes). */
  readonly quietly = new Set<string>();
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
      this.quietly.add(rule.meta.id);
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
  for (const planned of plan.rules) checks.run(planned);
  const { findings, quietly } = checks;
  const superseding = plan.superseding;
  const superseded = [...quietly].some((id) => superseding.has(id)) || findings.some((f) => superseding.has(f.rule) && f.messageId !== SIPLENS_BUG);
  const kept = superseded ? findings.filter((f) => superseding.has(f.rule) || f.messageId === SIPLENS_BUG) : findings;
  return kept.sort((a, b) => a.anchor - b.anchor);
}
