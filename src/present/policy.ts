/**
 * Policies for `siplens check`: a YAML file that configures the rules (severity, options,
 * off), allows or forbids rules, and asserts figures over the calls (how many, the share
 * answered, post-dial delay and setup time percentiles, no final response above a code,
 * every INVITE answered within a time). Reading a policy reports every problem in it at
 * once; evaluating it returns one check per assertion, each with what was measured and
 * the evidence (calls and frames) when it fails. Pure; docs/policy.md is the reference.
 */
import { parse as parseYaml } from 'yaml';
import { atLeast, isSeverity } from '../severity.js';
import type { Severity } from '../types.js';
import { diffMs } from '../time.js';
import type { RulesConfig, RuleSetting } from '../annotate/engine.js';
import { messageRef } from './values.js';
import { RULES_BY_ID } from '../annotate/rules/index.js';
import type { OptionValue } from '../annotate/rules/types.js';
import { percentile, type Statistics } from './stats.js';
import type { Timeline, TimelineCall, TimelineMessage } from './timeline.js';
import type { ShownFinding } from './findings.js';
import type { Lang } from '../annotate/i18n.js';
import { COMMON, POLICY, STATS } from './catalog.js';

export type FailOn = Severity | 'never';

export interface Range {
  readonly min?: number;
  readonly max?: number;
}

/** Upper bounds (ms) on percentiles of a distribution: p50, p95, p99, max... */
export type PercentileLimits = Readonly<Record<string, number>>;

export interface Policy {
  readonly rules: RulesConfig;
  readonly allow: readonly string[];
  readonly forbid: readonly string[];
  readonly failOn: FailOn;
  readonly expect: {
    readonly calls?: Range;
    /** Share (0..1) of INVITE calls answered. */
    readonly answered?: Range;
    readonly postDialDelay?: PercentileLimits;
    readonly setupTime?: PercentileLimits;
    /** No final response (≥ 200) with a status above this. */
    readonly maxFinalStatus?: number;
    /** Every INVITE gets a final response within this many ms. */
    readonly inviteAnsweredWithinMs?: number;
  };
}

export interface CheckResult {
  /** Stable id: "findings", "forbid:<rule>", "calls", "answered", "post-dial-delay.p95", ... */
  readonly id: string;
  /** What is required, in one line. */
  readonly expected: string;
  /** What was measured. */
  readonly actual: string;
  readonly passed: boolean;
  /** Evidence for a failure: one line per call or frame (at most MAX_DETAILS). */
  readonly details: readonly string[];
  /** Evidence lines left out past MAX_DETAILS. */
  readonly detailsOmitted?: number;
}

export class PolicyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`}`);
  }
}

const TOP_KEYS = ['rules', 'allow', 'forbid', 'fail-on', 'expect'];
const EXPECT_KEYS = ['calls', 'answered', 'post-dial-delay', 'setup-time', 'max-final-status', 'invite-answered-within'];

/** "800ms", "2s", "1.5 s", "1m", or a number of milliseconds. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
}

/** 0.95, "95%", "95 %": a share between 0 and 1. */
export function parseShare(value: unknown): number | null {
  if (typeof value === 'number') return value >= 0 && value <= 1 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  if (!m) return null;
  const n = Number(m[1]) / 100;
  return n <= 1 ? n : null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

class Reader {
  readonly problems: string[] = [];
  problem(where: string, message: string): void {
    this.problems.push(`${where}: ${message}`);
  }

  unknownKeys(where: string, value: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(value)) if (!known.includes(key)) this.problem(where, `unknown key "${key}" (expected one of ${known.join(', ')})`);
  }

  ruleIds(where: string, value: unknown): string[] {
    if (value === undefined || value === null) return [];
    const ids = Array.isArray(value) ? value : [value];
    const out: string[] = [];
    for (const id of ids) {
      if (typeof id !== 'string' || !RULES_BY_ID.has(id)) this.problem(where, `unknown rule ${JSON.stringify(id)} (see "siplens rules")`);
      else out.push(id);
    }
    return out;
  }

  rules(value: unknown): RulesConfig {
    if (value === undefined || value === null) return {};
    if (!isRecord(value)) {
      this.problem('rules', 'must map rule ids to a severity ("error", "warning", "info", "off") or to { severity, options }');
      return {};
    }
    const config: Record<string, RuleSetting> = {};
    for (const [id, setting] of Object.entries(value)) {
      const rule = RULES_BY_ID.get(id);
      const where = `rules.${id}`;
      if (rule === undefined) {
        this.problem('rules', `unknown rule "${id}" (see "siplens rules")`);
        continue;
      }
      const severityOf = (s: unknown): Severity | 'off' | undefined => {
        if (s === 'off' || s === false) return 'off';
        if (isSeverity(s)) return s;
        this.problem(where, `severity must be error, warning, info or off, not ${JSON.stringify(s)}`);
        return undefined;
      };
      if (!isRecord(setting)) {
        const severity = severityOf(setting);
        if (severity !== undefined) config[id] = { severity };
        continue;
      }
      this.unknownKeys(where, setting, ['severity', 'options']);
      const severity = setting.severity === undefined ? undefined : severityOf(setting.severity);
      const options: Record<string, OptionValue> = {};
      if (setting.options !== undefined) {
        if (!isRecord(setting.options)) this.problem(`${where}.options`, 'must be a mapping of option names to values');
        else {
          const known = rule.meta.options as Record<string, { default: OptionValue }>;
          for (const [name, v] of Object.entries(setting.options)) {
            if (!(name in known)) {
              const names = Object.keys(known);
              this.problem(`${where}.options`, `unknown option "${name}" (${names.length ? `options: ${names.join(', ')}` : 'the rule has no options'})`);
            } else if (typeof v !== typeof known[name]!.default) {
              this.problem(`${where}.options.${name}`, `must be a ${typeof known[name]!.default}, not ${JSON.stringify(v)}`);
            } else options[name] = v as OptionValue;
          }
        }
      }
      config[id] = { ...(severity === undefined ? {} : { severity }), ...(Object.keys(options).length ? { options } : {}) };
    }
    return config;
  }

  range(where: string, value: unknown, parse: (v: unknown) => number | null, what: string): Range | undefined {
    const single = parse(value);
    if (single !== null) return { min: single, max: single };
    if (!isRecord(value)) {
      this.problem(where, `must be ${what} or { min, max }`);
      return undefined;
    }
    this.unknownKeys(where, value, ['min', 'max']);
    const range: { min?: number; max?: number } = {};
    for (const key of ['min', 'max'] as const) {
      if (value[key] === undefined) continue;
      const v = parse(value[key]);
      if (v === null) this.problem(`${where}.${key}`, `must be ${what}, not ${JSON.stringify(value[key])}`);
      else range[key] = v;
    }
    if (range.min === undefined && range.max === undefined) this.problem(where, 'needs min or max');
    return range;
  }

  percentiles(where: string, value: unknown): PercentileLimits | undefined {
    if (!isRecord(value)) {
      this.problem(where, 'must map percentiles to a maximum duration, e.g. { p95: 3s, median: 1s, max: 10s }');
      return undefined;
    }
    const limits: Record<string, number> = {};
    for (const [key, v] of Object.entries(value)) {
      const p = key === 'median' ? 50 : key === 'max' ? 100 : /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(key)?.[1];
      if (p === undefined || Number(p) <= 0 || Number(p) > 100) {
        this.problem(where, `unknown key "${key}" (use p50, p95, p99, median or max)`);
        continue;
      }
      const ms = parseDuration(v);
      if (ms === null) this.problem(`${where}.${key}`, `must be a duration such as 800ms or 3s, not ${JSON.stringify(v)}`);
      else limits[key] = ms;
    }
    return limits;
  }
}

/** Reads a policy (YAML or JSON text); throws PolicyError listing every problem found. */
export function parsePolicy(text: string, source = 'policy'): Policy {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new PolicyError(source, [`not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`]);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isRecord(doc)) throw new PolicyError(source, ['must be a mapping with rules, allow, forbid, fail-on and expect']);
  const r = new Reader();
  r.unknownKeys('policy', doc, TOP_KEYS);
  const rules = r.rules(doc.rules);
  const allow = r.ruleIds('allow', doc.allow);
  const forbid = r.ruleIds('forbid', doc.forbid);
  for (const id of allow.filter((a) => forbid.includes(a))) r.problem('allow', `"${id}" is both allowed and forbidden`);
  let failOn: FailOn = 'error';
  if (doc['fail-on'] !== undefined) {
    if (['error', 'warning', 'info', 'never'].includes(doc['fail-on'] as string)) failOn = doc['fail-on'] as FailOn;
    else r.problem('fail-on', `must be error, warning, info or never, not ${JSON.stringify(doc['fail-on'])}`);
  }
  const expect: { -readonly [K in keyof Policy['expect']]: Policy['expect'][K] } = {};
  if (doc.expect !== undefined && doc.expect !== null) {
    if (!isRecord(doc.expect)) r.problem('expect', 'must be a mapping of assertions');
    else {
      const e = doc.expect;
      r.unknownKeys('expect', e, EXPECT_KEYS);
      const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
      if (e.calls !== undefined) expect.calls = r.range('expect.calls', e.calls, count, 'a whole number');
      if (e.answered !== undefined) expect.answered = r.range('expect.answered', e.answered, parseShare, 'a share such as 0.95 or "95%"');
      if (e['post-dial-delay'] !== undefined) expect.postDialDelay = r.percentiles('expect.post-dial-delay', e['post-dial-delay']);
      if (e['setup-time'] !== undefined) expect.setupTime = r.percentiles('expect.setup-time', e['setup-time']);
      if (e['max-final-status'] !== undefined) {
        const v = e['max-final-status'];
        if (typeof v === 'number' && Number.isInteger(v) && v >= 200 && v <= 699) expect.maxFinalStatus = v;
        else r.problem('expect.max-final-status', `must be a status code from 200 to 699, not ${JSON.stringify(v)}`);
      }
      if (e['invite-answered-within'] !== undefined) {
        const ms = parseDuration(e['invite-answered-within']);
        if (ms === null) r.problem('expect.invite-answered-within', `must be a duration such as 5s, not ${JSON.stringify(e['invite-answered-within'])}`);
        else expect.inviteAnsweredWithinMs = ms;
      }
    }
  }
  if (r.problems.length > 0) throw new PolicyError(source, r.problems);
  return { rules, allow, forbid, failOn, expect };
}


export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${Math.round(ms) / 1000} s`;
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

type PolicyWords = (typeof POLICY)[Timeline['lang']];

function rangeText(r: Range, show: (n: number) => string, w: PolicyWords): string {
  if (r.min !== undefined && r.max !== undefined) return r.min === r.max ? `= ${show(r.min)}` : w.between(show(r.min), show(r.max));
  return r.min !== undefined ? `≥ ${show(r.min)}` : `≤ ${show(r.max!)}`;
}

function inRange(v: number, r: Range): boolean {
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);
}

function callRef(call: TimelineCall, w: PolicyWords): string {
  return w.callRef(call.number, call.callId);
}

/** A policy's percentile key as a reader says it: median and max in the report's words, p95 as it is. */
function percentileName(key: string, w: PolicyWords): string {
  return key === 'median' || key === 'max' ? w.percentile[key] : key;
}

/** Evidence lines kept per check: a check over a trunk capture can fail on every call, and its list must not grow with them. */
export const MAX_DETAILS = 1000;

/** A check's evidence: the first MAX_DETAILS lines, and how many more there were. */
class Evidence {
  readonly lines: string[] = [];
  omitted = 0;
  count = 0;

  constructor(private readonly max = MAX_DETAILS) {}

  add(line: () => string): void {
    this.count++;
    if (this.lines.length < this.max) this.lines.push(line());
    else this.omitted++;
  }

  result(passed: boolean): Pick<CheckResult, 'details' | 'detailsOmitted'> {
    if (passed) return { details: [] };
    return this.omitted === 0 ? { details: this.lines } : { details: this.lines, detailsOmitted: this.omitted };
  }
}

/** A distribution checked against percentile limits: one number per call, and per limit the calls over it, worst first (the first MAX_DETAILS, and how many more). */
class Figure {
  readonly samples: number[] = [];
  private readonly worst = new Map<string, { ref: string; v: number }[]>();
  private readonly over = new Map<string, number>();

  constructor(private readonly limits: PercentileLimits) {
    for (const key of Object.keys(limits)) this.worst.set(key, []);
  }

  add(v: number | null, ref: () => string): void {
    if (v === null) return;
    this.samples.push(v);
    for (const [key, limit] of Object.entries(this.limits)) {
      if (!(v > limit)) continue;
      this.over.set(key, (this.over.get(key) ?? 0) + 1);
      const worst = this.worst.get(key)!;
      // Worst first; among equals, the earlier call first.
      let at = worst.length;
      while (at > 0 && worst[at - 1]!.v < v) at--;
      if (at >= MAX_DETAILS) continue;
      worst.splice(at, 0, { ref: ref(), v });
      if (worst.length > MAX_DETAILS) worst.pop();
    }
  }

  checks(id: string, name: string, w: PolicyWords): CheckResult[] {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return Object.entries(this.limits).map(([key, limit]) => {
      const p = key === 'median' ? 50 : key === 'max' ? 100 : Number(key.slice(1));
      const value = percentile(sorted, p);
      const passed = value === null || value <= limit;
      return {
        id: `${id}.${key}`,
        expected: `${name} ${percentileName(key, w)} ≤ ${formatMs(limit)}`,
        actual: value === null ? w.noCallToMeasure : w.overCalls(formatMs(value), sorted.length),
        passed,
        details: passed ? [] : this.worst.get(key)!.map((s) => `${s.ref}: ${formatMs(s.v)}`),
        ...(passed || (this.over.get(key) ?? 0) <= MAX_DETAILS ? {} : { detailsOmitted: this.over.get(key)! - MAX_DETAILS }),
      };
    });
  }
}


/**
 * A policy checked call by call, as the calls are shown: it keeps the figures each assertion
 * needs (counts, one number per call for the percentiles, the evidence lines up to a bound),
 * never the calls. `result` gives one check per assertion, in the timeline's language.
 */
export class PolicyChecker {
  private readonly w: PolicyWords;
  private readonly severity: (typeof COMMON)[Lang]['severity'];
  private calls = 0;
  private readonly failing = new Evidence();
  private readonly forbidden: Map<string, Evidence>;
  private readonly unanswered = new Evidence();
  private readonly postDialDelay: Figure | null;
  private readonly setupTime: Figure | null;
  private readonly overStatus = new Evidence();
  private readonly late = new Evidence();
  private invites = 0;

  constructor(
    private readonly policy: Policy,
    lang: Lang,
  ) {
    this.w = POLICY[lang];
    this.severity = COMMON[lang].severity;
    this.figureWords = STATS[lang].distribution;
    this.forbidden = new Map(policy.forbid.map((rule) => [rule, new Evidence()]));
    this.postDialDelay = policy.expect.postDialDelay ? new Figure(policy.expect.postDialDelay) : null;
    this.setupTime = policy.expect.setupTime ? new Figure(policy.expect.setupTime) : null;
  }

  private readonly figureWords: (typeof STATS)[Lang]['distribution'];

  add(c: TimelineCall): void {
    const { policy, w } = this;
    this.calls++;
    const ref = (): string => callRef(c, w);
    const evidence = (f: ShownFinding): string => f.messages.map((n) => messageRef(c.messages[n]!)).join(', ');
    for (const f of c.findings) {
      if (atLeast(f.severity, policy.failOn) && !policy.allow.includes(f.rule)) {
        this.failing.add(() => w.findingAt(ref(), this.severity[f.severity], f.rule, evidence(f), f.message));
      }
      this.forbidden.get(f.rule)?.add(() => `${ref()}: ${evidence(f)}: ${f.message}`);
    }
    const e = policy.expect;
    // A partial call is not a call attempt: how it was set up is not in the capture (as in the statistics).
    if (c.type === 'call' && !c.partial) {
      if (c.outcome !== 'answered') this.unanswered.add(() => `${ref()}: ${c.outcomeText}`);
      this.postDialDelay?.add(c.figures.postDialDelayMs, ref);
      this.setupTime?.add(c.figures.setupMs, ref);
    }
    if (e.maxFinalStatus !== undefined) {
      const limit = e.maxFinalStatus;
      for (const m of c.messages) {
        if (m.status !== null && m.status >= 200 && m.status > limit && !m.retransmission && m.duplicateOf === null) this.overStatus.add(() => `${ref()}: ${messageRef(m)} ${m.status} ${m.reason ?? ''}`.trimEnd());
      }
    }
    if (e.inviteAnsweredWithinMs !== undefined) this.checkInvites(c, e.inviteAnsweredWithinMs, ref);
  }

  private checkInvites(c: TimelineCall, limit: number, ref: () => string): void {
    const w = this.w;
    c.messages.forEach((req, i) => {
      if (req.method !== 'INVITE' || req.retransmission || req.duplicateOf !== null || req.cseq === null) return;
      this.invites++;
      let final: TimelineMessage | undefined;
      for (let k = i + 1; k < c.messages.length && final === undefined; k++) {
        const m = c.messages[k]!;
        if (
          m.status !== null &&
          m.status >= 200 &&
          m.cseq?.seq === req.cseq.seq &&
          m.cseq.method === 'INVITE' &&
          m.src.ip === req.dst.ip &&
          m.src.port === req.dst.port &&
          m.dst.ip === req.src.ip &&
          m.dst.port === req.src.port
        ) {
          final = m;
        }
      }
      if (final === undefined) this.late.add(() => w.noFinal(ref(), messageRef(req)));
      else {
        const waited = diffMs(req.time, final.time);
        if (waited > limit) this.late.add(() => w.lateFinal(ref(), messageRef(req), String(final.status), formatMs(waited), messageRef(final)));
      }
    });
  }

  /** Each assertion of the policy over the calls added; `stats` are the statistics of the same calls. */
  result(stats: Statistics): CheckResult[] {
    const { policy, w } = this;
    const checks: CheckResult[] = [];
    checks.push({
      id: 'findings',
      expected: policy.failOn === 'never' ? w.findingsNeverFail : `${w.noFindingAtOrAbove(this.severity[policy.failOn])}${policy.allow.length ? w.allowed(policy.allow.join(', ')) : ''}`,
      actual: w.findingCount(this.failing.count),
      passed: this.failing.count === 0,
      ...this.failing.result(this.failing.count === 0),
    });
    for (const [rule, hits] of this.forbidden) {
      checks.push({ id: `forbid:${rule}`, expected: w.forbidden(rule), actual: w.findingCount(hits.count), passed: hits.count === 0, ...hits.result(hits.count === 0) });
    }
    const e = policy.expect;
    if (e.calls) {
      checks.push({ id: 'calls', expected: w.callCount(rangeText(e.calls, String, w)), actual: String(this.calls), passed: inRange(this.calls, e.calls), details: [] });
    }
    if (e.answered) {
      const share = stats.asr;
      const passed = share !== null && inRange(share, e.answered);
      checks.push({
        id: 'answered',
        expected: w.answered(rangeText(e.answered, pct, w)),
        actual: share === null ? w.noInviteCall : w.answeredShare(pct(share), stats.answered, stats.seizures),
        passed,
        ...this.unanswered.result(passed),
      });
    }
    if (this.postDialDelay) checks.push(...this.postDialDelay.checks('post-dial-delay', this.figureWords.postDialDelay, w));
    if (this.setupTime) checks.push(...this.setupTime.checks('setup-time', this.figureWords.setupTime, w));
    if (e.maxFinalStatus !== undefined) {
      const over = this.overStatus;
      checks.push({
        id: 'max-final-status',
        expected: w.noFinalAbove(e.maxFinalStatus),
        actual: over.count === 0 ? w.none : w.responsesAbove(over.count, e.maxFinalStatus),
        passed: over.count === 0,
        ...over.result(over.count === 0),
      });
    }
    if (e.inviteAnsweredWithinMs !== undefined) {
      const late = this.late;
      checks.push({
        id: 'invite-answered-within',
        expected: w.answeredWithin(formatMs(e.inviteAnsweredWithinMs)),
        actual: late.count === 0 ? w.allInTime(this.invites) : w.lateCount(late.count, this.invites),
        passed: late.count === 0,
        ...late.result(late.count === 0),
      });
    }
    return checks;
  }
}

/** Each assertion of the policy, checked against the calls shown (after filters); what it says is in the timeline's language. */
export function evaluatePolicy(policy: Policy, timeline: Timeline, stats: Statistics): CheckResult[] {
  const checker = new PolicyChecker(policy, timeline.lang);
  for (const call of timeline.calls) checker.add(call);
  return checker.result(stats);
}
