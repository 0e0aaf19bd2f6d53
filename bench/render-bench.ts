/**
 * In-process timings of one report format's rendering, warm (JIT done), for before/after
 * comparisons of a renderer:
 *
 *   npx tsx bench/render-bench.ts FILE [format] [rounds]
 *
 * Analyses FILE once, then, `rounds` times (default 9), makes every call's timeline (English,
 * src/present/timeline.ts timelineCall), renders it with the format's streaming renderer
 * (src/cli/report.ts reportRenderer) and hands the text to the CLI's output (src/cli/output.ts
 * ReportOutput) over a stream that drops what it is given: everything the CLI does after the
 * analysis but the system's write. Prints the best and the median CPU time (user and system, so
 * that other processes on the machine count less) per call and per message.
 * `RENDER_SRC=DIR[:DIR...]` takes the timeline, renderers and output from other copies of src/
 * (an older commit's, from `git archive`), alternated round by round, to compare builds in one
 * process over the same analysis, each later build also as the median of its per-round ratios to
 * the first. Not part of the tests.
 */
import { analyze } from '../src/index.js';
import type { timelineCall as TimelineCallFn } from '../src/present/timeline.js';
import type { ReportOptions } from '../src/cli/options.js';
import type { reportRenderer as ReportRendererFn } from '../src/cli/report.js';
import type { ReportOutput as ReportOutputClass } from '../src/cli/output.js';

const [file, format = 'ndjson', roundsArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: render-bench.ts FILE [format] [rounds]');
const rounds = Number(roundsArg ?? 9);
const sources = (process.env['RENDER_SRC'] ?? new URL('../src', import.meta.url).pathname).split(':');
interface Build {
  readonly reportRenderer: typeof ReportRendererFn;
  readonly timelineCall: typeof TimelineCallFn;
  readonly ReportOutput: typeof ReportOutputClass;
}
const builds: Build[] = [];
for (const src of sources) {
  const { reportRenderer } = (await import(`${src}/cli/report.ts`)) as Pick<Build, 'reportRenderer'>;
  const { timelineCall } = (await import(`${src}/present/timeline.ts`)) as Pick<Build, 'timelineCall'>;
  const { ReportOutput } = (await import(`${src}/cli/output.ts`)) as Pick<Build, 'ReportOutput'>;
  builds.push({ reportRenderer, timelineCall, ReportOutput });
}

const analyzed = (await analyze([file])).calls;
const messages = analyzed.reduce((n, c) => n + c.call.messages.length + c.call.duplicates.length, 0);
const options = { format, lang: 'en', filter: {}, failOn: 'error', width: 100, color: false, stats: false, ladder: false } as unknown as ReportOptions;

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `best ${s[0]!.toFixed(2)}, median ${s[Math.floor(s.length / 2)]!.toFixed(2)}`;
}

const perCall = sources.map((): number[] => []);
const written = sources.map(() => 0);
for (let r = 0; r < rounds; r++) {
  builds.forEach((build, i) => {
    const renderer = build.reportRenderer(options);
    if (renderer.kind !== 'calls') throw new Error(`${format} is not written call by call`);
    let bytes = 0;
    const out = build.ReportOutput.open('/dev/null');
    const t = process.cpuUsage();
    for (const analyzedCall of analyzed) {
      const call = build.timelineCall(analyzedCall, 'en');
      const text = renderer.callBytes?.(call) ?? renderer.call(call);
      bytes += typeof text === 'string' ? Buffer.byteLength(text) : text.length;
      out.write(text);
    }
    out.close();
    const used = process.cpuUsage(t);
    perCall[i]!.push((used.user + used.system) / analyzed.length);
    written[i] = bytes;
  });
}
sources.forEach((src, i) => {
  const calls = perCall[i]!;
  // Against the first build, round by round (the two took turns, so they shared each round's load).
  const ratios = i === 0 ? '' : `; per-round ratio to the first: median ${median(calls.map((t, r) => t / perCall[0]![r]!)).toFixed(3)}`;
  console.log(`${src}: ${format}, ${analyzed.length} calls, ${messages} messages, ${written[i]} bytes; µs per call: ${stats(calls)}; µs per message: ${stats(calls.map((t) => (t * analyzed.length) / messages))}${ratios}`);
});
