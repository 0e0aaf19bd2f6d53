import { beforeEach, describe, expect, it } from 'vitest';
import { serverError } from '../../../src/annotate/rules/server-error.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('server-error', () => {
  it('valid: 503 is overload\'s, 200 is fine', () => {
    const a = req('INVITE', 1, 0);
    const b = req('INVITE', 2, 10);
    expect(findingsOf(serverError, [a, res(a, '503 Service Unavailable', 5), b, res(b, '200 OK', 15)])).toEqual([]);
  });

  it.each([
    ['500 Server Internal Error', 'internal-error', 'error'],
    ['501 Not Implemented', 'not-implemented', 'info'], // to PUBLISH: an optional service the server does not offer
    ['502 Bad Gateway', 'bad-gateway', 'error'],
    ['504 Server Time-out', 'gateway-timeout', 'error'],
    ['513 Message Too Large', 'message-too-large', 'error'],
  ])('invalid: %s', (status, messageId, severity) => {
    const publish = req('PUBLISH', 1, 0);
    const findings = findingsOf(serverError, [publish, res(publish, status, 5)]);
    expect(findings).toEqual([
      { rule: 'server-error', messageId, severity, frames: [1, 2], data: { method: 'PUBLISH', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: Number(status.slice(0, 3)), response: status, size: publish.message.raw.length, retryAfter: 'none' } },
    ]);
  });
});

describe('server-error: 501 to SUBSCRIBE or PUBLISH', () => {
  beforeEach(resetCatalogFrames);
  it('is info (the server offers no presence or event service; calls are not affected), 501 to INVITE stays a warning', () => {
    const publish = req('PUBLISH', 1, 0, { extra: ['Event: presence'] });
    const subscribe = req('SUBSCRIBE', 2, 10, { extra: ['Event: dialog'] });
    const invite = req('INVITE', 3, 20);
    const findings = findingsOf(serverError, [publish, res(publish, '501 Not Implemented', 1), subscribe, res(subscribe, '501 Not Implemented', 11), invite, res(invite, '501 Not Implemented', 21)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.method])).toEqual([
      ['not-implemented', 'info', 'PUBLISH'],
      ['not-implemented', 'info', 'SUBSCRIBE'],
      ['not-implemented', 'warning', 'INVITE'],
    ]);
  });
});
