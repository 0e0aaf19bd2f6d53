import { describe, expect, it } from 'vitest';
import { findSipStart, isKeepAlive, sipStartAt } from '../../../src/parse/sip/detect.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const at = (s: string, start = 0): boolean => {
  const b = enc(s);
  return sipStartAt(b, start, b.length);
};

describe('sipStartAt', () => {
  it('accepts status lines', () => {
    expect(at('SIP/2.0 200 OK\r\n')).toBe(true);
    expect(at('SIP/2.0 100 Trying\r\nVia: x\r\n')).toBe(true);
    expect(at('SIP/2.0 487\r\n')).toBe(true);
    expect(at('SIP/2.0 180')).toBe(true);
    expect(at('SIP/2.0 603 Decline\n')).toBe(true);
  });

  it('rejects broken status lines', () => {
    expect(at('SIP/2.0 20 OK\r\n')).toBe(false);
    expect(at('SIP/2.0 2000 OK\r\n')).toBe(false);
    expect(at('SIP/2.0  200 OK\r\n')).toBe(false);
    expect(at('SIP/3.0 200 OK\r\n')).toBe(false);
    expect(at('SIP/2.0 OK\r\n')).toBe(false);
    expect(at('SIP/2.0')).toBe(false);
    expect(at('HTTP/1.1 200 OK\r\n')).toBe(false);
  });

  it('accepts request lines with standard and extension methods', () => {
    for (const m of ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'INFO', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'MESSAGE', 'UPDATE', 'PUBLISH', 'FOOBAR', 'x-Custom.1']) {
      expect(at(`${m} sip:bob@example.com SIP/2.0\r\nVia: x\r\n`), m).toBe(true);
    }
    expect(at('INVITE sips:bob@example.com;transport=tls SIP/2.0\n')).toBe(true);
    expect(at('INVITE tel:+15551234567 SIP/2.0\r\n')).toBe(true);
    expect(at('INVITE sip:[2001:db8::1]:5060 SIP/2.0\r\n')).toBe(true);
    expect(at('OPTIONS sip:host SIP/2.0')).toBe(true); // cut after the start line
    expect(at('OPTIONS sip:host SIP/2.0 \r\n')).toBe(true);
  });

  it('accepts a Request-URI with control bytes in it: a malformed request is kept, not lost', () => {
    expect(at('INVITE sip:bob\u0007@example.com SIP/2.0\r\n')).toBe(true);
    expect(at('INVITE sip:\u001b[31mbob@example.com SIP/2.0\r\n')).toBe(true);
    expect(at('INVITE sip:bob\u007f@x SIP/2.0\r\n')).toBe(true);
    // A line end still ends the URI.
    expect(at('INVITE sip:bob\r\n@x SIP/2.0\r\n')).toBe(false);
  });

  it('rejects things that are not request lines', () => {
    expect(at('GET / HTTP/1.1\r\n')).toBe(false);
    expect(at('INVITE sip:bob@example.com HTTP/1.1\r\n')).toBe(false);
    expect(at('INVITE bob SIP/2.0\r\n')).toBe(false); // no scheme
    expect(at('INVITE  SIP/2.0\r\n')).toBe(false);
    expect(at('INVITE sip:bob@example.com SIP/2.0x\r\n')).toBe(false);
    expect(at('INVITE sip:bob@example.com SIP/2.0\rX')).toBe(false);
    expect(at('IN(VITE sip:bob SIP/2.0\r\n')).toBe(false);
    expect(at('1NVITE sip:bob SIP/2.0\r\n')).toBe(false);
    expect(at('hello world')).toBe(false);
    expect(at('')).toBe(false);
  });

  it('rejects RTP and binary after the first byte', () => {
    const rtp = new Uint8Array([0x80, 0x00, 0x12, 0x34, 0, 0, 0, 0, 1, 2, 3, 4]);
    expect(sipStartAt(rtp, 0, rtp.length)).toBe(false);
    for (let b = 0; b < 256; b++) {
      const isLetter = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
      if (!isLetter) expect(sipStartAt(new Uint8Array([b, 0x49, 0x50, 0x2f]), 0, 4)).toBe(false);
    }
  });

  it('only looks about 512 bytes for the end of the request line', () => {
    expect(at(`INVITE sip:${'a'.repeat(400)} SIP/2.0\r\n`)).toBe(true);
    expect(at(`INVITE sip:${'a'.repeat(600)} SIP/2.0\r\n`)).toBe(false);
  });

  it('honours start and end', () => {
    const b = enc('xxSIP/2.0 200 OK\r\n');
    expect(sipStartAt(b, 2, b.length)).toBe(true);
    expect(sipStartAt(b, 2, 8)).toBe(false);
    expect(sipStartAt(b, 0, b.length)).toBe(false);
    expect(sipStartAt(b, 5, 2)).toBe(false);
  });
});

describe('findSipStart', () => {
  it('finds the message after junk lines', () => {
    const junk = 'garbage\r\nmore garbage\n';
    const b = enc(`${junk}INVITE sip:bob@example.com SIP/2.0\r\n\r\n`);
    expect(findSipStart(b, 0, b.length)).toBe(enc(junk).length);
  });

  it('returns the start when the message starts there', () => {
    const b = enc('SIP/2.0 200 OK\r\n\r\n');
    expect(findSipStart(b, 0, b.length)).toBe(0);
  });

  it('matches after junk bytes but never inside a token', () => {
    const junk = enc('xx SIP/2.0 200 OK\r\n\r\n');
    expect(findSipStart(junk, 0, junk.length)).toBe(3);
    const binary = new Uint8Array([0x00, 0x01, 0xfe, ...enc('NOTIFY sip:a@b SIP/2.0\r\n\r\n')]);
    expect(findSipStart(binary, 0, binary.length)).toBe(3);
    // "DBREGISTER" is a (strange) token: siplens does not cut it into "DB" + "REGISTER".
    const glued = enc('DBREGISTER sip:1.1.1.1 SIP/2.0\r\n\r\n');
    expect(findSipStart(glued, 0, glued.length)).toBe(0);
    const tokenJunk = enc('xxSIP/2.0 200 OK\r\n\r\n');
    expect(findSipStart(tokenJunk, 0, tokenJunk.length)).toBe(-1);
  });

  it('gives up after the scan limit', () => {
    const pad = `${'j'.repeat(3000)}\n`;
    const b = enc(`${pad}SIP/2.0 200 OK\r\n\r\n`);
    expect(findSipStart(b, 0, b.length)).toBe(-1);
    expect(findSipStart(b, 0, b.length, 4096)).toBe(pad.length);
  });

  it('returns -1 for binary payloads', () => {
    const b = new Uint8Array(1500).map((_, i) => (i * 37 + 0x80) & 0xff);
    expect(findSipStart(b, 0, b.length)).toBe(-1);
  });
});

describe('isKeepAlive', () => {
  const ka = (b: Uint8Array): boolean => isKeepAlive(b, 0, b.length);
  it('accepts CRLF keep-alives and phone variants', () => {
    expect(ka(enc('\r\n\r\n'))).toBe(true);
    expect(ka(enc('\r\n'))).toBe(true);
    expect(ka(enc('\n'))).toBe(true);
    expect(ka(enc('\r'))).toBe(true);
    expect(ka(new Uint8Array([0]))).toBe(true);
    expect(ka(enc('jaK'))).toBe(true);
  });
  it('rejects the rest', () => {
    expect(ka(new Uint8Array(0))).toBe(false);
    expect(ka(enc('\r\n\r\n\r\n'))).toBe(false);
    expect(ka(enc(' \r\n'))).toBe(false);
    expect(ka(new Uint8Array([0, 0]))).toBe(false);
    expect(ka(enc('jak'))).toBe(false);
    expect(ka(enc('SIP/2.0 200 OK\r\n'))).toBe(false);
  });
  it('honours start and end', () => {
    const b = enc('xx\r\n\r\nyy');
    expect(isKeepAlive(b, 2, 6)).toBe(true);
    expect(isKeepAlive(b, 1, 6)).toBe(false);
  });
});
