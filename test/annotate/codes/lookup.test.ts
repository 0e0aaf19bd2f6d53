import { describe, expect, it } from 'vitest';
import {
  InvalidStatusCodeError,
  RESPONSE_CODES,
  compareResponseCodes,
  isRegisteredResponseCode,
  isSipStatusCode,
  lookupResponseCode,
  responseClassOf,
  validateResponseCodeInfo,
} from '../../../src/annotate/codes/index.js';

describe('lookupResponseCode', () => {
  it('returns the registered entry for a registered code', () => {
    expect(lookupResponseCode(486)).toBe(RESPONSE_CODES.get(486));
    expect(lookupResponseCode(486).reason).toBe('Busy Here');
  });

  it('knows 555 as a registered code, not a fallback', () => {
    expect(isRegisteredResponseCode(555)).toBe(true);
    const info = lookupResponseCode(555);
    expect(info.reason).toBe('Push Notification Service Not Supported');
    expect(info.rfc).toMatch(/^RFC 8599/);
  });

  it('falls back to 400 for an unregistered 4xx (499)', () => {
    const info = lookupResponseCode(499);
    expect(info.code).toBe(499);
    expect(info.reason).toBe('Unknown 4xx');
    expect(info.class).toBe('client-failure');
    expect(info.summary).toBe('unregistered 4xx code: the server refuses the request as it was sent (treated as 400)');
    expect(info.rfc).toBe('RFC 3261 §8.1.3.2');
    expect(info.confusedWith.map((c) => c.code)).toEqual([400]);
  });

  it('falls back to 200 for an unregistered 2xx (299)', () => {
    const info = lookupResponseCode(299);
    expect(info.reason).toBe('Unknown 2xx');
    expect(info.class).toBe('success');
    expect(info.summary).toContain('(treated as 200)');
    expect(info.fix).toMatch(/^No fix needed/);
  });

  it('falls back to 300 for an unregistered 3xx (388)', () => {
    const info = lookupResponseCode(388);
    expect(info.reason).toBe('Unknown 3xx');
    expect(info.class).toBe('redirection');
    expect(info.summary).toContain('(treated as 300)');
  });

  it('falls back to 183, not 100, for an unregistered 1xx (RFC 3261 §8.1.3.2)', () => {
    const info = lookupResponseCode(150);
    expect(info.reason).toBe('Unknown 1xx');
    expect(info.class).toBe('provisional');
    expect(info.summary).toContain('(treated as 183)');
  });

  it('falls back to 500 and 600 for unregistered 5xx and 6xx', () => {
    expect(lookupResponseCode(599).summary).toContain('(treated as 500)');
    expect(lookupResponseCode(699).class).toBe('global-failure');
    expect(lookupResponseCode(699).summary).toContain('(treated as 600)');
  });

  it('notes obsolete and vendor codes in the fallback meaning', () => {
    expect(lookupResponseCode(409).meaning).toContain('RFC 2543');
    expect(lookupResponseCode(478).meaning).toContain('Unresolvable destination');
  });

  it('produces fallback entries that pass the documentation check', () => {
    for (const code of [150, 299, 388, 409, 499, 599, 699]) {
      expect(validateResponseCodeInfo(lookupResponseCode(code), isRegisteredResponseCode), String(code)).toEqual([]);
    }
  });

  it.each([99, 999, 0, -1, 700, 1000, 100.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %d as not a valid SIP status code',
    (code) => {
      expect(isSipStatusCode(code)).toBe(false);
      expect(() => lookupResponseCode(code)).toThrow(InvalidStatusCodeError);
      expect(() => lookupResponseCode(code)).toThrow(/not a valid SIP status code/);
    },
  );

  it('accepts the boundaries 100 and 699', () => {
    expect(lookupResponseCode(100).reason).toBe('Trying');
    expect(lookupResponseCode(699).reason).toBe('Unknown 6xx');
  });

  it('gives the class of a code', () => {
    expect(responseClassOf(183).class).toBe('provisional');
    expect(responseClassOf(503).title).toBe('Server failure');
    expect(() => responseClassOf(42)).toThrow(RangeError);
  });
});

describe('compareResponseCodes', () => {
  it('compares 100 and 410: different classes, with a difference', () => {
    const cmp = compareResponseCodes(100, 410);
    expect(cmp.a.code).toBe(100);
    expect(cmp.b.code).toBe(410);
    expect(cmp.sameClass).toBe(false);
    expect(cmp.difference.trim()).not.toBe('');
    expect(cmp.differenceSource).toBe('generated');
    expect(cmp.difference).toContain('provisional');
    expect(cmp.difference).toContain('client failure');
    expect(cmp.difference).toContain('100 is not final');
  });

  it("takes the difference from a's confusedWith when it names b", () => {
    const cmp = compareResponseCodes(486, 600);
    expect(cmp.sameClass).toBe(false);
    expect(cmp.differenceSource).toBe('a');
    expect(cmp.difference).toBe(RESPONSE_CODES.get(486)?.confusedWith.find((c) => c.code === 600)?.difference);
  });

  it("takes the difference from b's confusedWith when only b names a", () => {
    const cmp = compareResponseCodes(429, 403);
    expect(cmp.differenceSource).toBe('a');
    const reverse = compareResponseCodes(503, 429);
    expect(reverse.differenceSource).toBe('b');
    expect(reverse.difference).toContain('rate limiting');
  });

  it('reports the same class for two 4xx codes', () => {
    const cmp = compareResponseCodes(480, 486);
    expect(cmp.sameClass).toBe(true);
    expect(cmp.difference).not.toBe('');
  });

  it('generates a same-class difference when neither lists the other', () => {
    const cmp = compareResponseCodes(402, 470);
    expect(cmp.sameClass).toBe(true);
    expect(cmp.differenceSource).toBe('generated');
    expect(cmp.difference).toMatch(/^Both are client failure responses \(4xx\)/);
  });

  it('handles a code compared with itself and unregistered codes', () => {
    expect(compareResponseCodes(200, 200).difference).toMatch(/^Both are 200/);
    const cmp = compareResponseCodes(499, 400);
    expect(cmp.sameClass).toBe(true);
    expect(cmp.differenceSource).toBe('a');
  });

  it('rejects invalid codes', () => {
    expect(() => compareResponseCodes(100, 999)).toThrow(InvalidStatusCodeError);
  });
});
