/**
 * The stream table fed by the media sink: streams keyed by 4-tuple and SSRC, the RTP heuristic for
 * unannounced streams, the bounds and their counters, RTCP attached by SSRC with round trips, and
 * telephone events on the payload types the caller names.
 */
import { describe, expect, it } from 'vitest';
import { STATIC_FORMATS, StreamTable, type PayloadFormats, type StreamTableOptions } from '../../../src/analysis/media/streams.js';
import { decodePackets, type TestPacket } from '../../support/decode.js';
import { A, B, frame, receiverReport, reportBlock, rtpPacket, senderReport, telephoneEvent, type RtpFields } from './rtp.js';

function table(packets: TestPacket[], options: StreamTableOptions = {}): StreamTable {
  const t = new StreamTable(options);
  decodePackets(packets, 1, undefined, { onMedia: t.onMedia });
  t.finish();
  return t;
}

/** n packets of one stream, 20 ms apart from `start` seconds. */
function stream(n: number, start = 1, fields: Partial<RtpFields> = {}, ports: [number, number] = [40000, 50000], from = A, to = B): TestPacket[] {
  return Array.from({ length: n }, (_, i) => ({
    data: frame(rtpPacket({ seq: 1000 + i, timestamp: 5000 + i * 160, ...fields }), ports[0], ports[1], from, to),
    time: start + i * 0.02,
  }));
}

const byTime = (packets: TestPacket[]) => packets.sort((a, b) => a.time! - b.time!);

describe('RTP stream table', () => {
  it('an unannounced stream is confirmed after 3 packets in sequence, with its figures from the first packet', () => {
    const t = table(stream(10));
    const [s] = t.streams();
    expect(t.streams()).toHaveLength(1);
    expect(s).toMatchObject({ id: 0, src: { ip: A, port: 40000 }, dst: { ip: B, port: 50000 }, ssrc: 0x11223344, announced: false, packets: 10, lost: 0, maxDeltaMs: 20, firstFrame: 1, lastFrame: 10 });
    expect(t.counters()).toMatchObject({ rtpPackets: 10, streams: 1, unconfirmedPackets: 0, strayPackets: 0 });
  });

  it('one stray packet, or packets out of sequence, are not a stream; an unassigned payload type is not even a candidate', () => {
    const stray = table([{ data: frame(rtpPacket({ seq: 1, timestamp: 0 })), time: 1 }]);
    expect(stray.streams()).toEqual([]);
    expect(stray.counters()).toMatchObject({ streams: 0, unconfirmedPackets: 1 });
    const jumpy = table([0, 500, 9000, 20000].map((seq, i) => ({ data: frame(rtpPacket({ seq, timestamp: i * 160 })), time: 1 + i * 0.02 })));
    expect(jumpy.streams()).toEqual([]);
    expect(jumpy.counters().unconfirmedPackets).toBe(4);
    const unassigned = table(stream(5, 1, { pt: 50 }));
    expect(unassigned.counters()).toMatchObject({ streams: 0, strayPackets: 5 });
  });

  it('an announced stream is taken from its first packet; describe is asked once per stream', () => {
    const asked: string[] = [];
    const t = table([...stream(1), ...stream(2, 5, { ssrc: 7 }, [40002, 50002])], {
      describe: ({ src, dst, ssrc }) => {
        asked.push(`${src.ip}:${src.port}>${dst.ip}:${dst.port}/${ssrc}`);
        return { announced: dst.port === 50000 };
      },
    });
    expect(t.streams().map((s) => [s.dst.port, s.packets, s.announced])).toEqual([[50000, 1, true]]);
    expect(asked).toEqual([`${A}:40000>${B}:50000/${0x11223344}`, `${A}:40002>${B}:50002/7`]);
  });

  it('streams are told apart by SSRC and by every address and port, IPv6 included', () => {
    const packets = byTime([
      ...stream(5),
      ...stream(5, 1.001, { ssrc: 0x55 }),
      ...stream(5, 1.002, {}, [40000, 50002]),
      ...stream(5, 1.003, {}, [40000, 50000], A, '198.51.100.3'),
      ...stream(5, 1.004, {}, [40000, 50000], '2001:db8::1', '2001:db8::2'),
      ...stream(5, 1.005, {}, [40000, 50000], '2001:db8::1', '2001:db8::3'),
    ]);
    const t = table(packets);
    expect(t.streams().map((s) => [s.src.ip, s.dst.ip, s.dst.port, s.ssrc, s.packets])).toEqual([
      [A, B, 50000, 0x11223344, 5],
      [A, B, 50000, 0x55, 5],
      [A, B, 50002, 0x11223344, 5],
      [A, '198.51.100.3', 50000, 0x11223344, 5],
      ['2001:db8::1', '2001:db8::2', 50000, 0x11223344, 5],
      ['2001:db8::1', '2001:db8::3', 50000, 0x11223344, 5],
    ]);
  });

  it('bounded: streams past maxStreams are counted, with their packets; the candidate pool forgets its oldest', () => {
    const packets = byTime([1, 2, 3].flatMap((k) => stream(6, 1 + k * 0.001, { ssrc: k })));
    const full = table(packets, { maxStreams: 2 });
    expect(full.streams().map((s) => s.ssrc)).toEqual([1, 2]);
    expect(full.counters()).toMatchObject({ streams: 2, streamsDropped: 1, packetsDropped: 6 });
    // Three interleaved candidates in a pool of two: each pushes out another before it shows 3 packets in sequence.
    const pool = table(packets, { maxCandidates: 2 });
    expect(pool.streams()).toEqual([]);
    expect(pool.counters().candidatesForgotten).toBeGreaterThan(0);
    expect(pool.counters().unconfirmedPackets).toBe(18);
  });

  it('RTCP: the SR attaches to its sender stream, the report block to the stream it describes, with the round trip', () => {
    const ssrc = 0x11223344;
    const rtp = stream(10);
    // The SR at 1.05 s from the stream's sender (A:40001), the RR from B 0.6 s later echoing it with DLSR 0.5 s.
    const sr = senderReport(ssrc, 0x00001234, 0x56780000, []);
    const rr = receiverReport(0x99, [reportBlock({ ssrc, fraction: 13, cumulative: 2, highest: 1009, jitter: 40, lsr: 0x12345678, dlsr: 0x8000 })]);
    const orphan = receiverReport(0x99, [reportBlock({ ssrc: 0xdead })]);
    const t = table(
      byTime([
        ...rtp,
        { data: frame(sr, 40001, 50001), time: 1.05 },
        { data: frame(rr, 50001, 40001, B, A), time: 1.65 },
        { data: frame(orphan, 50001, 40001, B, A), time: 1.66 },
        { data: frame(Buffer.concat([rr, Buffer.alloc(10, 0xab)]), 50001, 40001, B, A), time: 1.67 },
      ]),
    );
    const { rtcp } = t.streams()[0]!;
    expect(rtcp).toMatchObject({ senderReports: 1, reportBlocks: 1, lastReportedJitterMs: 5, maxReportedJitterMs: 5, maxFractionLost: 13 / 256, roundTrips: 1, bye: false });
    expect(rtcp.lastRoundTripMs).toBeCloseTo(100, 6);
    expect(rtcp.lastReportBlock).toMatchObject({ cumulativeLost: 2, extendedHighestSeq: 1009 });
    expect(t.counters()).toMatchObject({ rtcpPackets: 4, rtcpUnmatched: 1, rtcpNotRead: 1 });
  });

  it('telephone events on the payload type the formats name: digits, no jitter on their packets, Wireshark\'s spike after them', () => {
    const formats: PayloadFormats = { clockRate: (pt) => (pt === 101 ? 8000 : STATIC_FORMATS.clockRate(pt)), telephoneEvent: (pt) => pt === 101 };
    const audio = stream(20);
    // A '4' pressed at packet 10: three event packets replace audio, all with the event's start timestamp.
    const events = [
      [false, 160],
      [false, 320],
      [true, 480],
      [true, 480],
    ].map(([end, duration], i) => ({
      data: frame(rtpPacket({ seq: 1020 + i, timestamp: 5000 + 20 * 160, pt: 101, marker: i === 0, payload: telephoneEvent(4, end as boolean, duration as number) })),
      time: 1.4 + i * 0.02,
    }));
    const after = stream(5, 1.48, { seq: 0 }).map((p, i) => ({ data: frame(rtpPacket({ seq: 1024 + i, timestamp: 5000 + (24 + i) * 160 })), time: p.time }));
    const t = table([...audio, ...events, ...after], { describe: () => ({ formats, announced: true }) });
    const [s] = t.streams();
    expect(s!.dtmf.map((e) => [e.key, e.durationMs, e.ended, e.frame])).toEqual([['4', 60, true, 21]]);
    expect(s!.payloadTypes).toEqual([0, 101]);
    expect(s!.packets).toBe(29);
    // Event packets compute no jitter, but (as in Wireshark) the next audio packet is measured from the last event
    // packet, whose timestamp is the event's start: 80 ms of timestamps in 20 ms of arrival, D = 60 ms, J = 60/16.
    expect(s!.maxJitterMs).toBeCloseTo(60 / 16, 6);
  });

  it('packets that are not RTP or RTCP are ignored', () => {
    const t = table([{ data: frame(Buffer.from([0, 5, 0, 0x1e, 0])), time: 1 }]);
    expect(t.counters()).toMatchObject({ rtpPackets: 0, rtcpPackets: 0, streams: 0 });
  });
});
