/**
 * In-process account of the rules' CPU at hand-over, for before/after comparisons of builds:
 *
 *   node bench/rules-bench.mjs FILE ROUNDS DIST_INDEX... [--per-rule]
 *
 * Imports each library bundle given (dist/index.js, and copies of older builds) into one process
 * and runs the streaming analysis of FILE with nothing rendered, ROUNDS times, the builds taking
 * turns round by round, so that they share the machine's load. For each build it prints the median
 * over the rounds of: the CPU time (user+sys, `process.cpuUsage`) spent in checkCall's rules, read
 * at the start of the first rule that runs on a call and the end of the last rule that runs on
 * every call (without Rule.needs; a gated rule after it is not counted), and the CPU time of the whole
 * analysis, the count of messages whose header lines were read (SipMessage.headers), and each later build's median ratio to the first one, round by round. The first round of each build warms it up and is left out. `--per-rule`: the wall time
 * of each rule's check, summed over the rounds after the first (clock reads of about 60 ns per rule and call),
 * to rank them. Not part of the tests.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const perRule = args.includes('--per-rule');
const [file, roundsArg, ...dists] = args.filter((a) => !a.startsWith('--'));
if (file === undefined || roundsArg === undefined || dists.length === 0) throw new Error('usage: rules-bench.mjs FILE ROUNDS DIST_INDEX... [--per-rule]');
const rounds = Number(roundsArg);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function instrumented(dist) {
  const lib = await import(pathToFileURL(resolve(dist)).href);
  // `started` is null between calls: the first rule that runs on a call starts its clock.
  const state = { rulesMs: 0, perRule: new Map(), started: null };
  // The last rule that runs on every call (no Rule.needs) stops it: the engine skips a rule with
  // needs on a call without them, so the last rule of the list may not run at all.
  const everyCall = lib.RULES.filter((r) => r.needs === undefined);
  const last = everyCall[everyCall.length - 1];
  const timedUpTo = lib.RULES.indexOf(last);
  lib.RULES.forEach((rule, index) => {
    const check = rule.check;
    const id = rule.meta.id;
    state.perRule.set(id, 0);
    // A gated rule after the last one is not counted: it would start a clock nothing stops until the next call.
    const starts = index <= timedUpTo;
    rule.check = function timed(call, context) {
      if (starts) state.started ??= cpuMs();
      const t = perRule ? performance.now() : 0;
      try {
        return check.call(this, call, context);
      } finally {
        if (perRule) state.perRule.set(id, state.perRule.get(id) + performance.now() - t);
        if (rule === last) {
          state.rulesMs += cpuMs() - state.started;
          state.started = null;
        }
      }
    };
  });
  // Messages whose header lines are read again at hand-over (the compact message's `headers`, made when first asked for).
  const proto = Object.getPrototypeOf(lib.parseSipMessage(new TextEncoder().encode('OPTIONS sip:a SIP/2.0\r\nCall-ID: x\r\n\r\n')).message);
  const getter = Object.getOwnPropertyDescriptor(proto, 'headers').get;
  state.headerReads = 0;
  Object.defineProperty(proto, 'headers', {
    get() {
      if (this.headerList === null) state.headerReads++;
      return getter.call(this);
    },
  });
  return { dist, lib, state, rules: [], whole: [] };
}

const builds = [];
for (const dist of dists) builds.push(await instrumented(dist));
for (let round = 0; round <= rounds; round++) {
  for (const b of builds) {
    b.state.rulesMs = 0;
    b.state.headerReads = 0;
    if (round === 1) for (const id of b.state.perRule.keys()) b.state.perRule.set(id, 0);
    const t = cpuMs();
    await b.lib.analyzeStream([file], { onCalls: () => {} });
    if (round === 0) continue;
    b.whole.push(cpuMs() - t);
    b.rules.push(b.state.rulesMs);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = builds[0];
for (const b of builds) {
  const ratio = (k) => median(b[k].map((x, i) => x / base[k][i])).toFixed(3);
  if (b !== base) console.log(`${b.dist} against ${base.dist}, median of the rounds' ratios: rules ${ratio('rules')}, analysis ${ratio('whole')}`);
  console.log(`${b.dist}: rules CPU median ${median(b.rules).toFixed(0)} ms (${b.rules.map((x) => x.toFixed(0)).join(' ')}); analysis CPU median ${median(b.whole).toFixed(0)} ms (${b.whole.map((x) => x.toFixed(0)).join(' ')}); header sections read per run ${b.state.headerReads}`);
  if (!perRule) continue;
  const rows = [...b.state.perRule].sort((x, y) => y[1] - x[1]);
  const sum = rows.reduce((s, [, ms]) => s + ms, 0);
  for (const [id, ms] of rows.slice(0, 20)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${((100 * ms) / sum).toFixed(1).padStart(5)} %  ${id}`);
}
