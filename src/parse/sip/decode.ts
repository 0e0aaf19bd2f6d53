/**
 * Bytes of a Buffer as a string, through the decoders Buffer's `toString` ends in. `toString(enc,
 * start, end)` checks and clamps its arguments and picks the decoder by a switch on the encoding's
 * name before it calls these: as much time again as the decode of a header value (BENCHMARKS.md,
 * session 15). The parser's ranges are in bounds by construction, so it calls them directly. They
 * are on every Buffer since Node's early releases (lib/internal/buffer.js), undocumented and not
 * declared by @types/node: declared here, in one place.
 */
interface BufferDecoders {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** b[start, end) as latin1, one char per byte: `b.toString('latin1', start, end)` for 0 <= start <= end <= b.length. */
export function latin1(b: Buffer, start: number, end: number): string {
  return (b as Buffer & BufferDecoders).latin1Slice(start, end);
}

/** b[start, end) as UTF-8 (invalid sequences become U+FFFD): `b.toString('utf8', start, end)` for 0 <= start <= end <= b.length. */
export function utf8(b: Buffer, start: number, end: number): string {
  return (b as Buffer & BufferDecoders).utf8Slice(start, end);
}
