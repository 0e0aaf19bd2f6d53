import { beforeEach, describe, expect, it } from 'vitest';
import { redirectNotFollowed } from '../../../src/annotate/rules/redirect-not-followed.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

const ackFor = (ms: number) => req('ACK', 1, ms, { toTag: 'b', branch: 'z9hG4bK-invite-1' });

describe('redirect-not-followed', () => {
  it('valid: the caller sends a new INVITE to the Contact', () => {
    const invite = req('INVITE', 1, 0);
    const messages = [invite, res(invite, '302 Moved Temporarily', 5, ['Contact: <sip:carol@10.0.0.9:5060>']), ackFor(6), req('INVITE', 2, 10, { uri: 'sip:carol@10.0.0.9' })];
    expect(findingsOf(redirectNotFollowed, messages, 60000)).toEqual([]);
  });

  it('invalid: nothing follows the 302', () => {
    const invite = req('INVITE', 1, 0);
    const messages = [invite, res(invite, '302 Moved Temporarily', 5, ['Contact: <sip:carol@10.0.0.9>, <sip:+15551234@gw.example.com;user=phone>']), ackFor(6)];
    expect(findingsOf(redirectNotFollowed, messages, 10000)).toEqual([
      {
        rule: 'redirect-not-followed',
        messageId: 'not-followed',
        severity: 'warning',
        frames: [1, 2],
        data: { method: 'INVITE', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: 302, response: '302 Moved Temporarily', contacts: 'sip:carol@10.0.0.9, sip:+15551234@gw.example.com;user=phone', contactCount: 2, waited: ms(9995) },
      },
    ]);
  });

  it('invalid: a 3xx without Contact', () => {
    const invite = req('INVITE', 1, 0);
    expect(findingsOf(redirectNotFollowed, [invite, res(invite, '301 Moved Permanently', 5)], 10000).map((f) => [f.messageId, f.data.contacts])).toEqual([['no-contact', '(none)']]);
  });

  it('invalid: the capture ends right after the 302: unresolved at info', () => {
    const invite = req('INVITE', 1, 0);
    const messages = [invite, res(invite, '302 Moved Temporarily', 5, ['Contact: <sip:carol@10.0.0.9>'])];
    expect(findingsOf(redirectNotFollowed, messages, 1000).map((f) => [f.messageId, f.severity])).toEqual([['unresolved', 'info']]);
  });
});
