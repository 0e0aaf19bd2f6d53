/**
 * Memory follows the calls open at once, for every report format: the same traffic at 1× and 8×
 * (the benchmark's generator, short calls so that the open calls level off early), analysed
 * once per size with every format's renderer fed each shown call, the live heap read after a
 * full collection as the run goes. What a format held per call would show as a heap that grows
 * with the input. Not timed. HTML is left out while it keeps its calls (src/cli/report.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTraffic, type TrafficOptions } from '../../bench/generate.js';
import { ANALYSIS_FORMATS, reportOptionsFrom } from '../../src/cli/options.js';
import { reportRenderer, streamShownCalls } from '../../src/cli/report.js';
import { StatisticsBuilder } from '../../src/present/stats.js';
import type { ReportRenderer } from '../../src/present/render/report-stream.js';

const scratch = mkdtempSync(join(tmpdir(), 'siplens-growth-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Short calls at a fifth of the SIP-heavy benchmark's rate: 1× is about 70 s of capture, past the 32 s a finished call is held and the level the open calls keep from then on. */
const TRAFFIC: TrafficOptions = { cps: 5, holdSeconds: [1, 5], media: false, phones: 20, registerEvery: 300, seed: 16 };
const BASE_MB = 1.5;
const FORMATS = ANALYSIS_FORMATS.filter((f) => f !== 'html');

/** The highest live heap (MB, after a full collection) seen while every format renders the capture's calls. */
async function peakLiveHeap(path: string, gc: () => void): Promise<{ heapMB: number; calls: number }> {
  const renderers: ReportRenderer[] = FORMATS.map((format) => reportRenderer(reportOptionsFrom({ stats: true }, format, 'error', false)));
  const statistics = new StatisticsBuilder();
  for (const r of renderers) if (r.kind === 'calls') r.begin();
  let calls = 0;
  let peak = 0;
  const sample = (): void => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed / 1e6);
  };
  const { end } = await streamShownCalls([path], { ...reportOptionsFrom({}, 'text', 'error', false).filter }, undefined, {}, 'en', (call) => {
    statistics.add(call);
    // The text each format makes is dropped (the CLI writes it out or to a spill file): what is measured is what the renderers keep.
    for (const r of renderers) r.call(call);
    if (++calls % 200 === 0) sample();
  });
  sample();
  for (const r of renderers) r.end({ ...end, statistics: statistics.result() });
  return { heapMB: peak, calls };
}

describe('every format keeps memory flat as the input grows', () => {
  it(`${FORMATS.join(', ')}: the live heap at 8× the input is the one at 1×`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const sizes = [1, 8].map((k) => {
      const path = join(scratch, `growth-${k}x.pcap`);
      generateTraffic([path], k * BASE_MB * 1e6, TRAFFIC);
      return path;
    });
    const small = await peakLiveHeap(sizes[0]!, gc);
    const large = await peakLiveHeap(sizes[1]!, gc);
    expect(large.calls).toBeGreaterThan(6 * small.calls);
    // Flat: the 8× run's peak within a few MB of the 1× run's. The analysis alone, with no renderer,
    // moves by about 6 MB here (36.4 MB at 1×, 42.3 MB at 8×, measured); the renderers added 0.6 MB.
    expect(large.heapMB - small.heapMB, `live heap ${small.heapMB.toFixed(1)} MB at 1× (${small.calls} calls), ${large.heapMB.toFixed(1)} MB at 8× (${large.calls} calls)`).toBeLessThan(10);
  }, 120_000);
});
