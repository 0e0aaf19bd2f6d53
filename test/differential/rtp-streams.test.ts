/**
 * Differential test of the RTP stream figures against Wireshark: for every fixture and corpus
 * capture, Wireshark's RTP streams (`tshark -q -z rtp,streams -o rtp.heuristic_rtp:TRUE`, read
 * from one sharkd for every capture, ./sharkd.ts) and siplens' analysis (the media
 * join, src/parse/media/join.ts: the streams of every call and the unassigned ones) list the same
 * streams (source, destination, SSRC) with the same packets, lost and max delta, and the same max
 * and mean jitter, within TOLERANCE_MS (docs/media.md, "Checking against Wireshark"). Both take
 * dynamic payload types' clock rates from the SDP rtpmap.
 *
 * Not compared:
 * - jitter of static types whose clock rate is not a whole number of kHz (10, 11: 44100 Hz;
 *   16: 11025; 17: 22050): Wireshark divides by the integer clock_rate / 1000 (the oracle caveat
 *   of the corpus' L16/11025 stream, 8.4 ms of jitter at a steady 32 ms), siplens by the rate;
 * - streams tshark lists with fewer than HEURISTIC_PACKETS packets: tshark's RTP heuristic takes
 *   any version-2 datagram, siplens wants packets in sequence before an unannounced stream is one.
 * Known differences are listed per file and stream with their reason.
 */
import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeStream } from '../../src/analysis/session.js';
import type { CallStream } from '../../src/parse/media/types.js';
import { corpusCaptures, fixtureCaptures } from '../support/captures.js';
import { Sharkd, sharkdVersion } from './sharkd.js';

const version = await sharkdVersion();

/** The tolerance of the 3-decimal figures `-z rtp,streams` prints; the rest is floating-point noise. */
const TOLERANCE_MS = 0.01;
/** Packets in sequence the join wants before RTP no SDP named is a stream (join.ts HEURISTIC_PACKETS). */
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

/** A stream of sharkd's "rtp-streams" tap: the figures `-z rtp,streams` prints, from the same code. */
interface TapStream {
  saddr: string;
  sport: number;
  daddr: string;
  dport: number;
  ssrc: number;
  payload: string;
  pkts: number;
  expectednr: number;
  totalnr: number;
  max_delta: number;
  max_jitter: number;
  mean_jitter: number;
}

/**
 * Wireshark's RTP streams, as `tshark -q -z rtp,streams -o rtp.heuristic_rtp:TRUE` lists them:
 * lost is the packets expected from the sequence numbers less those received.
 */
async function wiresharkStreams(sharkd: Sharkd, file: string): Promise<TsharkStream[]> {
  sharkd.load(file);
  const { streams } = (await sharkd.tap('rtp-streams')) as { streams: TapStream[] };
  return streams.map((s) => ({
    key: `${s.saddr}:${s.sport} > ${s.daddr}:${s.dport} ssrc ${s.ssrc}`,
    payload: s.payload,
    packets: s.pkts,
    lost: s.expectednr - s.totalnr,
    maxDeltaMs: s.max_delta,
    maxJitterMs: s.max_jitter,
    meanJitterMs: s.mean_jitter,
  }));
}

/**
 * Every RTP stream siplens saw, by 4-tuple and SSRC: those of the calls (a stream two B2BUA legs
 * share is shown with both) and the unassigned ones. A stream the join cut in two (its address
 * handed to the next call) is two entries with one key: their packets are added up, for tshark
 * knows one stream.
 */
async function siplensStreams(file: string): Promise<Map<string, CallStream>> {
  const streams = new Map<string, CallStream>();
  const seen = new Set<string>();
  const add = (s: CallStream): void => {
    if (s.rtp === null) return;
    const key = `${s.src.ip}:${s.src.port} > ${s.dst.ip}:${s.dst.port} ssrc ${s.ssrc}`;
    // The same piece shown with two calls (B2BUA legs) counts once.
    const piece = `${key} ${s.firstFrame}`;
    if (seen.has(piece)) return;
    seen.add(piece);
    const earlier = streams.get(key);
    streams.set(key, earlier === undefined ? s : { ...s, packets: earlier.packets + s.packets, rtp: { ...s.rtp, packets: earlier.rtp!.packets + s.rtp.packets, lost: earlier.rtp!.lost + s.rtp.lost } });
  };
  const result = await analyzeStream([file], { onCalls: (calls) => calls.forEach((c) => c.media?.streams.forEach(add)) });
  for (const s of result.unassignedStreams) add(s);
  return streams;
}

type Field = 'listed' | 'packets' | 'lost' | 'maxDelta' | 'jitter';

/** Known differences: file -> stream key -> the fields that differ and why. */
const KNOWN: Record<string, Record<string, { fields: Field[]; reason: string }>> = {
  'heplify-fax-call-t38-ca-tdm-sip-fb-1.pcap': {
    '10.35.60.100:15580 > 10.23.1.52:16756 ssrc 246353583': {
      fields: ['packets', 'lost', 'maxDelta', 'jitter'],
      reason: 'after the re-INVITE to T.38 tshark decodes this port as UDPTL from the SDP (2010 of its 3848 packets); they carry the same SSRC and go on with its sequence numbers, so siplens counts them as the RTP they are',
    },
    '10.23.1.52:16756 > 10.35.60.100:15580 ssrc 400097588': {
      fields: ['maxDelta', 'jitter'],
      reason: 'the sender restarts its RTP timestamps at 0 at 64.7 s: tshark 4.0 takes packets as in order again once their timestamp passes the first packet\'s (9.2 s later, its 9199 ms max delta); Wireshark 4.2+ and siplens compare with the last in-order packet\'s timestamp, which is never passed again',
    },
  },
  'bruteshark-sip-dtmf2-rfc2833.pcap': {
    '192.168.105.172:4376 > 192.168.105.110:4376 ssrc 1460780932': {
      fields: ['jitter'],
      reason: 'after an RFC 4733 event tshark 4.0 measures the next audio packet\'s timestamp step from the last audio packet, Wireshark 4.2+ and siplens from the event packet (docs/media.md): 15.767 ms max jitter in 4.0, 12.611 in 4.2+',
    },
  },
  'initconf-sip-attacks-toll-fraud-scan.pcap': {
    '206.55.185.163:4342 > 156.159.141.71:5558 ssrc 794152998': { fields: ['listed'], reason: 'source port 4342 is LISP-CONS to tshark, whose port rule wins over its RTP heuristic (tshark limit)' },
    '206.55.185.163:4342 > 156.159.141.71:5558 ssrc 1364580582': { fields: ['listed'], reason: 'source port 4342 is LISP-CONS to tshark, whose port rule wins over its RTP heuristic (tshark limit)' },
  },
};

const files = [...fixtureCaptures(), ...corpusCaptures()];

describe.skipIf(version === null)(`RTP streams against ${version ?? 'sharkd (not installed)'}`, () => {
  const sharkd = new Sharkd({ 'rtp.heuristic_rtp': 'TRUE' });
  afterAll(() => sharkd.close());
  it.each(files.map((f) => [basename(f), f]))('%s', async (name, file) => {
    const [theirs, ours] = await Promise.all([wiresharkStreams(sharkd, file), siplensStreams(file)]);
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
      const r = s.rtp!;
      if (r.packets !== t.packets) differs(t.key, 'packets', `packets ${r.packets}, tshark ${t.packets}`);
      if (r.lost !== t.lost) differs(t.key, 'lost', `lost ${r.lost}, tshark ${t.lost}`);
      if (Math.abs(r.maxDeltaMs - t.maxDeltaMs) > TOLERANCE_MS) differs(t.key, 'maxDelta', `max delta ${r.maxDeltaMs.toFixed(3)} ms, tshark ${t.maxDeltaMs}`);
      // Wireshark divides by the integer clock_rate / 1000 (see above): rates that are not whole kHz differ.
      const jitterComparable = r.payloadTypes.every((pt) => !INEXACT_RATE.has(pt)) && r.clockRate % 1000 === 0;
      if (jitterComparable && (Math.abs(r.maxJitterMs - t.maxJitterMs) > TOLERANCE_MS || Math.abs(r.meanJitterMs - t.meanJitterMs) > TOLERANCE_MS)) {
        differs(t.key, 'jitter', `jitter max ${r.maxJitterMs.toFixed(3)} mean ${r.meanJitterMs.toFixed(3)} ms, tshark ${t.maxJitterMs} ${t.meanJitterMs}`);
      }
    }
    for (const [key, s] of ours) differs(key, 'listed', `listed by siplens (${s.packets} packets), not by tshark`);
    expect(problems).toEqual([]);
  });
});
