import { beforeEach, describe, expect, it } from 'vitest';
import { overload } from '../../../src/annotate/rules/overload.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('overload', () => {
  it('valid: 500 is server-error\'s; an OPTIONS ping answered 503 is options-keepalive-failures\'s', () => {
    const invite = req('INVITE', 1, 0);
    const ping = req('OPTIONS', 1, 10, { callId: 'o' });
    expect(findingsOf(overload, [invite, res(invite, '500 Server Internal Error', 5), ping, res(ping, '503 Service Unavailable', 15)])).toEqual([]);
  });

  it('invalid: 503 with Retry-After', () => {
    const invite = req('INVITE', 1, 0);
    expect(findingsOf(overload, [invite, res(invite, '503 Service Unavailable', 5, ['Retry-After: 30'])])).toEqual([
      { rule: 'overload', messageId: 'retry-after', severity: 'error', frames: [1, 2], data: { method: 'INVITE', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: 503, response: '503 Service Unavailable', retryAfter: 30 } },
    ]);
  });

  it('invalid: 503 without Retry-After', () => {
    const invite = req('INVITE', 1, 0);
    expect(findingsOf(overload, [invite, res(invite, '503 Service Unavailable', 5)]).map((f) => [f.messageId, f.data.retryAfter])).toEqual([['no-retry-after', 'none']]);
  });

  it('invalid: 503 with Retry-After: 0 asks for no wait (pcapplusplus-sip-resp #7, an IMS registrar)', () => {
    const register = req('REGISTER', 1, 0);
    expect(findingsOf(overload, [register, res(register, '503 Service Unavailable', 5, ['Retry-After: 0'])]).map((f) => [f.messageId, f.data.retryAfter])).toEqual([['retry-now', 0]]);
  });
});
