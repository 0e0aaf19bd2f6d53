/**
 * SIP over TLS decrypted from the captures of fixtures/tls/ (made by capture-tls.sh with
 * openssl s_server/s_client and Node, each with its key log), and each way decryption can fail,
 * asserted as diagnostic codes and values.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import type { AnalysisResult, Diagnostic } from '../../../src/index.js';
import { REPO_ROOT } from '../../support/captures.js';

const dir = join(REPO_ROOT, 'fixtures', 'tls');
const scratch = mkdtempSync(join(tmpdir(), 'siplens-tls-'));
const capture = (name: string): string => join(dir, name);
const keysOf = (name: string): string => join(dir, name.replace(/\.(pcap|pcapng)$/, '.keys'));

function codes(result: AnalysisResult): string[] {
  return result.inputs.flatMap((i) => i.diagnostics.map((d) => d.code)).filter((c) => c.startsWith('tls.'));
}
function diagnostic(result: AnalysisResult, code: string): Diagnostic | undefined {
  return result.inputs.flatMap((i) => i.diagnostics).find((d) => d.code === code);
}
const summary = (result: AnalysisResult) => result.messages.map((m) => `${m.frame} ${m.transport} ${m.message.method ?? m.message.status}`);

/** The call every openssl capture carries, in order (100 and 180 written apart by s_server; the BYE over two records). */
const CALL = ['INVITE', '100', '180', '200', 'ACK', 'BYE', '200'];

const OPENSSL_CALLS: readonly [string, string, string][] = [
  ['tls13-aes128gcm.pcap', '1.3', 'TLS_AES_128_GCM_SHA256'],
  ['tls13-aes256gcm.pcap', '1.3', 'TLS_AES_256_GCM_SHA384'],
  ['tls13-chacha20.pcap', '1.3', 'TLS_CHACHA20_POLY1305_SHA256'],
  ['tls13-keyupdate.pcap', '1.3', 'TLS_AES_128_GCM_SHA256'],
  ['tls12-ecdhe-aes128gcm.pcap', '1.2', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['tls12-ecdhe-aes256gcm.pcap', '1.2', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  ['tls12-ecdhe-chacha20.pcap', '1.2', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  ['tls12-rsa-aes128gcm.pcap', '1.2', 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  ['tls12-ecdhe-aes128cbc-sha.pcap', '1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  ['tls12-ecdhe-aes256cbc-sha384.pcap', '1.2', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  ['tls12-rsa-aes256cbc-sha256-mte.pcap', '1.2', 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  ['tls12-ecdhe-aes128cbc-sha256-mte.pcap', '1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
];

describe('SIP over TLS decrypted with a key log', () => {
  it.each(OPENSSL_CALLS)('%s: the whole call, as transport TLS, TLS %s with %s', async (name, version, suite) => {
    const result = await analyze([capture(name)], { tlsKeyLogs: [keysOf(name)] });
    expect(result.messages.map((m) => m.message.method ?? String(m.message.status)).sort()).toEqual([...CALL].sort());
    expect(new Set(result.messages.map((m) => m.transport))).toEqual(new Set(['TLS']));
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]!.outcome.outcome).toBe('answered');
    expect(codes(result)).toEqual(['tls.decrypted']);
    expect(diagnostic(result, 'tls.decrypted')!.values).toMatchObject({ version, suite, server: { port: 5061 } });
  });

  it('frames and times stay the capture\'s: each message is at the frame that completed its last record', async () => {
    const name = 'tls13-aes128gcm.pcap';
    const result = await analyze([capture(name)], { tlsKeyLogs: [keysOf(name)] });
    // The ACK and the start of the BYE share one record; the BYE ends in the next one.
    const ack = result.messages.find((m) => m.message.method === 'ACK')!;
    const bye = result.messages.find((m) => m.message.method === 'BYE')!;
    expect(bye.frame).toBeGreaterThan(ack.frame!);
    expect(bye.frames).toContain(ack.frame);
    for (const m of result.messages) expect(m.time.sec).toBeGreaterThan(1_700_000_000);
  });

  it('resumed TLS 1.2 sessions (ticket and session ID) decrypt from the resumed handshake\'s client random', async () => {
    for (const name of ['tls12-resumed-ticket.pcap', 'tls12-resumed-session-id.pcap']) {
      const result = await analyze([capture(name)], { tlsKeyLogs: [keysOf(name)] });
      expect(summary(result).map((s) => s.split(' ').slice(1).join(' '))).toEqual(['TLS OPTIONS', 'TLS 200', 'TLS OPTIONS', 'TLS 200']);
      expect(codes(result)).toEqual(['tls.decrypted', 'tls.decrypted']);
    }
  });

  it('SIP over secure WebSocket (a Node TLS endpoint) comes out as transport WSS', async () => {
    const result = await analyze([capture('tls-wss-node.pcap')], { tlsKeyLogs: [keysOf('tls-wss-node.pcap')] });
    expect(summary(result).map((s) => s.split(' ').slice(1).join(' '))).toEqual(['WSS REGISTER', 'WSS 200', 'WSS BYE', 'WSS 200']);
    expect(codes(result)).toEqual(['tls.decrypted']);
  });

  it('a pcapng with the key log in a Decryption Secrets Block decrypts with no option', async () => {
    const result = await analyze([capture('tls13-secrets-pcapng.pcapng')]);
    expect(result.messages).toHaveLength(CALL.length);
    expect(codes(result)).toEqual(['tls.decrypted']);
  });
});

describe('what cannot be decrypted is said', () => {
  it('no key log: the connection is reported as SIP over TLS that cannot be read', async () => {
    const result = await analyze([capture('tls13-aes128gcm.pcap')]);
    expect(result.messages).toEqual([]);
    expect(codes(result)).toEqual(['tls.sip-flow']);
  });

  it('a key log without this session: tls.keys-missing names the client random, then tls.sip-flow', async () => {
    const result = await analyze([capture('tls12-rsa-aes128gcm.pcap')], { tlsKeyLogs: [keysOf('tls13-aes128gcm.pcap')] });
    expect(result.messages).toEqual([]);
    expect(codes(result)).toEqual(['tls.keys-missing', 'tls.sip-flow']);
    expect(diagnostic(result, 'tls.keys-missing')!.values).toMatchObject({ version: '1.2', rsaKeyExchange: true, sessions: 1 });
    expect((diagnostic(result, 'tls.keys-missing')!.values as { clientRandom: string }).clientRandom).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a wrong secret: the record fails its authentication tag, that direction stops, the other one is still read', async () => {
    const name = 'tls13-aes128gcm.pcap';
    const keys = readFileSync(keysOf(name), 'latin1').replace(/^(SERVER_TRAFFIC_SECRET_0 \S+ )(..)/m, (_, head: string, byte: string) => head + (byte === '00' ? '01' : '00'));
    const wrong = join(scratch, 'wrong.keys');
    writeFileSync(wrong, keys);
    const result = await analyze([capture(name)], { tlsKeyLogs: [wrong] });
    expect(codes(result)).toEqual(['tls.decrypt-failed', 'tls.decrypted']);
    expect(diagnostic(result, 'tls.decrypt-failed')!.values).toMatchObject({ reason: 'bad-tag', version: '1.3', stream: { protocol: 'TLS', src: { port: 5061 } } });
    expect(result.messages.map((m) => m.message.method).filter((m) => m !== null).sort()).toEqual(['ACK', 'BYE', 'INVITE']);
  });

  it('a wrong master secret on a CBC suite: the MAC does not match', async () => {
    const name = 'tls12-ecdhe-aes128cbc-sha.pcap';
    const keys = readFileSync(keysOf(name), 'latin1').replace(/^(CLIENT_RANDOM \S+ )(..)/m, (_, head: string, byte: string) => head + (byte === '00' ? '01' : '00'));
    const wrong = join(scratch, 'wrong-cbc.keys');
    writeFileSync(wrong, keys);
    const result = await analyze([capture(name)], { tlsKeyLogs: [wrong] });
    expect(result.messages).toEqual([]);
    expect(result.inputs[0]!.diagnostics.filter((d) => d.code === 'tls.decrypt-failed').map((d) => (d.values as { reason: string }).reason)).toEqual(['bad-mac', 'bad-mac']);
  });

  it('a capture that starts after the handshake: tls.no-handshake', async () => {
    const name = 'tls13-midstream.pcap';
    const result = await analyze([capture(name)], { tlsKeyLogs: [keysOf(name)] });
    expect(result.messages).toEqual([]);
    expect(codes(result)).toEqual(['tls.no-handshake', 'tls.sip-flow']);
  });

  it('a suite siplens does not implement: tls.unsupported names it', async () => {
    // The ServerHello's cipher suite rewritten to TLS_ECDHE_ECDSA_WITH_AES_128_CCM (0xc0ac).
    const name = 'tls12-ecdhe-aes128gcm.pcap';
    const bytes = Buffer.from(readFileSync(capture(name)));
    const at = serverHelloSuite(bytes);
    bytes.writeUInt16BE(0xc0ac, at);
    const edited = join(scratch, 'ccm.pcap');
    writeFileSync(edited, bytes);
    const result = await analyze([edited], { tlsKeyLogs: [keysOf(name)] });
    expect(codes(result)).toEqual(['tls.unsupported', 'tls.sip-flow']);
    expect(diagnostic(result, 'tls.unsupported')!.values).toMatchObject({ what: { kind: 'suite', suite: 0xc0ac } });
  });

  it('bytes lost in a decrypted direction: tls.decrypt-failed says they were lost', async () => {
    const name = 'tls13-aes128gcm.pcap';
    const result = await analyze([capture(name)], { tlsKeyLogs: [keysOf(name)] });
    const invite = result.messages.find((m) => m.message.method === 'INVITE')!;
    const edited = join(scratch, 'lost.pcap');
    writeFileSync(edited, withoutFrame(readFileSync(capture(name)), invite.frame!));
    const cut = await analyze([edited], { tlsKeyLogs: [keysOf(name)] });
    expect(codes(cut)).toContain('tls.decrypt-failed');
    expect(cut.inputs[0]!.diagnostics.find((d) => d.code === 'tls.decrypt-failed')!.values).toMatchObject({ reason: 'lost-bytes', stream: { dst: { port: 5061 } } });
    expect(cut.messages.map((m) => m.message.status).filter((s) => s !== null)).toEqual([100, 180, 200, 200]);
  });
});

/** The offset of the cipher suite in the first TLS 1.2 ServerHello of a pcap. */
function serverHelloSuite(b: Buffer): number {
  for (let p = 0; p + 50 < b.length; p++) {
    if (b[p] === 0x16 && b[p + 1] === 3 && b[p + 2] === 3 && b[p + 5] === 2) return p + 5 + 4 + 2 + 32 + 1 + b[p + 5 + 4 + 2 + 32]!;
  }
  throw new Error('no ServerHello');
}

/** A classic pcap without one frame (1-based). */
function withoutFrame(b: Buffer, frame: number): Buffer {
  const parts: Buffer[] = [b.subarray(0, 24)];
  let p = 24;
  for (let n = 1; p + 16 <= b.length; n++) {
    const length = 16 + b.readUInt32LE(p + 8);
    if (n !== frame) parts.push(b.subarray(p, p + length));
    p += length;
  }
  return Buffer.concat(parts);
}
