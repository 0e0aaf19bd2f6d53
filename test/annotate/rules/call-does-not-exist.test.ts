import { beforeEach, describe, expect, it } from 'vitest';
import { callDoesNotExist } from '../../../src/annotate/rules/call-does-not-exist.js';
import { A, B, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, frameRef, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const E481 = '481 Call/Transaction Does Not Exist';

describe('call-does-not-exist', () => {
  it('valid: BYE answered 200', () => {
    const bye = req('BYE', 2, 0, { toTag: 'b' });
    expect(findingsOf(callDoesNotExist, [bye, res(bye, '200 OK', 5)])).toEqual([]);
  });

  it('invalid: a BYE for a dialog the server does not know', () => {
    const bye = req('BYE', 2, 0, { toTag: 'b' });
    expect(findingsOf(callDoesNotExist, [bye, res(bye, E481, 5)])).toEqual([
      { rule: 'call-does-not-exist', messageId: 'unknown-dialog', severity: 'warning', frames: [1, 2], data: { method: 'BYE', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: 481, response: E481 } },
    ]);
  });

  it('invalid: a BYE after the other side had already ended the dialog', () => {
    const theirs = req('BYE', 1, 0, { from: B, to: A, fromTag: 'b', toTag: 'a' });
    const messages = [theirs, res(theirs, '200 OK', 5)];
    const ours = req('BYE', 2, 10, { toTag: 'b' });
    messages.push(ours, res(ours, E481, 15));
    expect(findingsOf(callDoesNotExist, messages).map((f) => [f.messageId, f.data.endedAt, f.frames])).toEqual([['after-end', frameRef(2), [2, 3, 4]]]);
  });

  it('two BYEs crossing on the wire (both sides hang up at once): the 481 to one is not forgotten, the other side had ended the call', () => {
    const invite = req('INVITE', 1, 0);
    const messages = [invite, res(invite, '200 OK', 5), req('ACK', 1, 10, { toTag: 'b' })];
    const ours = req('BYE', 2, 10_000, { toTag: 'b' });
    const theirs = req('BYE', 1, 10_001, { from: B, to: A, fromTag: 'b', toTag: 'a' });
    messages.push(ours, theirs, res(theirs, '200 OK', 10_002), res(ours, E481, 10_003));
    expect(findingsOf(callDoesNotExist, messages).map((f) => f.messageId)).toEqual(['unknown-dialog']);
  });

  it('invalid: a refresh 5 s into a subscription the server accepted for 1800 s: forgotten, with when it was set up (heplify-erspan #4, #11, #12)', () => {
    const subscribe = req('SUBSCRIBE', 1, 0, { extra: ['Event: user-profile', 'Expires: 1800'] });
    const messages = [subscribe, res(subscribe, '202 Accepted', 5, ['Expires: 1800'])];
    const refresh = req('SUBSCRIBE', 2, 5000, { toTag: 'b', extra: ['Event: user-profile', 'Expires: 1800'] });
    messages.push(refresh, res(refresh, E481, 5001));
    expect(findingsOf(callDoesNotExist, messages).map((f) => [f.messageId, f.severity, f.frames, f.data.createdAt, f.data.age])).toEqual([['forgotten', 'warning', [2, 3, 4], frameRef(2), ms(4996)]]);
  });

  it('a refresh after the subscription ran out, or after a NOTIFY that terminated it, is unknown-dialog (nothing was forgotten)', () => {
    const run = (refreshAt: number, terminated: boolean) => {
      resetCatalogFrames();
      const subscribe = req('SUBSCRIBE', 1, 0, { extra: ['Event: presence', 'Expires: 60'] });
      const messages = [subscribe, res(subscribe, '202 Accepted', 5, ['Expires: 60'])];
      if (terminated) {
        const notify = req('NOTIFY', 1, 10, { from: B, to: A, fromTag: 'b', toTag: 'a', extra: ['Event: presence', 'Subscription-State: terminated;reason=noresource'] });
        messages.push(notify, res(notify, '200 OK', 15));
      }
      const refresh = req('SUBSCRIBE', 2, refreshAt, { toTag: 'b', extra: ['Event: presence', 'Expires: 60'] });
      messages.push(refresh, res(refresh, E481, refreshAt + 1));
      return findingsOf(callDoesNotExist, messages).map((f) => f.messageId);
    };
    expect(run(61_000, false)).toEqual(['unknown-dialog']);
    expect(run(5_000, true)).toEqual(['unknown-dialog']);
    expect(run(5_000, false)).toEqual(['forgotten']);
  });

  it('invalid: a NOTIFY whose To tag is the dialog\'s for 64 characters, then stray bytes: tag-mismatch, with both tags (heplify-erspan #22)', () => {
    const long = '00E4EF38-be36b0-0-16e4-5af571ec-66d24646-5af571ecz9hG4bK-5af571ec-4ec503ba-19f87f20';
    const damaged = `${long.slice(0, 64)}&Sy`;
    const subscribe = req('SUBSCRIBE', 1, 0, { fromTag: long, extra: ['Event: user-profile'] });
    const messages = [subscribe, res(subscribe, '202 Accepted', 5, [], { toTag: 'pbx' })];
    const notify = req('NOTIFY', 7, 1000, { from: { ip: '10.0.0.4', port: 5060 }, to: A, fromTag: 'pbx', toTag: damaged, extra: ['Event: user-profile', 'Subscription-State: active'] });
    messages.push(notify, res(notify, E481, 1001));
    expect(findingsOf(callDoesNotExist, messages).map((f) => [f.messageId, f.frames, f.data.sentTag, f.data.knownTag, f.data.common, f.data.sender])).toEqual([
      ['tag-mismatch', [2, 3, 4], damaged, long, 64, ep('10.0.0.4', 5060)],
    ]);
  });

  it('a request whose tags name a dialog exactly is not tag-mismatch, though another dialog of the call has a To tag with a long prefix in common (Kamailio To tags: one MD5, then a suffix)', () => {
    const prefix = '8a2c7d40a3e4fb4ef3a1b6e2b9c3d7e6-';
    const first = req('SUBSCRIBE', 1, 0, { extra: ['Event: presence', 'Expires: 600'] });
    const second = req('SUBSCRIBE', 2, 10, { extra: ['Event: presence', 'Expires: 600'] });
    // Frames in order of making: the first SUBSCRIBE 1, the second 2, the 202 that set up the first dialog 3.
    const messages = [first, res(first, '202 Accepted', 5, ['Expires: 600'], { toTag: `${prefix}1a2b` }), second, res(second, '202 Accepted', 15, ['Expires: 600'], { toTag: `${prefix}3c4d` })];
    const refresh = req('SUBSCRIBE', 3, 5000, { toTag: `${prefix}1a2b`, extra: ['Event: presence', 'Expires: 600'] });
    messages.push(refresh, res(refresh, E481, 5001));
    expect(findingsOf(callDoesNotExist, messages).map((f) => [f.messageId, f.data.createdAt])).toEqual([['forgotten', frameRef(3)]]);
  });

  it('invalid: CANCEL after the INVITE got its final response', () => {
    const invite = req('INVITE', 1, 0);
    const messages = [invite, res(invite, '486 Busy Here', 5)];
    const cancel = req('CANCEL', 1, 6, { branch: 'z9hG4bK-invite-1' });
    messages.push(cancel, res(cancel, E481, 7));
    expect(findingsOf(callDoesNotExist, messages).map((f) => [f.messageId, f.data.endedAt])).toEqual([['cancel-too-late', frameRef(2)]]);
  });

  it('invalid: CANCEL for an INVITE the server never saw', () => {
    const cancel = req('CANCEL', 1, 0, { branch: 'z9hG4bK-invite-1' });
    expect(findingsOf(callDoesNotExist, [cancel, res(cancel, E481, 5)]).map((f) => f.messageId)).toEqual(['cancel-unknown']);
  });
});
