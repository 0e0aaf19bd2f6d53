/** The commands that are more than a report: `siplens stats` and `siplens check`. */
import { readFileSync } from 'node:fs';
import { parsePolicy, PolicyChecker, PolicyError, type CheckResult, type Policy } from '../present/policy.js';
import { renderCheckJson, renderCheckText } from '../present/render/check.js';
import { githubReport } from '../present/render/github.js';
import { junitReport } from '../present/render/junit.js';
import type { ReportRenderer } from '../present/render/report-stream.js';
import { renderStatisticsJson, renderStatisticsText } from '../present/render/stats.js';
import { renderStreamsJson, streamRowText, streamsHeader, type StreamRow } from '../present/render/streams.js';
import { StatisticsBuilder } from '../present/stats.js';
import type { Timeline } from '../present/timeline.js';
import type { AnalyzeOptions, InputSpec, InputSummary } from '../index.js';
import { reportInputErrors } from './exit-codes.js';
import { filterFromArgs, redactFromArgs, reportOptionsFrom, UsageError, type ReportArgs } from './options.js';
import { ReportOutput, saidWritten, writeWhole } from './output.js';
import { CLI_WORDS } from '../present/help.js';
import { Progress, untilInterrupted } from './progress.js';
import { streamShownCalls, writeStreamed } from './report.js';

/** `siplens stats`: the statistics of the calls that pass the filters. Returns the exit code. */
export async function runStats(inputs: readonly InputSpec[], format: string, args: ReportArgs & { output?: string }, analyzeOptions: AnalyzeOptions): Promise<number> {
  const filter = filterFromArgs(args);
  const redact = redactFromArgs(args);
  // Streamed: the statistics keep a few figures per call, not the calls.
  const builder = new StatisticsBuilder();
  const lang = args.lang ?? 'en';
  const progress = Progress.enabled() ? new Progress(inputs, lang) : null;
  let read: readonly InputSummary[];
  try {
    ({ inputs: read } = await untilInterrupted(
      (signal) => streamShownCalls(inputs, filter, redact, { ...analyzeOptions, ...(progress ? progress.hooks : {}), signal }, lang, (call) => builder.add(call)),
      lang,
    ));
  } finally {
    progress?.done();
  }
  const stats = builder.result();
  await writeWhole(format === 'json' ? renderStatisticsJson(stats) : renderStatisticsText(stats, lang), args.output);
  if (reportInputErrors(read, lang)) return 2;
  if (args.output !== undefined) saidWritten(CLI_WORDS[lang].written.calls(args.output, stats.calls));
  return 0;
}

/**
 * `siplens streams`: every RTP stream as `tshark -z rtp,streams` lists it, with its call. Text
 * rows are written as the calls are handed over (memory follows the calls open, not the
 * streams); JSON is one document at the end.
 */
export async function runStreams(inputs: readonly InputSpec[], format: string, args: ReportArgs & { output?: string }, analyzeOptions: AnalyzeOptions): Promise<number> {
  const filter = filterFromArgs(args);
  const redact = redactFromArgs(args);
  const lang = args.lang ?? 'en';
  const rows: StreamRow[] = [];
  const out = ReportOutput.open(args.output);
  if (format === 'text') out.write(streamsHeader(lang));
  let streamCount = 0;
  const emit = (row: StreamRow): void => {
    streamCount++;
    if (format === 'json') rows.push(row);
    else out.write(streamRowText(row));
  };
  try {
    const { inputs: read, unassignedStreams } = await untilInterrupted(
      (signal) =>
        streamShownCalls(inputs, filter, redact, { ...analyzeOptions, signal, pace: () => out.ready() }, lang, (call) => call.media?.streams.forEach((stream) => emit({ stream, call: call.number }))),
      lang,
    );
    for (const stream of unassignedStreams) emit({ stream, call: null });
    if (format === 'json') out.write(renderStreamsJson(rows));
    await out.drained();
    if (reportInputErrors(read, lang)) return 2;
    if (args.output !== undefined) saidWritten(CLI_WORDS[lang].written.streams(args.output, streamCount));
    return 0;
  } finally {
    out.close();
  }
}

export function loadPolicy(path: string | undefined): { policy: Policy; source: string } {
  if (path === undefined) return { policy: parsePolicy('', 'default policy'), source: '(default: no finding at error)' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError((w) => w.policyUnreadable(path, err instanceof Error ? err.message : String(err)));
  }
  try {
    return { policy: parsePolicy(text, path), source: path };
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError((w) => w.policyInvalid(err.message));
    throw err;
  }
}

/**
 * `siplens check`: analyze with the policy's rule settings, then check each of its
 * assertions over the calls that pass the filters. Exit 0 all passed, 1 a check failed,
 * 2 an input could not be read or the policy is wrong.
 */
export async function runCheck(
  inputs: readonly InputSpec[],
  format: string,
  args: ReportArgs & { output?: string; policy?: string },
  analyzeOptions: AnalyzeOptions,
  color: boolean,
): Promise<number> {
  const { policy, source } = loadPolicy(args.policy);
  const options = reportOptionsFrom(args, 'text', policy.failOn, color);
  const lang = options.lang;
  // The policy's figures are kept call by call; JUnit and GitHub write the calls as they come too.
  const checker = new PolicyChecker(policy, lang);
  const ci = { failOn: policy.failOn, allow: policy.allow, forbid: policy.forbid, lang, ...(options.aliases ? { aliases: options.aliases } : {}) };
  const renderer: ReportRenderer =
    format === 'junit'
      ? junitReport(ci)
      : format === 'github'
        ? githubReport(ci)
        : { kind: 'calls', begin: () => '', call: () => '', end: (end) => (format === 'json' ? renderCheckJson(end.checks!, source) : renderCheckText(end.checks!, { color: options.color, source, lang })) };
  const progress = Progress.enabled() ? new Progress(inputs, lang) : null;
  const out = ReportOutput.open(args.output);
  if (progress !== null) out.around = (write) => progress.above(write);
  let checks: readonly CheckResult[] = [];
  let summary: Timeline['summary'] | null = null;
  try {
    const ran = await writeStreamed(
      renderer,
      out,
      new StatisticsBuilder(),
      (pace, onShown) =>
        untilInterrupted(
          (signal) =>
            streamShownCalls(inputs, options.filter, options.redact, { ...analyzeOptions, rules: { ...policy.rules }, ...(progress ? progress.hooks : {}), signal, pace }, lang, (call) => {
              checker.add(call);
              onShown(call);
            }),
          lang,
        ),
      // The statistics have seen the same calls as the checker.
      (_, statistics) => ({ checks: (checks = checker.result(statistics!)) }),
    );
    if (reportInputErrors(ran.inputs, lang)) return 2;
    summary = ran.end.summary;
  } finally {
    progress?.done();
    out.close();
  }
  const failed = checks.filter((c) => !c.passed);
  if (args.output !== undefined) {
    const w = CLI_WORDS[lang].written;
    saidWritten(w.report(args.output, summary.calls, summary.findings.error, summary.findings.warning));
    if (failed.length > 0) saidWritten(w.checksExit(failed.length, checks.length, failed.map((c) => c.id).join(', ')));
  }
  return failed.length === 0 ? 0 : 1;
}
