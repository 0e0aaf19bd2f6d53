/**
 * The parser's decoders (decode.ts) give what Buffer's toString gives for the same range: latin1
 * one char per byte, UTF-8 with U+FFFD for invalid sequences, in a view that starts inside its
 * ArrayBuffer.
 */
import { describe, expect, it } from 'vitest';
import { latin1, utf8 } from '../../../src/parse/sip/decode.js';

/** A deterministic byte sequence: ASCII, latin1 letters, valid and broken UTF-8. */
function sample(): Buffer {
  const parts = ['Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n', 'From: "Åsa Ñúñez" <sip:åsa@example.com>\r\n', '\u00e9\u{1f600}x'];
  const bytes = [...Buffer.from(parts.join(''), 'utf8'), 0xff, 0xc3, 0x28, 0xe2, 0x82, 0x41, 0x80, 0x7f, 0x00];
  let seed = 7;
  for (let i = 0; i < 200; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes.push(seed & 0xff);
  }
  return Buffer.from(bytes);
}

describe('decode', () => {
  it('decodes every range as toString does, in a view into a larger buffer', () => {
    const whole = sample();
    const b = whole.subarray(5, whole.length - 3);
    for (let start = 0; start <= b.length; start += 3) {
      for (let end = start; end <= b.length; end += 7) {
        expect(latin1(b, start, end)).toBe(b.toString('latin1', start, end));
        expect(utf8(b, start, end)).toBe(b.toString('utf8', start, end));
      }
    }
  });

  it('gives the empty string for an empty range', () => {
    const b = sample();
    expect(latin1(b, 4, 4)).toBe('');
    expect(utf8(b, b.length, b.length)).toBe('');
  });
});
