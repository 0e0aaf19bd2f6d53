import { beforeEach, describe, expect, it } from 'vitest';
import { notFound } from '../../../src/annotate/rules/not-found.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('not-found', () => {
  it('valid: 410 is gone-410\'s, 200 is fine', () => {
    const a = req('INVITE', 1, 0);
    const b = req('INVITE', 2, 10);
    expect(findingsOf(notFound, [a, res(a, '410 Gone', 5), b, res(b, '200 OK', 15)])).toEqual([]);
  });

  it.each([
    ['404 Not Found', 'not-found'],
    ['604 Does Not Exist Anywhere', 'nowhere'],
    ['484 Address Incomplete', 'incomplete'],
  ])('invalid: %s', (status, messageId) => {
    const invite = req('INVITE', 1, 0, { uri: 'sip:0301234@example.com' });
    expect(findingsOf(notFound, [invite, res(invite, status, 5)])).toEqual([
      { rule: 'not-found', messageId, severity: 'warning', frames: [1, 2], data: { method: 'INVITE', uri: 'sip:0301234@example.com', user: '0301234', server: ep('10.0.0.3', 5060), status: Number(status.slice(0, 3)), response: status } },
    ]);
  });

  it('valid: a 404 to SUBSCRIBE or PUBLISH is subscription-not-found\'s (an event package, not a user)', () => {
    const subscribe = req('SUBSCRIBE', 1, 0, { extra: ['Event: message-summary'] });
    const publish = req('PUBLISH', 2, 10, { extra: ['Event: presence'] });
    expect(findingsOf(notFound, [subscribe, res(subscribe, '404 Not Found', 1), publish, res(publish, '404 Not Found', 11)])).toEqual([]);
  });

  it('invalid: 404 to MESSAGE and REGISTER, 604 to SUBSCRIBE are still about the user', () => {
    const message = req('MESSAGE', 1, 0);
    const register = req('REGISTER', 2, 10);
    const subscribe = req('SUBSCRIBE', 3, 20, { extra: ['Event: presence'] });
    const findings = findingsOf(notFound, [message, res(message, '404 Not Found', 1), register, res(register, '404 Not Found', 11), subscribe, res(subscribe, '604 Does Not Exist Anywhere', 21)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.method])).toEqual([
      ['not-found', 'warning', 'MESSAGE'],
      ['not-found', 'warning', 'REGISTER'],
      ['nowhere', 'warning', 'SUBSCRIBE'],
    ]);
  });

  it('invalid: a 404 whose request was not captured', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(notFound, [res(invite, '404 Not Found', 5)]);
    expect(findings.map((f) => [f.messageId, f.frames, f.data.uri])).toEqual([['not-found', [2], 'sip:bob@example.com']]);
  });
});
