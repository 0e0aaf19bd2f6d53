import { beforeEach, describe, expect, it } from 'vitest';
import { subscriptionNotFound } from '../../../src/annotate/rules/subscription-not-found.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('subscription-not-found: valid (no finding)', () => {
  it('a 404 to INVITE or MESSAGE, a 489 or 200 to SUBSCRIBE', () => {
    const invite = req('INVITE', 1, 0);
    const message = req('MESSAGE', 2, 10);
    const bad = req('SUBSCRIBE', 3, 20, { extra: ['Event: foo'] });
    const ok = req('SUBSCRIBE', 4, 30, { extra: ['Event: presence'] });
    expect(findingsOf(subscriptionNotFound, [invite, res(invite, '404 Not Found', 1), message, res(message, '404 Not Found', 11), bad, res(bad, '489 Bad Event', 21), ok, res(ok, '200 OK', 31)])).toEqual([]);
  });
});

describe('subscription-not-found: a 404 to SUBSCRIBE or PUBLISH is about its event package (RFC 6665)', () => {
  it.each([
    ['message-summary', 'no-mailbox'],
    ['presence', 'no-presence'],
    ['presence.winfo', 'no-presence'],
    ['dialog;call-id=x', 'no-presence'],
    ['conference', 'no-event-state'],
  ])('invalid, at info: 404 to SUBSCRIBE for %s', (event, messageId) => {
    const subscribe = req('SUBSCRIBE', 1, 0, { uri: 'sip:10009@192.168.10.2', extra: [`Event: ${event}`, 'Expires: 3600'] });
    expect(findingsOf(subscriptionNotFound, [subscribe, res(subscribe, '404 Not Found', 1)])).toEqual([
      {
        rule: 'subscription-not-found',
        messageId,
        severity: 'info',
        frames: [1, 2],
        data: { method: 'SUBSCRIBE', uri: 'sip:10009@192.168.10.2', user: '10009', server: ep('10.0.0.3', 5060), status: 404, response: '404 Not Found', event: event.split(';')[0] },
      },
    ]);
  });

  it('invalid, at info: the compact form of Event, and PUBLISH', () => {
    const subscribe = req('SUBSCRIBE', 1, 0, { extra: ['o: Message-Summary'] });
    const publish = req('PUBLISH', 2, 10, { extra: ['Event: presence'] });
    const findings = findingsOf(subscriptionNotFound, [subscribe, res(subscribe, '404 Not Found', 1), publish, res(publish, '404 Not Found', 11)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.method, f.data.event])).toEqual([
      ['no-mailbox', 'info', 'SUBSCRIBE', 'message-summary'],
      ['no-presence', 'info', 'PUBLISH', 'presence'],
    ]);
  });

  it('invalid, at info: a 404 to a SUBSCRIBE that was not captured leaves the package unknown', () => {
    const subscribe = req('SUBSCRIBE', 1, 0, { extra: ['Event: presence'] });
    const findings = findingsOf(subscriptionNotFound, [res(subscribe, '404 Not Found', 1)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.event])).toEqual([['no-event-state', 'info', 'unknown']]);
  });
});
