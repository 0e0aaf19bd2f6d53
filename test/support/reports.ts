/**
 * Every report format of one timeline, keyed by the golden file suffix. The golden test
 * stores each for every fixture; settings are fixed (width, fail-on) so outputs depend on
 * the capture only.
 */
import { inflateRawSync } from 'node:zlib';
import { renderCsv } from '../../src/present/render/csv.js';
import { jsonForScript } from '../../src/present/render/escape.js';
import { renderGithub } from '../../src/present/render/github.js';
import { renderHtml } from '../../src/present/render/html.js';
import { REPORT_CSS, reportScript, THEME_SCRIPT } from '../../src/present/render/html-assets.js';
import { renderJunit } from '../../src/present/render/junit.js';
import { renderLadder } from '../../src/present/render/ladder.js';
import { renderMarkdown } from '../../src/present/render/markdown.js';
import { renderMermaid } from '../../src/present/render/mermaid.js';
import { renderNdjson } from '../../src/present/render/ndjson.js';
import { renderStatisticsText } from '../../src/present/render/stats.js';
import { computeStatistics } from '../../src/present/stats.js';
import type { Timeline } from '../../src/present/timeline.js';
import type { Lang } from '../../src/annotate/i18n.js';

/** A data block's details inflated, one call a line, so a golden shows the calls' data (as JSON for the page: `<`, `>`, `&` as \\u escapes). */
function inflatedBlock(block: string): string {
  const { rows, details } = JSON.parse(block) as { rows: unknown[]; details: string };
  const lines = (items: unknown[]): string => items.map((item) => jsonForScript(item)).join(',\n');
  return `{"rows":[\n${lines(rows)}\n],\n"details":[\n${lines(JSON.parse(inflateRawSync(Buffer.from(details, 'base64')).toString('utf8')) as unknown[])}\n]}`;
}

/**
 * The HTML report with its stylesheet and script (identical in every report, and checked by
 * the HTML and browser tests) cut out and its data blocks inflated, so each golden shows what
 * the capture put there.
 */
export function withoutAssets(html: string, lang: Lang): string {
  return html
    .replace(/(?<=<script type="application\/json" class="calls">)[^<]*(?=<\/script>)/g, inflatedBlock)
    .replace(REPORT_CSS, '/* REPORT_CSS */')
    .replace(reportScript(lang), '/* REPORT_JS */')
    .replace(THEME_SCRIPT, '/* THEME_JS */')
    .replace(/'sha256-[A-Za-z0-9+/=]+'/g, "'sha256-…'");
}

export function renderReports(timeline: Timeline): Record<string, string> {
  const statistics = computeStatistics(timeline);
  return {
    'ladder.txt': renderLadder(timeline, { width: 120, color: false }),
    md: renderMarkdown(timeline, { statistics }),
    mmd: renderMermaid(timeline),
    'junit.xml': renderJunit(timeline, { failOn: 'error' }),
    'github.txt': renderGithub(timeline, { failOn: 'error' }),
    'stats.txt': renderStatisticsText(statistics, timeline.lang),
    ndjson: renderNdjson(timeline),
    csv: renderCsv(timeline),
    html: withoutAssets(renderHtml(timeline), timeline.lang),
  };
}
