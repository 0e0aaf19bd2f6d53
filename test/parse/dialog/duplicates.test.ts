/** Second captures of one packet are duplicates, not retransmissions (src/parse/dialog/duplicates.ts). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { correlate } from '../../../src/parse/dialog/correlate.js';
import { duplicateOf } from '../../../src/parse/dialog/duplicates.js';
import type { CallMessage } from '../../../src/parse/dialog/types.js';
import type { CapturedMessage } from '../../../src/types.js';
import { CORPUS_PCAP_DIR, hasCorpus, REPO_ROOT } from '../../support/captures.js';
import { A, B, captured, dialogHeaders } from '../../support/sip.js';

const invite = (ms: number, ipId = -1, dst = B): CapturedMessage => ({
  ...captured(['INVITE sip:bob@example.com SIP/2.0', ...dialogHeaders({ cseq: '1 INVITE' })], ms, A, dst),
  ipId,
});

function shape(messages: CapturedMessage[]) {
  const [call, ...rest] = correlate(messages);
  expect(rest).toEqual([]);
  return {
    messages: call!.messages.map((m) => ({ frame: m.captured.frame, retransmission: m.retransmission })),
    duplicates: call!.duplicates.map((d) => ({ frame: d.captured.frame, of: d.of })),
  };
}

describe('duplicates: valid (a second capture of one packet)', () => {
  it('the same bytes on the same hop 10 µs later, no IP identification (IPv6, HEP, TCP)', () => {
    const a = invite(0);
    const b = invite(0.01);
    expect(shape([a, b])).toEqual({ messages: [{ frame: a.frame, retransmission: false }], duplicates: [{ frame: b.frame, of: 0 }] });
  });

  it('the same IPv4 identification, 20 ms apart (the window is inclusive)', () => {
    const a = invite(0, 0x2eaf);
    const b = invite(20, 0x2eaf);
    expect(shape([a, b]).duplicates).toEqual([{ frame: b.frame, of: 0 }]);
  });

  it("stamped before the copy it repeats (another interface's clock)", () => {
    const a = invite(5, 7);
    const b = invite(4.99, 7);
    expect(shape([a, b]).duplicates).toEqual([{ frame: b.frame, of: 0 }]);
  });

  it('a copy stamped before a later message of the call (a second interface flushed late) is still found', () => {
    const a = invite(0, 5);
    const later = invite(500, 6);
    const copy = invite(0.01, 5);
    expect(shape([a, later, copy]).duplicates).toEqual([{ frame: copy.frame, of: 0 }]);
  });

  it('a copy of a retransmission is a duplicate of the retransmission', () => {
    const [a, r, d] = [invite(0, 1), invite(500, 2), invite(500.01, 2)];
    expect(shape([a, r, d])).toEqual({
      messages: [
        { frame: a.frame, retransmission: false },
        { frame: r.frame, retransmission: true },
      ],
      duplicates: [{ frame: d.frame, of: 1 }],
    });
  });
});

describe('duplicates: invalid (two transmissions, or two packets)', () => {
  it('different IP identifications 1 ms apart: the sender sent it twice (gprshome #575/#576)', () => {
    const a = invite(0, 0x22bb);
    const b = invite(1, 0x22bc);
    expect(shape([a, b])).toEqual({
      messages: [
        { frame: a.frame, retransmission: false },
        { frame: b.frame, retransmission: true },
      ],
      duplicates: [],
    });
  });

  it('the same bytes T1 later: a retransmission', () => {
    expect(shape([invite(0), invite(500)]).duplicates).toEqual([]);
  });

  it('just over the window', () => {
    expect(shape([invite(0), invite(20.5)]).duplicates).toEqual([]);
  });

  it('the same message to another destination (a fork, a hop further)', () => {
    expect(shape([invite(0), invite(0.01, -1, { ip: '10.0.0.9', port: 5060 })]).duplicates).toEqual([]);
  });

  it('other bytes on the same hop', () => {
    const a = invite(0);
    const other = captured(['INVITE sip:bob@example.com SIP/2.0', ...dialogHeaders({ cseq: '2 INVITE', branch: 'z9hG4bK-2' })], 0.01, A, B);
    expect(shape([a, other]).duplicates).toEqual([]);
  });
});

describe('duplicates in real captures', () => {
  it('dumpcap on both ports of a bridge: each packet twice, the two real INVITE retransmissions still found', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'real', 'dumpcap-two-interfaces.pcapng')]);
    const [call] = result.calls;
    expect(call!.call.messages.map((m) => m.captured.frame)).toEqual([1, 3, 5, 6, 7, 8, 13, 14]);
    expect(call!.call.duplicates.map((d) => [d.captured.frame, call!.call.messages[d.of]!.captured.frame])).toEqual([
      [2, 1], [4, 3], [9, 5], [10, 6], [11, 7], [12, 8], [15, 13], [16, 14],
    ]);
    expect(call!.findings.map((f) => [f.rule, f.messageId, f.data['retransmissions'], f.frames])).toEqual([['request-retransmissions', 'retransmitted', 2, [1, 3, 5]]]);
    expect(result.summary).toMatchObject({ messages: 8, retransmissions: 2, duplicates: 8 });
  });

  it('a HEP copy (sngrep) beside the original packet on lo', async () => {
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'real', 'sngrep-hep-beside-original.pcap')]);
    expect(result.calls.map((c) => [c.call.messages.length, c.call.duplicates.length, c.findings.length])).toEqual([[6, 6, 0]]);
    expect(result.summary).toMatchObject({ messages: 6, retransmissions: 0, duplicates: 6 });
  });

  it.skipIf(!hasCorpus)('gprshome: the 180 sent twice 1 ms apart with new IP identifications stays two transmissions', async () => {
    const result = await analyze([join(CORPUS_PCAP_DIR, 'gprshome-wireshark-sip-icmp-rtp.pcap')]);
    expect(result.summary.duplicates).toBe(0);
    const ringing = result.calls.flatMap((c) => c.call.messages.filter((m) => m.captured.frame === 575 || m.captured.frame === 576).map((m) => [m.captured.frame, m.retransmission]));
    expect(ringing).toEqual([
      [575, false],
      [576, true],
    ]);
  });
});

describe('duplicateOf reads the times it is given', () => {
  const entry = (c: CapturedMessage): CallMessage => ({ captured: c, transaction: 0, dialog: null, retransmission: false, original: null });
  it('the window is judged on the call\'s times, by index, latest first', () => {
    const a = invite(0, 7);
    const b = invite(1000, 7);
    const copy = invite(1005, 7);
    const messages = [entry(a), entry(b)];
    // Both earlier messages have the copy's bytes: the one whose time is within the window is found.
    expect(duplicateOf(messages, [0, 1000], copy, 1005, 1000)).toBe(1);
    expect(duplicateOf(messages, [1000, 0], copy, 1005, 1000)).toBe(0);
    // More than the window after the latest: nothing is read.
    expect(duplicateOf(messages, [0, 1000], copy, 1021, 1000)).toBe(-1);
  });
});
