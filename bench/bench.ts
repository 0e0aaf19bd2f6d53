/**
 * `npm run bench`: generates a large RTP-heavy capture and measures siplens against its
 * peers on the same file in the same run. Prints medians and ratios; with --record,
 * appends them with the machine and date to BENCHMARKS.md. Not part of the tests.
 */
import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateCapture } from './generate.js';

const run = promisify(execFile);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const megabytes = Number(process.env.BENCH_MB ?? 400);
const dir = join(process.cwd(), 'bench', 'out');
mkdirSync(dir, { recursive: true });
const file = join(dir, `rtp-heavy-${megabytes}MB.pcap`);

if (!existsSync(file) || statSync(file).size < megabytes * 1e6 * 0.99) {
  process.stdout.write(`generating ${file} ... `);
  const g = await generateCapture(file, megabytes * 1e6);
  console.log(`${(g.bytes / 1e6).toFixed(0)} MB, ${g.frames} frames, ${g.sipMessages} SIP messages`);
}
const bytes = statSync(file).size;

interface Measure {
  name: string;
  seconds: number[];
  frames: number;
  sip: number;
  rssMB: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function measureScan(mode: string, name: string, n: number): Promise<Measure> {
  const m: Measure = { name, seconds: [], frames: 0, sip: 0, rssMB: 0 };
  for (let i = 0; i < n; i++) {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/scan.ts', file, mode], { maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!);
    m.seconds.push(r.seconds);
    m.frames = r.frames;
    m.sip = r.sipMessages;
    m.rssMB = Math.max(m.rssMB, r.maxRssMB);
  }
  return m;
}

async function measureCommand(name: string, command: string, args: string[], n: number, count: (stdout: string) => number): Promise<Measure | null> {
  if (spawnSync(command, ['--version']).error) return null;
  const m: Measure = { name, seconds: [], frames: 0, sip: 0, rssMB: 0 };
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const { stdout } = await run(command, args, { maxBuffer: 1 << 30 }).catch((e: { stdout: string; stderr: string }) => e);
    m.seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    m.sip = count(stdout);
  }
  return m;
}

const results: Measure[] = [];
results.push(await measureScan('reader', 'siplens capture reader (pcap records only)', runs));
results.push(await measureScan('scan', 'siplens scan (capture+link+IP+UDP+SIP)', runs));
results.push(await measureScan('pcap-parser', 'pcap-parser (npm, records only)', Math.min(runs, 3)));
const tsharkRuns = Number(process.env.BENCH_TSHARK_RUNS ?? 1);
const tshark = await measureCommand('tshark -Y sip -T fields', 'tshark', ['-n', '-r', file, '-Y', 'sip', '-T', 'fields', '-e', 'frame.number', '-e', 'sip.Call-ID'], tsharkRuns, (out) => out.split('\n').filter(Boolean).length);
if (tshark) results.push(tshark);
// sngrep in batch mode: -N no interface, -q quiet, -I read the file (it keeps every dialog in memory).
const sngrep = await measureCommand('sngrep -N -q -I', 'sngrep', ['-N', '-q', '-I', file], Math.min(runs, 3), () => 0);
if (sngrep) results.push(sngrep);

const scan = results[1]!;
const lines = [
  `| tool | median s (runs) | MB/s | frames/s | SIP found | ratio vs siplens scan |`,
  `|---|---|---|---|---|---|`,
  ...results.map((r) => {
    const s = median(r.seconds);
    const frames = r.frames || scan.frames;
    return `| ${r.name} | ${s.toFixed(3)} (${r.seconds.length}) | ${(bytes / 1e6 / s).toFixed(0)} | ${(frames / s / 1e6).toFixed(2)} M | ${r.sip || '-'} | ${(s / median(scan.seconds)).toFixed(2)}× |`;
  }),
];
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const report = [
  `### ${new Date().toISOString().slice(0, 10)} — ${(bytes / 1e6).toFixed(0)} MB RTP-heavy pcap (${scan.frames} frames, ${scan.sip} SIP messages)`,
  ``,
  `Machine: ${machine}. siplens peak RSS: ${scan.rssMB.toFixed(0)} MB (scan).`,
  ``,
  ...lines,
  ``,
].join('\n');
console.log(report);
if (process.argv.includes('--record')) appendFileSync('BENCHMARKS.md', `\n${report}`);
