import { beforeEach, describe, expect, it } from 'vitest';
import { Correlator, correlate } from '../../../src/parse/dialog/correlate.js';
import type { Call } from '../../../src/parse/dialog/types.js';
import { A, B, P, captured, dialogHeaders as h, resetFrames } from '../../support/sip.js';

beforeEach(resetFrames);

const invite = (ms: number, src = A, dst = B, extra: Partial<Parameters<typeof h>[0]> = {}) =>
  captured(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '1 INVITE', ...extra })], ms, src, dst);
const response = (status: string, ms: number, toTag: string | null, cseq = '1 INVITE', src = B, dst = A, extra: Partial<Parameters<typeof h>[0]> = {}) =>
  captured([`SIP/2.0 ${status}`, ...h({ cseq, toTag, ...extra })], ms, src, dst);

function only(calls: Call[]): Call {
  expect(calls.length).toBe(1);
  return calls[0]!;
}

function frames(call: Call, indices: readonly number[]): number[] {
  return indices.map((i) => call.messages[i]!.captured.frame ?? 0);
}

describe('correlation', () => {
  it("gives a call's messages its Call-ID string, equal to each one's own, and leaves a message without one as it is", () => {
    const messages = [invite(0), response('180 Ringing', 20, 'b'), response('200 OK', 30, 'b'), captured(['OPTIONS sip:bob@example.com SIP/2.0', 'CSeq: 1 OPTIONS'], 40, A, B)];
    const ids = messages.map((m) => m.message.callId);
    const calls = correlate(messages);
    expect(messages.map((m) => m.message.callId)).toEqual(ids);
    expect(ids[3]).toBeNull();
    expect(calls.map((c) => [c.callId, c.messages.length])).toEqual([
      [ids[0], 3],
      ['', 1],
    ]);
  });

  it('groups an INVITE transaction, its ACK for 2xx and a BYE into one call with one dialog', () => {
    const call = only(
      correlate([
        invite(0),
        response('100 Trying', 10, null),
        response('180 Ringing', 20, 'b'),
        response('200 OK', 30, 'b'),
        captured(['ACK sip:bob@10.0.0.3 SIP/2.0', ...h({ cseq: '1 ACK', toTag: 'b', branch: 'z9hG4bK-ack' })], 40, A, B),
        captured(['BYE sip:bob@10.0.0.3 SIP/2.0', ...h({ cseq: '2 BYE', toTag: 'b', branch: 'z9hG4bK-bye' })], 50, A, B),
        response('200 OK', 60, 'b', '2 BYE', B, A, { branch: 'z9hG4bK-bye' }),
      ]),
    );
    expect(call.type).toBe('call');
    expect(call.transactions.map((t) => [t.method, t.requests.length, t.responses.length])).toEqual([
      ['INVITE', 1, 3],
      ['ACK', 1, 0],
      ['BYE', 1, 1],
    ]);
    expect(call.transactions[0]!.ack2xx).toEqual([1]);
    expect(call.dialogs).toEqual([{ callerTag: 'a', calleeTag: 'b', state: 'terminated', createdBy: 2 }]);
    expect(call.messages.map((m) => m.dialog)).toEqual([null, null, 0, 0, 0, 0, 0]);
  });

  it('marks retransmissions on the same hop, and keeps the same request at another hop', () => {
    const call = only(
      correlate([
        invite(0),
        invite(500),
        invite(1500),
        // The same INVITE seen on another hop (e.g. captured on both sides of a NAT) is not a retransmission.
        invite(1501, { ip: '192.0.2.1', port: 5060 }, B),
        response('100 Trying', 1600, null),
        response('100 Trying', 1700, null),
      ]),
    );
    expect(call.messages.map((m) => [m.retransmission, m.original])).toEqual([
      [false, null],
      [true, 0],
      [true, 0],
      [false, null],
      [false, null],
      [true, 4],
    ]);
    expect(call.transactions.length).toBe(1);
  });

  it('puts CANCEL in its own transaction tied to the INVITE, and the 487 and its ACK in the INVITE transaction', () => {
    const call = only(
      correlate([
        invite(0),
        response('100 Trying', 10, null),
        captured(['CANCEL sip:bob@example.com SIP/2.0', ...h({ cseq: '1 CANCEL' })], 5000, A, B),
        response('200 OK', 5010, 'b', '1 CANCEL'),
        response('487 Request Terminated', 5020, 'b'),
        captured(['ACK sip:bob@example.com SIP/2.0', ...h({ cseq: '1 ACK', toTag: 'b' })], 5030, A, B),
      ]),
    );
    const [inviteTx, cancelTx] = call.transactions;
    expect(call.transactions.length).toBe(2);
    expect(inviteTx).toMatchObject({ method: 'INVITE', cancelledBy: 1, acks: [5], ack2xx: [] });
    expect(frames(call, inviteTx!.responses)).toEqual([2, 5]);
    expect(cancelTx).toMatchObject({ method: 'CANCEL', cancels: 0, requests: [2], responses: [3] });
  });

  it('keeps each fork of a forked INVITE as its own dialog', () => {
    const call = only(
      correlate([
        invite(0),
        response('180 Ringing', 10, 'fork1', '1 INVITE', B),
        response('183 Session Progress', 12, 'fork2', '1 INVITE', { ip: '10.0.0.4', port: 5060 }),
        response('200 OK', 30, 'fork2', '1 INVITE', { ip: '10.0.0.4', port: 5060 }),
      ]),
    );
    expect(call.transactions.length).toBe(1);
    expect(call.dialogs.map((d) => [d.calleeTag, d.state])).toEqual([
      ['fork1', 'early'],
      ['fork2', 'confirmed'],
    ]);
  });

  it('sees a call through a proxy as two transactions, one per hop', () => {
    const upstream = { branch: 'z9hG4bK-ua' };
    const downstream = { via: ['SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-proxy', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-ua'] };
    const call = only(
      correlate([
        invite(0, A, P, upstream),
        response('100 Trying', 5, null, '1 INVITE', P, A, upstream),
        invite(6, P, B, downstream),
        response('200 OK', 20, 'b', '1 INVITE', B, P, downstream),
        response('200 OK', 21, 'b', '1 INVITE', P, A, upstream),
      ]),
    );
    expect(call.transactions.map((t) => [t.branch, frames(call, t.requests), frames(call, t.responses)])).toEqual([
      ['z9hG4bK-ua', [1], [2, 5]],
      ['z9hG4bK-proxy', [3], [4]],
    ]);
    expect(call.messages.every((m) => !m.retransmission)).toBe(true);
    expect(call.dialogs.length).toBe(1);
  });

  it('matches a response by its branch and CSeq method when an ALG rewrote its sent-by (RFC 3261 §17.1.3; heplify-erspan #6, #7)', () => {
    const sent = { via: ['SIP/2.0/UDP 10.0.0.1:5260;branch=z9hG4bKUmQWlaUz;rport'] };
    const rewritten = { via: ['SIP/2.0/UDP 10.0.0.1:5860;rport=5260;branch=z9hG4bKUmQWlaUz'] };
    const call = only(
      correlate([
        captured(['NOTIFY sip:bob@10.0.0.3 SIP/2.0', ...h({ cseq: '10 NOTIFY', toTag: 'b', ...sent })], 0, A, B),
        response('200 OK', 50, 'b', '10 NOTIFY', B, A, rewritten),
      ]),
    );
    expect(call.transactions.map((t) => [t.method, frames(call, t.requests), frames(call, t.responses)])).toEqual([['NOTIFY', [1], [2]]]);
  });

  it('keeps a response with another branch, or another CSeq method, out of the request\'s transaction', () => {
    const call = only(
      correlate([
        captured(['NOTIFY sip:bob@10.0.0.3 SIP/2.0', ...h({ cseq: '10 NOTIFY', toTag: 'b', branch: 'z9hG4bK-n' })], 0, A, B),
        response('200 OK', 50, 'b', '10 NOTIFY', B, A, { via: ['SIP/2.0/UDP 10.0.0.1:5860;branch=z9hG4bK-other'] }),
        response('200 OK', 60, 'b', '10 SUBSCRIBE', B, A, { via: ['SIP/2.0/UDP 10.0.0.1:5860;branch=z9hG4bK-n'] }),
      ]),
    );
    expect(call.transactions.map((t) => [t.method, frames(call, t.requests), frames(call, t.responses)])).toEqual([
      ['NOTIFY', [1], []],
      ['NOTIFY', [], [2]],
      ['SUBSCRIBE', [], [3]],
    ]);
  });

  it('keeps a response on another hop out of a request with its branch but another sent-by (a B2BUA passing the branch on, the request of its other leg not captured)', () => {
    const b2bua = { ip: '10.0.0.2', port: 5060 };
    const callee = { ip: '10.0.0.9', port: 5060 };
    const call = only(
      correlate([
        captured(['NOTIFY sip:bob@10.0.0.2 SIP/2.0', ...h({ cseq: '10 NOTIFY', toTag: 'b', branch: 'z9hG4bK-n' })], 0, A, b2bua),
        response('200 OK', 50, 'b', '10 NOTIFY', callee, b2bua, { via: ['SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-n'] }),
      ]),
    );
    expect(call.transactions.map((t) => [t.method, frames(call, t.requests), frames(call, t.responses)])).toEqual([
      ['NOTIFY', [1], []],
      ['NOTIFY', [], [2]],
    ]);
  });

  it('ties a CANCEL to its INVITE by branch and CSeq when its sent-by differs (sngrep-aaa #223: the port left out)', () => {
    const call = only(
      correlate([
        invite(0),
        response('100 Trying', 10, null),
        captured(['CANCEL sip:bob@example.com SIP/2.0', ...h({ cseq: '1 CANCEL', via: ['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1'] })], 34_000, A, B),
      ]),
    );
    expect(call.transactions.map((t) => [t.method, t.cancels, t.cancelledBy])).toEqual([
      ['INVITE', null, 1],
      ['CANCEL', 0, null],
    ]);
  });

  it('ties a CANCEL whose sent-by differs only to the INVITE with its branch sent where it goes (RFC 3261 §9.1), not to that branch on another hop', () => {
    const callee = { ip: '10.0.0.9', port: 5060 };
    const call = only(
      correlate([
        invite(0, A, P),
        // A B2BUA that passes the branch on, with its own sent-by.
        invite(5, P, callee, { via: ['SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1'] }),
        captured(['CANCEL sip:bob@example.com SIP/2.0', ...h({ cseq: '1 CANCEL', via: ['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1'] })], 34_000, A, P),
      ]),
    );
    expect(call.transactions.map((t) => [t.method, t.cancels, t.cancelledBy])).toEqual([
      ['INVITE', null, 2],
      ['INVITE', null, null],
      ['CANCEL', 0, null],
    ]);
  });

  it('keeps the answer to a 401/407 in the challenged call even when it comes long after (sngrep-aaa: 32.5 s, 51.2 s)', () => {
    const credentials = 'Proxy-Authorization: Digest username="u",realm="r",nonce="n1",uri="sip:bob@example.com",response="0"';
    const calls = correlate([
      invite(0),
      response('407 Proxy Authentication Required', 150, 'b'),
      captured(['ACK sip:bob@example.com SIP/2.0', ...h({ cseq: '1 ACK', toTag: 'b' })], 155, A, B),
      captured(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '2 INVITE', branch: 'z9hG4bK-2' }), credentials], 51_350, A, B),
      response('403 Wrong password or domain', 51_500, 'c', '2 INVITE', B, A, { branch: 'z9hG4bK-2' }),
    ]);
    expect(calls.map((c) => c.messages.length)).toEqual([5]);
  });

  it('keeps credentials for a REGISTER challenge in the entry even after a binding, and a refresh without credentials starts a new one', () => {
    const register = (cseq: number, ms: number, extra: string[] = []) =>
      captured(['REGISTER sip:example.com SIP/2.0', ...h({ cseq: `${cseq} REGISTER`, branch: `z9hG4bK-r${cseq}` }), ...extra], ms, A, B);
    const answer = (status: string, cseq: number, ms: number) => response(status, ms, 'r', `${cseq} REGISTER`, B, A, { branch: `z9hG4bK-r${cseq}` });
    const credentials = ['Authorization: Digest username="u",realm="r",nonce="n2",uri="sip:example.com",response="0"'];
    const calls = correlate([
      register(1, 0),
      answer('200 OK', 1, 100),
      register(2, 40_000),
      answer('401 Unauthorized', 2, 40_100),
      register(3, 74_200, credentials),
      answer('401 nonce has changed', 3, 74_300),
      // The client gives up; its next refresh, without credentials, is a cycle of its own.
      register(4, 300_000),
    ]);
    expect(calls.map((c) => c.messages.map((m) => m.captured.frame))).toEqual([[1, 2], [3, 4, 5, 6], [7]]);
  });

  it('matches RFC 2543 requests without a magic-cookie branch by CSeq, From tag and Via', () => {
    const old = { via: ['SIP/2.0/UDP 10.0.0.1:5060'] };
    const call = only(
      correlate([
        invite(0, A, B, old),
        invite(500, A, B, old),
        response('486 Busy Here', 600, 'b', '1 INVITE', B, A, old),
        captured(['ACK sip:bob@example.com SIP/2.0', ...h({ cseq: '1 ACK', toTag: 'b', ...old })], 610, A, B),
        captured(['INVITE sip:bob@example.com SIP/2.0', ...h({ cseq: '2 INVITE', ...old })], 5000, A, B),
      ]),
    );
    expect(call.transactions.map((t) => [t.method, t.cseq, t.requests.length, t.responses.length, t.acks.length])).toEqual([
      ['INVITE', 1, 2, 1, 1],
      ['INVITE', 2, 1, 0, 0],
    ]);
    expect(call.messages[1]!.retransmission).toBe(true);
  });

  it("ends a call at its latest message's time: out of order, closer than a double of ms tells apart, and with a nanosecond field past a second", () => {
    const at = (m: ReturnType<typeof invite>, sec: number, nsec: number) => ({ ...m, time: { sec, nsec } });
    // Capture times 1 ns apart are the same number of ms since the epoch (toMs); the later one still ends the call.
    const close = only(correlate([at(invite(0), 1_700_000_000, 10), at(response('100 Trying', 0, null), 1_700_000_000, 11), at(response('180 Ringing', 0, 'b'), 1_699_999_999, 0)]));
    expect(close.end).toEqual({ sec: 1_700_000_000, nsec: 11 });
    // A malformed fraction (a pcap record's microseconds past 10^6) counts its seconds first, as compareTime does.
    const malformed = only(correlate([at(invite(0), 1_700_000_001, 0), at(response('100 Trying', 0, null), 1_700_000_000, 2_000_000_000)]));
    expect(malformed.end).toEqual({ sec: 1_700_000_001, nsec: 0 });
  });

  it('types calls by their first request and keeps Call-IDs apart', () => {
    const calls = correlate([
      captured(['REGISTER sip:example.com SIP/2.0', ...h({ cseq: '1 REGISTER', callId: 'reg' })], 0, A, P),
      captured(['OPTIONS sip:example.com SIP/2.0', ...h({ cseq: '1 OPTIONS', callId: 'opt' })], 1, A, P),
      captured(['SUBSCRIBE sip:example.com SIP/2.0', ...h({ cseq: '1 SUBSCRIBE', callId: 'sub' })], 2, A, P),
      captured(['MESSAGE sip:example.com SIP/2.0', ...h({ cseq: '1 MESSAGE', callId: 'msg' })], 3, A, P),
      captured(['PUBLISH sip:example.com SIP/2.0', ...h({ cseq: '1 PUBLISH', callId: 'pub' })], 4, A, P),
      captured(['SIP/2.0 200 OK', ...h({ cseq: '5 INVITE', callId: 'late', toTag: 'x' })], 5, P, A),
    ]);
    expect(calls.map((c) => [c.callId, c.type])).toEqual([
      ['reg', 'registration'],
      ['opt', 'options'],
      ['sub', 'subscription'],
      ['msg', 'message'],
      ['pub', 'other'],
      ['late', 'call'],
    ]);
    // A response with no request captured still gets a transaction.
    expect(calls[5]!.transactions[0]).toMatchObject({ method: 'INVITE', request: null, responses: [0] });
  });
});

describe('correlation on a real proxied call (fixtures/real/kamailio-proxy-call.pcap)', () => {
  it('shows every message at both hops, with one INVITE transaction per hop and each ACK on its own hop', async () => {
    const { analyze } = await import('../../../src/index.js');
    const { join } = await import('node:path');
    const { REPO_ROOT } = await import('../../support/captures.js');
    const result = await analyze([join(REPO_ROOT, 'fixtures', 'real', 'kamailio-proxy-call.pcap')]);
    const call = only(result.calls.map((c) => c.call));
    expect(call.messages.length).toBe(13);
    expect(call.messages.some((m) => m.retransmission)).toBe(false);
    const invites = call.transactions.filter((t) => t.method === 'INVITE');
    expect(invites.map((t) => [frames(call, t.requests), frames(call, t.responses), frames(call, t.ack2xx.map((a) => call.transactions[a]!.requests[0]!))])).toEqual([
      [[1], [2, 5, 7], [8]],
      [[3], [4, 6], [9]],
    ]);
    expect(call.dialogs.map((d) => d.state)).toEqual(['terminated']);
  });
});

describe('a branch reused by a new request', () => {
  it('a re-INVITE with a new CSeq and the first INVITE\'s branch is a transaction of its own, not a retransmission (snort3-demo-digium #3, #12)', () => {
    const call = only(
      correlate([
        invite(0),
        response('200 OK', 5, 'b'),
        captured(['INVITE sip:bob@10.0.0.3 SIP/2.0', ...h({ cseq: '2 INVITE', toTag: 'b' })], 8, A, B),
        response('200 OK', 9, 'b', '2 INVITE'),
      ]),
    );
    expect(call.messages.map((m) => m.retransmission)).toEqual([false, false, false, false]);
    expect(call.transactions.map((t) => [t.method, t.cseq, t.requests.length, t.responses.length])).toEqual([
      ['INVITE', 1, 1, 1],
      ['INVITE', 2, 1, 1],
    ]);
  });
});

describe('hand-over of calls that stay open', () => {
  /** Capture time of `captured(…, ms)`, as takeDue reads it. */
  const at = (s: number): number => 1700000000_000 + s * 1000;
  const numbers = (calls: Call[]): string[] => calls.map((c) => c.callId);

  it('a call that is up, a binding and a keep-alive series, walked past while open, each go when their own time comes', () => {
    const c = new Correlator();
    const up = { callId: 'up' };
    c.add(invite(0, A, B, up));
    c.add(response('200 OK', 10, 'b', '1 INVITE', B, A, up));
    c.add(captured(['ACK sip:bob@10.0.0.3 SIP/2.0', ...h({ ...up, cseq: '1 ACK', toTag: 'b', branch: 'z9hG4bK-ack' })], 20, A, B));
    const reg = { callId: 'reg', branch: 'z9hG4bK-reg' };
    c.add(captured(['REGISTER sip:example.com SIP/2.0', ...h({ ...reg, cseq: '1 REGISTER' })], 30, A, B));
    c.add(captured(['SIP/2.0 200 OK', ...h({ ...reg, cseq: '1 REGISTER', toTag: 'r' }), 'Expires: 60'], 40, B, A));
    const ping = { callId: 'ping', branch: 'z9hG4bK-ping' };
    c.add(captured(['OPTIONS sip:bob@10.0.0.3 SIP/2.0', ...h({ ...ping, cseq: '1 OPTIONS' })], 50, A, B));
    c.add(captured(['SIP/2.0 200 OK', ...h({ ...ping, cseq: '1 OPTIONS', toTag: 'p' })], 60, B, A));
    // Quiet for 64*T1 and none is over: the call is up, the binding lasts, the next ping may come.
    expect(numbers(c.takeDue(at(40)))).toEqual([]);
    expect(numbers(c.takeDue(at(50)))).toEqual([]);
    // The call, walked past twice, gets its BYE: over 64*T1 after it.
    c.add(captured(['BYE sip:bob@10.0.0.3 SIP/2.0', ...h({ ...up, cseq: '2 BYE', toTag: 'b', branch: 'z9hG4bK-bye' })], 60_000, A, B));
    c.add(response('200 OK', 60_010, 'b', '2 BYE', B, A, { ...up, branch: 'z9hG4bK-bye' }));
    expect(numbers(c.takeDue(at(91)))).toEqual([]);
    expect(numbers(c.takeDue(at(93)))).toEqual(['up']);
    // The binding: 60 s from its 200 OK, then the grace and 64*T1.
    expect(numbers(c.takeDue(at(101)))).toEqual([]);
    expect(numbers(c.takeDue(at(103)))).toEqual(['reg']);
    // The ping series waits 120 s for the next ping.
    expect(numbers(c.takeDue(at(119)))).toEqual([]);
    expect(numbers(c.takeDue(at(121)))).toEqual(['ping']);
    expect(c.openCalls).toBe(0);
  });
});

describe('calls with many transactions and dialogs (looked up by a table past sixteen)', () => {
  const info = (n: number, ms: number, branch: string, extra: Partial<Parameters<typeof h>[0]> = {}) =>
    captured(['INFO sip:bob@10.0.0.3 SIP/2.0', ...h({ cseq: `${n} INFO`, toTag: 'b', branch, ...extra })], ms, A, B);
  const infoOk = (n: number, ms: number, branch: string, extra: Partial<Parameters<typeof h>[0]> = {}) => response('200 OK', ms, 'b', `${n} INFO`, B, A, { branch, ...extra });

  it('finds the transaction of a retransmission whichever its place, with magic-cookie and RFC 2543 branches', () => {
    for (const cookie of ['z9hG4bK-info-', 'rfc2543-']) {
      const messages = [invite(0), response('200 OK', 10, 'b')];
      for (let n = 2; n < 24; n++) messages.push(info(n, n * 100, `${cookie}${n}`), infoOk(n, n * 100 + 10, `${cookie}${n}`));
      // Copies of the requests and responses of early and late transactions, after the call has more than sixteen.
      for (const n of [3, 9, 17, 23]) messages.push(info(n, 3000 + n, `${cookie}${n}`), infoOk(n, 3100 + n, `${cookie}${n}`));
      const call = only(correlate(messages));
      expect(call.transactions.length).toBe(23);
      const copies = call.messages.slice(-8);
      expect(copies.map((m) => [m.retransmission, m.transaction])).toEqual([3, 9, 17, 23].flatMap((n) => [[true, n - 1], [true, n - 1]]));
      expect(copies.map((m) => m.original)).toEqual([3, 9, 17, 23].flatMap((n) => [2 * n - 2, 2 * n - 1]));
    }
  });

  it('tells RFC 2543 transactions apart by From tag past sixteen as before', () => {
    const messages = [invite(0), response('200 OK', 10, 'b')];
    for (let n = 2; n < 20; n++) messages.push(info(n, n * 100, 'old'));
    // Same CSeq, branch and sent-by as INFO 4, another From tag: a transaction of its own.
    messages.push(info(4, 5000, 'old', { fromTag: 'other' }), info(4, 5001, 'old'));
    const call = only(correlate(messages));
    const [other, copy] = call.messages.slice(-2);
    expect(other!.retransmission).toBe(false);
    expect(other!.transaction).toBe(19);
    expect([copy!.retransmission, copy!.transaction]).toEqual([true, 3]);
  });

  it('finds each of twenty forked dialogs by its tags', () => {
    const messages = [invite(0)];
    for (let n = 0; n < 20; n++) messages.push(response('180 Ringing', 10 + n, `fork${n}`));
    messages.push(response('200 OK', 100, 'fork5'), response('200 OK', 110, 'fork18'));
    const call = only(correlate(messages));
    expect(call.dialogs.length).toBe(20);
    expect(call.messages.slice(-2).map((m) => m.dialog)).toEqual([5, 18]);
    expect(call.dialogs[5]!.state).toBe('confirmed');
    expect(call.dialogs[18]!.state).toBe('confirmed');
    expect(call.dialogs[4]!.state).toBe('early');
  });
});

describe('values shared with earlier messages of the call (what open calls hold)', () => {
  it('a response holds its request\'s CSeq object; a request with another CSeq keeps its own', () => {
    const call = only(
      correlate([
        invite(0),
        response('180 Ringing', 20, 'b'),
        response('200 OK', 30, 'b'),
        captured(['BYE sip:bob@10.0.0.3 SIP/2.0', ...h({ cseq: '2 BYE', toTag: 'b', branch: 'z9hG4bK-bye' })], 50, A, B),
      ]),
    );
    const sip = call.messages.map((m) => m.captured.message);
    expect(sip[1]!.cseq).toBe(sip[0]!.cseq);
    expect(sip[2]!.cseq).toBe(sip[0]!.cseq);
    expect(sip[3]!.cseq).toEqual({ seq: 2, method: 'BYE' });
    expect(sip.map((m) => [m.callId, m.fromTag, m.toTag])).toEqual(sip.map((_, i) => [sip[0]!.callId, sip[0]!.fromTag, i === 0 ? null : 'b']));
  });
});

describe("a call's lists of pending INVITEs and dialogs are its own (8dcb9cc: empty ones are one shared array)", () => {
  const at = (s: number): number => 1700000000_000 + s * 1000;
  const pendingOf = (c: Correlator): Record<string, number[]> =>
    Object.fromEntries([...c.open()].map((e) => [e.call.callId, [...e.pendingInvites]]));

  it('an INVITE waiting in one call, a dialog up or ended in another, leave a new call with empty lists', () => {
    const c = new Correlator();
    const x = { callId: 'x', branch: 'z9hG4bK-x1' };
    const y = { callId: 'y', branch: 'z9hG4bK-y1' };
    const ping = { callId: 'ping', branch: 'z9hG4bK-ping' };
    c.add(invite(0, A, B, x));
    c.add(captured(['OPTIONS sip:bob@10.0.0.3 SIP/2.0', ...h({ ...ping, cseq: '1 OPTIONS' })], 1, A, B));
    // x's INVITE waits; ping, begun after it, has none.
    expect(pendingOf(c)).toEqual({ x: [0], ping: [] });
    c.add(response('200 OK', 10, 'b', '1 INVITE', B, A, x));
    c.add(captured(['ACK sip:bob@10.0.0.3 SIP/2.0', ...h({ ...x, cseq: '1 ACK', toTag: 'b', branch: 'z9hG4bK-x2' })], 20, A, B));
    c.add(captured(['BYE sip:bob@10.0.0.3 SIP/2.0', ...h({ ...x, cseq: '2 BYE', toTag: 'b', branch: 'z9hG4bK-x3' })], 30, A, B));
    c.add(response('200 OK', 40, 'b', '2 BYE', B, A, { ...x, branch: 'z9hG4bK-x3' }));
    // y's first dialog has x's ended dialog's index: y is up all the same.
    c.add(invite(50, A, B, y));
    expect(pendingOf(c)).toEqual({ ping: [], x: [], y: [0] });
    c.add(response('200 OK', 60, 'b', '1 INVITE', B, A, y));
    c.add(captured(['ACK sip:bob@10.0.0.3 SIP/2.0', ...h({ ...y, cseq: '1 ACK', toTag: 'b', branch: 'z9hG4bK-y2' })], 70, A, B));
    expect(pendingOf(c)).toEqual({ ping: [], x: [], y: [] });
    // x is over 64*T1 after its BYE's answer, ping 120 s after its ping; y, up, stays.
    expect(c.takeDue(at(200)).map((call) => call.callId)).toEqual(['x', 'ping']);
    expect(c.takeDue(at(100_000)).map((call) => call.callId)).toEqual([]);
    expect([...c.open()].map((e) => e.call.callId)).toEqual(['y']);
  });
});
