/**
 * A string to keep as the key of a long-lived Map: an exact copy that is a sequential string of
 * its own. V8 compares a sliced string with a Map's key through a runtime call: a lookup by a
 * sliced Call-ID took 600 ns when the Map's keys were slices too, 375 ns when they were
 * sequential (and 186 against 109 ns once its hash was known; min of 15 runs over 10,000 keys).
 * (The parser's Call-IDs were such slices until session 12; they are flat strings of their own
 * now, parse.ts `HeaderText.own`.) Made once per key, as a JSON round trip (about 0.3 µs), which
 * restores every string exactly, lone surrogates included.
 */
export function mapKey(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
