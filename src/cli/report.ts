/**
 * The report: the renderer chosen by --format over the calls shown (filtered, then redacted),
 * streamed call by call as the analysis hands calls over, at the pace of the reader; or over a
 * whole timeline in memory (the tests, the library), with the same words either way.
 */
import type { CallStream } from '../parse/media/types.js';
import { callSelector } from '../analysis/select.js';
import { callMatches, filterTimeline, isEmptyFilter, ShownCounts, type FilterCriteria } from '../present/filter.js';
import type { Lang } from '../annotate/i18n.js';
import { redactTimeline, Redactor, type RedactOptions } from '../present/redact.js';
import { csvReport } from '../present/render/csv.js';
import { githubReport } from '../present/render/github.js';
import { htmlReport } from '../present/render/html.js';
import { jsonReport } from '../present/render/json.js';
import { junitReport } from '../present/render/junit.js';
import { ladderReport, renderCallLadderText } from '../present/render/ladder.js';
import { markdownReport } from '../present/render/markdown.js';
import { mermaidReport } from '../present/render/mermaid.js';
import { ndjsonReport } from '../present/render/ndjson.js';
import { renderWhole, type CallsWritten, type ReportEnd, type ReportRenderer } from '../present/render/report-stream.js';
import { renderStatisticsText } from '../present/render/stats.js';
import { renderTextCall, renderTextEnd } from '../present/render/text.js';
import { wrapText } from '../present/render/wrap.js';
import { computeStatistics, StatisticsBuilder, type Statistics } from '../present/stats.js';
import { timelineCall, type Timeline, type TimelineCall } from '../present/timeline.js';
import { analyzeStream, type AnalyzeOptions, type InputSpec, type InputSummary } from '../index.js';
import { STATS } from '../present/catalog.js';
import { findingsAtFailOn } from './exit-codes.js';
import type { ReportOptions } from './options.js';
import { Spill, type ReportOutput } from './output.js';

/** The filters, then redaction (with `redactor`, the pseudonyms another output of the run shares): what every format shows. */
export function shownTimeline(timeline: Timeline, filter: FilterCriteria, redact: RedactOptions | undefined, redactor?: Redactor): Timeline {
  const t = filterTimeline(timeline, filter);
  return redact === undefined ? t : redactTimeline(t, redact, redactor);
}

/** The report, and the timeline it shows (after the filters): the exit code is decided on what is shown. */
export function renderReport(timeline: Timeline, options: ReportOptions): { text: string; timeline: Timeline } {
  const t = shownTimeline(timeline, options.filter, options.redact);
  const statistics = wantsStatistics(options) ? computeStatistics(t) : null;
  return { text: renderWhole(reportRenderer(options, t.inputs.map((i) => i.path)), t, { statistics }), timeline: t };
}

/** The formats that show statistics whatever the options (the rest with --stats). */
function wantsStatistics(options: ReportOptions): boolean {
  return options.stats === true || options.format === 'markdown' || options.format === 'junit';
}

/** The renderer of --format, which takes the report's calls one at a time (src/present/render/report-stream.ts). */
export function reportRenderer(options: ReportOptions, inputNames: readonly string[] = []): ReportRenderer {
  const lang = options.lang;
  const aliases = options.aliases ? { aliases: options.aliases } : {};
  const ladder = { width: options.width, color: options.color, lang, ...aliases };
  const ci = { failOn: options.failOn, lang, ...aliases };
  switch (options.format) {
    case 'json':
      return jsonReport();
    case 'ndjson':
      return ndjsonReport();
    case 'csv':
      return csvReport(lang);
    case 'ladder':
      return withStatisticsText(ladderReport(ladder), options);
    case 'html':
      return htmlRenderer(options, inputNames);
    case 'markdown':
      return markdownReport({ lang, statistics: true, ...aliases });
    case 'mermaid':
      return mermaidReport({ lang, ...aliases });
    case 'junit':
      return junitReport(ci);
    case 'github':
      return githubReport(ci);
    case 'text':
      return withStatisticsText({ kind: 'calls', begin: () => '', call: (call) => textCall(call, options, lang), end: (end) => textEnd(end, options) }, options);
  }
}

/** The HTML page as a streaming renderer: its head names the inputs (redacted with the report), then each call as it comes, then the summary and statistics it adds up itself. */
function htmlRenderer(options: ReportOptions, inputNames: readonly string[]): CallsWritten {
  const page = htmlReport(options.lang, { inputs: [...inputNames], ...(options.aliases ? { aliases: options.aliases } : {}) });
  return { kind: 'calls', begin: () => page.begin(), call: (call) => page.call(call), end: (end) => page.end(end) };
}

/** With --stats, the statistics after the report's end (text and ladder). */
function withStatisticsText(renderer: ReportRenderer, options: ReportOptions): ReportRenderer {
  if (!options.stats) return renderer;
  const statistics = (end: ReportEnd): string => `\n${STATS[end.lang].title}\n${renderStatisticsText(end.statistics!, end.lang)}`;
  if (renderer.kind === 'calls') return { ...renderer, end: (end) => renderer.end(end) + statistics(end) };
  return { ...renderer, end: (end) => [...renderer.end(end), statistics(end)] };
}

/** A call in the text report: its timeline block, then its ladder with --ladder. */
function textCall(call: TimelineCall, options: ReportOptions, lang: Lang): string {
  const block = renderTextCall(call, { color: options.color, ...(options.textWidth === undefined ? {} : { width: options.textWidth }) }, lang);
  if (!options.ladder) return block;
  return block + renderCallLadderText(call, { width: options.width, color: options.color, lang, ...(options.aliases ? { aliases: options.aliases } : {}) }) + '\n';
}

/** The inputs, diagnostics and summary after the calls, wrapped as the calls are. */
function textEnd(end: ReportEnd, options: ReportOptions): string {
  const text = renderTextEnd(end);
  return options.textWidth === undefined ? text : wrapText(text, options.textWidth, 4);
}

/**
 * The calls as the report shows them (filtered, then redacted), each handed to `onShown` as
 * soon as the analysis is done with it, then what the end of a report needs: the inputs and the
 * summary of what was shown. Memory follows the calls open at once, not the size of the input.
 */
export async function streamShownCalls(
  inputs: readonly InputSpec[],
  filter: FilterCriteria,
  redact: RedactOptions | undefined,
  analyzeOptions: AnalyzeOptions & { readonly pace?: () => Promise<void> | undefined },
  lang: Lang,
  onShown: (call: TimelineCall) => void,
  shared?: { readonly redactor?: Redactor; readonly onUnredacted?: (call: TimelineCall) => void },
): Promise<{ inputs: readonly InputSummary[]; end: Omit<Timeline, 'calls'>; unassignedStreams: readonly CallStream[] }> {
  const redactor = redact === undefined ? null : (shared?.redactor ?? new Redactor(redact.key));
  const shown = new ShownCounts();
  // The filters that do not need findings are applied before the rules run: a report about one
  // Call-ID in a trunk capture runs the rules on that call only.
  const select = callSelector(filter);
  const everyCall = isEmptyFilter(filter);
  // Without criteria every call matches: no facts made per call to be matched on.
  const matches = (call: TimelineCall): boolean => everyCall || callMatches(call, filter);
  const show = (call: TimelineCall): void => {
    // The summary of what is shown is the analysis's own when every call is.
    if (!everyCall) shown.add(call);
    onShown(call);
  };
  const streamed = await analyzeStream(inputs, {
    ...analyzeOptions,
    // Each call is rendered and let go (the --write-pcap selection keeps frame numbers only): nothing handed over is kept.
    keepsHanded: false,
    ...(select === undefined ? {} : { select }),
    onCalls: (batch) => {
      if (redactor === null) {
        // Each call shown as soon as its timeline is made, while the parts of its messages that
        // the timeline read are still in the processor's caches: a batch's timelines made first
        // had let them go by the time the first was written (a batch holds about 80 calls on a
        // trunk's capture).
        for (const analyzed of batch) {
          const call = timelineCall(analyzed, lang);
          if (!matches(call)) continue;
          shared?.onUnredacted?.(call);
          show(call);
        }
        return;
      }
      // Redaction learns every value of a batch before it replaces any (redactTimeline).
      const calls = batch.map((c) => timelineCall(c, lang)).filter(matches);
      if (shared?.onUnredacted !== undefined) calls.forEach(shared.onUnredacted);
      for (const call of redactTimeline({ lang, inputs: [], calls, summary: EMPTY_SUMMARY }, redact, redactor).calls) show(call);
    },
  });
  let end: Omit<Timeline, 'calls'> = { lang, inputs: streamed.inputs, summary: everyCall ? streamed.summary : shown.over(streamed.summary) };
  if (redactor !== null) end = redactTimeline({ ...end, calls: [] }, redact, redactor);
  const unassigned = redactor === null ? streamed.unassignedStreams : streamed.unassignedStreams.map((s) => ({ ...s, src: redactor.endpoint(s.src), dst: redactor.endpoint(s.dst), file: redactor.path(s.file) }));
  return { inputs: streamed.inputs, end, unassignedStreams: unassigned };
}

/**
 * Writes a report as the analysis goes: each shown call goes to the renderer as soon as the
 * analysis is done with it, its text to `out` (or, for a format whose head needs totals, to a
 * spill file until the end), and the analysis reads on only when `out`'s reader has caught up.
 * Memory follows the calls open at once, not the size of the input or the pace of the reader.
 * `run` runs the analysis, handing each shown call to its callback; `extra` adds what only the
 * end knows beyond the inputs and summary (the policy checks).
 */
export async function writeStreamed<R extends { end: Omit<Timeline, 'calls'> }>(
  renderer: ReportRenderer,
  out: ReportOutput,
  statistics: StatisticsBuilder | null,
  run: (pace: () => Promise<void> | undefined, onShown: (call: TimelineCall) => void) => Promise<R>,
  extra: (ran: R, statistics: Statistics | null) => Pick<ReportEnd, 'checks'> = () => ({}),
): Promise<R> {
  const spills = renderer.kind === 'held' ? Array.from({ length: renderer.sections }, () => new Spill()) : [];
  try {
    if (renderer.kind === 'calls') out.write(renderer.begin());
    const ran = await run(
      () => out.ready(),
      (call) => {
        statistics?.add(call);
        if (renderer.kind === 'calls') out.write(renderer.callBytes?.(call) ?? renderer.call(call));
        else renderer.call(call).forEach((text, i) => spills[i]!.append(text));
      },
    );
    const figures = statistics?.result() ?? null;
    const end: ReportEnd = { ...ran.end, statistics: figures, ...extra(ran, figures) };
    if (renderer.kind === 'calls') out.write(renderer.end(end));
    else {
      for (const piece of renderer.end(end)) {
        if (typeof piece === 'string') out.write(piece);
        else await spills[piece]!.copyTo(out);
      }
    }
    await out.drained();
    return ran;
  } finally {
    for (const spill of spills) spill.close();
  }
}

/** The report of `siplens analyze` in any format, streamed (writeStreamed). Returns what the exit code needs. */
export async function streamReport(
  inputs: readonly InputSpec[],
  options: ReportOptions,
  analyzeOptions: AnalyzeOptions,
  out: ReportOutput,
  /** Pseudonyms another output of the run shares (--write-pcap --redact), and who wants each shown call before redaction (the frames a written capture copies). */
  shared?: { readonly redactor?: Redactor; readonly onUnredacted?: (call: TimelineCall) => void },
): Promise<{ inputs: readonly InputSummary[]; summary: Timeline['summary']; failing: number }> {
  let failing = 0;
  const redactor = options.redact === undefined ? undefined : (shared?.redactor ?? new Redactor(options.redact.key));
  // The HTML page's title names the inputs before they are read: redacted by the same pseudonyms as the rest.
  const names = inputs.map((i) => (typeof i === 'string' ? i : i.name)).map((name) => redactor?.path(name) ?? name);
  const ran = await writeStreamed(reportRenderer(options, names), out, wantsStatistics(options) ? new StatisticsBuilder() : null, (pace, onShown) =>
    streamShownCalls(
      inputs,
      options.filter,
      options.redact,
      { ...analyzeOptions, pace },
      options.lang,
      (call) => {
        failing += findingsAtFailOn(call, options.failOn);
        onShown(call);
      },
      { ...(redactor === undefined ? {} : { redactor }), ...(shared?.onUnredacted === undefined ? {} : { onUnredacted: shared.onUnredacted }) },
    ),
  );
  return { inputs: ran.inputs, summary: ran.end.summary, failing };
}

const EMPTY_SUMMARY: Timeline['summary'] = { calls: 0, messages: 0, retransmissions: 0, duplicates: 0, outcomes: {}, findings: { error: 0, warning: 0, info: 0 }, diagnostics: { error: 0, warning: 0, info: 0 }, mainProblems: [] };
