/**
 * Differential test of RTCP XR VoIP metrics (RFC 3611 §4.7) against Wireshark: for every fixture
 * and corpus capture, the last VoIP metrics block tshark decodes for each (reporter, source SSRC)
 * pair is the one siplens' analysis attaches to the stream with that SSRC (`rtcp.lastVoipMetrics`
 * of the stream the reporter received), field by field. tshark gives fractions as the byte over
 * 256 and MOS as the byte over 10, as siplens does; unavailable values (127) are "unavailable" to
 * both (null in siplens).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyzeStream } from '../../src/analysis/session.js';
import type { RtcpVoipMetrics } from '../../src/parse/media/rtcp.js';
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

const unavailable = (t: string): number | null => (Number(t) === 127 ? null : Number(t));

/**
 * siplens' field -> tshark's field in the block's contents, and how tshark's text reads as
 * siplens' value (tshark names the loss and discard rates and the source SSRC as it does a
 * report block's: rtcp.ssrc.fraction, rtcp.ssrc.discarded, rtcp.ssrc.identifier).
 */
const FIELDS: readonly (readonly [keyof RtcpVoipMetrics, string, (text: string) => number | null])[] = [
  ['lossRate', 'rtcp.ssrc.fraction', (t) => Number(t) / 256],
  ['discardRate', 'rtcp.ssrc.discarded', (t) => Number(t) / 256],
  ['burstDensity', 'rtcp.xr.voipmetrics.burstdensity', (t) => Number(t) / 256],
  ['gapDensity', 'rtcp.xr.voipmetrics.gapdensity', (t) => Number(t) / 256],
  ['burstDurationMs', 'rtcp.xr.voipmetrics.burstduration', Number],
  ['gapDurationMs', 'rtcp.xr.voipmetrics.gapduration', Number],
  ['roundTripDelayMs', 'rtcp.xr.voipmetrics.rtdelay', Number],
  ['endSystemDelayMs', 'rtcp.xr.voipmetrics.esdelay', Number],
  ['signalLevel', 'rtcp.xr.voipmetrics.signallevel', unavailable],
  ['noiseLevel', 'rtcp.xr.voipmetrics.noiselevel', unavailable],
  ['residualEchoReturnLoss', 'rtcp.xr.voipmetrics.rerl', unavailable],
  ['gmin', 'rtcp.xr.voipmetrics.gmin', Number],
  ['rFactor', 'rtcp.xr.voipmetrics.rfactor', unavailable],
  ['externalRFactor', 'rtcp.xr.voipmetrics.extrfactor', unavailable],
  // tshark shows MOS as the byte over 10, and the unavailable byte as 127.
  ['mosLq', 'rtcp.xr.voipmetrics.moslq', unavailable],
  ['mosCq', 'rtcp.xr.voipmetrics.moscq', unavailable],
  ['jitterBufferNominalMs', 'rtcp.xr.voipmetrics.jbnominal', Number],
  ['jitterBufferMaximumMs', 'rtcp.xr.voipmetrics.jbmax', Number],
  ['jitterBufferAbsoluteMaximumMs', 'rtcp.xr.voipmetrics.jbabsmax', Number],
];

type Block = Partial<Record<keyof RtcpVoipMetrics, number | null>>;
type Tree = { readonly [key: string]: string | Tree | Tree[] };

/**
 * tshark's last VoIP metrics block per "reporter > source" pair, from its JSON tree (with
 * --no-duplicate-keys, the RTCP packets of a compound are a list): each XR packet's sender SSRC,
 * then each "Block N" of type 7 and its contents.
 */
async function tsharkBlocks(file: string): Promise<Map<string, Block>> {
  const args = ['-r', file, '-Y', 'rtcp.xr.bt == 7', '-T', 'json', '-J', 'rtcp', '--no-duplicate-keys'];
  const { stdout } = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  const blocks = new Map<string, Block>();
  const frames = (stdout.trim() === '' ? [] : JSON.parse(stdout)) as { _source: { layers: { rtcp?: Tree | Tree[] } } }[];
  for (const frame of frames) {
    const rtcp = frame._source.layers.rtcp;
    for (const packet of rtcp === undefined ? [] : Array.isArray(rtcp) ? rtcp : [rtcp]) {
      if (packet['rtcp.pt'] !== '207') continue;
      const reporter = Number(packet['rtcp.senderssrc']);
      for (const [name, value] of Object.entries(packet)) {
        if (!name.startsWith('Block') || typeof value !== 'object' || Array.isArray(value) || value['rtcp.xr.bt'] !== '7') continue;
        const contents = value['Contents'] as Record<string, string>;
        const block: Block = {};
        for (const [field, theirs, read] of FIELDS) block[field] = read(contents[theirs]!);
        blocks.set(`${reporter} > ${Number(contents['rtcp.ssrc.identifier'])}`, block);
      }
    }
  }
  return blocks;
}

/** siplens' last VoIP metrics block per "reporter > source" pair, from every stream of every call and the unassigned ones. */
async function siplensBlocks(file: string): Promise<Map<string, Block>> {
  const blocks = new Map<string, Block>();
  const add = (m: RtcpVoipMetrics | null | undefined): void => {
    if (m === null || m === undefined) return;
    const block: Block = {};
    for (const [name] of FIELDS) block[name] = m[name];
    blocks.set(`${m.reporterSsrc} > ${m.sourceSsrc}`, block);
  };
  const result = await analyzeStream([file], { onCalls: (calls) => calls.forEach((c) => c.media?.streams.forEach((s) => add(s.rtcp?.lastVoipMetrics))) });
  for (const s of result.unassignedStreams) add(s.rtcp?.lastVoipMetrics);
  return blocks;
}

const files = [...fixtureCaptures(), ...corpusCaptures()];

/**
 * Whether a file's bytes can hold a VoIP metrics block: its header is block type 7, a
 * type-specific byte, and the block length 8 (in 32-bit words less one, RFC 3611 §4.7). A file
 * without that byte pattern has no such block for tshark to decode, so its tshark run (about
 * half a second per file, the bulk of this test's time) is skipped and siplens must find none
 * either. A malformed block of type 7 with another length is outside this check.
 */
function mayHoldVoipMetrics(file: string): boolean {
  const bytes = readFileSync(file);
  for (let at = bytes.indexOf(VOIP_METRICS_LENGTH); at >= 0; at = bytes.indexOf(VOIP_METRICS_LENGTH, at + 1)) {
    if (at >= 2 && bytes[at - 2] === 7) return true;
  }
  return false;
}
const VOIP_METRICS_LENGTH = Buffer.from([0x00, 0x08]);

describe.skipIf(version === null)(`RTCP XR VoIP metrics against ${version ?? 'tshark (not installed)'}`, () => {
  it.each(files.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const [theirs, ours] = await Promise.all([mayHoldVoipMetrics(file) ? tsharkBlocks(file) : new Map<string, Block>(), siplensBlocks(file)]);
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
  });

  it('the XR fixture carries blocks both ways (the comparison is not vacuous)', async () => {
    const file = fixtureCaptures().find((f) => basename(f) === 'rtp-sender-xr.pcap')!;
    expect((await tsharkBlocks(file)).size).toBe(2);
  });
});
