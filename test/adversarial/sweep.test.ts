/**
 * The corpus sweep: every capture and log under fixtures/ and every file under
 * ../shared/corpus/ (when present) analysed and rendered in every output format, in process.
 * Nothing may throw, and each file must be done, in all formats, within a bound that only
 * a hang or a blow-up would pass (10 s; most files take a few milliseconds). The bound is a
 * hang detector, not a benchmark.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderStatisticsJson, renderStatisticsText } from '../../src/present/render/stats.js';
import { computeStatistics } from '../../src/present/stats.js';
import { buildTimeline } from '../../src/present/timeline.js';
import { ANALYSIS_FORMATS, filterFromArgs, type ReportOptions } from '../../src/cli/options.js';
import { renderReport } from '../../src/cli/report.js';
import { analyze } from '../../src/index.js';
import { REPO_ROOT, TEXT_FIXTURE_DATE } from '../support/captures.js';

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');
const FIXTURES = join(REPO_ROOT, 'fixtures');
/**
 * Per file, for the analysis and every format together: a guard against a pathological slowdown
 * (a quadratic step), not a speed measure (npm run bench is). The largest corpus trace (the
 * toll-fraud scan, 14 formats over 1,024 calls) takes 4-13 s on 2 cores shared with the other test
 * files, so the bound leaves room for a busy CI machine.
 */
const BOUND_MS = 30_000;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** Under fixtures/, the inputs: captures and logs (not the scripts, SIPp scenarios and READMEs that made them). */
const fixtureInputs = [...filesUnder(FIXTURES).filter((f) => /\.(pcap|pcapng|log|txt)(\.gz)?$/.test(f)), join(REPO_ROOT, 'samples', 'demo.pcap')];
/** Under the corpus, every file: the manifest and the tables are inputs too (text with no SIP). */
const corpusInputs = filesUnder(CORPUS);

const VARIANTS: readonly { name: string; options: Partial<ReportOptions> }[] = [
  ...ANALYSIS_FORMATS.map((format) => ({ name: format, options: { format } })),
  { name: 'text with ladders, statistics, colour', options: { format: 'text', ladder: true, stats: true, color: true } },
  { name: 'ladder, narrow, colour', options: { format: 'ladder', width: 40, color: true } },
  { name: 'markdown, redacted', options: { format: 'markdown', redact: {} } },
];

async function sweep(path: string): Promise<{ ms: number; calls: number; sizes: Record<string, number> }> {
  const started = performance.now();
  const result = await analyze([path], { date: TEXT_FIXTURE_DATE });
  const timeline = buildTimeline(result);
  const base: ReportOptions = { format: 'text', failOn: 'error', color: false, width: 120, ladder: false, stats: false, filter: filterFromArgs({}), lang: 'en' };
  const sizes: Record<string, number> = {};
  for (const v of VARIANTS) sizes[v.name] = renderReport(timeline, { ...base, ...v.options } as ReportOptions).text.length;
  const stats = computeStatistics(timeline);
  sizes['stats text'] = renderStatisticsText(stats).length;
  sizes['stats json'] = renderStatisticsJson(stats).length;
  return { ms: performance.now() - started, calls: timeline.calls.length, sizes };
}

function sweepEach(files: readonly string[], root: string): void {
  for (const file of files) {
    it(relative(root, file), async () => {
      const { ms, calls, sizes } = await sweep(file);
      // Every format wrote something (a summary at least; Mermaid has only diagrams, none without calls), and the whole file took less than the bound.
      for (const [name, size] of Object.entries(sizes)) if (name !== 'mermaid' || calls > 0) expect(size, name).toBeGreaterThan(0);
      expect(ms, `${relative(root, file)}: ${ms.toFixed(0)} ms for the analysis and every format`).toBeLessThan(BOUND_MS);
    });
  }
}

describe('sweep: every fixture in every format', () => {
  it('finds the fixtures', () => expect(fixtureInputs.length).toBeGreaterThan(50));
  sweepEach(fixtureInputs, REPO_ROOT);
});

describe.skipIf(corpusInputs.length === 0)('sweep: every file of the shared corpus in every format', () => {
  sweepEach(corpusInputs, CORPUS);
});
