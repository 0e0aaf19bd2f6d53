/**
 * In-process timings of one report format's rendering, warm (JIT done), for before/after
 * comparisons of a renderer:
 *
 *   npx tsx bench/render-bench.ts FILE [format] [rounds]
 *
 * Analyses FILE once, builds its timeline (English), then renders every call with the format's
 * streaming renderer (src/cli/report.ts reportRenderer) and encodes its text as the CLI's output
 * does (UTF-8 into a 64 KiB buffer), `rounds` times (default 9); prints the best and the median
 * CPU time (user and system, so that other processes on the machine count less) per call and per
 * message. `RENDER_SRC=DIR[:DIR...]` takes the renderers from other copies
 * of src/ (an older commit's, from `git archive`), alternated round by round, to compare builds
 * in one process over the same timeline. Not part of the tests.
 */
import { analyze } from '../src/index.js';
import { buildTimeline } from '../src/present/timeline.js';
import type { ReportOptions } from '../src/cli/options.js';
import type { reportRenderer as ReportRendererFn } from '../src/cli/report.js';

const [file, format = 'ndjson', roundsArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: render-bench.ts FILE [format] [rounds]');
const rounds = Number(roundsArg ?? 9);
const sources = (process.env['RENDER_SRC'] ?? new URL('../src', import.meta.url).pathname).split(':');
const renderers: (typeof ReportRendererFn)[] = [];
for (const src of sources) renderers.push(((await import(`${src}/cli/report.ts`)) as { reportRenderer: typeof ReportRendererFn }).reportRenderer);

const timeline = buildTimeline(await analyze([file]), 'en');
const messages = timeline.calls.reduce((n, c) => n + c.messages.length, 0);
const options = { format, lang: 'en', filter: {}, failOn: 'error', width: 100, color: false, stats: false, ladder: false } as unknown as ReportOptions;
const batch = Buffer.allocUnsafe(1 << 16);

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `best ${s[0]!.toFixed(2)}, median ${s[Math.floor(s.length / 2)]!.toFixed(2)}`;
}

const perCall = sources.map((): number[] => []);
const written = sources.map(() => 0);
for (let r = 0; r < rounds; r++) {
  sources.forEach((_, i) => {
    const renderer = renderers[i]!(options);
    if (renderer.kind !== 'calls') throw new Error(`${format} is not written call by call`);
    const t = process.cpuUsage();
    let bytes = 0;
    for (const call of timeline.calls) {
      const text = renderer.call(call);
      bytes += text.length * 3 > batch.length ? Buffer.byteLength(text) : batch.write(text);
    }
    const used = process.cpuUsage(t);
    perCall[i]!.push((used.user + used.system) / timeline.calls.length);
    written[i] = bytes;
  });
}
sources.forEach((src, i) => {
  const calls = perCall[i]!;
  console.log(`${src}: ${format}, ${timeline.calls.length} calls, ${messages} messages, ${written[i]} bytes; µs per call: ${stats(calls)}; µs per message: ${stats(calls.map((t) => (t * timeline.calls.length) / messages))}`);
});
