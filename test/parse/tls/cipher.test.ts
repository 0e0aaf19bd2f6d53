/**
 * Key derivation against published vectors: HKDF-Expand-Label from the TLS 1.3 example trace
 * of RFC 8448 §3 (the server's handshake write key and IV), and the TLS 1.2 PRF with SHA-256
 * from the test vector circulated on the IETF TLS list (used by Wireshark and many stacks).
 */
import { describe, expect, it } from 'vitest';
import { hkdfExpandLabel, prf12 } from '../../../src/parse/transport/tls/cipher.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('TLS key derivation', () => {
  it('HKDF-Expand-Label gives the RFC 8448 §3 server handshake key and IV', () => {
    const secret = hex('b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38');
    expect(hkdfExpandLabel('sha256', secret, 'key', Buffer.alloc(0), 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(hkdfExpandLabel('sha256', secret, 'iv', Buffer.alloc(0), 12).toString('hex')).toBe('5d313eb2671276ee13000b30');
  });

  it('the TLS 1.2 PRF (P_SHA256) gives the published test vector', () => {
    const out = prf12('sha256', hex('9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35'), 'test label', hex('a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c'), 100);
    expect(out.toString('hex')).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
    );
  });
});
