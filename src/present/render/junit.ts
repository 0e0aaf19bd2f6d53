/**
 * JUnit XML for CI (Jenkins, GitLab, GitHub test reporters, Azure DevOps): one test case
 * per call, failed when it has a finding at or above --fail-on, plus one test case per
 * input that errors when the input could not be read. The shape follows the common
 * JUnit schema (testsuites › testsuite › properties, testcase › properties, failure |
 * error, system-out, system-err). Trace text is XML-escaped and stripped of the characters
 * XML 1.0 forbids. Pure.
 */
import { atLeast } from '../../severity.js';
import type { Severity } from '../../types.js';
import type { CheckResult } from '../policy.js';
import type { ShownFinding as Finding } from '../findings.js';
import { computeStatistics, StatisticsBuilder, type Statistics } from '../stats.js';
import type { Timeline, TimelineCall } from '../timeline.js';
import { escapeXmlAttr, escapeXmlText } from './escape.js';
import { formatTimestampIso } from './format.js';
import { messageRef } from '../values.js';
import { renderCallLadderText, type LadderOptions } from './ladder.js';
import { typeShort } from '../legs.js';
import { describeInput, diagnosticLine } from './messages.js';
import type { Lang } from '../../annotate/i18n.js';
import { CI, COMMON, INPUTS } from '../catalog.js';
import { diagnosticText } from '../diagnostics.js';
import { linesText, renderWhole, type CallsHeld } from './report-stream.js';

export type FailOn = Severity | 'never';

export interface CiOptions {
  /** Findings at or above this severity fail their call ("never": none do). */
  readonly failOn: FailOn;
  /** Rules whose findings never fail (a policy's allow list). */
  readonly allow?: readonly string[];
  /** Rules whose findings always fail (a policy's forbid list). */
  readonly forbid?: readonly string[];
  /** Results of `siplens check`: one test case (or annotation) each. */
  readonly checks?: readonly CheckResult[];
  readonly aliases?: LadderOptions['aliases'];
}


export function failsAt(finding: Pick<Finding, 'severity' | 'rule'>, options: Pick<CiOptions, 'failOn' | 'allow' | 'forbid'>): boolean {
  if (options.forbid?.includes(finding.rule)) return true;
  if (options.allow?.includes(finding.rule)) return false;
  return atLeast(finding.severity, options.failOn);
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join('');
}

/** "Call 2 call alice@example.com → carol@example.com [demo-call-2@192.0.2.10]": stable across runs of the same capture. */
export function callTitle(call: TimelineCall, lang: Lang = 'en'): string {
  const parties = call.from || call.to ? ` ${call.from ?? '?'} → ${call.to ?? '?'}` : '';
  const w = CI[lang];
  return w.callTitle(call.number, typeShort(call, lang), parties, call.callId || w.noCallId);
}

function findingText(call: TimelineCall, f: Finding, lang: Lang): string {
  const w = COMMON[lang];
  const evidence = f.messages.map((n) => messageRef(call.messages[n]!)).join(', ');
  return [`${w.severity[f.severity]} ${f.rule} (${evidence})`, `  ${f.message}`, `  ${w.why}: ${f.explanation}`, `  ${w.fix}: ${f.fix}`, `  ${w.see}: ${f.rfc}`].join('\n');
}

/**
 * What a dashboard filters calls by, as the test case's properties (the common JUnit format's
 * properties of a case, which pytest's record_property and jest-junit also write): the full
 * Call-ID, the type, whether the call is partial, and its legs through a B2BUA. Names and values
 * are data (ids, numbers), the same in every language.
 */
function callProperties(call: TimelineCall): string[] {
  const properties: [string, string][] = [
    ['call-id', call.callId],
    ['type', call.type],
    ['outcome', call.outcome],
    ...(call.partial ? [['partial', 'true'] as [string, string]] : []),
    ...(call.leg === null
      ? []
      : ([
          ['leg-group', String(call.leg.group)],
          ['leg-role', call.leg.role],
          ['legs', call.leg.calls.join(' ')],
        ] as [string, string][])),
  ];
  return ['      <properties>', ...properties.map(([name, value]) => `        <property${attrs({ name, value })}/>`), '      </properties>'];
}

function testcase(call: TimelineCall, options: CiOptions, lang: Lang): string[] {
  const failing = call.findings.filter((f) => failsAt(f, options));
  const others = call.findings.filter((f) => !failsAt(f, options));
  const classname = `siplens.${call.messages[0]?.file ?? 'capture'}`;
  const lines = [`    <testcase${attrs({ name: callTitle(call, lang), classname, time: seconds(call.durationMs) })}>`, ...callProperties(call)];
  if (failing.length > 0) {
    const first = failing[0]!;
    const more = failing.length > 1 ? CI[lang].andMore(failing.length - 1) : '';
    const body = [`${COMMON[lang].outcome}: ${call.outcomeText}`, ...failing.map((f) => findingText(call, f, lang))].join('\n\n');
    lines.push(`      <failure${attrs({ message: `${first.rule}: ${first.message}${more}`, type: first.rule })}>${escapeXmlText(body)}</failure>`);
  }
  const out = [
    ...others.flatMap((f) => [findingText(call, f, lang), '']),
    renderCallLadderText(call, { width: 100, color: false, aliases: options.aliases, lang }).trimEnd(),
  ].join('\n');
  lines.push(`      <system-out>${escapeXmlText(out)}</system-out>`, '    </testcase>');
  return lines;
}

/** The figures CI dashboards plot, as suite properties. */
function statisticsProperties(st: Statistics): [string, string][] {
  const ms = (v: number | null): string => (v === null ? '' : String(v));
  return [
    ['calls', String(st.calls)],
    ['asr', st.asr === null ? '' : st.asr.toFixed(4)],
    ['ner', st.ner === null ? '' : st.ner.toFixed(4)],
    ['post-dial-delay-ms.median', ms(st.postDialDelayMs.median)],
    ['post-dial-delay-ms.p95', ms(st.postDialDelayMs.p95)],
    ['setup-time-ms.median', ms(st.setupMs.median)],
    ['setup-time-ms.p95', ms(st.setupMs.p95)],
    ['retransmissions', String(st.retransmissions.total)],
  ];
}

/**
 * The JUnit document: `<testsuite>` carries the totals in its attributes, which every consumer
 * reads before the cases (docs/decisions.md), so the calls' test cases are held aside as the
 * calls are shown (section 0) and follow the head written at the end: the suite with its
 * totals and properties, then the inputs' and the policy's test cases.
 */
export function junitReport(options: CiOptions & { readonly lang: Lang }): CallsHeld {
  const lang = options.lang;
  let calls = 0;
  let failingCalls = 0;
  let durationMs = 0;
  let first: TimelineCall['start'] | null = null;
  return {
    kind: 'held',
    sections: 1,
    call: (call) => {
      calls++;
      if (call.findings.some((f) => failsAt(f, options))) failingCalls++;
      durationMs += call.durationMs;
      first ??= call.start;
      return [linesText(testcase(call, options, lang))];
    },
    end: (end) => {
      const w = CI[lang];
      const line = (d: Parameters<typeof diagnosticLine>[0]): string => diagnosticLine(d, lang);
      const checks = end.checks ?? [];
      const cases: string[] = [];
      let failures = failingCalls;
      let errors = 0;
      for (const input of end.inputs) {
        cases.push(`    <testcase${attrs({ name: w.input(input.path), classname: 'siplens.inputs', time: '0.000' })}>`);
        if (!input.readable) {
          errors++;
          const error = input.diagnostics.find((d) => d.severity === 'error');
          const reason = error === undefined ? INPUTS[lang].couldNotRead : diagnosticText(error, lang);
          cases.push(`      <error${attrs({ message: reason, type: 'unreadable-input' })}>${escapeXmlText(input.diagnostics.map(line).join('\n'))}</error>`);
        }
        const out = [describeInput(input, lang), ...input.diagnostics.map(line)].join('\n');
        cases.push(`      <system-out>${escapeXmlText(out)}</system-out>`, '    </testcase>');
      }
      for (const check of checks) {
        cases.push(`    <testcase${attrs({ name: `${w.policy(check.id)}: ${check.expected}`, classname: 'siplens.policy', time: '0.000' })}>`);
        if (!check.passed) {
          failures++;
          cases.push(`      <failure${attrs({ message: w.got(check.expected, check.actual), type: `policy:${check.id}` })}>${escapeXmlText(check.details.join('\n'))}</failure>`);
        }
        cases.push(`      <system-out>${escapeXmlText(`${check.actual}`)}</system-out>`, '    </testcase>');
      }
      const tests = end.inputs.length + checks.length + calls;
      const time = seconds(durationMs);
      const start = first ?? end.inputs.find((i) => i.firstTime !== null)?.firstTime ?? null;
      const suite: Record<string, string | number> = {
        name: `siplens ${end.inputs.map((i) => i.path).join(' ')}`.trimEnd(),
        tests,
        failures,
        errors,
        skipped: 0,
        time,
        // JUnit's timestamp is a local date-time without zone or fraction; the capture's (UTC) start, never the clock.
        ...(start === null ? {} : { timestamp: formatTimestampIso(start).slice(0, 19) }),
        hostname: 'siplens',
        id: 0,
        package: 'siplens',
      };
      const s = end.summary;
      const head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites${attrs({ name: 'siplens', tests, failures, errors, skipped: 0, time })}>`,
        `  <testsuite${attrs(suite)}>`,
        '    <properties>',
        `      <property${attrs({ name: 'fail-on', value: options.failOn })}/>`,
        ...end.inputs.map((i) => `      <property${attrs({ name: 'input', value: i.path })}/>`),
        `      <property${attrs({ name: 'findings', value: COMMON[lang].severityCounts(s.findings.error, s.findings.warning, s.findings.info) })}/>`,
        ...statisticsProperties(end.statistics ?? new StatisticsBuilder().result()).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
        '    </properties>',
        ...cases,
      ];
      return [linesText(head), 0, linesText(['    <system-out></system-out>', '    <system-err></system-err>', '  </testsuite>', '</testsuites>'])];
    },
  };
}

export function renderJunit(timeline: Timeline, options: CiOptions): string {
  return renderWhole(junitReport({ ...options, lang: timeline.lang }), timeline, {
    statistics: computeStatistics(timeline),
    ...(options.checks === undefined ? {} : { checks: options.checks }),
  });
}
