// Correlation and the media join's SIP side, measured apart: `tsx bench/sip-side.ts FILE [rounds]`
// (or bundled with esbuild, to compare two source trees in processes that take turns). Each round
// reads FILE again (not measured: fresh messages, so that nothing parsed or cached in a round
// before is found again), then, CPU time (user + system) of each:
//   correlate: Correlator.add of every message and takeDue every 10 s of capture time, as the
//              analyzer does (HANDOVER_INTERVAL_MS), then takeAll;
//   join:      MediaJoin.addMessage of every message correlation kept and takeCall of every
//              call at the point the analyzer would hand it over (SDP parsed here, the first time);
//   sdp:       parseSdp of the text of every SDP body again (the parse alone, no cache).
// Prints one JSON line per round; the first round warms the code up. Not part of the tests.
import { readInput } from '../src/parse/pipeline.js';
import { Correlator } from '../src/parse/dialog/correlate.js';
import { MediaJoin } from '../src/parse/media/join.js';
import { parseSdp } from '../src/parse/sip/sdp.js';
import type { Call } from '../src/parse/dialog/types.js';
import type { CapturedMessage } from '../src/types.js';
import { toMs } from '../src/time.js';

const [file, roundsArg = '3'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: sip-side.ts FILE [rounds]');
const HANDOVER_INTERVAL_MS = 10_000;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

for (let round = 0; round < Number(roundsArg); round++) {
  const messages: CapturedMessage[] = [];
  await readInput(file, { onMessage: (m) => messages.push(m) });
  // The SDP texts, decoded before any SDP of this round is parsed (parseSdp decodes a string as given).
  const sdpTexts: string[] = [];
  for (const m of messages) {
    const msg = m.message;
    if (msg.contentType !== null && msg.contentType.toLowerCase().startsWith('application/sdp') && msg.body.length > 0) sdpTexts.push(Buffer.from(msg.body).toString('utf8'));
  }

  const kept: boolean[] = new Array(messages.length);
  const dueAt: (Call[] | undefined)[] = new Array(messages.length);
  let t = cpuMs();
  const correlator = new Correlator();
  let latestMs = -Infinity;
  let nextHandoverMs = -Infinity;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    kept[i] = correlator.add(m);
    latestMs = Math.max(latestMs, toMs(m.time));
    if (latestMs >= nextHandoverMs || correlator.closedEarlyWaiting) {
      if (latestMs >= nextHandoverMs) nextHandoverMs = latestMs + HANDOVER_INTERVAL_MS;
      const due = correlator.takeDue(latestMs);
      if (due.length > 0) dueAt[i] = due;
    }
  }
  const rest = correlator.takeAll();
  const correlateMs = cpuMs() - t;

  t = cpuMs();
  const join = new MediaJoin();
  for (let i = 0; i < messages.length; i++) {
    if (kept[i]) join.addMessage(messages[i]!);
    const due = dueAt[i];
    if (due !== undefined) for (const call of due) join.takeCall(call);
  }
  for (const call of rest) join.takeCall(call);
  const joinMs = cpuMs() - t;

  t = cpuMs();
  let media = 0;
  for (const text of sdpTexts) media += parseSdp(text)?.media.length ?? 0;
  const sdpMs = cpuMs() - t;

  console.log(JSON.stringify({ round, messages: messages.length, sdpBodies: sdpTexts.length, media, correlateMs: Math.round(correlateMs), joinMs: Math.round(joinMs), sdpMs: Math.round(sdpMs) }));
}
