// The media join alone, warm: `tsx bench/join-replay.ts FILE [passes]` reads FILE once, keeping
// its SIP messages and media packets in capture order (media packets copied, MediaPacketView
// detached), then replays them into a fresh MediaJoin `passes` times (8 by default) and prints
// the CPU ns (user + system) per media packet of each pass, as JSON. The reading is not measured:
// this is the per-packet cost of addPacket and what it calls, after V8 has compiled it.
import { readInput } from '../src/parse/pipeline.js';
import { MediaJoin } from '../src/parse/media/join.js';
import type { MediaPacket } from '../src/parse/outputs.js';
import type { CapturedMessage } from '../src/types.js';

const [file, passArg = '8'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: join-replay.ts FILE [passes]');
const events: (CapturedMessage | MediaPacket)[] = [];
let packets = 0;
await readInput(file, {
  onMessage: (m) => events.push(m),
  onMedia: (p) => {
    events.push(p.detached());
    packets++;
  },
});
const isPacket = (e: CapturedMessage | MediaPacket): e is MediaPacket => 'kind' in e && 'bytes' in e;
const perPacketNs: number[] = [];
for (let pass = 0; pass < Number(passArg); pass++) {
  const join = new MediaJoin();
  const before = process.cpuUsage();
  for (const e of events) {
    if (isPacket(e)) join.addPacket(e);
    else join.addMessage(e);
  }
  const used = process.cpuUsage(before);
  perPacketNs.push(Math.round(((used.user + used.system) * 1000) / packets));
}
console.log(JSON.stringify({ file, packets, perPacketNs, minNs: Math.min(...perPacketNs) }));
