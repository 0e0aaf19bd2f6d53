/**
 * Partial calls (src/annotate/partial.ts): an entry whose start is not in the capture, and the
 * type the correlator gives a fragment of a call (a BYE makes a call, RFC 3261 §15). Valid and
 * invalid cases, asserting the flag and the type, not words.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isPartial } from '../../src/annotate/partial.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import type { CapturedMessage } from '../../src/types.js';
import { req, res, resetCatalogFrames, sdp } from '../support/catalog.js';

beforeEach(resetCatalogFrames);

function only(messages: CapturedMessage[]) {
  const calls = correlate(messages);
  expect(calls).toHaveLength(1);
  const call = calls[0]!;
  return { partial: isPartial(call), type: call.type };
}

describe('partial: nothing in the capture shows the entry being set up', () => {
  it('a BYE and its 200 OK: a call set up before the capture began', () => {
    const bye = req('BYE', 2, 0, { toTag: 'b' });
    expect(only([bye, res(bye, '200 OK', 5)])).toEqual({ partial: true, type: 'call' });
  });
  it('the 200 OK to the INVITE, the ACK and the BYE: the capture began while it rang', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() }); // before the capture
    const bye = req('BYE', 2, 9000, { toTag: 'b' });
    expect(only([res(invite, '200 OK', 4000), req('ACK', 1, 4010, { toTag: 'b' }), bye, res(bye, '200 OK', 9005)])).toEqual({ partial: true, type: 'call' });
  });
  it('a re-INVITE answered and ACKed (a hold in the middle of a call)', () => {
    const reinvite = req('INVITE', 3, 0, { toTag: 'b', body: sdp() });
    expect(only([reinvite, res(reinvite, '200 OK', 20), req('ACK', 3, 30, { toTag: 'b' })])).toEqual({ partial: true, type: 'call' });
  });
  it('an UPDATE alone: a call (UPDATE exists only in an INVITE dialog, RFC 3311)', () => {
    const update = req('UPDATE', 2, 0, { toTag: 'b' });
    expect(only([update, res(update, '200 OK', 10)])).toEqual({ partial: true, type: 'call' });
  });
  it('a CANCEL, its 200 OK and the 487: the INVITE was sent before the capture (a CANCEL carries no To tag, RFC 3261 §9.1)', () => {
    const invite = req('INVITE', 1, 0);
    const cancel = req('CANCEL', 1, 3000, { branch: 'z9hG4bK-invite-1' });
    expect(only([cancel, res(cancel, '200 OK', 3005), res(invite, '487 Request Terminated', 3006)])).toEqual({ partial: true, type: 'call' });
  });
  it('a NOTIFY inside a subscription begun before the capture', () => {
    const notify = req('NOTIFY', 5, 0, { toTag: 'b', extra: ['Event: presence', 'Subscription-State: active;expires=600'] });
    expect(only([notify, res(notify, '200 OK', 10)])).toEqual({ partial: true, type: 'subscription' });
  });
});

describe('not partial', () => {
  it('a call from its INVITE to its BYE', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const bye = req('BYE', 2, 5000, { toTag: 'b' });
    expect(only([invite, res(invite, '200 OK', 10), req('ACK', 1, 20, { toTag: 'b' }), bye, res(bye, '200 OK', 5010)])).toEqual({ partial: false, type: 'call' });
  });
  it('an INVITE answered only by 100 Trying', () => {
    const invite = req('INVITE', 1, 0);
    expect(only([invite, res(invite, '100 Trying', 5)])).toEqual({ partial: false, type: 'call' });
  });
  it('a REGISTER and its 200 OK', () => {
    const register = req('REGISTER', 1, 0, { extra: ['Expires: 3600'] });
    expect(only([register, res(register, '200 OK', 10)])).toEqual({ partial: false, type: 'registration' });
  });
  it('an OPTIONS ping and its 200 OK', () => {
    const options = req('OPTIONS', 1, 0);
    expect(only([options, res(options, '200 OK', 10)])).toEqual({ partial: false, type: 'options' });
  });
  it('an INVITE sent inside an IPsec tunnel, its 100 Trying captured (no To tag: it answers a request outside any dialog)', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() }); // inside ESP
    expect(only([res(invite, '100 Trying', 1), res(invite, '180 Ringing', 600), res(invite, '200 OK', 7000)])).toEqual({ partial: false, type: 'call' });
  });
});
