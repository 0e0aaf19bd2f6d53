/**
 * In-process account of the rules' CPU at hand-over, per rule, for before/after comparisons:
 *
 *   node bench/rules-bench.mjs DIST_INDEX FILE [--top N]
 *
 * Imports the library bundle at DIST_INDEX (dist/index.js, or a copy of an older build), wraps
 * each rule's `check` with a clock and runs the streaming analysis of FILE with nothing rendered.
 * Prints the sum of the checks (what checkCall spends in the rules, reports included), the
 * whole analysis' time, and the rules by time. The clock reads cost about 60 ns per rule and call,
 * the same for both builds. Not part of the tests.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, file, ...rest] = process.argv.slice(2);
if (dist === undefined || file === undefined) throw new Error('usage: rules-bench.mjs DIST_INDEX FILE [--top N]');
const top = rest[0] === '--top' ? Number(rest[1]) : 15;
const lib = await import(pathToFileURL(resolve(dist)).href);

const spent = new Map();
for (const rule of lib.RULES) {
  const check = rule.check;
  const id = rule.meta.id;
  spent.set(id, 0);
  rule.check = function timed(call, context) {
    const t = performance.now();
    try {
      return check.call(this, call, context);
    } finally {
      spent.set(id, spent.get(id) + performance.now() - t);
    }
  };
}

let calls = 0;
const t0 = performance.now();
await lib.analyzeStream([file], { onCalls: (batch) => (calls += batch.length) });
const whole = performance.now() - t0;
const rows = [...spent].sort((a, b) => b[1] - a[1]);
const rules = rows.reduce((s, [, ms]) => s + ms, 0);
console.log(`calls ${calls}; rules ${rules.toFixed(0)} ms; analysis ${whole.toFixed(0)} ms`);
for (const [id, ms] of rows.slice(0, top)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${((100 * ms) / rules).toFixed(1).padStart(5)} %  ${id}`);
