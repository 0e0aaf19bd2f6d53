/**
 * Transactions and dialogs found by comparing fields (up to sixteen per call) and by key text (past
 * sixteen) against the key strings they replaced (session 10): the same messages give the same
 * transactions, retransmissions and dialogs whether the call is short or already holds more than
 * sixteen of each, and the ones b5f036e's key strings gave. RFC 3261 §17.1.3 and §17.2.3: the
 * branch compared exactly, the sent-by as the parser gives it (its host without case); the ACK of
 * a non-2xx in its INVITE's transaction, the ACK of a 2xx a transaction of its own, CANCEL one of
 * its own tied to its INVITE; RFC 2543 requests by CSeq, From tag and top Via.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { correlate } from '../../../src/parse/dialog/correlate.js';
import type { Call } from '../../../src/parse/dialog/types.js';
import type { CapturedMessage } from '../../../src/types.js';
import { A, B, P, captured, dialogHeaders as h, resetFrames } from '../../support/sip.js';

beforeEach(resetFrames);

const request = (method: string, cseq: string, ms: number, via: string, extra: Partial<Parameters<typeof h>[0]> = {}, src = A) =>
  captured([`${method} sip:bob@example.com SIP/2.0`, ...h({ cseq, via: [via], ...extra })], ms, src, B);
const response = (status: string, cseq: string, ms: number, via: string, toTag: string | null, dst = A) =>
  captured([`SIP/2.0 ${status}`, ...h({ cseq, via: [via], toTag })], ms, B, dst);

/** The messages under test, from `ms` on. */
function scenario(ms: number): CapturedMessage[] {
  const rfc2543 = 'SIP/2.0/UDP 10.0.0.1:5060';
  const oldBranch = 'SIP/2.0/UDP 10.0.0.1:5060;branch=abc';
  const cookie = 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-x';
  const cookieOtherSentBy = 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-x';
  const upper = 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-Case';
  const lower = 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-case';
  const hostName = 'SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bK-host';
  const hostNameUpper = 'SIP/2.0/UDP PBX.example.com:5060;branch=z9hG4bK-host';
  return [
    // RFC 2543: an INVITE, its copy, a 486 and the ACK of that 486 (all one transaction).
    request('INVITE', '1 INVITE', ms, rfc2543),
    request('INVITE', '1 INVITE', ms + 500, rfc2543),
    response('486 Busy Here', '1 INVITE', ms + 600, rfc2543, 'b1'),
    request('ACK', '1 ACK', ms + 610, rfc2543, { toTag: 'b1' }),
    // RFC 2543 branch: a 2xx, its ACK (a transaction of its own) and the ACK's copy.
    request('INVITE', '2 INVITE', ms + 1000, oldBranch),
    response('200 OK', '2 INVITE', ms + 1100, oldBranch, 'b2'),
    request('ACK', '2 ACK', ms + 1110, oldBranch, { toTag: 'b2' }),
    request('ACK', '2 ACK', ms + 1600, oldBranch, { toTag: 'b2' }),
    // A magic-cookie branch, the same branch from another sent-by (another hop), a CANCEL and the 487.
    request('INVITE', '3 INVITE', ms + 2000, cookie),
    request('INVITE', '3 INVITE', ms + 2005, cookieOtherSentBy, {}, P),
    request('CANCEL', '3 CANCEL', ms + 2100, cookie),
    response('200 OK', '3 CANCEL', ms + 2110, cookie, 'b3'),
    response('487 Request Terminated', '3 INVITE', ms + 2120, cookie, 'b3'),
    request('ACK', '3 ACK', ms + 2130, cookie, { toTag: 'b3' }),
    // Branches differing only in case are other transactions (compared as written); a sent-by host differing in case is the same.
    request('OPTIONS', '4 OPTIONS', ms + 3000, upper),
    request('OPTIONS', '4 OPTIONS', ms + 3001, lower),
    request('OPTIONS', '5 OPTIONS', ms + 3100, hostName),
    request('OPTIONS', '5 OPTIONS', ms + 3101, hostNameUpper),
    request('OPTIONS', '5 OPTIONS', ms + 3500, hostName),
    // A dialog whose To tag comes later: 180 without a tag, then with one, then the 200 and a BYE from the callee.
    request('INVITE', '6 INVITE', ms + 4000, 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-six'),
    response('180 Ringing', '6 INVITE', ms + 4010, 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-six', null),
    response('180 Ringing', '6 INVITE', ms + 4020, 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-six', 'b6'),
    response('200 OK', '6 INVITE', ms + 4030, 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-six', 'b6'),
    captured(['BYE sip:alice@10.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK-bye', 'From: <sip:bob@example.com>;tag=b6', 'To: <sip:alice@example.com>;tag=a', 'Call-ID: call-1', 'CSeq: 1 BYE'], ms + 9000, B, A),
  ];
}

/** Seventeen MESSAGE transactions and seventeen early dialogs (forks of one INVITE) before the scenario: past the linear lookup for both. */
function filler(): CapturedMessage[] {
  const via = 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-fill-invite';
  const out = [request('INVITE', '100 INVITE', 0, via)];
  for (let n = 0; n < 17; n++) out.push(response('183 Session Progress', '100 INVITE', 1 + n, via, `fork${n}`));
  for (let n = 0; n < 17; n++) out.push(request('MESSAGE', `${200 + n} MESSAGE`, 100 + n, `SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-fill-${n}`));
  return out;
}

/** Each scenario message: retransmission, transaction, original and dialog, counted from the scenario's first ones. */
function shape(call: Call, firstMessage: number, firstTransaction: number, firstDialog: number) {
  return call.messages.slice(firstMessage).map((m) => [m.retransmission, m.transaction - firstTransaction, m.original === null ? null : m.original - firstMessage, m.dialog === null ? null : m.dialog - firstDialog]);
}

function transactions(call: Call, firstTransaction: number, firstMessage: number) {
  const at = (i: number | null) => (i === null ? null : i - firstMessage);
  const tx = (i: number | null) => (i === null ? null : i - firstTransaction);
  return call.transactions.slice(firstTransaction).map((t) => [t.method, t.cseq, t.requests.map(at), t.responses.map(at), t.acks.map(at), t.ack2xx.map(tx), tx(t.cancels), tx(t.cancelledBy)]);
}

describe('transaction and dialog lookup, short calls and past sixteen', () => {
  // As the key strings gave them (checked against b5f036e).
  const expectedShape = [
    [false,  0,  null,  null],
    [true,  0,  0,  null],
    [false,  0,  null,  null],
    [false,  0,  null,  null],
    [false,  1,  null,  null],
    [false,  1,  null,  0],
    [false,  2,  null,  0],
    [true,  2,  6,  0],
    [false,  3,  null,  null],
    [false,  4,  null,  null],
    [false,  5,  null,  null],
    [false,  5,  null,  null],
    [false,  3,  null,  null],
    [false,  3,  null,  null],
    [false,  6,  null,  null],
    [false,  7,  null,  null],
    [false,  8,  null,  null],
    [true,  8,  16,  null],
    [true,  8,  16,  null],
    [false,  9,  null,  null],
    [false,  9,  null,  null],
    [false,  9,  null,  1],
    [false,  9,  null,  1],
    [false,  10,  null,  1],
  ];

  it('in a call with few transactions and dialogs', () => {
    const [call] = correlate(scenario(0));
    expect(shape(call!, 0, 0, 0)).toEqual(expectedShape);
  });

  it('in a call that already holds more than sixteen of each (the same, counted from the scenario)', () => {
    const fill = filler();
    const [call] = correlate([...fill, ...scenario(1000)]);
    expect(call!.transactions.length).toBeGreaterThan(16);
    expect(call!.dialogs.length).toBe(17 + 2);
    expect(shape(call!, fill.length, 18, 17)).toEqual(expectedShape);
    const [short] = correlate(scenario(0));
    expect(transactions(call!, 18, fill.length)).toEqual(transactions(short!, 0, 0));
  });

  it('the transactions: ACK of the 486 in the INVITE\'s, ACK of the 2xx its own, CANCEL tied to the INVITE of its sent-by', () => {
    const [call] = correlate(scenario(0));
    expect(transactions(call!, 0, 0)).toEqual([
      ['INVITE', 1, [0, 1], [2], [3], [], null, null],
      ['INVITE', 2, [4], [5], [], [2], null, null],
      ['ACK', 2, [6, 7], [], [], [], null, null],
      ['INVITE', 3, [8], [12], [13], [], null, 5],
      ['INVITE', 3, [9], [], [], [], null, null],
      ['CANCEL', 3, [10], [11], [], [], 3, null],
      ['OPTIONS', 4, [14], [], [], [], null, null],
      ['OPTIONS', 4, [15], [], [], [], null, null],
      // The parser reads a sent-by host without case (RFC 3261 §19.1.4), as the key text did.
      ['OPTIONS', 5, [16, 17, 18], [], [], [], null, null],
      ['INVITE', 6, [19], [20, 21, 22], [], [], null, null],
      ['BYE', 1, [23], [], [], [], null, null],
    ]);
  });
});
