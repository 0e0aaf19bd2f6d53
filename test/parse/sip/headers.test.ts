import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPACT_FORMS,
  cseqIn,
  foundCSeq,
  foundParam,
  foundVia,
  headerKey,
  isVia,
  nameAddrTag,
  nameAddrTagIn,
  parseCSeq,
  parseHostPort,
  parseNameAddr,
  parseNameAddrList,
  parseNumberValue,
  parseParams,
  parseUri,
  parseVia,
  readQuoted,
  splitList,
  unquote,
  viaKey,
  viaKeyIn,
} from '../../../src/parse/sip/headers.js';
import { carriesCredentials, credentialsOf } from '../../../src/parse/sip/header-values.js';
import { parseSipMessage } from '../../../src/parse/sip/parse.js';

describe('headerKey', () => {
  it('maps every compact form', () => {
    const expected: Record<string, string> = {
      i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type', f: 'from',
      s: 'subject', k: 'supported', t: 'to', v: 'via', o: 'event', r: 'refer-to', b: 'referred-by',
      u: 'allow-events', a: 'accept-contact', j: 'reject-contact', d: 'request-disposition',
      x: 'session-expires', y: 'identity', n: 'identity-info',
    };
    expect({ ...COMPACT_FORMS }).toEqual(expected);
    for (const [short, long] of Object.entries(expected)) {
      expect(headerKey(short)).toBe(long);
      expect(headerKey(short.toUpperCase())).toBe(long);
    }
  });
  it('lower-cases long names and leaves unknown letters alone', () => {
    expect(headerKey('CALL-ID')).toBe('call-id');
    expect(headerKey('Record-Route')).toBe('record-route');
    expect(headerKey('z')).toBe('z');
  });
});

describe('splitList', () => {
  it('splits on commas outside quotes and angle brackets', () => {
    expect(splitList('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitList('"Doe, John" <sip:j@x>, <sip:a,b@y>;q=1')).toEqual(['"Doe, John" <sip:j@x>', '<sip:a,b@y>;q=1']);
    expect(splitList('"a \\", b" <sip:x>, <sip:y>')).toEqual(['"a \\", b" <sip:x>', '<sip:y>']);
    expect(splitList(' , ,a,, ')).toEqual(['a']);
    expect(splitList('')).toEqual([]);
  });
});

describe('quoted strings and params', () => {
  it('unquotes', () => {
    expect(readQuoted('"a\\"b" rest', 0)).toEqual({ value: 'a"b', end: 6 });
    expect(readQuoted('"open', 0)).toBeNull();
    expect(unquote('"x\\\\y"')).toBe('x\\y');
    expect(unquote('plain')).toBe('plain');
  });
  it('parses params', () => {
    expect(parseParams(';Tag=abc ; lr;q = 0.5;x="a;b"')).toEqual({ tag: 'abc', lr: '', q: '0.5', x: 'a;b' });
    expect(parseParams(';a=1;a=2')).toEqual({ a: '1' });
    const p = parseParams(';__proto__=x;constructor');
    expect(p['__proto__']).toBe('x');
    expect(p['constructor']).toBe('');
    expect(Object.keys(p)).toEqual(['__proto__', 'constructor']);
    // Nothing inherited: the prototype is an empty object with no prototype of its own.
    const q = parseParams(';a=1');
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) expect(name in q).toBe(false);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(q))).toBeNull();
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(q))).toEqual([]);
  });
});

describe('parseUri', () => {
  it('reads SIP URIs', () => {
    expect(parseUri('sip:alice:secret@atlanta.com:5070;transport=tcp?subject=x')).toEqual({
      raw: 'sip:alice:secret@atlanta.com:5070;transport=tcp?subject=x', scheme: 'sip', user: 'alice', host: 'atlanta.com', port: 5070,
    });
    expect(parseUri('SIPS:biloxi.com')).toMatchObject({ scheme: 'sips', user: '', host: 'biloxi.com', port: null });
    expect(parseUri('sip:+1555;phone-context=x@gw.example.com;user=phone')).toMatchObject({ user: '+1555;phone-context=x', host: 'gw.example.com' });
  });
  it('reads IPv6 hosts without brackets', () => {
    expect(parseUri('sip:bob@[2001:db8::10]:5060')).toMatchObject({ host: '2001:db8::10', port: 5060 });
    expect(parseUri('sip:[::1];transport=udp')).toMatchObject({ user: '', host: '::1', port: null });
  });
  it('reads tel and other schemes', () => {
    expect(parseUri('tel:+1-201-555-0123;ext=1')).toMatchObject({ scheme: 'tel', user: '+1-201-555-0123', host: '' });
    expect(parseUri('http://u@www.example.com:8080/x')).toMatchObject({ scheme: 'http', user: 'u', host: 'www.example.com', port: 8080 });
    expect(parseUri('urn:service:sos')).toMatchObject({ scheme: 'urn', user: '', host: '' });
  });
  it('never fails', () => {
    expect(parseUri('')).toMatchObject({ scheme: '', host: '' });
    expect(parseUri('no scheme')).toMatchObject({ scheme: '' });
    expect(parseUri('sip:host:99999')).toMatchObject({ host: 'host', port: null });
    expect(parseUri('sip:@')).toMatchObject({ host: '' });
  });
});

describe('parseHostPort', () => {
  it('splits host and port', () => {
    expect(parseHostPort('a.b:5060')).toEqual({ host: 'a.b', port: 5060 });
    expect(parseHostPort('[fe80::1]:5062')).toEqual({ host: 'fe80::1', port: 5062 });
    expect(parseHostPort('fe80::1')).toEqual({ host: 'fe80::1', port: null });
    expect(parseHostPort('a.b:x')).toBeNull();
    expect(parseHostPort('[::1')).toBeNull();
    expect(parseHostPort('')).toBeNull();
  });
});

describe('parseNameAddr', () => {
  it('reads all forms', () => {
    const a = parseNameAddr('"Bob \\"B\\"" <sip:bob@biloxi.com>;tag=a6c85cf;X=1');
    expect(a).toMatchObject({ displayName: 'Bob "B"', tag: 'a6c85cf', params: { tag: 'a6c85cf', x: '1' } });
    expect(a?.uri).toMatchObject({ raw: 'sip:bob@biloxi.com', user: 'bob', host: 'biloxi.com' });
    expect(parseNameAddr('Bob Smith <sip:bob@biloxi.com>')).toMatchObject({ displayName: 'Bob Smith', tag: null });
    expect(parseNameAddr('<sip:bob@biloxi.com;transport=tcp>;expires=60')).toMatchObject({
      displayName: null, uri: { raw: 'sip:bob@biloxi.com;transport=tcp' }, params: { expires: '60' },
    });
    // addr-spec: parameters after the URI belong to the header
    expect(parseNameAddr('sip:bob@biloxi.com;tag=88')).toMatchObject({ displayName: null, uri: { raw: 'sip:bob@biloxi.com' }, tag: '88' });
    expect(parseNameAddr('"" <sip:x@y>')).toMatchObject({ displayName: '' });
  });
  it('returns null for unreadable values', () => {
    expect(parseNameAddr('')).toBeNull();
    expect(parseNameAddr('"open <sip:x@y>')).toBeNull();
    expect(parseNameAddr('Bob <sip:x@y')).toBeNull();
    expect(parseNameAddr('Bob <>')).toBeNull();
    expect(parseNameAddr('just text')).toBeNull();
    expect(parseNameAddr('"Bob" sip:x@y')).toBeNull();
  });
  it('reads lists with *', () => {
    expect(parseNameAddrList('*')[0]?.uri.raw).toBe('*');
    const l = parseNameAddrList('<sip:a@x>, bad, "B" <sip:b@y>');
    expect(l.map((e) => e?.uri.raw ?? null)).toEqual(['sip:a@x', null, 'sip:b@y']);
  });
});

describe('parseVia', () => {
  it('reads entries', () => {
    expect(parseVia('SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;rport;received=192.0.2.1')).toEqual({
      protocol: 'SIP/2.0', transport: 'UDP', host: 'pc33.atlanta.com', port: null, branch: 'z9hG4bK776asdhds',
      params: { branch: 'z9hG4bK776asdhds', rport: '', received: '192.0.2.1' },
      raw: 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;rport;received=192.0.2.1',
    });
    expect(parseVia('SIP / 2.0 / tls  [2001:db8::9] : 5061 ; Branch = z9hG4bKa')).toMatchObject({
      transport: 'TLS', host: '2001:db8::9', port: 5061, branch: 'z9hG4bKa',
    });
    expect(parseVia('SIP/2.0/ws df7jal23ls0d.invalid;branch=z9hG4bKx')).toMatchObject({ transport: 'WS', host: 'df7jal23ls0d.invalid' });
    expect(parseVia('SIP/2.0/UDP 10.0.0.1:5060')).toMatchObject({ host: '10.0.0.1', port: 5060, branch: null });
    // unbracketed IPv6 (invalid, seen in the wild): the whole sent-by is the host
    expect(parseVia('SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK3')).toMatchObject({ host: '2001:db8::1', port: null, branch: 'z9hG4bK3' });
  });
  it('returns null for unreadable entries', () => {
    for (const bad of ['', 'SIP/2.0', 'SIP/2.0/UDP', 'SIP/2.0/UDPhost', 'SIP 2.0 UDP host', 'SIP/2.0/UDP host:abc', 'SIP/2.0/UDP host:70000', 'SIP/2.0/UDP [::1']) {
      expect(parseVia(bad), bad).toBeNull();
    }
  });
});

describe('parseCSeq and numbers', () => {
  it('reads CSeq', () => {
    expect(parseCSeq('314159 INVITE')).toEqual({ seq: 314159, method: 'INVITE' });
    expect(parseCSeq('  1\tFOO ')).toEqual({ seq: 1, method: 'FOO' });
    for (const bad of ['', 'INVITE', '1', '1INVITE', 'x INVITE', '1 INVITE extra', '12345678901234567890 INVITE']) {
      expect(parseCSeq(bad), bad).toBeNull();
    }
  });
  it('reads numbers', () => {
    expect(parseNumberValue(' 70 ')).toBe(70);
    expect(parseNumberValue('0000000000000000000042')).toBe(42);
    expect(parseNumberValue('-1')).toBeNull();
    expect(parseNumberValue('1e3')).toBeNull();
    expect(parseNumberValue('')).toBeNull();
    expect(parseNumberValue('9999999999999999')).toBeNull();
  });
});

describe('nameAddrTag', () => {
  /** What it must give: parseNameAddr's tag, or undefined where parseNameAddr gives null. */
  const expected = (s: string): string | null | undefined => {
    const a = parseNameAddr(s);
    return a === null ? undefined : a.tag;
  };

  it('reads the tag as parseNameAddr does, and fails where it fails', () => {
    for (const s of [
      '<sip:alice@example.com>;tag=1928301774',
      '"Alice \\"A\\"" <sip:alice@example.com> ; TAG = "q\\"uoted" ;tag=second',
      'sip:bob@example.com;tag=x;lr',
      'Bob <tel:+4930123>;Tag;tag=y',
      '  ',
      '"unclosed <sip:a@b>',
      '<sip:a@b',
      '<>;tag=1',
      'no-scheme;tag=1',
      '<1sip:a@b>;tag=1',
      '"A" x <sip:a@b>',
      '<sip:a@b>;tag="open',
      '<sip:a@b>;tagx=1;t=2;tag',
      'sIP:a@b ; tag = v ; other',
    ]) {
      expect(nameAddrTag(s), s).toBe(expected(s));
    }
  });

  it('agrees with parseNameAddr on any text made of the characters that matter, and on name-addrs put together from broken pieces', () => {
    const part = fc.constantFrom('"', '\\', '<', '>', ';', '=', ',', ' ', '\t', ':', '@', 'sip', 'tel', 'tag', 'TAG', 'Tag', 'x', '1', 'é', '+');
    const anyText = fc.array(part, { maxLength: 24 }).map((parts) => parts.join(''));
    const pick = (...xs: string[]) => fc.constantFrom(...xs);
    const param = fc
      .tuple(pick(';', ' ;', ';\t', ',', ''), pick('', ' '), pick('tag', 'TAG', 'Tag', 'tagx', 'ta', 'x', '', 'tAg'), pick('', '=', ' = ', '=\t'), pick('', 'a1', '"q\\"x"', '"open', 'v;w', 'é'))
      .map((p) => p.join(''));
    const nameAddr = fc
      .tuple(pick('', '"Alice"', '"A\\"', 'Bob ', '"x" y', ' '), pick('<', '', ' <'), pick('sip:a@b', 'tel:+1', '1x:y', 'sip', '', ' SIP:a ', 'x-y.z+:q'), pick('>', '', '> '), fc.array(param, { maxLength: 4 }))
      .map(([display, open, uri, close, params]) => display + open + uri + close + params.join(''));
    fc.assert(
      fc.property(fc.oneof(anyText, nameAddr), (s) => {
        expect(nameAddrTag(s)).toBe(expected(s));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('viaKey and isVia', () => {
  /** What they must give: parseVia's host, port and branch, or null where parseVia gives null. */
  const expected = (s: string) => {
    const v = parseVia(s);
    return v === null ? null : { host: v.host, port: v.port, branch: v.branch };
  };

  it('read a Via entry as parseVia does, and fail where it fails', () => {
    const pick = (...xs: string[]) => fc.constantFrom(...xs);
    const param = fc
      .tuple(pick(';', ' ;', ';\t', ''), pick('branch', 'BRANCH', 'Branch', 'rport', 'branchx', ''), pick('', '=', ' = '), pick('', 'z9hG4bK1', '"q\\"b"', '"open', 'é'))
      .map((p) => p.join(''));
    const via = fc
      .tuple(
        pick('SIP/2.0/', 'SIP / 2.0 / ', 'sip/2.0/', 'SIP/2.0', 'SIP/3/', '/2.0/', ' SIP/2.0/'),
        pick('UDP', 'tcp', 'TLS-SCTP', '', 'x y'),
        pick(' ', '', '\t', '  '),
        pick('10.0.0.1', '[2001:db8::1]', '2001:db8::1', '[2001:db8::1', 'Host.Example.COM', '', ':'),
        pick('', ':5060', ' : 5060', ':99999', ':', ':x'),
        fc.array(param, { maxLength: 4 }),
      )
      .map(([proto, transport, ws, host, port, params]) => proto + transport + ws + host + port + params.join(''));
    const part = fc.constantFrom('SIP', '/', '2.0', ' ', 'UDP', '[', ']', ':', ';', '=', 'branch', '1', '"', ',');
    const anyText = fc.array(part, { maxLength: 20 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(via, anyText), (s) => {
        const want = expected(s);
        expect(viaKey(s)).toEqual(want);
        expect(isVia(s)).toBe(want !== null);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('the readers the parser runs, on a range of a longer text', () => {
  // The parser reads a value where it lies in the header text (HeaderLines.locate): what they
  // find in text[a, b) must be what they find in text.slice(a, b), whatever lies around it.
  const part = fc.constantFrom('"', '\\', '<', '>', ';', '=', ',', ' ', '\t', '\r', ':', '@', '[', ']', '/', 'sip:a@b', 'SIP/2.0/', 'UDP', 'tag', 'branch', '2.0', '10.0.0.1', '5060', '1', 'INVITE', 'é');
  const text = fc.array(part, { maxLength: 16 }).map((parts) => parts.join(''));
  const found = (s: string): string => foundParam.quoted ?? s.slice(foundParam.valueStart, foundParam.valueEnd);
  /** What a reader found, with offsets made relative to `at`. */
  const nameAddrRead = (s: string, a: number, b: number) => {
    const read = nameAddrTagIn(s, a, b);
    return { read, tag: read === 1 ? found(s) : null };
  };
  const viaRead = (s: string, a: number, b: number) => {
    if (!viaKeyIn(s, a, b)) return null;
    const v = foundVia;
    return { host: s.slice(v.hostStart, v.hostEnd), port: v.port, portDigits: v.port === null ? '' : s.slice(v.portStart, v.portEnd), branch: v.hasBranch ? found(s) : null };
  };
  const cseqRead = (s: string, a: number, b: number) => (cseqIn(s, a, b) ? { seq: foundCSeq.seq, method: s.slice(foundCSeq.methodStart, foundCSeq.methodEnd) } : null);

  it('find in a range what they find in the same characters alone', () => {
    fc.assert(
      fc.property(text, text, text, (before, value, after) => {
        const whole = before + value + after;
        const a = before.length;
        const b = a + value.length;
        expect(nameAddrRead(whole, a, b)).toEqual(nameAddrRead(value, 0, value.length));
        expect(viaRead(whole, a, b)).toEqual(viaRead(value, 0, value.length));
        expect(isVia(whole, a, b)).toBe(isVia(value));
        expect(cseqRead(whole, a, b)).toEqual(cseqRead(value, 0, value.length));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('carriesCredentials', () => {
  const request = (extra: string) =>
    parseSipMessage(Buffer.from(`REGISTER sip:r SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1\r\nFrom: <sip:a@r>;tag=1\r\nTo: <sip:a@r>\r\nCall-ID: c\r\nCSeq: 2 REGISTER\r\n${extra}Content-Length: 0\r\n\r\n`)).message;

  it('is true for an Authorization or Proxy-Authorization in any case, empty or not, as credentialsOf says, and false without one', () => {
    const cases = ['Authorization: Digest username="a", nonce="n"\r\n', 'proxy-authorization: Digest username="a"\r\n', 'AUTHORIZATION: Digest username="a"\r\n', 'Authorization: \r\n', 'WWW-Authenticate: Digest realm="r"\r\n', ''];
    const messages = cases.map(request);
    expect(messages.map(carriesCredentials)).toEqual([true, true, true, true, false, false]);
    expect(messages.map(carriesCredentials)).toEqual(messages.map((m) => credentialsOf(m) !== null));
  });
});
