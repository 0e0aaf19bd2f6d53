/**
 * Transfers linked across calls (src/annotate/transfers.ts): the REFER in one call and the
 * INVITE the transferee sent for it in another, found whichever of the two calls is handed over
 * first, and what the transfer rule says on each side.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalyzedCall } from '../../src/analysis/types.js';
import { referTarget, transferReason } from '../../src/annotate/transfers.js';
import type { CapturedMessage, Endpoint } from '../../src/types.js';
import { rawMessage, resetCatalogFrames } from '../support/catalog.js';

/** Alice (transferee), Bob (transferor), Carol (target). */
const ALICE: Endpoint = { ip: '10.0.0.1', port: 5060 };
const BOB: Endpoint = { ip: '10.0.0.2', port: 5060 };
const CAROL: Endpoint = { ip: '10.0.0.3', port: 5060 };

beforeEach(resetCatalogFrames);

function msg(lines: string[], ms: number, src: Endpoint, dst: Endpoint, body = ''): CapturedMessage {
  const text = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  return rawMessage(text, ms, src, dst);
}

/** A dialog's request and its response, between two parties. */
function exchange(o: { method: string; uri: string; callId: string; seq: number; ms: number; src: Endpoint; dst: Endpoint; from: string; to: string; fromTag: string; toTag?: string; status: string; answerTag: string; extra?: string[]; body?: string; contentType?: string; answerMs?: number }): CapturedMessage[] {
  const via = `Via: SIP/2.0/UDP ${o.src.ip}:${o.src.port};branch=z9hG4bK-${o.callId}-${o.seq}-${o.method}`;
  const common = (toTag: string | undefined) => [via, `From: <${o.from}>;tag=${o.fromTag}`, `To: <${o.to}>${toTag ? `;tag=${toTag}` : ''}`, `Call-ID: ${o.callId}`, `CSeq: ${o.seq} ${o.method}`];
  const request = msg([`${o.method} ${o.uri} SIP/2.0`, ...common(o.toTag), 'Max-Forwards: 70', ...(o.extra ?? []), ...(o.contentType ? [`Content-Type: ${o.contentType}`] : [])], o.ms, o.src, o.dst, o.body ?? '');
  const response = msg([`SIP/2.0 ${o.status}`, ...common(o.answerTag)], o.answerMs ?? o.ms + 5, o.dst, o.src);
  return [request, response];
}

/** Call 1 Alice→Bob answered; Bob REFERs Alice to Carol; Alice's NOTIFY reports `sipfrag`. */
function referCall(o: { referTo?: string; sipfrag?: string; notifyMs?: number; byeMs?: number } = {}): CapturedMessage[] {
  const base = { callId: 'ab', from: 'sip:alice@example.com', to: 'sip:bob@example.com' };
  return [
    ...exchange({ ...base, method: 'INVITE', uri: 'sip:bob@example.com', seq: 1, ms: 0, src: ALICE, dst: BOB, fromTag: 'a', status: '200 OK', answerTag: 'b' }),
    ...exchange({ ...base, method: 'REFER', uri: 'sip:alice@10.0.0.1', from: 'sip:bob@example.com', to: 'sip:alice@example.com', seq: 1, ms: 1000, src: BOB, dst: ALICE, fromTag: 'b', toTag: 'a', status: '202 Accepted', answerTag: 'a', extra: [`Refer-To: ${o.referTo ?? '<sip:carol@example.com>'}`, 'Referred-By: <sip:bob@example.com>'] }),
    ...exchange({ ...base, method: 'NOTIFY', uri: 'sip:bob@10.0.0.2', seq: 2, ms: o.notifyMs ?? 3000, src: ALICE, dst: BOB, fromTag: 'a', toTag: 'b', status: '200 OK', answerTag: 'b', extra: ['Event: refer', 'Subscription-State: terminated;reason=noresource'], contentType: 'message/sipfrag;version=2.0', body: `${o.sipfrag ?? 'SIP/2.0 200 OK'}\r\n` }),
    ...exchange({ ...base, method: 'BYE', uri: 'sip:alice@10.0.0.1', from: 'sip:bob@example.com', to: 'sip:alice@example.com', seq: 3, ms: o.byeMs ?? 3500, src: BOB, dst: ALICE, fromTag: 'b', toTag: 'a', status: '200 OK', answerTag: 'a' }),
  ];
}

/** Call 2: Alice calls Carol at `ms`, answered `status` `answerMs` later. */
function targetCall(o: { ms?: number; status?: string; extra?: string[]; from?: string; uri?: string; byeMs?: number } = {}): CapturedMessage[] {
  const ms = o.ms ?? 1100;
  const out = exchange({ method: 'INVITE', uri: o.uri ?? 'sip:carol@example.com', callId: 'ac', seq: 1, ms, src: ALICE, dst: CAROL, from: o.from ?? 'sip:alice@example.com', to: o.uri ?? 'sip:carol@example.com', fromTag: 'a2', status: o.status ?? '200 OK', answerTag: 'c', extra: o.extra ?? ['Referred-By: <sip:bob@example.com>'], answerMs: ms + 1500 });
  if (o.byeMs !== undefined) out.push(...exchange({ method: 'BYE', uri: 'sip:carol@10.0.0.3', callId: 'ac', seq: 2, ms: o.byeMs, src: ALICE, dst: CAROL, from: 'sip:alice@example.com', to: 'sip:carol@example.com', fromTag: 'a2', toTag: 'c', status: '200 OK', answerTag: 'c' }));
  return out;
}

/** Runs the analysis session over the messages, in time order; the transfer rule's findings per call number. */
function analyzed(...parts: CapturedMessage[][]): Map<number, { messageId: string; data: Record<string, unknown> }[]> {
  const messages = parts.flat().sort((x, y) => x.time.sec - y.time.sec || x.time.nsec - y.time.nsec);
  const calls: AnalyzedCall[] = [];
  const analyzer = new Analyzer({ onCalls: (batch) => calls.push(...batch), media: false });
  for (const m of messages) analyzer.add(m);
  analyzer.finish([]);
  return new Map(calls.map((c) => [c.call.number, c.findings.filter((f) => f.rule === 'transfer').map((f) => ({ messageId: f.messageId, data: f.data }))]));
}

describe('reading a Refer-To', () => {
  it('a blind transfer: the URI, no Replaces', () => {
    expect(referTarget('<sip:carol@example.com>')).toEqual({ uri: 'sip:carol@example.com', attended: false, replacesCallId: null });
  });
  it('an attended transfer: the escaped Replaces, its Call-ID read', () => {
    expect(referTarget('<sip:carol@example.com?Replaces=bc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>')).toEqual({ uri: 'sip:carol@example.com', attended: true, replacesCallId: 'bc@host' });
  });
});

describe('why an INVITE carries out a REFER', () => {
  const refer = referCall()[2]!;
  const invite = (extra: string[], from = 'sip:alice@example.com', uri = 'sip:carol@example.com') => msg([`INVITE ${uri} SIP/2.0`, 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-x', `From: <${from}>;tag=x`, `To: <${uri}>`, 'Call-ID: other', 'CSeq: 1 INVITE', ...extra], 1100, ALICE, CAROL).message;
  it('Referred-By naming the transferor', () => {
    expect(transferReason(refer, referTarget('<sip:carol@example.com>'), invite(['Referred-By: <sip:bob@example.com>']))).toBe('referred-by');
  });
  it('Replaces naming the dialog of the Refer-To', () => {
    expect(transferReason(refer, referTarget('<sip:carol@example.com?Replaces=bc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>'), invite(['Replaces: bc@host;to-tag=1;from-tag=2']))).toBe('replaces');
  });
  it('neither header: from the transferee to the target (a guess)', () => {
    expect(transferReason(refer, referTarget('<sip:carol@example.com>'), invite([]))).toBe('refer-to');
  });
  it('not linked: another target, another referrer, or someone else calling the target', () => {
    expect(transferReason(refer, referTarget('<sip:carol@example.com>'), invite(['Referred-By: <sip:bob@example.com>'], 'sip:alice@example.com', 'sip:dave@example.com'))).toBeNull();
    expect(transferReason(refer, referTarget('<sip:carol@example.com>'), invite(['Referred-By: <sip:mallory@example.com>']))).toBeNull();
    expect(transferReason(refer, referTarget('<sip:carol@example.com>'), invite([], 'sip:eve@example.com'))).toBeNull();
  });
});

describe('transfers linked across calls', () => {
  it('completed: the REFER\'s call names the call the transfer became, answered; that call names the REFER\'s', () => {
    const found = analyzed(referCall(), targetCall({ byeMs: 60_000 }));
    expect(found.get(1)).toEqual([{ messageId: 'completed-in-call', data: expect.objectContaining({ call: 2, link: 'referred-by', callResponse: '200 OK', target: 'sip:carol@example.com', kind: 'blind', status: '200 OK' }) }]);
    expect(found.get(2)).toEqual([{ messageId: 'transferred-from', data: expect.objectContaining({ call: 1, link: 'referred-by', target: 'sip:carol@example.com', kind: 'blind' }) }]);
  });

  it('failed: the target was busy; the new call ends first (before the REFER\'s call), and is still linked', () => {
    const found = analyzed(referCall({ sipfrag: 'SIP/2.0 486 Busy Here', byeMs: 90_000 }), targetCall({ status: '486 Busy Here' }));
    expect(found.get(1)).toEqual([{ messageId: 'failed-in-call', data: expect.objectContaining({ call: 2, callResponse: '486 Busy Here', meaning: 'the target is busy' }) }]);
    expect(found.get(2)!.map((f) => [f.messageId, f.data.call])).toEqual([['transferred-from', 1]]);
  });

  it('attended: linked by Replaces', () => {
    const referTo = '<sip:carol@example.com?Replaces=bc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>';
    const found = analyzed(referCall({ referTo }), targetCall({ extra: ['Replaces: bc@host;to-tag=1;from-tag=2'], byeMs: 60_000 }));
    expect(found.get(1)!.map((f) => [f.messageId, f.data.link, f.data.kind])).toEqual([['completed-in-call', 'replaces', 'attended']]);
  });

  it('not linked: a call to the target by someone else, or more than 32 s after the REFER', () => {
    const other = analyzed(referCall(), targetCall({ from: 'sip:eve@example.com', extra: [], byeMs: 60_000 }));
    expect(other.get(1)!.map((f) => f.messageId)).toEqual(['completed']);
    expect(other.get(2)).toEqual([]);
    const late = analyzed(referCall({ byeMs: 50_000 }), targetCall({ ms: 40_000 }));
    expect(late.get(1)!.map((f) => f.messageId)).toEqual(['completed']);
  });
});
