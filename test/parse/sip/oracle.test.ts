/**
 * Differential test against the `sip` npm package (sip.js 0.0.6) used as an oracle: on
 * well-formed CRLF messages both parsers must agree. A second group documents where the
 * oracle fails and siplens does not.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../../src/parse/sip/parse.js';

/** The parts of the oracle's output this test reads. */
interface OracleAor {
  name?: string;
  uri: string;
  params: Record<string, string | null | undefined>;
}
interface OracleMessage {
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  headers: {
    'call-id'?: string;
    cseq?: { seq: number; method: string };
    via?: { protocol: string; host: string; port?: number; params: Record<string, string | null | undefined> }[];
    from?: OracleAor;
    to?: OracleAor;
    contact?: OracleAor[] | '*';
    'content-length'?: number;
  };
  content: string;
}
interface SipOracle {
  parse(data: string | Buffer): OracleMessage | undefined;
}

// `sip` is CommonJS without type declarations; createRequire keeps the test typed without a .d.ts.
const sip = createRequire(import.meta.url)('sip') as SipOracle;

const crlf = (lines: readonly string[], body = ''): string => `${lines.join('\r\n')}\r\n\r\n${body}`;
const withLength = (lines: readonly string[], body = ''): string => crlf([...lines, `Content-Length: ${Buffer.byteLength(body)}`], body);

const SDP_OFFER = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49172 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');
const SDP_ANSWER = SDP_OFFER.replace('alice 2890844526 2890844526', 'bob 2890844527 2890844527').replace('192.0.2.101', '192.0.2.201').replace('49172', '3456');

const DIALOG = {
  via: 'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9',
  from: 'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  to: 'To: Bob <sip:bob@biloxi.example.com>',
  toTagged: 'To: Bob <sip:bob@biloxi.example.com>;tag=8321234356',
  callId: 'Call-ID: 3848276298220188511@atlanta.example.com',
};

const CORPUS: Record<string, string> = {
  'INVITE with SDP': withLength([
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    DIALOG.via,
    'Max-Forwards: 70',
    DIALOG.from,
    DIALOG.to,
    DIALOG.callId,
    'CSeq: 1 INVITE',
    'Contact: <sip:alice@client.atlanta.example.com;transport=udp>',
    'Content-Type: application/sdp',
  ], SDP_OFFER),
  '100 Trying': withLength([
    'SIP/2.0 100 Trying',
    `${DIALOG.via};received=192.0.2.101`,
    DIALOG.from,
    DIALOG.to,
    DIALOG.callId,
    'CSeq: 1 INVITE',
  ]),
  '180 Ringing': withLength([
    'SIP/2.0 180 Ringing',
    `${DIALOG.via};received=192.0.2.101`,
    DIALOG.from,
    DIALOG.toTagged,
    DIALOG.callId,
    'Contact: <sip:bob@client.biloxi.example.com;transport=udp>',
    'CSeq: 1 INVITE',
  ]),
  '200 OK with Record-Route': withLength([
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP ss1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111',
    `${DIALOG.via};received=192.0.2.101`,
    'Record-Route: <sip:ss1.atlanta.example.com;lr>',
    'Record-Route: <sip:ss2.biloxi.example.com;lr>',
    DIALOG.from,
    DIALOG.toTagged,
    DIALOG.callId,
    'CSeq: 1 INVITE',
    'Contact: <sip:bob@client.biloxi.example.com;transport=udp>',
    'Content-Type: application/sdp',
  ], SDP_ANSWER),
  'ACK': withLength([
    'ACK sip:bob@client.biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bd5',
    'Max-Forwards: 70',
    'Route: <sip:ss1.atlanta.example.com;lr>, <sip:ss2.biloxi.example.com;lr>',
    DIALOG.from,
    DIALOG.toTagged,
    DIALOG.callId,
    'CSeq: 1 ACK',
  ]),
  'BYE': withLength([
    'BYE sip:alice@client.atlanta.example.com SIP/2.0',
    'Via: SIP/2.0/TCP client.biloxi.example.com:5060;branch=z9hG4bKnashds7',
    'Max-Forwards: 70',
    'From: Bob <sip:bob@biloxi.example.com>;tag=8321234356',
    'To: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    DIALOG.callId,
    'CSeq: 1 BYE',
  ]),
  'CANCEL': withLength([
    'CANCEL sip:bob@biloxi.example.com SIP/2.0',
    DIALOG.via,
    'Max-Forwards: 70',
    DIALOG.from,
    DIALOG.to,
    DIALOG.callId,
    'CSeq: 1 CANCEL',
  ]),
  '487 Request Terminated': withLength([
    'SIP/2.0 487 Request Terminated',
    `${DIALOG.via};received=192.0.2.101`,
    DIALOG.from,
    DIALOG.toTagged,
    DIALOG.callId,
    'CSeq: 1 INVITE',
  ]),
  'REGISTER with 2 Contacts': withLength([
    'REGISTER sips:ss2.biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKnashds7',
    'Max-Forwards: 70',
    'From: Bob <sips:bob@biloxi.example.com>;tag=a73kszlfl',
    'To: Bob <sips:bob@biloxi.example.com>',
    'Call-ID: 1j9FpLxk3uxtm8tn@biloxi.example.com',
    'CSeq: 1 REGISTER',
    'Contact: <sips:bob@client.biloxi.example.com>;expires=3600, "Bob mobile" <sips:bob@phone.biloxi.example.com>;q=0.5',
    'Expires: 7200',
  ]),
  '401 with WWW-Authenticate': withLength([
    'SIP/2.0 401 Unauthorized',
    'Via: SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKnashds7;received=192.0.2.201',
    'From: Bob <sips:bob@biloxi.example.com>;tag=a73kszlfl',
    'To: Bob <sips:bob@biloxi.example.com>;tag=1410948204',
    'Call-ID: 1j9FpLxk3uxtm8tn@biloxi.example.com',
    'CSeq: 1 REGISTER',
    'WWW-Authenticate: Digest realm="atlanta.example.com", qop="auth", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", opaque="", stale=FALSE, algorithm=MD5',
  ]),
  'OPTIONS': withLength([
    'OPTIONS sip:carol@chicago.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877',
    'Max-Forwards: 70',
    'To: <sip:carol@chicago.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    'CSeq: 63104 OPTIONS',
    'Contact: <sip:alice@pc33.atlanta.com>',
    'Accept: application/sdp',
  ]),
  'SUBSCRIBE': withLength([
    'SUBSCRIBE sip:resource@example.com SIP/2.0',
    'Via: SIP/2.0/TCP watcherhost.example.com;branch=z9hG4bKnashds7',
    'To: <sip:resource@example.com>',
    'From: <sip:user@example.com>;tag=xfg9',
    'Call-ID: 2010@watcherhost.example.com',
    'CSeq: 17766 SUBSCRIBE',
    'Max-Forwards: 70',
    'Event: presence',
    'Accept: application/pidf+xml',
    'Contact: <sip:user@watcherhost.example.com>',
    'Expires: 600',
  ]),
  'NOTIFY with body': withLength([
    'NOTIFY sip:user@watcherhost.example.com SIP/2.0',
    'Via: SIP/2.0/TCP server.example.com;branch=z9hG4bKna998sk',
    'From: <sip:resource@example.com>;tag=ffd2',
    'To: <sip:user@example.com>;tag=xfg9',
    'Call-ID: 2010@watcherhost.example.com',
    'Event: presence',
    'Subscription-State: active;expires=599',
    'Max-Forwards: 70',
    'CSeq: 8775 NOTIFY',
    'Contact: <sip:server.example.com>',
    'Content-Type: application/pidf+xml',
  ], '<?xml version="1.0" encoding="UTF-8"?>\r\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:resource@example.com">\r\n<tuple id="sg89ae"><status><basic>open</basic></status></tuple>\r\n</presence>\r\n'),
  'MESSAGE': withLength([
    'MESSAGE sip:user2@domain.com SIP/2.0',
    'Via: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse',
    'Max-Forwards: 70',
    'From: sip:user1@domain.com;tag=49583',
    'To: sip:user2@domain.com',
    'Call-ID: asd88asd77a@1.2.3.4',
    'CSeq: 1 MESSAGE',
    'Content-Type: text/plain',
  ], 'Watson, come here.'),
  '200 OK to REGISTER in compact form': withLength([
    'SIP/2.0 200 OK',
    'v: SIP/2.0/UDP 10.1.1.20:5060;branch=z9hG4bKdbk4f1a;rport=5060;received=10.1.1.20',
    'f: "Desk" <sip:2001@pbx.example.net>;tag=0e7c2b',
    't: <sip:2001@pbx.example.net>;tag=as4ee54ad9',
    'i: 6c3a9e8f-4b3d@10.1.1.20',
    'CSeq: 102 REGISTER',
    'm: <sip:2001@10.1.1.20:5060>;expires=120',
    'Server: Asterisk PBX',
  ]),
  'INFO with DTMF': withLength([
    'INFO sip:bob@192.0.2.4:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-524287-1---4a7d',
    'Max-Forwards: 70',
    DIALOG.from,
    DIALOG.toTagged,
    DIALOG.callId,
    'CSeq: 3 INFO',
    'Content-Type: application/dtmf-relay',
  ], 'Signal=5\r\nDuration=160\r\n'),
};

const unquoteName = (name: string | undefined): string | null => (name === undefined ? null : name.replace(/^"(.*)"$/, '$1').trim() || null);

describe('agreement with the sip npm package on well-formed messages', () => {
  it('has a varied corpus', () => {
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(14);
  });

  for (const [label, text] of Object.entries(CORPUS)) {
    it(label, () => {
      const oracle = sip.parse(text);
      expect(oracle, 'the oracle reads it').toBeDefined();
      const o = oracle!;
      const r = parseSipMessage(new TextEncoder().encode(text));
      const m = r.message;
      expect(r.diagnostics).toEqual([]);

      // start line
      if (o.status !== undefined) {
        expect(m.kind).toBe('response');
        expect(m.status).toBe(o.status);
        expect(m.reason).toBe(o.reason);
      } else {
        expect(m.kind).toBe('request');
        expect(m.method).toBe(o.method);
        expect(m.requestUri).toBe(o.uri);
      }
      // dialog identifiers
      expect(m.callId).toBe(o.headers['call-id']);
      expect(m.cseq).toEqual({ seq: o.headers.cseq?.seq, method: o.headers.cseq?.method });
      expect(m.via[0]?.branch).toBe(o.headers.via?.[0]?.params['branch']);
      expect(m.from?.tag ?? null).toBe(o.headers.from?.params['tag'] ?? null);
      expect(m.to?.tag ?? null).toBe(o.headers.to?.params['tag'] ?? null);
      // more: every Via, the From/To URIs and names, Contacts, body
      expect(m.via.map((v) => [v.transport, v.host, v.port, v.branch])).toEqual(
        (o.headers.via ?? []).map((v) => [v.protocol.toUpperCase(), v.host, v.port ?? null, v.params['branch'] ?? null]),
      );
      expect(m.from?.uri.raw).toBe(o.headers.from?.uri);
      expect(m.to?.uri.raw).toBe(o.headers.to?.uri);
      expect(m.from?.displayName ?? null).toBe(unquoteName(o.headers.from?.name));
      const oc = o.headers.contact;
      expect(m.contact.map((c) => c.uri.raw)).toEqual(oc === undefined ? [] : oc === '*' ? ['*'] : oc.map((c) => c.uri));
      expect(m.contentLength).toBe(o.headers['content-length']);
      expect(new TextDecoder().decode(m.body)).toBe(o.content);
    });
  }
});

describe('where the oracle fails and siplens does not', () => {
  const oracleParse = (data: string | Buffer): OracleMessage | undefined => {
    try {
      return sip.parse(data);
    } catch {
      return undefined;
    }
  };

  it('one malformed header line: the oracle drops the message, siplens keeps it', () => {
    const lines = CORPUS['BYE']!.split('\r\n');
    lines.splice(3, 0, 'this line has no colon');
    const text = lines.join('\r\n');
    expect(oracleParse(text)).toBeUndefined();
    const r = parseSipMessage(new TextEncoder().encode(text));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['sip.malformed-header']);
    expect(r.diagnostics[0]?.offset).toBe(text.indexOf('this line'));
    expect(r.message.method).toBe('BYE');
    expect(r.message.callId).toBe('3848276298220188511@atlanta.example.com');
    expect(r.message.headers.find((h) => h.malformed)?.value).toBe('this line has no colon');
  });

  it('LF-only text: the oracle rejects it, siplens parses it', () => {
    const text = CORPUS['INVITE with SDP']!.split('\r\n').join('\n');
    expect(oracleParse(text)).toBeUndefined();
    const r = parseSipMessage(new TextEncoder().encode(text));
    expect(r.diagnostics.map((d) => d.code)).toContain('sip.bare-lf');
    expect(r.message.method).toBe('INVITE');
    expect(r.message.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(r.message.via[0]?.branch).toBe('z9hG4bK74bf9');
    expect(r.message.from?.tag).toBe('9fxced76sl');
  });

  it('UTF-8 display name: the oracle reads it as latin1, siplens decodes it', () => {
    const text = CORPUS['OPTIONS']!.replace('From: Alice', 'From: "Jürgen Groß"');
    const bytes = Buffer.from(text, 'utf8');
    const o = oracleParse(bytes);
    expect(o).toBeDefined();
    expect(o!.headers.from?.name).not.toBe('"Jürgen Groß"');
    expect(o!.headers.from?.name).toBe(Buffer.from('"Jürgen Groß"', 'utf8').toString('latin1'));
    const r = parseSipMessage(new Uint8Array(bytes));
    expect(r.diagnostics).toEqual([]);
    expect(r.message.from?.displayName).toBe('Jürgen Groß');
    expect(r.message.from?.tag).toBe('1928301774');
  });

  it('compact form e: the oracle maps it to "contact-encoding", siplens to content-encoding', () => {
    const text = CORPUS['MESSAGE']!.replace('Content-Type: text/plain', 'Content-Type: text/plain\r\ne: gzip');
    const o = oracleParse(text) as unknown as { headers: Record<string, unknown> };
    expect(o.headers['contact-encoding']).toBe('gzip');
    const r = parseSipMessage(new TextEncoder().encode(text));
    expect(r.message.headers.find((h) => h.name === 'e')?.key).toBe('content-encoding');
  });
});
