#!/usr/bin/env node
/**
 * Summarises a V8 CPU profile (`node --cpu-prof ...` writes CPU.*.cpuprofile): self time by
 * function, by source file, and total (inclusive) time of the heaviest functions. Locations in a
 * bundle (dist/cli.js) are mapped back to src/ through its source map when one sits next to it.
 *
 *   node --cpu-prof --cpu-prof-dir=bench/out/prof dist/cli.js bench/out/sip-heavy-50MB.pcap --format ndjson > /dev/null
 *   node bench/profile-summary.mjs bench/out/prof/CPU.*.cpuprofile [--top 25] [--json] [--lines NAME]
 *
 * `--lines NAME`: the hottest source lines (self ticks) of the functions named NAME.
 *
 * Several profiles are summed. Plain JavaScript so it runs anywhere without a build.
 */
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const files = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && (argv[i - 1] === '--top' || argv[i - 1] === '--lines')));
const linesIndex = argv.indexOf('--lines');
const LINES_OF = linesIndex >= 0 ? argv[linesIndex + 1] : null;
const topIndex = argv.indexOf('--top');
const TOP = topIndex >= 0 ? Number(argv[topIndex + 1]) : 20;
const asJson = argv.includes('--json');
if (files.length === 0) {
  console.error('usage: node bench/profile-summary.mjs PROFILE.cpuprofile... [--top N] [--json]');
  process.exit(2);
}

const maps = new Map();
function sourceMapOf(url) {
  if (!url.startsWith('file://') && !url.startsWith('/')) return null;
  if (maps.has(url)) return maps.get(url);
  let map = null;
  try {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    if (existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

function shortPath(p) {
  const i = p.lastIndexOf('/src/');
  if (i >= 0) return p.slice(i + 1);
  const n = p.lastIndexOf('/node_modules/');
  if (n >= 0) return p.slice(n + 1);
  return p.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
}

/** "function (src/file.ts:line)", mapped through the source map when there is one. */
function describe(frame) {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return { name, file: name.startsWith('(') ? name : '(native)', where: '' };
  const map = sourceMapOf(frame.url);
  if (map !== null && frame.lineNumber >= 0) {
    const e = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (e && e.originalSource) {
      const file = shortPath(e.originalSource);
      return { name, file, where: `${file}:${e.originalLine + 1}` };
    }
  }
  const file = shortPath(frame.url);
  return { name, file, where: `${file}:${frame.lineNumber + 1}` };
}

const self = new Map(); // key -> { name, where, ms }
const byFile = new Map();
const total = new Map(); // key -> ms (inclusive, each sample counted once per function)
let allMs = 0;
const lineTicks = new Map(); // "file:line" -> ticks, for --lines

for (const f of files) {
  const profile = JSON.parse(readFileSync(f, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const info = new Map();
  for (const n of profile.nodes) {
    const d = describe(n.callFrame);
    info.set(n.id, { ...d, key: `${d.name} ${d.where}` });
    if (LINES_OF !== null && n.callFrame.functionName === LINES_OF) {
      const map = sourceMapOf(n.callFrame.url);
      for (const { line, ticks } of n.positionTicks ?? []) {
        const e = map?.findEntry(line - 1, 0);
        const where = e?.originalSource ? `${shortPath(e.originalSource)}:${e.originalLine + 1}` : `${shortPath(n.callFrame.url)}:${line}`;
        lineTicks.set(where, (lineTicks.get(where) ?? 0) + ticks);
      }
    }
  }
  const samples = profile.samples;
  const deltas = profile.timeDeltas;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the time after it (the next delta) to it.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    if (ms <= 0) continue;
    allMs += ms;
    const id = samples[i];
    const d = info.get(id);
    const s = self.get(d.key) ?? { name: d.name, where: d.where, ms: 0 };
    s.ms += ms;
    self.set(d.key, s);
    byFile.set(d.file, (byFile.get(d.file) ?? 0) + ms);
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const k = info.get(p).key;
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
    void nodes;
  }
}

const pct = (ms) => `${((100 * ms) / allMs).toFixed(1)}%`;
const selfTop = [...self.values()].sort((a, b) => b.ms - a.ms).slice(0, TOP);
const fileTop = [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
const totalTop = [...total.entries()]
  .filter(([k]) => !k.startsWith('(root)') && !k.startsWith('(program)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, TOP);

if (LINES_OF !== null) {
  const all = [...lineTicks.values()].reduce((a, b) => a + b, 0);
  console.log(`hottest lines of ${LINES_OF} (${all} self ticks):`);
  for (const [where, ticks] of [...lineTicks.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${String(ticks).padStart(8)} ${((100 * ticks) / all).toFixed(1).padStart(5)}%  ${where}`);
  }
} else if (asJson) {
  console.log(JSON.stringify({ totalMs: allMs, self: selfTop, files: fileTop, inclusive: totalTop }, null, 1));
} else {
  console.log(`profile: ${files.length} file(s), ${allMs.toFixed(0)} ms sampled\n`);
  console.log(`self time, top ${TOP} functions:`);
  for (const s of selfTop) console.log(`${s.ms.toFixed(0).padStart(8)} ms ${pct(s.ms).padStart(6)}  ${s.name}  ${s.where}`);
  console.log(`\nself time by source file:`);
  for (const [file, ms] of fileTop) console.log(`${ms.toFixed(0).padStart(8)} ms ${pct(ms).padStart(6)}  ${file}`);
  console.log(`\ntotal (inclusive) time, top ${TOP}:`);
  for (const [k, ms] of totalTop) console.log(`${ms.toFixed(0).padStart(8)} ms ${pct(ms).padStart(6)}  ${k}`);
}
