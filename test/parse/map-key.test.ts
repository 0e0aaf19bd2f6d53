import { describe, expect, it } from 'vitest';
import { mapKey } from '../../src/parse/map-key.js';

describe('mapKey', () => {
  it('is an exact copy of any string: slices, non-Latin-1 text, control characters and lone surrogates', () => {
    const message = 'Call-ID: a84b4c76e66710-abcdef0123456789@203.0.113.7\r\n';
    const cases = [message.slice(9, -2), '', 'x', 'äöü€😀', '\u0000\u001f"\\', '\ud800', 'a\udfffb', `${'z'.repeat(40)}\ud83d`];
    for (const s of cases) expect(mapKey(s)).toBe(s);
  });
});
