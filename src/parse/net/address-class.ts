/**
 * Address classes: which addresses cannot be reached from the public Internet as they stand
 * (private, carrier-grade NAT, link-local, loopback). The media join (src/parse/media) and the
 * NAT and media rules ask it of every address they see.
 */

/** RFC 1918, RFC 6598 (carrier-grade NAT), link-local, and IPv6 unique-local / link-local addresses. */
export function isPrivateAddress(ip: string): boolean {
  if (ip.includes(':')) {
    const first = parseInt(ip.split(':')[0] || '0', 16);
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
  }
  const dotted = dottedQuad(ip);
  if (dotted < 0) return false;
  const a = dotted >> 8;
  const b = dotted & 0xff;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

/**
 * The first two numbers of a dotted-quad IPv4 address (four decimal numbers 0-255, nothing
 * else) as one number, the first times 256 plus the second; -1 when it is not one. A scan, no
 * split and no pair made: the media join and the NAT and media rules ask it of every address they see.
 */
function dottedQuad(ip: string): number {
  let part = 0;
  let digits = 0;
  let value = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 0x2e;
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      if (++digits > 3 || value > 255) return -1;
    } else if (c === 0x2e) {
      if (digits === 0 || part > 3) return -1;
      if (part === 0) a = value;
      else if (part === 1) b = value;
      part++;
      digits = 0;
      value = 0;
    } else {
      return -1;
    }
  }
  return part === 4 ? a * 256 + b : -1;
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** An address that cannot be reached from the public Internet as it stands. */
export function isPublicAddress(ip: string): boolean {
  return digitsAndDots(ip) || ip.includes(':') ? !isPrivateAddress(ip) && !isLoopback(ip) && ip !== '0.0.0.0' && ip !== '::' : false;
}

/**
 * `/^[0-9.]+$/.test(ip)` by a scan: the NAT and media rules ask isPublicAddress of the sender of
 * nearly every request and offer, and a regular expression run was most of its time.
 */
function digitsAndDots(ip: string): boolean {
  if (ip.length === 0) return false;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if ((c < 0x30 || c > 0x39) && c !== 0x2e) return false;
  }
  return true;
}
