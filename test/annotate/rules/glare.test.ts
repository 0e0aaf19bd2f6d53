import { beforeEach, describe, expect, it } from 'vitest';
import { glare } from '../../../src/annotate/rules/glare.js';
import type { CapturedMessage } from '../../../src/types.js';
import { A, B, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms, frameRef } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** A call set up by A, then re-INVITEs from both sides crossing at 10 s; B's gets 491. */
function crossing(): CapturedMessage[] {
  const invite = req('INVITE', 1, 0);
  const messages = [invite, res(invite, '200 OK', 10), req('ACK', 1, 20, { toTag: 'b' })];
  const fromA = req('INVITE', 2, 10000, { toTag: 'b' });
  const fromB = req('INVITE', 1, 10001, { from: B, to: A, fromTag: 'b', toTag: 'a' });
  messages.push(fromA, fromB, res(fromB, '491 Request Pending', 10002));
  return messages;
}

describe('glare', () => {
  it('valid: a re-INVITE answered 200', () => {
    const invite = req('INVITE', 2, 0, { toTag: 'b' });
    expect(findingsOf(glare, [invite, res(invite, '200 OK', 5)])).toEqual([]);
  });

  it('invalid: retried within the window (the callee does not own the Call-ID: 0-2 s)', () => {
    const messages = crossing();
    messages.push(req('INVITE', 2, 11000, { from: B, to: A, fromTag: 'b', toTag: 'a', branch: 'z9hG4bK-retry' }));
    expect(findingsOf(glare, messages)).toEqual([
      {
        rule: 'glare',
        messageId: 'retried',
        severity: 'info',
        frames: [4, 5, 6, 7],
        data: expect.objectContaining({ method: 'INVITE', requester: ep('10.0.0.3', 5060), server: ep('10.0.0.1', 5060), callIdOwner: 'no', range: '0-2 s', crossing: frameRef(4), delay: ms(998), delayMs: 998 }),
      },
    ]);
  });

  it('invalid: the owner of the Call-ID retries at once: retried-early', () => {
    const invite = req('INVITE', 1, 0);
    const messages = [invite, res(invite, '200 OK', 10)];
    const reinvite = req('INVITE', 2, 10000, { toTag: 'b' });
    messages.push(reinvite, res(reinvite, '491 Request Pending', 10002), req('INVITE', 3, 10300, { toTag: 'b' }));
    expect(findingsOf(glare, messages).map((f) => [f.messageId, f.severity, f.data.range])).toEqual([['retried-early', 'warning', '2.1-4 s']]);
  });

  it('invalid: never retried', () => {
    expect(findingsOf(glare, crossing(), 30000).map((f) => [f.messageId, f.severity, f.data.crossing])).toEqual([['not-retried', 'warning', frameRef(4)]]);
  });

  it('invalid: the capture ended first: unresolved', () => {
    expect(findingsOf(glare, crossing(), 11000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
  });
});
