/** The commands that are more than a report: `siplens stats` and `siplens check`. */
import { readFileSync } from 'node:fs';
import { evaluatePolicy, parsePolicy, PolicyError, type Policy } from '../present/policy.js';
import { renderCheckJson, renderCheckText } from '../present/render/check.js';
import { renderGithub } from '../present/render/github.js';
import { renderJunit } from '../present/render/junit.js';
import { renderStatisticsJson, renderStatisticsText } from '../present/render/stats.js';
import { renderStreamsJson, streamRowText, streamsHeader, type StreamRow } from '../present/render/streams.js';
import { computeStatistics, StatisticsBuilder } from '../present/stats.js';
import { buildTimeline } from '../present/timeline.js';
import type { AnalyzeOptions, InputSpec, InputSummary } from '../index.js';
import { reportInputErrors } from './exit-codes.js';
import { filterFromArgs, redactFromArgs, reportOptionsFrom, UsageError, type ReportArgs } from './options.js';
import { reportWriter, saidWritten, writeReport } from './output.js';
import { CLI_WORDS } from '../present/help.js';
import { analyzeWithProgress, Progress, untilInterrupted } from './progress.js';
import { shownTimeline, streamShownCalls } from './report.js';

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
  writeReport(format === 'json' ? renderStatisticsJson(stats) : renderStatisticsText(stats, lang), args.output);
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
  const out = format === 'text' ? reportWriter(args.output) : null;
  out?.write(streamsHeader(lang));
  let streamCount = 0;
  const emit = (row: StreamRow): void => {
    streamCount++;
    if (out === null) rows.push(row);
    else out.write(streamRowText(row));
  };
  try {
    const { inputs: read, unassignedStreams } = await untilInterrupted(
      (signal) => streamShownCalls(inputs, filter, redact, { ...analyzeOptions, signal }, lang, (call) => call.media?.streams.forEach((stream) => emit({ stream, call: call.number }))),
      lang,
    );
    for (const stream of unassignedStreams) emit({ stream, call: null });
    if (out === null) writeReport(renderStreamsJson(rows), args.output);
    if (reportInputErrors(read, lang)) return 2;
    if (args.output !== undefined) saidWritten(CLI_WORDS[lang].written.streams(args.output, streamCount));
    return 0;
  } finally {
    out?.close();
  }
}

export function loadPolicy(path: string | undefined): { policy: Policy; source: string } {
  if (path === undefined) return { policy: parsePolicy('', 'default policy'), source: '(default: no finding at error)' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the policy ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return { policy: parsePolicy(text, path), source: path };
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError(`the policy ${err.message}`);
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
  const result = await analyzeWithProgress(inputs, { ...analyzeOptions, rules: { ...policy.rules } }, options.lang);
  const timeline = shownTimeline(buildTimeline(result, options.lang), options.filter, options.redact);
  const checks = evaluatePolicy(policy, timeline, computeStatistics(timeline));
  const ci = { failOn: policy.failOn, allow: policy.allow, forbid: policy.forbid, checks, ...(options.aliases ? { aliases: options.aliases } : {}) };
  const text =
    format === 'json'
      ? renderCheckJson(checks, source)
      : format === 'junit'
        ? renderJunit(timeline, ci)
        : format === 'github'
          ? renderGithub(timeline, ci)
          : renderCheckText(checks, { color: options.color, source, lang: options.lang });
  writeReport(text, args.output);
  if (reportInputErrors(result.inputs, options.lang)) return 2;
  const failed = checks.filter((c) => !c.passed);
  if (args.output !== undefined) {
    const w = CLI_WORDS[options.lang].written;
    saidWritten(w.report(args.output, timeline.summary.calls, timeline.summary.findings.error, timeline.summary.findings.warning));
    if (failed.length > 0) saidWritten(w.checksExit(failed.length, checks.length, failed.map((c) => c.id).join(', ')));
  }
  return failed.length === 0 ? 0 : 1;
}
