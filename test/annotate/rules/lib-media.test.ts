/** The media rules' shared facts (src/annotate/rules/lib/media.ts). */
import { beforeEach, describe, expect, it } from 'vitest';
import { releaseCallFacts } from '../../../src/annotate/facts.js';
import { answeredCall } from '../../../src/annotate/rules/lib/media.js';
import { correlate } from '../../../src/parse/dialog/correlate.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';

beforeEach(resetCatalogFrames);

describe('answeredCall', () => {
  it('finds the answer once per call, and its end again for another capture end', () => {
    const invite = req('INVITE', 1, 0);
    const call = correlate([invite, res(invite, '200 OK', 20)])[0]!;
    const end = { sec: 1_700_000_100, nsec: 0 };
    const first = answeredCall(call, end)!;
    expect(first).toMatchObject({ answer: 1, bye: null, until: end });
    // The rules of one call share one capture end: the same answer, not one made per rule.
    expect(answeredCall(call, end)).toBe(first);
    const later = { sec: 1_700_000_200, nsec: 0 };
    expect(answeredCall(call, later)).toMatchObject({ answer: 1, bye: null, until: later });
    releaseCallFacts();
  });

  it('is null for a call never answered', () => {
    const invite = req('INVITE', 1, 0);
    const call = correlate([invite, res(invite, '486 Busy Here', 20)])[0]!;
    expect(answeredCall(call, call.end)).toBeNull();
    releaseCallFacts();
  });
});
