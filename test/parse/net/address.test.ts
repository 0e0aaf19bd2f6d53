import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../../../src/parse/net/address.js';

describe('canonicalIp: text written elsewhere (SDP c=, URI hosts) in the form the frames give', () => {
  it('IPv6 in capitals, in full, or with a dotted tail is the RFC 5952 form', () => {
    expect(canonicalIp('2001:DB8::5')).toBe('2001:db8::5');
    expect(canonicalIp('2001:0db8:0000:0000:0000:0000:0000:0005')).toBe('2001:db8::5');
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('::FFFF:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(canonicalIp('::')).toBe('::');
  });

  it('IPv4, host names and text that is not IPv6 stay as written', () => {
    for (const text of ['192.0.2.1', 'sbc.example.com', '1:2:3', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', '::1.2.3.256']) expect(canonicalIp(text)).toBe(text);
  });
});
