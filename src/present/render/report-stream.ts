/**
 * The shape every report format is written in, call by call, so that memory follows the call
 * being written and never the report: the CLI (src/cli/report.ts) hands each shown call to the
 * format's renderer as soon as the analysis is done with it, and the inputs, summary and
 * statistics once every input is read.
 *
 * Two kinds, by what the head of the document needs:
 * - `calls`: the text of each call is written at once (text, NDJSON, JSON, CSV, Mermaid, HTML);
 *   whatever needs totals comes after the calls.
 * - `held`: the head needs totals only known at the end (JUnit's counts in `<testsuite>`,
 *   Markdown's call table, the inputs that open a ladder or the GitHub annotations). Each call
 *   gives its text for each numbered section; the CLI holds sections aside on disk (a spill
 *   file, src/cli/output.ts), and `end` names where each section goes among its own pieces.
 *
 * Renderers are made per report (they count what their end needs: calls, failures, time) and
 * are otherwise pure: words and markup only, no I/O.
 */
import type { CheckResult } from '../policy.js';
import type { Statistics } from '../stats.js';
import type { Timeline, TimelineCall } from '../timeline.js';

/** What the end of a report needs: everything but the calls. */
export interface ReportEnd extends Omit<Timeline, 'calls'> {
  /** The statistics of the calls shown, for the formats that show them (null otherwise). */
  readonly statistics: Statistics | null;
  /** The policy checks of `siplens check`, for the CI formats (JUnit, GitHub). */
  readonly checks?: readonly CheckResult[];
}

/** Each call's text is written as soon as the call is shown. */
export interface CallsWritten {
  readonly kind: 'calls';
  begin(): string;
  call(call: TimelineCall): string;
  /**
   * The same text as UTF-8 bytes, valid only until the renderer's next call (a view of the
   * writer's reused buffer), for a format written straight to bytes (JSON, NDJSON): the CLI's
   * output copies them at once, without the string `call` makes and encodes again.
   */
  callBytes?(call: TimelineCall): Uint8Array;
  end(end: ReportEnd): string;
}

/** Each call's text goes to numbered sections held aside; `end` gives the document: text, and sections by number. */
export interface CallsHeld {
  readonly kind: 'held';
  readonly sections: number;
  call(call: TimelineCall): readonly string[];
  end(end: ReportEnd): readonly (string | number)[];
}

export type ReportRenderer = CallsWritten | CallsHeld;

/** A whole timeline through a streaming renderer, in memory: the report as one string (the library's and the tests' way). */
export function renderWhole(renderer: ReportRenderer, timeline: Timeline, extra: Omit<ReportEnd, keyof Timeline | 'calls'>): string {
  const end: ReportEnd = { lang: timeline.lang, inputs: timeline.inputs, summary: timeline.summary, ...extra };
  if (renderer.kind === 'calls') {
    let text = renderer.begin();
    for (const call of timeline.calls) text += renderer.call(call);
    return text + renderer.end(end);
  }
  const sections: string[][] = Array.from({ length: renderer.sections }, () => []);
  for (const call of timeline.calls) renderer.call(call).forEach((text, i) => sections[i]!.push(text));
  return renderer
    .end(end)
    .map((piece) => (typeof piece === 'string' ? piece : sections[piece]!.join('')))
    .join('');
}

/** Lines as a document writes them: each followed by a line break (what `lines.join('\n') + '\n'` gives). */
export function linesText(lines: readonly string[]): string {
  let text = '';
  for (const line of lines) text += line + '\n';
  return text;
}
