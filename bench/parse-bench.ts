/**
 * In-process timings of the SIP path, warm (JIT done), for before/after comparisons of a change:
 *
 *   npx tsx bench/parse-bench.ts FILE [rounds]
 *
 * - parse: parseSipMessage on every SIP message of FILE (bytes collected first), ns per message;
 * - scan: readInput on FILE (capture → link → IP → UDP/TCP → SIP parse), messages dropped.
 * Prints the best and the median of `rounds` (default 7). Not part of the tests.
 */
import { readInput } from '../src/parse/pipeline.js';
import { parseSipMessage } from '../src/parse/sip/parse.js';

const [file, roundsArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: parse-bench.ts FILE [rounds]');
const rounds = Number(roundsArg ?? 7);

const messages: Uint8Array[] = [];
await readInput(file, { onMessage: (m) => messages.push(m.message.raw) });

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `best ${s[0]!.toFixed(1)}, median ${s[Math.floor(s.length / 2)]!.toFixed(1)}`;
}

const parse: number[] = [];
let sink = 0;
for (let r = 0; r < rounds; r++) {
  const t = performance.now();
  for (const m of messages) sink += parseSipMessage(m).message.headers.length;
  parse.push(((performance.now() - t) * 1e6) / messages.length);
}
console.log(`parse: ${messages.length} messages, ns per message: ${stats(parse)}`);

const scan: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t = performance.now();
  const s = await readInput(file, { onMessage: () => {} });
  scan.push(performance.now() - t);
  sink += s.frames;
}
console.log(`scan: ms per pass: ${stats(scan)} (${((messages.length / Math.min(...scan)) * 1e3 / 1e3).toFixed(0)} k messages/s at best)`);
if (sink < 0) console.log(sink);
