/**
 * The media rules on real captures made with sipp (and GStreamer for RTCP) in a network namespace
 * (fixtures/media/, fixtures/scripts/capture-rtp.sh): each fires on the fixture made for it and
 * stays quiet on the clean calls.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/session.js';
import { REPO_ROOT } from '../../support/captures.js';

const MEDIA_RULES = new Set(['no-media', 'one-way-media', 'late-media', 'media-after-bye', 'media-quality']);

async function mediaFindings(name: string): Promise<string[]> {
  const result = await analyze([join(REPO_ROOT, 'fixtures', 'media', name)]);
  return result.calls.flatMap((c) => c.findings.filter((f) => MEDIA_RULES.has(f.rule)).map((f) => `${f.rule}/${f.messageId}`));
}

describe('media rules on the sipp media fixtures', () => {
  it.each([
    ['sipp-rtp-two-way.pcap', []],
    ['sipp-rtp-dtmf-4733.pcap', []],
    ['gst-rtcp.pcap', []],
    // Hold is not a failure: the callee stops sending while it is on hold (a=sendonly).
    ['sipp-rtp-hold-resume.pcap', []],
    ['sipp-rtp-one-way.pcap', ['one-way-media/unknown']],
    ['sipp-rtp-no-media.pcap', ['no-media/none']],
    ['sipp-rtp-loss-jitter.pcap', ['media-quality/loss']],
    ['sipp-rtp-late-media.pcap', ['late-media/late', 'late-media/late']],
    ['sipp-rtp-after-bye.pcap', ['media-after-bye/after']],
  ] as const)('%s: %j', async (name, expected) => {
    expect(await mediaFindings(name)).toEqual(expected);
  });

  it('loss is measured as Wireshark measures it, and the figures are in the finding', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'media', 'sipp-rtp-loss-jitter.pcap')]);
    const loss = result.calls.flatMap((c) => c.findings).find((f) => f.rule === 'media-quality')!;
    expect(loss.data).toMatchObject({ lost: 12, expected: 236, lossPercent: 5.1, codec: 'PCMA' });
  });

  it('the RFC 4733 digits and the RTCP reports are read', async () => {
    const dtmf = await analyze([join(REPO_ROOT, 'fixtures', 'media', 'sipp-rtp-dtmf-4733.pcap')]);
    expect(dtmf.calls.flatMap((c) => c.media!.streams.flatMap((s) => s.dtmf.map((d) => d.key)))).toEqual(['1', '2', '3']);
    const rtcp = await analyze([join(REPO_ROOT, 'fixtures', 'media', 'gst-rtcp.pcap')]);
    const reports = rtcp.calls.flatMap((c) => c.media!.streams.map((s) => s.rtcp?.senderReports ?? 0));
    expect(reports.some((n) => n > 0)).toBe(true);
  });
});
