/**
 * The report: the renderer chosen by --format over the calls shown (filtered, then redacted),
 * either over the whole timeline or streamed call by call as the analysis hands calls over
 * (text and NDJSON), with the same words either way.
 */
import type { CallStream } from '../parse/media/types.js';
import { callSelector } from '../analysis/select.js';
import { callMatches, filterTimeline, isEmptyFilter, ShownCounts, type FilterCriteria } from '../present/filter.js';
import type { Lang } from '../annotate/i18n.js';
import { redactTimeline, Redactor, type RedactOptions } from '../present/redact.js';
import { renderCsv } from '../present/render/csv.js';
import { renderGithub } from '../present/render/github.js';
import { renderHtml } from '../present/render/html.js';
import { renderJson } from '../present/render/json.js';
import { renderJunit } from '../present/render/junit.js';
import { renderCallLadderText, renderLadder } from '../present/render/ladder.js';
import { renderMarkdown } from '../present/render/markdown.js';
import { renderMermaid } from '../present/render/mermaid.js';
import { ndjsonCall, ndjsonSummary, renderNdjson } from '../present/render/ndjson.js';
import { renderStatisticsText } from '../present/render/stats.js';
import { renderTextCall, renderTextEnd } from '../present/render/text.js';
import { computeStatistics, StatisticsBuilder } from '../present/stats.js';
import { timelineCall, type Timeline, type TimelineCall } from '../present/timeline.js';
import { analyzeStream, type AnalyzeOptions, type InputSpec, type InputSummary } from '../index.js';
import { STATS } from '../present/catalog.js';
import { failsOn } from './exit-codes.js';
import type { ReportOptions } from './options.js';

/** The filters, then redaction (with `redactor`, the pseudonyms another output of the run shares): what every format shows. */
export function shownTimeline(timeline: Timeline, filter: FilterCriteria, redact: RedactOptions | undefined, redactor?: Redactor): Timeline {
  const t = filterTimeline(timeline, filter);
  return redact === undefined ? t : redactTimeline(t, redact, redactor);
}

/**
 * The report, and the timeline it shows (after the filters): the exit code is decided on what is
 * shown. `onShown` is told each call shown before redaction (the frames a written capture copies).
 */
export function renderReport(timeline: Timeline, options: ReportOptions, redactor?: Redactor, onShown?: (call: TimelineCall) => void): { text: string; timeline: Timeline } {
  if (onShown !== undefined) filterTimeline(timeline, options.filter).calls.forEach(onShown);
  const t = shownTimeline(timeline, options.filter, options.redact, redactor);
  return { text: renderFormat(t, options), timeline: t };
}

function renderFormat(t: Timeline, options: ReportOptions): string {
  const ladder = { width: options.width, color: options.color, ...(options.aliases ? { aliases: options.aliases } : {}) };
  const ci = { failOn: options.failOn, ...(options.aliases ? { aliases: options.aliases } : {}) };
  switch (options.format) {
    case 'json':
      return renderJson(t);
    case 'ndjson':
      return renderNdjson(t);
    case 'csv':
      return renderCsv(t);
    case 'ladder':
      return withStats(renderLadder(t, ladder), t, options);
    case 'html':
      return renderHtml(t, { statistics: computeStatistics(t), ...(options.aliases ? { aliases: options.aliases } : {}) });
    case 'markdown':
      return renderMarkdown(t, { statistics: computeStatistics(t), ...(options.aliases ? { aliases: options.aliases } : {}) });
    case 'mermaid':
      return renderMermaid(t, options.aliases ? { aliases: options.aliases } : {});
    case 'junit':
      return renderJunit(t, ci);
    case 'github':
      return renderGithub(t, ci);
    case 'text':
      return withStats(t.calls.map((c) => textCall(c, options, t.lang)).join('') + renderTextEnd(t), t, options);
  }
}

/** A call in the text report: its timeline block, then its ladder with --ladder. */
function textCall(call: TimelineCall, options: ReportOptions, lang: Lang): string {
  const block = renderTextCall(call, { color: options.color }, lang);
  if (!options.ladder) return block;
  return block + renderCallLadderText(call, { width: options.width, color: options.color, lang, ...(options.aliases ? { aliases: options.aliases } : {}) }) + '\n';
}

/** Formats that print each call as soon as the analysis hands it over (the rest need every call first). */
export function streamsCalls(options: ReportOptions): boolean {
  return options.format === 'ndjson' || options.format === 'text';
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
  analyzeOptions: AnalyzeOptions,
  lang: Lang,
  onShown: (call: TimelineCall) => void,
  shared?: { readonly redactor?: Redactor; readonly onUnredacted?: (call: TimelineCall) => void },
): Promise<{ inputs: readonly InputSummary[]; end: Omit<Timeline, 'calls'>; unassignedStreams: readonly CallStream[] }> {
  const redactor = redact === undefined ? null : (shared?.redactor ?? new Redactor(redact.key));
  const shown = new ShownCounts();
  // The filters that do not need findings are applied before the rules run: a report about one
  // Call-ID in a trunk capture runs the rules on that call only.
  const select = callSelector(filter);
  const streamed = await analyzeStream(inputs, {
    ...analyzeOptions,
    ...(select === undefined ? {} : { select }),
    onCalls: (batch) => {
      let calls = batch.map((c) => timelineCall(c, lang)).filter((c) => callMatches(c, filter));
      if (shared?.onUnredacted !== undefined) calls.forEach(shared.onUnredacted);
      if (redactor !== null) calls = [...redactTimeline({ lang, inputs: [], calls, summary: EMPTY_SUMMARY }, redact, redactor).calls];
      for (const call of calls) {
        shown.add(call);
        onShown(call);
      }
    },
  });
  let end: Omit<Timeline, 'calls'> = { lang, inputs: streamed.inputs, summary: isEmptyFilter(filter) ? streamed.summary : shown.over(streamed.summary) };
  if (redactor !== null) end = redactTimeline({ ...end, calls: [] }, redact, redactor);
  const unassigned = redactor === null ? streamed.unassignedStreams : streamed.unassignedStreams.map((s) => ({ ...s, src: redactor.endpoint(s.src), dst: redactor.endpoint(s.dst), file: redactor.path(s.file) }));
  return { inputs: streamed.inputs, end, unassignedStreams: unassigned };
}

/**
 * The streaming report (text, NDJSON): each call is printed as soon as it is over, then the
 * inputs and the summary (and the statistics with --stats). The same words as renderReport over
 * the whole timeline. Returns what the exit code needs.
 */
export async function streamReport(
  inputs: readonly InputSpec[],
  options: ReportOptions,
  analyzeOptions: AnalyzeOptions,
  write: (text: string) => void,
  shared?: { readonly redactor?: Redactor; readonly onUnredacted?: (call: TimelineCall) => void },
): Promise<{ inputs: readonly InputSummary[]; exitCode: 0 | 1 }> {
  const lang = options.lang;
  const statistics = options.stats ? new StatisticsBuilder() : null;
  let exitCode: 0 | 1 = 0;
  const { inputs: read, end } = await streamShownCalls(inputs, options.filter, options.redact, analyzeOptions, lang, (call) => {
    if (failsOn(call, options.failOn)) exitCode = 1;
    statistics?.add(call);
    write(options.format === 'ndjson' ? ndjsonCall(call) : textCall(call, options, lang));
  }, shared);
  const tail = options.format === 'ndjson' ? ndjsonSummary(end) : renderTextEnd(end);
  write(statistics === null ? tail : `${tail}\n${STATS[lang].title}\n${renderStatisticsText(statistics.result(), lang)}`);
  return { inputs: read, exitCode };
}

const EMPTY_SUMMARY: Timeline['summary'] = { calls: 0, messages: 0, retransmissions: 0, outcomes: {}, findings: { error: 0, warning: 0, info: 0 }, diagnostics: { error: 0, warning: 0, info: 0 } };

function withStats(text: string, t: Timeline, options: ReportOptions): string {
  return options.stats ? `${text}\n${STATS[t.lang].title}\n${renderStatisticsText(computeStatistics(t), t.lang)}` : text;
}
