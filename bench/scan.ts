// One measured run, in its own process: `tsx bench/scan.ts FILE [reader|scan|media|analysis|pcap-parser]`; prints JSON.
import { openSync, readSync, statSync } from 'node:fs';
import { readInput } from '../src/parse/pipeline.js';
import { MediaJoin } from '../src/parse/media/join.js';
import { analyzeStream } from '../src/index.js';
import { createCaptureReader } from '../src/parse/capture/reader.js';
import { fileChunks, sniffFormat } from '../src/parse/capture/input.js';
import { DiagnosticSink } from '../src/parse/diagnostic-sink.js';

const [file, mode = 'scan'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: scan.ts FILE [reader|scan|media|analysis|pcap-parser]');
const size = statSync(file).size;
const start = process.hrtime.bigint();
let frames = 0;
let sipMessages = 0;
if (mode === 'reader') {
  // Capture layer only: records framed, frames handed out as views, nothing decoded.
  let sum = 0;
  const head = Buffer.alloc(16);
  readSync(openSync(file, 'r'), head, 0, 16, 0);
  const kind = sniffFormat(head);
  if (kind !== 'pcap' && kind !== 'pcapng') throw new Error(`${file}: not a pcap or pcapng capture`);
  const reader = createCaptureReader(kind, (f) => (sum += f.end - f.start), new DiagnosticSink(file));
  for await (const chunk of fileChunks(file)) reader.push(chunk);
  reader.end();
  frames = reader.frames;
  if (sum < 0) console.log(sum);
} else if (mode === 'scan') {
  // Every layer down to SIP parsing; messages are counted and dropped (bounded memory).
  const summary = await readInput(file, { onMessage: () => {} });
  frames = summary.frames;
  sipMessages = summary.sipMessages;
} else if (mode === 'media') {
  // The scan and the media join (streams tied to calls by their SDP, Wireshark's figures per
  // stream), no correlation: the media path's cost is this minus the scan. Streams are kept to
  // the end (no call is handed over), so memory grows with the streams of the whole file.
  const join = new MediaJoin();
  const summary = await readInput(file, { onMessage: (m) => join.addMessage(m), onMedia: (p) => join.addPacket(p) });
  frames = summary.frames;
  sipMessages = summary.sipMessages;
} else if (mode === 'analysis') {
  // The whole analysis (correlation, every rule, outcomes, legs) with nothing rendered: calls are dropped as handed over (keepsHanded: false, as the CLI).
  const result = await analyzeStream([file], { onCalls: () => {}, keepsHanded: false });
  frames = result.inputs[0]!.frames;
  sipMessages = result.summary.messages;
} else if (mode === 'pcap-parser') {
  const { default: pcapParser } = await import('pcap-parser');
  await new Promise<void>((resolve, reject) => {
    const parser = pcapParser.parse(file);
    parser.on('packet', () => frames++);
    parser.on('end', resolve);
    parser.on('error', reject);
  });
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ mode, bytes: size, frames, sipMessages, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
