import { beforeEach, describe, expect, it } from 'vitest';
import { callDoesNotExist } from '../../../src/annotate/rules/call-does-not-exist.js';
import { A, B, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, frameRef } from '../../support/rules.js';

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
