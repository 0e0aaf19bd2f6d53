/**
 * Differential test of the RTP stream figures against Wireshark: for every fixture and corpus
 * capture, `tshark -q -z rtp,streams -o rtp.heuristic_rtp:TRUE` and siplens' stream table
 * (src/analysis/media/streams.ts, fed by the media sink) list the same streams (source, destination,
 * SSRC) with the same packets, lost and max delta, and, for streams whose payload types are all
 * static (RFC 3551 §6), the same max and mean jitter, within TOLERANCE_MS (docs/media.md,
 * "Checking against Wireshark").
 *
 * Not compared yet:
 * - jitter of streams with a dynamic payload type: tshark takes their clock rates from the SDP
 *   rtpmap, siplens does not until the stream table is tied to the SDP (then this test extends);
 * - jitter of static types whose clock rate is not a whole number of kHz (10, 11: 44100 Hz;
 *   16: 11025; 17: 22050): Wireshark divides by the integer clock_rate / 1000 (the oracle caveat
 *   of the corpus' L16/11025 stream, 8.4 ms of jitter at a steady 32 ms), siplens by the rate;
 * - streams tshark lists with fewer than HEURISTIC_PACKETS packets: tshark's RTP heuristic takes
 *   any version-2 datagram, siplens wants packets in sequence before an unannounced stream is one.
 * Known differences are listed per file and stream with their reason.
 */
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { StreamTable, type RtpStreamFigures } from '../../src/analysis/media/streams.js';
import { readInput } from '../../src/parse/pipeline.js';
import { corpusCaptures, fixtureCaptures } from '../support/captures.js';

const run = promisify(execFile);

async function tsharkVersion(): Promise<string | null> {
  try {
    return (await run('tshark', ['--version'])).stdout.split('\n')[0] ?? null;
  } catch {
    return null;
  }
}
const version = await tsharkVersion();

/** tshark prints milliseconds with 3 decimals; the rest is floating-point noise. */
const TOLERANCE_MS = 0.01;
/** The stream table's default heuristicPackets. */
const HEURISTIC_PACKETS = 3;
/** Static payload types whose clock rate Wireshark divides by 1000 with an integer division that is not exact. */
const INEXACT_RATE = new Set([10, 11, 16, 17]);

interface TsharkStream {
  key: string;
  payload: string;
  packets: number;
  lost: number;
  maxDeltaMs: number;
  maxJitterMs: number;
  meanJitterMs: number;
}

/**
 * The rows of `-z rtp,streams`: start and end time, source address and port, destination address
 * and port, SSRC, payload names (may hold spaces), packets, lost and its percentage, min, mean
 * and max delta, min, mean and max jitter, and an X when Wireshark saw a problem. Read from both
 * ends by whitespace-separated fields.
 */
async function tsharkStreams(file: string): Promise<TsharkStream[]> {
  const { stdout } = await run('tshark', ['-q', '-z', 'rtp,streams', '-o', 'rtp.heuristic_rtp:TRUE', '-r', file], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }), // tshark exits non-zero on a cut-short file but prints what it read
  );
  const rows: TsharkStream[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 17 || !/^0x[0-9A-Fa-f]{1,8}$/.test(f[6]!)) continue;
    if (f[f.length - 1] === 'X') f.pop();
    const [maxJitter, meanJitter, , maxDelta] = f.splice(-6).reverse();
    f.pop(); // "(x.y%)"
    const lost = Number(f.pop());
    const packets = Number(f.pop());
    rows.push({
      key: `${f[2]}:${f[3]} > ${f[4]}:${f[5]} ssrc ${Number(f[6])}`,
      payload: f.slice(7).join(' '),
      packets,
      lost,
      maxDeltaMs: Number(maxDelta),
      maxJitterMs: Number(maxJitter),
      meanJitterMs: Number(meanJitter),
    });
  }
  return rows;
}

async function siplensStreams(file: string): Promise<Map<string, RtpStreamFigures>> {
  const table = new StreamTable();
  await readInput(file, { onMessage: () => {}, onMedia: table.onMedia });
  table.finish();
  return new Map(table.streams().map((s) => [`${s.src.ip}:${s.src.port} > ${s.dst.ip}:${s.dst.port} ssrc ${s.ssrc}`, s]));
}

type Field = 'listed' | 'packets' | 'lost' | 'maxDelta' | 'jitter';

/** Known differences: file -> stream key -> the fields that differ and why. */
const KNOWN: Record<string, Record<string, { fields: Field[]; reason: string }>> = {
  'heplify-fax-call-t38-ca-tdm-sip-fb-1.pcap': {
    '10.35.60.100:15580 > 10.23.1.52:16756 ssrc 246353583': {
      fields: ['packets', 'lost', 'maxDelta'],
      reason: 'after the re-INVITE to T.38 tshark decodes this port as UDPTL from the SDP (2010 of its 3848 RTP packets); siplens has no SDP yet (tshark knows more)',
    },
    '10.23.1.52:16756 > 10.35.60.100:15580 ssrc 400097588': {
      fields: ['maxDelta'],
      reason: 'the sender restarts its RTP timestamps at 0 at 64.7 s: tshark 4.0 takes packets as in order again once their timestamp passes the first packet\'s (9.2 s later, its 9199 ms max delta); Wireshark 4.2+ and siplens compare with the last in-order packet\'s timestamp, which is never passed again',
    },
  },
  'initconf-sip-attacks-toll-fraud-scan.pcap': {
    '206.55.185.163:4342 > 156.159.141.71:5558 ssrc 794152998': { fields: ['listed'], reason: 'source port 4342 is LISP-CONS to tshark, whose port rule wins over its RTP heuristic (tshark limit)' },
    '206.55.185.163:4342 > 156.159.141.71:5558 ssrc 1364580582': { fields: ['listed'], reason: 'source port 4342 is LISP-CONS to tshark, whose port rule wins over its RTP heuristic (tshark limit)' },
  },
};

const files = [...fixtureCaptures(), ...corpusCaptures()];

describe.skipIf(version === null)(`RTP streams against ${version ?? 'tshark (not installed)'}`, () => {
  it.each(files.map((f) => [basename(f), f]))('%s', async (name, file) => {
    const [theirs, ours] = await Promise.all([tsharkStreams(file), siplensStreams(file)]);
    const known = KNOWN[name] ?? {};
    const problems: string[] = [];
    const differs = (key: string, field: Field, what: string): void => {
      if (!known[key]?.fields.includes(field)) problems.push(`${key}: ${what}`);
    };
    for (const t of theirs) {
      const s = ours.get(t.key);
      ours.delete(t.key);
      if (s === undefined) {
        if (t.packets >= HEURISTIC_PACKETS) differs(t.key, 'listed', `listed by tshark (${t.payload}, ${t.packets} packets), not by siplens`);
        continue;
      }
      if (s.packets !== t.packets) differs(t.key, 'packets', `packets ${s.packets}, tshark ${t.packets}`);
      if (s.lost !== t.lost) differs(t.key, 'lost', `lost ${s.lost}, tshark ${t.lost}`);
      if (Math.abs(s.maxDeltaMs - t.maxDeltaMs) > TOLERANCE_MS) differs(t.key, 'maxDelta', `max delta ${s.maxDeltaMs.toFixed(3)} ms, tshark ${t.maxDeltaMs}`);
      const jitterComparable = s.payloadTypes.every((pt) => pt < 96 && !INEXACT_RATE.has(pt));
      if (jitterComparable && (Math.abs(s.maxJitterMs - t.maxJitterMs) > TOLERANCE_MS || Math.abs(s.meanJitterMs - t.meanJitterMs) > TOLERANCE_MS)) {
        differs(t.key, 'jitter', `jitter max ${s.maxJitterMs.toFixed(3)} mean ${s.meanJitterMs.toFixed(3)} ms, tshark ${t.maxJitterMs} ${t.meanJitterMs}`);
      }
    }
    for (const [key, s] of ours) differs(key, 'listed', `listed by siplens (${s.packets} packets), not by tshark`);
    expect(problems).toEqual([]);
  });
});
