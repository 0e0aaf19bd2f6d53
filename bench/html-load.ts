/**
 * How long the HTML report of many calls takes to open in Chromium: the measure behind
 * BENCHMARKS.md's HTML sections. Not part of the tests.
 *
 *   npx tsx bench/html-load.ts write DIR [CALLS]      writes DIR/many.pcap (CALLS short calls, default 100,000)
 *                                                    and its report DIR/many.html with this checkout's code
 *   npx tsx bench/html-load.ts load A.html B.html…   opens each page in turn, BENCH_RUNS rounds (default 3),
 *                                                    and prints the time from navigation to the filled call list
 *
 * Pages are loaded alternately (A, B, A, B…) so that a change of the machine's load falls on
 * both: on a shared machine, compare pages measured in one run, not figures across runs.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { streamReport } from '../src/cli/report.js';
import { ReportOutput } from '../src/cli/output.js';
import { reportOptionsFrom } from '../src/cli/options.js';
import { writeManyCalls } from '../test/support/many-calls.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

async function write(dir: string, calls: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const capture = join(dir, 'many.pcap');
  if (!existsSync(capture)) writeManyCalls(capture, calls);
  const report = join(dir, 'many.html');
  const started = Date.now();
  const out = ReportOutput.open(report);
  try {
    await streamReport([capture], reportOptionsFrom({}, 'html', 'error', false), {}, out);
  } finally {
    out.close();
  }
  console.log(`${report}: ${(statSync(report).size / 1e6).toFixed(1)} MB written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function load(pages: string[], rounds: number): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const times = new Map<string, number[]>(pages.map((p) => [p, []]));
  const inPage = new Map<string, number[]>(pages.map((p) => [p, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const path of pages) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const started = Date.now();
        await page.goto(pathToFileURL(resolve(path)).href, { timeout: 600_000 });
        await page.locator('#filter-count:not(:empty)').waitFor({ timeout: 600_000 });
        const ms = Date.now() - started;
        times.get(path)!.push(ms);
        // The page's own clock, without the polling above: the list is filled by the report's script,
        // which runs as the last element is parsed, so before the document is interactive.
        const timing = JSON.parse(
          await page.evaluate<string>("JSON.stringify((({ responseEnd, domInteractive }) => ({ responseEnd, domInteractive }))(performance.getEntriesByType('navigation')[0]))"),
        ) as { responseEnd: number; domInteractive: number };
        inPage.get(path)!.push(Math.round(timing.domInteractive));
        console.log(
          `round ${round + 1}: ${path}: ${ms} ms to the filled call list, ${Math.round(timing.domInteractive)} ms to interactive in the page (file read by ${Math.round(timing.responseEnd)} ms; ${await page.locator('#filter-count').textContent()}; load average ${loadavg()[0]!.toFixed(1)})`,
        );
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  const median = (ms: number[]): number => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  for (const [path, ms] of times) console.log(`${path}: filled list median ${median(ms)} ms of ${ms.join(', ')}; interactive median ${median(inPage.get(path)!)} ms of ${inPage.get(path)!.join(', ')}`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'write' && rest[0] !== undefined) await write(rest[0], Number(rest[1] ?? 100_000));
else if (command === 'load' && rest.length > 0) await load(rest, Number(process.env.BENCH_RUNS ?? 3));
else {
  console.error('usage: npx tsx bench/html-load.ts write DIR [CALLS] | load PAGE.html...');
  process.exitCode = 2;
}
