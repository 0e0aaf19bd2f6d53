/** no-media and one-way-media on calls built packet by packet (test/support/media-call.ts), valid and invalid cases. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/session.js';
import { mediaCallPackets, mediaCapture, twoWay, type MediaCallSpec, type MediaSide } from '../../support/media-call.js';

const caller: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
const callee: MediaSide = { sip: '198.51.100.20', address: '198.51.100.20', port: 50000 };
/** A call of the same hosts with two-way media, so that the capture shows RTP of these hosts. */
const otherCall: MediaCallSpec = { callId: 'other@x', caller: { ...caller, port: 42000 }, callee: { ...callee, port: 52000 }, rtp: twoWay({ ...caller, port: 42000 }, { ...callee, port: 52000 }, 120, 20) };

async function findings(rule: string, ...specs: MediaCallSpec[]) {
  const result = await analyze([mediaCapture(...specs.map(mediaCallPackets))]);
  return result.calls.flatMap((c) => c.findings.filter((f) => f.rule === rule).map((f) => ({ call: c.call.callId, messageId: f.messageId, severity: f.severity, data: f.data })));
}

describe('no-media', () => {
  it('valid: two-way media, a SIP-only capture, a call shorter than minTalkMs, an inactive call', async () => {
    expect(await findings('no-media', { caller, callee, rtp: twoWay(caller, callee, 120, 50) })).toEqual([]);
    expect(await findings('no-media', { caller, callee })).toEqual([]);
    expect(await findings('no-media', { caller, callee, byeMs: 1000 }, otherCall)).toEqual([]);
    expect(await findings('no-media', { caller: { ...caller, direction: 'inactive' }, callee: { ...callee, direction: 'inactive' } }, otherCall)).toEqual([]);
  });

  it('invalid: no RTP at all while the capture shows RTP of the same hosts', async () => {
    expect(await findings('no-media', { caller, callee }, otherCall)).toEqual([
      { call: 'media-call@example.com', messageId: 'none', severity: 'warning', data: { caller: { kind: 'endpoint', ip: '192.0.2.10', port: 40000 }, callee: { kind: 'endpoint', ip: '198.51.100.20', port: 50000 }, talk: { kind: 'ms', ms: 10_000 } } },
    ]);
  });

  it('unresolved (info) when the capture holds RTP but none of these hosts\'', async () => {
    const elsewhere: MediaCallSpec = { callId: 'elsewhere@x', caller: { sip: '203.0.113.1', address: '203.0.113.1', port: 4000 }, callee: { sip: '203.0.113.2', address: '203.0.113.2', port: 5000 }, rtp: twoWay({ sip: '', address: '203.0.113.1', port: 4000 }, { sip: '', address: '203.0.113.2', port: 5000 }, 120, 20) };
    expect((await findings('no-media', { caller, callee }, elsewhere)).map((f) => [f.messageId, f.severity])).toEqual([['not-captured', 'info']]);
  });
});

describe('one-way-media', () => {
  /** The B2BUA's other leg: 192.0.2.99 calls it, so the capture shows that host as a SIP device of its own. */
  const otherLeg: MediaCallSpec = { callId: 'other-leg@x', caller: { sip: '192.0.2.99', address: '192.0.2.99', port: 7078 }, callee: { sip: '192.0.2.10', address: '192.0.2.10', port: 19200 } };

  it('valid: two-way media; a one-way call by SDP (recvonly/sendonly); a caller that sent CANCEL (cancel-race names it); RTP at an unannounced address', async () => {
    expect(await findings('one-way-media', { caller, callee, rtp: twoWay(caller, callee, 120, 50) })).toEqual([]);
    const oneWayBySdp = { caller: { ...caller, direction: 'recvonly' as const }, callee: { ...callee, direction: 'sendonly' as const }, rtp: [twoWay(caller, callee, 120, 50)[1]!] };
    expect(await findings('one-way-media', oneWayBySdp)).toEqual([]);
    expect(await findings('one-way-media', { caller, callee, cancelMs: 98, rtp: [twoWay(caller, callee, 120, 50)[1]!] })).toEqual([]);
    const unannounced = { caller, callee, rtp: [twoWay(caller, callee, 120, 50)[1]!, { from: { ip: caller.address, port: 41111 }, to: { ip: callee.address, port: 51111 }, startMs: 120, count: 50, ssrc: 5 }] };
    expect(await findings('one-way-media', unannounced)).toEqual([]);
  });

  it('invalid: only the callee is heard; the cause unresolved when addresses are consistent', async () => {
    const got = await findings('one-way-media', { caller, callee, rtp: [twoWay(caller, callee, 120, 50)[1]!] });
    expect(got.map((f) => [f.messageId, f.data.silent, f.data.heard, f.data.packets])).toEqual([['unknown', 'caller', 'callee', 50]]);
  });

  it('invalid: the callee announced a private address from a public one, and the caller is never heard', async () => {
    const natCallee: MediaSide = { sip: '198.51.100.20', address: '10.0.0.20', port: 50000 };
    const got = await findings('one-way-media', {
      caller,
      callee: natCallee,
      rtp: [{ from: { ip: '198.51.100.20', port: 50000 }, to: { ip: caller.address, port: caller.port }, startMs: 120, count: 40, ssrc: 8 }],
    });
    expect(got.map((f) => [f.messageId, f.data.silent, f.data.target])).toEqual([['private-address', 'caller', { kind: 'endpoint', ip: '10.0.0.20', port: 50000 }]]);
  });

  it('invalid: the heard side sends from another port than it announced (behind NAT, no latching)', async () => {
    const got = await findings('one-way-media', {
      caller,
      callee,
      rtp: [{ from: { ip: callee.address, port: 61000 }, to: { ip: caller.address, port: caller.port }, startMs: 120, count: 40, ssrc: 8 }],
    });
    expect(got.map((f) => [f.messageId, f.data.actual])).toEqual([['behind-nat', { kind: 'endpoint', ip: '198.51.100.20', port: 61000 }]]);
  });

  it('invalid: the silent side\'s SDP put its audio on another device (a B2BUA\'s direct media): that device is named', async () => {
    const b2bua: MediaSide = { sip: '192.0.2.10', address: '192.0.2.99', port: 7078 };
    const got = await findings(
      'one-way-media',
      {
        caller: b2bua,
        callee,
        rtp: [{ from: { ip: callee.address, port: callee.port }, to: { ip: '192.0.2.99', port: 7078 }, startMs: 120, count: 40, ssrc: 8 }],
      },
      otherLeg,
    );
    expect(got.map((f) => [f.messageId, f.data.silent, f.data.source, f.data.sender])).toEqual([
      ['third-party', 'caller', { kind: 'endpoint', ip: '192.0.2.99', port: 7078 }, { kind: 'endpoint', ip: '192.0.2.10', port: 5060 }],
    ]);
  });

  it('third-party after a re-INVITE moved the silent side\'s audio: the silence is counted from that re-INVITE, not from the answer', async () => {
    const b2bua: MediaSide = { sip: '192.0.2.10', address: '192.0.2.10', port: 40000 };
    const handedOver: MediaSide = { sip: '192.0.2.10', address: '192.0.2.99', port: 7078 };
    const got = await findings(
      'one-way-media',
      {
        caller: b2bua,
        callee,
        reinvites: [{ ms: 6000, fromCaller: true, offer: handedOver, answer: callee }],
        rtp: [{ from: { ip: callee.address, port: callee.port }, to: { ip: '192.0.2.10', port: 40000 }, startMs: 120, count: 40, ssrc: 8 }],
      },
      otherLeg,
    );
    // The call is answered at 0.1 s and the BYE comes at 10.1 s (media-call's defaults); the re-INVITE at 6 s.
    expect(got.map((f) => [f.messageId, f.data.source, f.data.talk])).toEqual([['third-party', { kind: 'endpoint', ip: '192.0.2.99', port: 7078 }, { kind: 'ms', ms: 4100 }]]);
  });

  it('valid for third-party: a media address that never signals (a second interface of the same SBC or B2BUA) is not another device', async () => {
    const twoInterfaces: MediaSide = { sip: '192.0.2.10', address: '192.0.2.99', port: 7078 };
    const got = await findings('one-way-media', {
      caller: twoInterfaces,
      callee,
      rtp: [{ from: { ip: callee.address, port: callee.port }, to: { ip: '192.0.2.99', port: 7078 }, startMs: 120, count: 40, ssrc: 8 }],
    });
    expect(got.map((f) => [f.messageId, f.data.source])).toEqual([['unknown', undefined]]);
  });

  it('valid for third-party: a proxy forwarding the SDP of the user agent behind it (its Contact names the c= host) is not a B2BUA handing media to another device', async () => {
    const behindProxy: MediaSide = { sip: '192.0.2.10', address: '192.0.2.99', port: 7078, contact: '192.0.2.99' };
    const got = await findings('one-way-media', {
      caller: behindProxy,
      callee,
      rtp: [{ from: { ip: callee.address, port: callee.port }, to: { ip: '192.0.2.99', port: 7078 }, startMs: 120, count: 40, ssrc: 8 }],
    });
    expect(got.map((f) => [f.messageId, f.data.source])).toEqual([['unknown', undefined]]);
  });

  it('a private c= from a public signalling address is NAT, not another device: the cause stays unresolved', async () => {
    const natCaller: MediaSide = { sip: '192.0.2.10', address: '10.0.0.10', port: 40000 };
    const got = await findings('one-way-media', {
      caller: natCaller,
      callee,
      rtp: [{ from: { ip: callee.address, port: callee.port }, to: { ip: '10.0.0.10', port: 40000 }, startMs: 120, count: 40, ssrc: 8 }],
    });
    expect(got.map((f) => [f.messageId, f.data.source])).toEqual([['unknown', undefined]]);
  });
});
