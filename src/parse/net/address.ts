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

/**
 * An address as text written elsewhere (an SDP c= line, a URI host) in the form formatIp gives:
 * IPv6 in RFC 5952 form (lower case, the longest zero run compressed), so that text written with
 * capitals or without "::" names the same host as the frames do. Other text is returned as written.
 */
export function canonicalIp(text: string): string {
  if (!text.includes(':')) return text;
  const bytes = ipv6Bytes(text);
  return bytes === null ? text : formatIp(bytes, 0, 6);
}

/** IPv6 text (RFC 4291 §2.2: hex groups, one "::", a trailing dotted quad) as 16 bytes; null when it is not that. */
export function ipv6Bytes(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1 && part.includes('.')) {
        const quad = part.split('.').map(Number);
        if (quad.length !== 4 || quad.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return null;
        out.push(quad[0]! * 256 + quad[1]!, quad[2]! * 256 + quad[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return null;
        out.push(parseInt(part, 16));
      }
    }
    return out;
  };
  const before = groupsOf(halves[0]!);
  const after = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (before === null || after === null) return null;
  const zeros = 8 - before.length - after.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return null;
  const groups = [...before, ...new Array<number>(zeros).fill(0), ...after];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}
