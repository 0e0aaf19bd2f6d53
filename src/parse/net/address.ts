import { u16be } from '../capture/bytes.js';

/** Dotted-quad or RFC 5952 text of an address in a frame. */
export function formatIp(b: Uint8Array, offset: number, version: 4 | 6): string {
  if (version === 4) return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(u16be(b, offset + i));
  // RFC 5952 §4.2: compress the longest run (first on a tie) of two or more zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted form.
  if (bestStart === 0 && bestLength === 5 && groups[5] === 0xffff) {
    return `::ffff:${b[offset + 12]}.${b[offset + 13]}.${b[offset + 14]}.${b[offset + 15]}`;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
