import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/session.js';
import type { Packet } from '../../support/capture-writer.js';
import { mediaCallPackets, mediaCapture, twoWay, type MediaSide } from '../../support/media-call.js';
import { ethernet, ipv4, udp } from '../../support/packets.js';
import { frame, rtpPacket, senderReport } from './rtp.js';

/** Whether a frame of the support's Ethernet/IPv4/UDP packets carries SIP beginning with `start`. */
function isSip(p: Packet, start: string): boolean {
  return Buffer.from(p.data).subarray(14 + 20 + 8).toString('latin1').startsWith(start);
}

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };

async function mediaOf(...calls: Parameters<typeof mediaCallPackets>[0][]) {
  const result = await analyze([mediaCapture(...calls.map(mediaCallPackets))]);
  return result.calls.map((c) => c.media!);
}

describe('the media join', () => {
  it('ties each direction of a two-way call to its sender through the SDP', async () => {
    const [media] = await mediaOf({ caller, callee, rtp: twoWay(caller, callee, 120, 50) });
    expect(media!.announced.map((a) => [a.side, a.address, a.port])).toEqual([
      ['caller', '192.0.2.10', 40000],
      ['callee', '198.51.100.20', 50000],
    ]);
    expect(media!.streams.map((s) => [s.from, s.match, s.packets, s.ssrc])).toEqual([
      ['caller', 'destination', 50, 0xaaaa],
      ['callee', 'destination', 50, 0xbbbb],
    ]);
    expect(media!.mediaCaptured).toBe(true);
    expect(media!.mediaSeenAtHosts).toBe(true);
    // The object handed over: its fields in this order (JSON keeps it), nothing of the join's own.
    expect(Object.keys(media!.streams[0]!)).toEqual([
      'src', 'dst', 'ssrc', 'kind', 'from', 'match', 'announced', 'packets', 'bytes', 'first', 'last', 'firstFrame', 'lastFrame',
      'file', 'codec', 'rtp', 'rtcp', 'dtmf', 'inbandDtmf', 'quality', 'series',
    ]);
    expect(media!.streams.map((s) => s.announced)).toEqual([1, 0]);
    // 50 packets 20 ms apart span 980 ms: one bucket of the first second.
    expect(media!.streams.map((s) => [s.series.bucketMs, s.series.packets, s.series.lost])).toEqual([
      [1000, [50], [0]],
      [1000, [50], [0]],
    ]);
  });

  it('ties RTP sent from a NAT public address to the private address the SDP gave (symmetric RTP: source match)', async () => {
    const natCaller: MediaSide = { sip: '203.0.113.5', address: '10.1.1.5', port: 40000 };
    const [media] = await mediaOf({
      caller: natCaller,
      callee,
      rtp: [
        { from: { ip: '203.0.113.5', port: 40000 }, to: { ip: '198.51.100.20', port: 50000 }, startMs: 120, count: 20, ssrc: 1 },
        { from: { ip: '198.51.100.20', port: 50000 }, to: { ip: '203.0.113.5', port: 40000 }, startMs: 121, count: 20, ssrc: 2 },
      ],
    });
    expect(media!.streams.map((s) => [s.from, s.match])).toEqual([
      ['caller', 'destination'],
      ['callee', 'source'],
    ]);
  });

  it('gives a port reused by the next call to that call once the first one ended (same 5-tuple and SSRC)', async () => {
    const first = { callId: 'one@x', caller, callee, byeMs: 2000, rtp: [{ from: { ip: callee.address, port: 50000 }, to: { ip: caller.address, port: 40000 }, startMs: 120, count: 50, ssrc: 7 }] };
    const second = (() => {
      const packets = mediaCallPackets({ callId: 'two@x', caller, callee, answerMs: 100, rtp: [{ from: { ip: callee.address, port: 50000 }, to: { ip: caller.address, port: 40000 }, startMs: 120, count: 30, ssrc: 7 }] });
      // Three seconds later.
      return packets.map((p) => ({ ...p, sec: p.sec + 3 }));
    })();
    const result = await analyze([mediaCapture(mediaCallPackets(first), second)]);
    expect(result.calls.map((c) => [c.call.callId, c.media!.streams.map((s) => s.packets)])).toEqual([
      ['one@x', [50]],
      ['two@x', [30]],
    ]);
  });

  it('gives a stream to both legs of a B2BUA that lets media bypass it', async () => {
    const packets = [
      ...mediaCallPackets({ callId: 'leg-1@b2bua', caller, callee: { ...callee, sip: '192.0.2.1' }, rtp: twoWay(caller, callee, 150, 40) }),
      ...mediaCallPackets({ callId: 'leg-2@b2bua', caller: { ...caller, sip: '192.0.2.1' }, callee, rtp: [] }).map((p) => ({ ...p, nsec: p.nsec + 1000 })),
    ];
    const result = await analyze([mediaCapture(packets)]);
    expect(result.calls.map((c) => [c.call.callId, c.media!.streams.length])).toEqual([
      ['leg-1@b2bua', 2],
      ['leg-2@b2bua', 2],
    ]);
  });

  it('shows RTP between the call\'s SIP hosts at an address no SDP gave as unannounced, and RTP of nobody as unassigned', async () => {
    const packets = mediaCallPackets({
      caller,
      callee,
      rtp: [
        { from: { ip: caller.address, port: 41234 }, to: { ip: callee.address, port: 51234 }, startMs: 120, count: 20, ssrc: 3 },
        { from: { ip: '203.0.113.77', port: 6000 }, to: { ip: '203.0.113.78', port: 6002 }, startMs: 120, count: 20, ssrc: 4 },
      ],
    });
    const { analyzeStream } = await import('../../../src/analysis/session.js');
    const calls: { media: unknown }[] = [];
    const streamed = await analyzeStream([mediaCapture(packets)], { onCalls: (batch) => calls.push(...batch) });
    expect((calls[0]!.media as { streams: { match: string; from: unknown }[] }).streams.map((s) => [s.match, s.from])).toEqual([['unannounced', null]]);
    expect(streamed.unassignedStreams.map((s) => [s.src.ip, s.packets])).toEqual([['203.0.113.77', 20]]);
  });

  it('says media was seen at a call\'s hosts by its SDP addresses, else by its SIP hosts, and not when neither saw RTP', async () => {
    // The SDP of call 2 names addresses no RTP went to or from; its SIP hosts sent RTP to each other on other ports.
    const natCaller: MediaSide = { sip: '192.0.2.30', address: '10.9.9.9', port: 42000 };
    const natCallee: MediaSide = { sip: '198.51.100.40', address: '10.8.8.8', port: 52000 };
    // Call 3's hosts saw no RTP at all.
    const quietCaller: MediaSide = { sip: '192.0.2.50', address: '192.0.2.50', port: 43000 };
    const quietCallee: MediaSide = { sip: '198.51.100.60', address: '198.51.100.60', port: 53000 };
    const media = await mediaOf(
      { callId: 'seen-sdp@example.com', caller, callee, rtp: twoWay(caller, callee, 120, 20) },
      { callId: 'seen-sip@example.com', caller: natCaller, callee: natCallee, rtp: [{ from: { ip: '192.0.2.30', port: 41000 }, to: { ip: '198.51.100.40', port: 51000 }, startMs: 120, count: 20, ssrc: 7 }] },
      { callId: 'seen-none@example.com', caller: quietCaller, callee: quietCallee, rtp: [] },
    );
    expect(media.map((m) => [m.mediaCaptured, m.mediaSeenAtHosts])).toEqual([
      [true, true],
      [true, true],
      [true, false],
    ]);
    expect(media[1]!.streams.map((s) => s.match)).toEqual(['unannounced']);
  });

  it('does not take a few RTP-looking packets with broken sequence numbers for an unassigned stream', async () => {
    const packets = mediaCallPackets({ caller, callee, rtp: [0, 5, 9, 2, 7, 1].map((n, i) => ({ from: { ip: '203.0.113.1', port: 137 }, to: { ip: '203.0.113.2', port: 137 }, startMs: 200 + i * 1000 + n, count: 1, ssrc: 9 })) });
    const { analyzeStream } = await import('../../../src/analysis/session.js');
    // Each flow of one packet restarts at sequence 1000: six packets, five breaks.
    const streamed = await analyzeStream([mediaCapture(packets)], { onCalls: () => {} });
    expect(streamed.unassignedStreams).toEqual([]);
  });

  it('holds no streams with media turned off', async () => {
    const result = await analyze([mediaCapture(mediaCallPackets({ caller, callee, rtp: twoWay(caller, callee, 120, 5) }))], { media: false });
    expect(result.calls[0]!.media).toBeNull();
  });

  it('says so when the stream table is full (media.stream-limit, at the first stream turned away)', async () => {
    const result = await analyze([mediaCapture(mediaCallPackets({ caller, callee, rtp: twoWay(caller, callee, 120, 5) }))], { media: { maxStreams: 1 } });
    const d = result.inputs[0]!.diagnostics.find((x) => x.code === 'media.stream-limit');
    expect(d).toMatchObject({ severity: 'warning', values: { max: 1, count: 1 } });
    expect(d!.frame).toBeGreaterThan(0);
  });

  it('gives each of more streams than its arrays hold (256, then 4,096) its own figures', async () => {
    // 2,100 calls open at once (every BYE after every call's media): 4,200 streams, so the arrays grow twice.
    const calls = Array.from({ length: 2100 }, (_, i) => {
      const a: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 20000 + 2 * i };
      const b: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 30000 + 2 * i };
      return { callId: `grow-${i}@example.com`, caller: a, callee: b, rtp: twoWay(a, b, 120, 2 + (i % 5)) };
    });
    const media = await mediaOf(...calls);
    expect(media).toHaveLength(2100);
    media.forEach((m, i) => {
      expect(m.streams.map((s) => [s.from, s.packets, s.rtp?.expected, s.rtp?.lost, s.dst.port])).toEqual([
        ['caller', 2 + (i % 5), 2 + (i % 5), 0, 30000 + 2 * i],
        ['callee', 2 + (i % 5), 2 + (i % 5), 0, 20000 + 2 * i],
      ]);
    });
  });

  it('gives the address of a call refused without SDP (486 to its INVITE) to the next call that announces it', async () => {
    const refused = mediaCallPackets({ callId: 'refused@x', caller, callee, byeMs: null }).filter((p) => !isSip(p, 'SIP/2.0 200 OK') && !isSip(p, 'ACK '));
    const busy = ['SIP/2.0 486 Busy Here', 'Via: SIP/2.0/UDP caller.example:5060;branch=z9hG4bK-refused@x-1-INVITE', 'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>;tag=b2', 'Call-ID: refused@x', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n');
    refused.push({ sec: 1700000000, nsec: 100_000_000, data: ethernet(0x0800, ipv4(callee.sip, caller.sip, udp(5060, 5060, busy))) });
    const next = mediaCallPackets({ callId: 'next@x', caller, callee, rtp: [{ from: { ip: callee.address, port: 50000 }, to: { ip: caller.address, port: 40000 }, startMs: 120, count: 30, ssrc: 7 }] }).map((p) => ({ ...p, sec: p.sec + 3 }));
    const result = await analyze([mediaCapture(refused, next)]);
    // Had the refusal not ended the first call, both would own the stream (as two legs of a B2BUA do).
    expect(result.calls.map((c) => [c.call.callId, c.media!.streams.map((s) => s.packets)])).toEqual([
      ['refused@x', []],
      ['next@x', [30]],
    ]);
  });

  it('ties a stream announced by a retransmitted 200 OK to the m= line of its original', async () => {
    const packets = mediaCallPackets({ caller, callee, answerMs: 100, rtp: [{ from: { ip: caller.address, port: 40000 }, to: { ip: callee.address, port: 50000 }, startMs: 700, count: 20, ssrc: 9 }] });
    const ok = packets.find((p) => isSip(p, 'SIP/2.0 200 OK') && Buffer.from(p.data).includes('1 INVITE'))!;
    // The callee sends its 200 OK again (RFC 3261 §13.3.1.4) before the RTP starts: the copy's SDP is the latest word for its address.
    packets.push({ ...ok, nsec: ok.nsec + 500_000_000 });
    const [media] = (await analyze([mediaCapture(packets)])).calls.map((c) => c.media!);
    expect(media!.announced.map((a) => [a.side, a.port])).toEqual([
      ['caller', 40000],
      ['callee', 50000],
    ]);
    expect(media!.streams.map((s) => [s.announced, s.from, s.match, s.packets])).toEqual([[1, 'caller', 'destination', 20]]);
  });

  it('matches RTCP to the live stream of an SSRC after another call\'s stream with the same SSRC was handed over', async () => {
    const caller2: MediaSide = { sip: '192.0.2.11', address: '192.0.2.11', port: 40002 };
    const callee2: MediaSide = { sip: '198.51.100.21', address: '198.51.100.21', port: 50002 };
    // Both callees send SSRC 7. The first call ends at 1 s and is handed over at the next SIP message past its quiet time
    // (the second's BYE at 60 s, RFC 3261 §17.1.1.2's 64·T1 after its last), before the second's sender report at 61 s.
    const first = mediaCallPackets({ callId: 'first@x', caller, callee, byeMs: 1000, rtp: [{ from: { ip: callee.address, port: 50000 }, to: { ip: caller.address, port: 40000 }, startMs: 120, count: 20, ssrc: 7 }] });
    const second = mediaCallPackets({ callId: 'second@x', caller: caller2, callee: callee2, byeMs: 60_000, rtp: [{ from: { ip: callee2.address, port: 50002 }, to: { ip: caller2.address, port: 40002 }, startMs: 130, count: 30, intervalMs: 2000, ssrc: 7 }] });
    const report = { sec: 1700000061, nsec: 0, data: ethernet(0x0800, ipv4(callee2.address, caller2.address, udp(50003, 40003, senderReport(7, 3900000000, 0)))) };
    const result = await analyze([mediaCapture(first, second, [report])]);
    expect(result.calls.map((c) => [c.call.callId, c.media!.streams.map((s) => [s.ssrc, s.packets, s.rtcp?.senderReports ?? null])])).toEqual([
      ['first@x', [[7, 20, null]]],
      ['second@x', [[7, 30, 1]]],
    ]);
  });

  it('follows no more streams than its bound, and counts the rest', async () => {
    const { MediaJoin } = await import('../../../src/parse/media/join.js');
    const join = new MediaJoin({ maxStreams: 1 });
    const { readInput } = await import('../../../src/parse/pipeline.js');
    await readInput(mediaCapture(mediaCallPackets({ caller, callee, rtp: twoWay(caller, callee, 120, 5) })), { onMessage: (m) => join.addMessage(m), onMedia: (p) => join.addPacket(p) });
    expect(join.counts.streamsNotFollowed).toBeGreaterThan(0);
  });
});

describe('the media join, IPv6 streams', () => {
  // Two senders whose keys hash alike (found by search over readKey's hash, for these ports and SSRC)
  // and whose first address words are equal: only isSameV6's compare of the other words tells them apart.
  const collidingSenders = ['2001:db8::6ad:0:e49e', '2001:db8::d00b:0:7e24'];

  async function unassignedOf(flows: readonly { src: string; dst: string }[], count: number) {
    const { MediaJoin } = await import('../../../src/parse/media/join.js');
    const { readInput } = await import('../../../src/parse/pipeline.js');
    const packets: Packet[] = [];
    for (let i = 0; i < count; i++) {
      flows.forEach((f, n) => {
        packets.push({ sec: 1700000000, nsec: (i * 20 + n) * 1e6, data: frame(rtpPacket({ seq: 100 + i, timestamp: 160 * i, ssrc: 0x1234 }), 40000, 50000, f.src, f.dst) });
      });
    }
    const join = new MediaJoin();
    await readInput(mediaCapture(packets), { onMessage: (m) => join.addMessage(m), onMedia: (p) => join.addPacket(p) });
    return join.unassigned().map((s) => [s.src.ip, s.dst.ip, s.packets]);
  }

  it('tells streams apart by every word of their addresses', async () => {
    expect(await unassignedOf(collidingSenders.map((src) => ({ src, dst: '2001:db8::9' })), 5)).toEqual([
      ['2001:db8::6ad:0:e49e', '2001:db8::9', 5],
      ['2001:db8::d00b:0:7e24', '2001:db8::9', 5],
    ]);
    expect(await unassignedOf([{ src: '2001:db8::1', dst: '2001:db8::8' }, { src: '2001:db8::1', dst: '2001:db8::9' }], 4)).toEqual([
      ['2001:db8::1', '2001:db8::8', 4],
      ['2001:db8::1', '2001:db8::9', 4],
    ]);
  });

  it('finds an IPv6 stream again for each of its packets', async () => {
    expect(await unassignedOf([{ src: '2001:db8::1', dst: '2001:db8::9' }], 7)).toEqual([['2001:db8::1', '2001:db8::9', 7]]);
  });
});

describe('the media join, announcements past their bound', () => {
  it('forgets the oldest call, even the one announcing, and starts it again with its next address', async () => {
    const { MediaJoin } = await import('../../../src/parse/media/join.js');
    const { readInput } = await import('../../../src/parse/pipeline.js');
    // Both sides behind NAT: each SDP announces its private address and the public one its SIP came from.
    const natCaller: MediaSide = { sip: '192.0.2.10', address: '10.0.0.5', port: 40000 };
    const natCallee: MediaSide = { sip: '198.51.100.20', address: '10.1.0.7', port: 50000 };
    const join = new MediaJoin({ maxAnnouncements: 2 });
    let callId = '';
    await readInput(mediaCapture(mediaCallPackets({ caller: natCaller, callee: natCallee, rtp: [] })), {
      onMessage: (m) => {
        // Up to the 200 OK: the BYE would end the call.
        if (m.message.kind === 'request' && m.message.method === 'BYE') return;
        callId = m.message.callId ?? '';
        join.addMessage(m);
      },
    });
    // The 200 OK's first address made three: the call (the oldest) was forgotten with its three, and its NAT address started it again.
    expect(join.counts.announcementsDropped).toBe(3);
    expect(join.sofar(callId)).toEqual({ announced: 1, streams: 0, packets: 0 });
  });
});
