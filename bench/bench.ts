/**
 * `npm run bench`: generates the benchmark captures with the project's own writer (bench/generate.ts)
 * and measures, on the same files in the same run, siplens' whole analysis (the built CLI, NDJSON to
 * /dev/null), siplens' scan alone (every layer down to SIP parsing, messages dropped), and the peers
 * that are installed: tshark (`-Y sip` with fields, and `-z rtp,streams` on files with RTP), sngrep (`-N -q -I`, its dialog limit
 * lifted; with `-r` too on files with RTP) and sipgrep (`-I`).
 *
 *   npm run bench                      RTP-heavy pcap (~1 GB), SIP-heavy pcap (~500 MB) and the same as pcapng
 *   npm run bench -- --record          also appends the results with the machine and date to BENCHMARKS.md
 *   npm run bench -- --growth          growth check instead: SIP-heavy traffic at 1×, 4× and 16× a base size
 *   npm run bench -- --only sip-pcap   one file (rtp, sip-pcap, sip-pcapng; comma-separated)
 *   npm run bench -- --readers         adds the capture reader alone and pcap-parser (npm)
 *   npm run bench -- --formats         adds siplens with every report format and command (time and peak RSS each)
 *
 * Environment: BENCH_RTP_MB (1000), BENCH_SIP_MB (500), BENCH_RUNS (3: siplens runs per file, median),
 * BENCH_PEER_RUNS (1), BENCH_PEERS (tshark,sngrep,sipgrep), BENCH_GROWTH_MB (25: the 1× size).
 * A small smoke run: `BENCH_RTP_MB=20 BENCH_SIP_MB=10 BENCH_RUNS=1 npm run bench`.
 *
 * Wall time is measured around each process (start-up and JIT warm-up included); peak RSS with
 * /usr/bin/time -f %M when present, else from /proc/PID/status (VmHWM, sampled until exit).
 * Not part of the tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { build } from 'esbuild';
import { join } from 'node:path';
import { GENERATOR_VERSION, generateTraffic, RTP_HEAVY, SIP_HEAVY, type Generated, type TrafficOptions } from './generate.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const envNumber = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(v)}`);
  return n;
};

const RUNS = envNumber('BENCH_RUNS', 3);
const PEER_RUNS = envNumber('BENCH_PEER_RUNS', 1);
const PEERS = new Set((process.env.BENCH_PEERS ?? 'tshark,sngrep,sipgrep').split(',').filter(Boolean));
const dir = join(process.cwd(), 'bench', 'out');
mkdirSync(dir, { recursive: true });
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// ---------------------------------------------------------------------------------------------
// Files

interface BenchFile {
  readonly label: string;
  readonly path: string;
  readonly bytes: number;
  readonly traffic: Generated;
}

/** Generates `paths` (same traffic; the first one's size is the target) unless they exist from this generator version. */
function ensure(paths: readonly string[], megabytes: number, traffic: TrafficOptions): Generated {
  const meta = `${paths[0]}.json`;
  if (paths.every((p) => existsSync(p)) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { version: number; target: number; traffic: Generated; sizes: number[] };
    if (m.version === GENERATOR_VERSION && m.target === megabytes * 1e6 && paths.every((p, i) => statSync(p).size === m.sizes[i])) return m.traffic;
  }
  process.stderr.write(`generating ${paths.join(' + ')} ... `);
  const start = performance.now();
  const g = generateTraffic(paths, megabytes * 1e6, traffic);
  const sizes = paths.map((p) => statSync(p).size);
  writeFileSync(meta, JSON.stringify({ version: GENERATOR_VERSION, target: megabytes * 1e6, traffic: g, sizes }, null, 1));
  process.stderr.write(
    `${((performance.now() - start) / 1000).toFixed(1)} s: ${sizes.map((s) => `${(s / 1e6).toFixed(0)} MB`).join(' + ')}, ${g.frames} frames, ` +
      `${g.sipMessages} SIP messages, ${g.calls} calls, ${g.rtpPackets} RTP packets, ${g.seconds.toFixed(0)} s of capture\n`,
  );
  return g;
}

// ---------------------------------------------------------------------------------------------
// Measuring one process

interface Run {
  seconds: number;
  rssMB: number;
  /** Lines on stdout when counted, else null. */
  lines: number | null;
}

/**
 * Runs `command args` with stdout to /dev/null (or counted, when `countLines`), stderr kept for errors.
 * Wall time around the process; peak RSS from /usr/bin/time or /proc.
 */
async function measure(command: string, argv: readonly string[], okCodes: readonly number[], countLines = false): Promise<Run> {
  const timeFile = join(dir, `.time-${process.pid}`);
  const [cmd, cmdArgs] = TIME === null ? [command, argv] : [TIME, ['-f', '%M', '-o', timeFile, command, ...argv]];
  const start = performance.now();
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', countLines ? 'pipe' : 'ignore', 'pipe'] });
  let lines: number | null = null;
  if (countLines) {
    lines = 0;
    child.stdout!.on('data', (b: Buffer) => {
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines!++;
    });
  }
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    if (stderr.length < 4096) stderr += b.toString();
  });
  let hwm = 0;
  const poll =
    TIME === null
      ? setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            // exited
          }
        }, 20)
      : null;
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  const seconds = (performance.now() - start) / 1000;
  if (poll !== null) clearInterval(poll);
  let kb = hwm;
  if (TIME !== null) {
    kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
    rmSync(timeFile, { force: true });
  }
  if (!okCodes.includes(code)) throw new Error(`${command} ${argv.join(' ')} exited with ${code}: ${stderr.trim().slice(0, 800)}`);
  return { seconds, rssMB: kb / 1024, lines };
}

function installed(command: string, versionArg: string): string | null {
  const r = spawnSync(command, [versionArg], { encoding: 'utf8' });
  if (r.error) return null;
  const text = `${r.stdout}\n${r.stderr}`;
  const m = /\d+\.\d+(\.\d+)?/.exec(text);
  return m ? m[0] : 'installed';
}

// ---------------------------------------------------------------------------------------------
// Tools

interface Tool {
  readonly name: string;
  /** siplens' own measures are the reference of the ratio column. */
  readonly siplens: boolean;
  readonly runs: number;
  /** Only for files that carry RTP (a media analysis of a file without media says nothing). */
  readonly mediaOnly?: boolean;
  run(file: BenchFile): Promise<Run>;
}

const node = process.execPath;
/** bench/scan.ts bundled like the CLI (main() builds it), so both start the same way. */
const SCAN = join(dir, 'scan.mjs');
const tools: Tool[] = [
  {
    name: 'siplens analyze (CLI, --format ndjson)',
    siplens: true,
    runs: RUNS,
    run: (f) => measure(node, ['dist/cli.js', f.path, '--format', 'ndjson'], [0, 1]),
  },
  {
    name: 'siplens analysis, nothing rendered (library analyzeStream)',
    siplens: true,
    runs: RUNS,
    run: (f) => measure(node, [SCAN, f.path, 'analysis'], [0]),
  },
  {
    name: 'siplens scan (capture … SIP parse, no correlation)',
    siplens: true,
    runs: RUNS,
    run: (f) => measure(node, [SCAN, f.path, 'scan'], [0]),
  },
];
if (flag('--readers')) {
  tools.push(
    { name: 'siplens capture reader (records only)', siplens: true, runs: RUNS, run: (f) => measure(node, [SCAN, f.path, 'reader'], [0]) },
    { name: 'siplens scan + media join (no correlation)', siplens: true, runs: RUNS, run: (f) => measure(node, [SCAN, f.path, 'media'], [0]) },
    { name: 'pcap-parser (npm, records only; pcap only)', siplens: false, runs: RUNS, run: (f) => measure(node, [SCAN, f.path, 'pcap-parser'], [0]) },
  );
}
if (flag('--formats')) {
  // Every report format and command on the same file, output to /dev/null: the time and, above all,
  // the peak RSS of each (memory bounded by the calls open at once, whatever the format).
  const formats = ['text', 'json', 'html', 'markdown', 'mermaid', 'csv', 'junit', 'github', 'ladder'];
  for (const format of formats) {
    tools.push({ name: `siplens --format ${format}`, siplens: true, runs: 1, run: (f) => measure(node, ['dist/cli.js', f.path, '--format', format, '-o', '/dev/null'], [0, 1]) });
  }
  tools.push(
    { name: 'siplens check', siplens: true, runs: 1, run: (f) => measure(node, ['dist/cli.js', 'check', f.path], [0, 1]) },
    { name: 'siplens messages', siplens: true, runs: 1, run: (f) => measure(node, ['dist/cli.js', 'messages', f.path], [0, 1]) },
    { name: 'siplens stats', siplens: true, runs: 1, run: (f) => measure(node, ['dist/cli.js', 'stats', f.path], [0, 1]) },
  );
}
const versions: Record<string, string | null> = {
  tshark: PEERS.has('tshark') ? installed('tshark', '--version') : null,
  sngrep: PEERS.has('sngrep') ? installed('sngrep', '-V') : null,
  sipgrep: PEERS.has('sipgrep') ? installed('sipgrep', '-V') : null,
};
if (versions.tshark) {
  tools.push({
    name: `tshark ${versions.tshark} -Y sip -T fields`,
    siplens: false,
    runs: PEER_RUNS,
    run: (f) => measure('tshark', ['-n', '-r', f.path, '-Y', 'sip', '-T', 'fields', '-e', 'frame.number', '-e', 'sip.Call-ID'], [0], true),
  });
}
if (versions.tshark) {
  // The media peer: Wireshark's RTP stream analysis, with its RTP heuristic on (the bench file's streams come from SDP too).
  tools.push({
    name: `tshark ${versions.tshark} -q -z rtp,streams`,
    siplens: false,
    runs: PEER_RUNS,
    mediaOnly: true,
    run: (f) => measure('tshark', ['-n', '-q', '-o', 'rtp.heuristic_rtp:TRUE', '-z', 'rtp,streams', '-r', f.path], [0]),
  });
}
if (versions.sngrep) {
  // -N no interface, -q quiet, -I read the file. It keeps every dialog in memory and by default stops
  // storing new ones at 20,000 (it then skips their work, which makes its time meaningless): -l lifts that.
  const limit = ['-l', '100000000'];
  tools.push({ name: `sngrep ${versions.sngrep} -N -q -l 1e8 -I`, siplens: false, runs: PEER_RUNS, run: (f) => measure('sngrep', ['-N', '-q', ...limit, '-I', f.path], [0]) });
  // -r keeps the RTP packets of the dialogs' streams too (sngrep's media view).
  tools.push({
    name: `sngrep ${versions.sngrep} -N -q -r -l 1e8 -I`,
    siplens: false,
    runs: PEER_RUNS,
    mediaOnly: true,
    run: (f) => measure('sngrep', ['-N', '-q', '-r', ...limit, '-I', f.path], [0]),
  });
}
if (versions.sipgrep) {
  // Prints every SIP message (ports 5060-5061, BPF-filtered by libpcap), no colours; output to /dev/null.
  tools.push({ name: `sipgrep ${versions.sipgrep} -C -I`, siplens: false, runs: PEER_RUNS, run: (f) => measure('sipgrep', ['-C', '-I', f.path], [0]) });
}
const missing = Object.entries(versions)
  .filter(([name, v]) => v === null && PEERS.has(name))
  .map(([name]) => name);

// ---------------------------------------------------------------------------------------------
// Reporting

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const rate = (n: number, s: number): string => (n / s >= 1e6 ? `${(n / s / 1e6).toFixed(2)} M` : `${(n / s / 1e3).toFixed(0)} k`);

function machine(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average at start ${load}`;
}

interface Measured {
  tool: Tool;
  runs: Run[];
}

async function benchFile(file: BenchFile): Promise<string> {
  const t = file.traffic;
  const header =
    `#### ${file.label}: ${(file.bytes / 1e6).toFixed(0)} MB, ${t.frames} frames, ${t.sipMessages} SIP messages, ${t.calls} calls` +
    (t.rtpPackets > 0 ? `, ${t.rtpPackets} RTP packets` : '') +
    `, ${t.seconds.toFixed(0)} s of traffic`;
  console.log(`\n${header}`);
  const results: Measured[] = [];
  for (const tool of tools) {
    if (tool.name.startsWith('pcap-parser') && file.path.endsWith('.pcapng')) continue;
    if (tool.mediaOnly === true && file.traffic.rtpPackets === 0) continue;
    const m: Measured = { tool, runs: [] };
    for (let i = 0; i < tool.runs; i++) {
      const r = await tool.run(file);
      m.runs.push(r);
      console.log(`  ${tool.name}: ${r.seconds.toFixed(3)} s, ${r.rssMB.toFixed(0)} MB${r.lines !== null ? `, ${r.lines} lines` : ''}`);
    }
    results.push(m);
  }
  const analysis = median(results[0]!.runs.map((r) => r.seconds));
  const rows = results.map(({ tool, runs }) => {
    const s = median(runs.map((r) => r.seconds));
    const rss = Math.max(...runs.map((r) => r.rssMB));
    const found = runs[0]!.lines !== null ? ` (${runs[0]!.lines} SIP lines)` : '';
    const ratio = tool.siplens ? `${(s / analysis).toFixed(2)}` : `**${(s / analysis).toFixed(1)}×**`;
    return `| ${tool.name}${found} | ${s.toFixed(3)} (${runs.length}) | ${(file.bytes / 1e6 / s).toFixed(0)} | ${rate(t.frames, s)} | ${rate(t.sipMessages, s)} | ${rss.toFixed(0)} | ${ratio} |`;
  });
  return [
    header,
    '',
    '| tool | median s (runs) | MB/s | packets/s | SIP messages/s | peak RSS MB | time ÷ siplens analyze |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  // The CLI measured is the bundle: build it from the current sources first.
  spawnSync(node, ['scripts/build.mjs', '--no-types'], { stdio: 'inherit' });
  await build({ entryPoints: ['bench/scan.ts'], outfile: SCAN, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['pcap-parser'], sourcemap: true, logLevel: 'warning' });
  const started = new Date();
  const sections: string[] = [];
  const intro: string[] = [`Machine: ${machine()}.`];
  if (missing.length > 0) intro.push(`Not installed, so not measured: ${missing.join(', ')}.`);

  if (flag('--growth')) {
    const base = envNumber('BENCH_GROWTH_MB', 25);
    const rows: string[] = [];
    let first: { perMB: number; rss: number } | null = null;
    const analyze = tools[0]!;
    console.log(`growth check: SIP-heavy pcap at 1×, 4×, 16× ${base} MB, siplens analyze, median of ${RUNS}`);
    // Start-up (loading the bundle, no traffic to speak of): taken off before the time per MB is compared.
    const startup: number[] = [];
    for (let i = 0; i < Math.max(RUNS, 3); i++) startup.push((await measure(node, ['dist/cli.js', 'samples/demo.pcap', '--format', 'ndjson'], [0, 1])).seconds);
    const start0 = median(startup);
    console.log(`  start-up (samples/demo.pcap): ${start0.toFixed(3)} s`);
    for (const k of [1, 4, 16]) {
      const mb = base * k;
      const path = join(dir, `sip-heavy-${mb}MB.pcap`);
      const traffic = ensure([path], mb, SIP_HEAVY);
      const file: BenchFile = { label: `${k}×`, path, bytes: statSync(path).size, traffic };
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await analyze.run(file);
        runs.push(r);
        console.log(`  ${k}× (${(file.bytes / 1e6).toFixed(0)} MB): ${r.seconds.toFixed(3)} s, ${r.rssMB.toFixed(0)} MB`);
      }
      const s = median(runs.map((r) => r.seconds));
      const rss = Math.max(...runs.map((r) => r.rssMB));
      const perMB = Math.max(s - start0, 0) / (file.bytes / 1e6);
      first ??= { perMB, rss };
      rows.push(
        `| ${k}× | ${(file.bytes / 1e6).toFixed(0)} | ${traffic.calls} | ${traffic.sipMessages} | ${s.toFixed(3)} (${runs.length}) | ${(perMB * 1000).toFixed(2)} | ${rate(traffic.sipMessages, s)} | ${rss.toFixed(0)} | ${(perMB / first.perMB).toFixed(2)} | ${(rss / first.rss).toFixed(2)} |`,
      );
    }
    sections.push(
      [
        `Growth check: the same SIP-heavy traffic (${SIP_HEAVY.cps} calls/s, no media) at 1×, 4× and 16× ${base} MB; siplens analyze (CLI, NDJSON to /dev/null). ` +
          `Start-up (${start0.toFixed(3)} s, the CLI on samples/demo.pcap) is taken off before the time per MB. ` +
          `Linear time: ms per MB stays at 1.00×; bounded memory: peak RSS stays at 1.00×.`,
        '',
        '| size | MB | calls | SIP messages | median s (runs) | ms per MB (after start-up) | SIP messages/s | peak RSS MB | ms per MB vs 1× | peak RSS vs 1× |',
        '|---|---|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } else {
    const only = new Set((option('--only') ?? 'rtp,sip-pcap,sip-pcapng').split(','));
    const rtpMB = envNumber('BENCH_RTP_MB', 1000);
    const sipMB = envNumber('BENCH_SIP_MB', 500);
    const files: BenchFile[] = [];
    if (only.has('rtp')) {
      const path = join(dir, `rtp-heavy-${rtpMB}MB.pcap`);
      const traffic = ensure([path], rtpMB, RTP_HEAVY);
      files.push({ label: 'RTP-heavy pcap (a trunk: calls with G.711 media both ways)', path, bytes: statSync(path).size, traffic });
    }
    if (only.has('sip-pcap') || only.has('sip-pcapng')) {
      const pcap = join(dir, `sip-heavy-${sipMB}MB.pcap`);
      const pcapng = join(dir, `sip-heavy-${sipMB}MB.pcapng`);
      const traffic = ensure([pcap, pcapng], sipMB, SIP_HEAVY);
      const label = 'SIP-heavy %s (a trunk without media: full call flows, 486, CANCEL/487, 404, REGISTER/401, OPTIONS)';
      if (only.has('sip-pcap')) files.push({ label: label.replace('%s', 'pcap'), path: pcap, bytes: statSync(pcap).size, traffic });
      if (only.has('sip-pcapng')) files.push({ label: label.replace('%s', 'pcapng'), path: pcapng, bytes: statSync(pcapng).size, traffic });
    }
    intro.push(`siplens: median of ${RUNS} runs in fresh processes; peers: ${PEER_RUNS} run(s). Wall time per process (start-up included).`);
    for (const f of files) sections.push(await benchFile(f));
  }

  const which = (option('--only') ?? 'rtp,sip-pcap,sip-pcapng').split(',').join(', ');
  const title = `### ${started.toISOString().slice(0, 10)} — ${flag('--growth') ? 'growth check' : `benchmark captures (${which})`}`;
  const report = [title, '', ...intro, '', ...sections].join('\n');
  console.log(`\n${report}`);
  if (flag('--record')) appendFileSync('BENCHMARKS.md', `\n${report}`);
}

await main();
