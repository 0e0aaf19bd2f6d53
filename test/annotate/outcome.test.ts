import { beforeEach, describe, expect, it } from 'vitest';
import { callFigures, callOutcome, decidingTransaction, openAtEnd } from '../../src/annotate/outcome.js';
import { correlate } from '../../src/parse/dialog/correlate.js';
import type { CapturedMessage } from '../../src/types.js';
import { again, B, P, req, res, resetCatalogFrames, sdp } from '../support/catalog.js';

beforeEach(resetCatalogFrames);

function outcomeOf(messages: CapturedMessage[]) {
  const calls = correlate(messages);
  expect(calls).toHaveLength(1);
  return callOutcome(calls[0]!);
}

describe('call outcome', () => {
  describe('the INVITE is captured', () => {
    it('answered: decided by the INVITE, nothing said about a missing request', () => {
      const invite = req('INVITE', 1, 0, { body: sdp() });
      const bye = req('BYE', 2, 5000, { toTag: 'b' });
      expect(outcomeOf([invite, res(invite, '200 OK', 10), req('ACK', 1, 20, { toTag: 'b' }), bye, res(bye, '200 OK', 5010)])).toEqual({ outcome: 'answered', status: 200 });
    });
    it('the same INVITE on the next hop with only its responses captured: the captured one decides', () => {
      const invite = req('INVITE', 1, 0, { to: P });
      const forwarded = req('INVITE', 1, 5, { from: P, to: B, branch: 'z9hG4bK-p1' });
      expect(outcomeOf([invite, res(forwarded, '486 Busy Here', 900), res(invite, '486 Busy Here', 902)])).toEqual({ outcome: 'busy', status: 486 });
    });
    it('a proxy answers 408 because its next hop never answered: failed (408) from the first hop, not no-response from the silent one', () => {
      const invite = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
      const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
      const copies = [510, 1510, 3510, 7510, 15510, 31510].map((t) => again(forwarded, t));
      expect(outcomeOf([invite, res(invite, '100 Trying', 5), forwarded, ...copies, res(invite, '408 Request Timeout', 32010)])).toEqual({ outcome: 'failed', status: 408 });
    });
    it('the first hop\'s final response is not captured but the next hop\'s is: the next hop\'s decides', () => {
      const invite = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
      const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
      expect(outcomeOf([invite, res(invite, '100 Trying', 5), forwarded, res(forwarded, '486 Busy Here', 900)])).toEqual({ outcome: 'busy', status: 486 });
    });
    it('only a response to OPTIONS: still unknown (only INVITE responses stand for their request)', () => {
      const options = req('OPTIONS', 1, 0);
      expect(outcomeOf([res(options, '200 OK', 10)])).toEqual({ outcome: 'unknown', status: null });
    });
  });

  describe('the INVITE is missing, its responses decide', () => {
    it('lost to IP fragmentation, then ACK, BYE, 200 to BYE: answered by the 200 to the INVITE, not completed by the BYE\'s (miarec-siprec-webex-kamailio-dual-channel.pcap)', () => {
      const invite = req('INVITE', 1, 0, { body: sdp() }); // not captured
      const bye = req('BYE', 2, 53900, { toTag: 'b' });
      const messages = [res(invite, '100 Trying', 1), res(invite, '200 OK', 5), req('ACK', 1, 41, { toTag: 'b' }), bye, res(bye, '200 OK', 53987)];
      expect(outcomeOf(messages)).toEqual({ outcome: 'answered', status: 200, requestMissing: true });
    });
    it('no request captured at all (the UE\'s side inside ESP): answered, not unknown (rtpdump-vowifi-ims-esp-amr.pcap)', () => {
      const invite = req('INVITE', 1, 0, { body: sdp() });
      const bye = req('BYE', 2, 18500, { toTag: 'b' });
      const messages = [res(invite, '100 Trying', 1), res(invite, '183 Session Progress', 602, [], { body: sdp('10.0.0.3') }), res(invite, '180 Ringing', 6071), res(invite, '200 OK', 7377), res(bye, '200 OK', 18508)];
      expect(outcomeOf(messages)).toEqual({ outcome: 'answered', status: 200, requestMissing: true });
    });
    it('the authenticated INVITE is lost, the challenged one captured: answered, not failed with the 407', () => {
      const challenged = req('INVITE', 1, 0, { body: sdp() });
      const challenge = res(challenged, '407 Proxy Authentication Required', 10);
      const ack = req('ACK', 1, 20, { toTag: 'b' });
      const authenticated = req('INVITE', 2, 30, { body: sdp() }); // not captured
      expect(outcomeOf([challenged, challenge, ack, res(authenticated, '180 Ringing', 500, [], { toTag: 'c' }), res(authenticated, '200 OK', 4000, [], { toTag: 'c' })])).toEqual({ outcome: 'answered', status: 200, requestMissing: true });
    });
    it('a lost INVITE answered 180 then 486: busy', () => {
      const invite = req('INVITE', 1, 0);
      expect(outcomeOf([res(invite, '180 Ringing', 100), res(invite, '486 Busy Here', 3000)])).toEqual({ outcome: 'busy', status: 486, requestMissing: true });
    });
    it('a lost INVITE with only a 183: unresolved', () => {
      const invite = req('INVITE', 1, 0);
      expect(outcomeOf([res(invite, '183 Session Progress', 100)])).toEqual({ outcome: 'unresolved', status: null, requestMissing: true });
    });
  });
});

describe('a call open when the capture ended', () => {
  const only = (messages: CapturedMessage[]) => {
    const calls = correlate(messages);
    expect(calls).toHaveLength(1);
    return calls[0]!;
  };
  it('answered and not hung up: up; answered in a capture that simply ended, unresolved (with its 2xx) in one cut short', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const call = only([invite, res(invite, '180 Ringing', 5), res(invite, '200 OK', 10), req('ACK', 1, 20, { toTag: 'b' })]);
    expect(openAtEnd(call)).toBe('up');
    expect(callOutcome(call)).toEqual({ outcome: 'answered', status: 200 });
    expect(callOutcome(call, [], true)).toEqual({ outcome: 'unresolved', status: 200 });
  });
  it('hung up (a BYE, even unanswered): over, and a cut does not change it', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const call = only([invite, res(invite, '200 OK', 10), req('ACK', 1, 20, { toTag: 'b' }), req('BYE', 2, 5000, { toTag: 'b' })]);
    expect(openAtEnd(call)).toBeNull();
    expect(callOutcome(call, [], true)).toEqual({ outcome: 'answered', status: 200 });
  });
  it('ringing, no final response: in setup (unresolved either way); a failed call is over', () => {
    const invite = req('INVITE', 1, 0);
    const ringing = only([invite, res(invite, '180 Ringing', 5)]);
    expect(openAtEnd(ringing)).toBe('setup');
    expect(callOutcome(ringing, [], true)).toEqual({ outcome: 'unresolved', status: null });
    resetCatalogFrames();
    const busyInvite = req('INVITE', 1, 0);
    expect(openAtEnd(only([busyInvite, res(busyInvite, '486 Busy Here', 5)]))).toBeNull();
  });
  it('not an INVITE call (OPTIONS with no answer): not mid-dialog', () => {
    expect(openAtEnd(only([req('OPTIONS', 1, 0)]))).toBeNull();
  });
});

describe('figures only from what was captured', () => {
  const figuresOf = (messages: CapturedMessage[]) => callFigures(correlate(messages)[0]!);
  it('the initial INVITE captured: post-dial delay, setup and talk time', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const bye = req('BYE', 2, 5000, { toTag: 'b' });
    expect(figuresOf([invite, res(invite, '180 Ringing', 100), res(invite, '200 OK', 400), req('ACK', 1, 410, { toTag: 'b' }), bye, res(bye, '200 OK', 5010)])).toEqual({
      postDialDelayMs: 100,
      setupMs: 400,
      talkMs: 4600,
      hungUpBy: 'caller',
    });
  });
  it('the capture began mid-call (only a re-INVITE): no post-dial delay, no setup time', () => {
    const reinvite = req('INVITE', 5, 0, { toTag: 'b', body: sdp() });
    const bye = req('BYE', 6, 3000, { toTag: 'b' });
    expect(figuresOf([reinvite, res(reinvite, '200 OK', 50), req('ACK', 5, 60, { toTag: 'b' }), bye, res(bye, '200 OK', 3010)])).toEqual({ postDialDelayMs: null, setupMs: null, talkMs: null, hungUpBy: null });
  });
  it('only the responses to the INVITE: no figures', () => {
    const invite = req('INVITE', 1, 0);
    expect(figuresOf([res(invite, '180 Ringing', 100), res(invite, '200 OK', 400)])).toEqual({ postDialDelayMs: null, setupMs: null, talkMs: null, hungUpBy: null });
  });
});

describe('the deciding transaction found once and given', () => {
  it('gives the outcome, the figures and the state at the end that each finds alone', () => {
    const invite = req('INVITE', 1, 0, { to: P, branch: 'z9hG4bK-a' });
    const forwarded = req('INVITE', 1, 10, { from: P, to: B, branch: 'z9hG4bK-p' });
    const answered = req('INVITE', 1, 0, { body: sdp() });
    const bye = req('BYE', 2, 5000, { toTag: 'b' });
    const options = req('OPTIONS', 1, 0);
    const traces = [
      [invite, res(invite, '100 Trying', 5), forwarded, res(forwarded, '486 Busy Here', 900)],
      [answered, res(answered, '180 Ringing', 100), res(answered, '200 OK', 400), req('ACK', 1, 410, { toTag: 'b' }), bye, res(bye, '200 OK', 5010)],
      [answered, res(answered, '200 OK', 400)],
      [res(options, '200 OK', 10)],
    ];
    for (const messages of traces) {
      resetCatalogFrames();
      const call = correlate(messages)[0]!;
      const deciding = decidingTransaction(call);
      expect(callOutcome(call, [], true, deciding)).toEqual(callOutcome(call, [], true));
      expect(callFigures(call, deciding)).toEqual(callFigures(call));
      expect(openAtEnd(call, deciding)).toBe(openAtEnd(call));
    }
    resetCatalogFrames();
    expect(decidingTransaction(correlate(traces[1]!)[0]!)?.method).toBe('INVITE');
  });
});
