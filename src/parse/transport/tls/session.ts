/**
 * Decrypting one TLS connection with the secrets of a key log: the hellos say which session
 * it is (the client random), which version and which suite; the secrets give each direction's
 * keys; records are opened in order, each direction counting its own sequence numbers (RFC 8446
 * §5.3, RFC 5246 §6.1). Application data goes out as plaintext, with the record it came from.
 *
 * Keys change where the protocol changes them. TLS 1.3 (RFC 8446 §2, §4.6.3): a direction's
 * records after ServerHello use its handshake secret, those after its Finished the application
 * secret, and each KeyUpdate moves that secret one generation on. TLS 1.2 (RFC 5246 §7.1): a
 * direction's records after its ChangeCipherSpec use the keys of the key block, resumed sessions
 * included (their new client random is in the key log).
 */
import type { Endpoint } from '../../../types.js';
import type { StreamRef, TlsUnsupported } from '../../../diagnostics.js';
import type { DiagnosticSink } from '../../diagnostic-sink.js';
import type { TlsRecord } from '../../outputs.js';
import { nextTrafficSecret, tls12Keys, tls13Protection, type RecordProtection } from './cipher.js';
import { CLIENT_HELLO, clientHelloRandom, FINISHED, HandshakeReader, KEY_UPDATE, MAX_HELLO, readServerHello, SERVER_HELLO, type ServerHello } from './handshake.js';
import type { TlsKeyLog, TlsSecrets } from './keylog.js';
import { CIPHER_SUITES, isRsaKeyExchange, type CipherSuite } from './suites.js';

const CHANGE_CIPHER_SPEC = 20;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;

const TLS12 = 0x0303;
const TLS13 = 0x0304;

/** Where a connection's decryption stands; every state but 'hello' and 'decrypting' has been reported. */
export type TlsSessionState = 'hello' | 'decrypting' | 'no-keys' | 'unsupported' | 'no-handshake';

/** Both directions of the connection, as the stream factory knows them. */
export interface TlsPeers {
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Each direction as diagnostics name it. */
  readonly stream: (fromClient: boolean) => StreamRef;
}

/** Plaintext of one record of one direction; `record.bytes` and `plaintext` are valid during the call only. */
export type TlsPlaintextSink = (fromClient: boolean, plaintext: Uint8Array, record: TlsRecord) => void;

interface Direction {
  /** The keys records are opened with now; null while records are in the clear. */
  protection: RecordProtection | null;
  /** Records opened with `protection` so far: the next record's sequence number. */
  seq: number;
  /** TLS 1.2: the keys this direction's ChangeCipherSpec turns on. */
  next: RecordProtection | null;
  /** TLS 1.3: the application traffic secret of the current generation, and whether it is in use yet. */
  traffic: Buffer | null;
  application: boolean;
  hellos: HandshakeReader;
  inner: HandshakeReader;
  /** Records opened (handshake ones included). */
  opened: number;
  /** Decryption of this direction stopped (reported). */
  stopped: boolean;
}

function direction(): Direction {
  return { protection: null, seq: 0, next: null, traffic: null, application: false, hellos: new HandshakeReader(), inner: new HandshakeReader(), opened: 0, stopped: false };
}

export class TlsSession {
  state: TlsSessionState = 'hello';
  suite: CipherSuite | null = null;
  version: number | null = null;
  /** Application data records decrypted, both directions. */
  records = 0;
  private clientRandom: Buffer | null = null;
  private readonly client = direction();
  private readonly server = direction();

  constructor(
    private readonly keys: TlsKeyLog,
    private readonly diagnostics: DiagnosticSink,
    private readonly peers: TlsPeers,
    private readonly onPlaintext: TlsPlaintextSink,
    /** A direction stopped being decrypted (bytes lost, a record that did not open): what it holds is flushed. */
    private readonly onStop: (fromClient: boolean) => void,
  ) {}

  record(r: TlsRecord): void {
    const state = this.state;
    if (state !== 'hello' && state !== 'decrypting') return;
    const d = r.fromClient ? this.client : this.server;
    if (d.stopped) return;
    if (r.resynced) {
      if (state === 'hello' && this.clientRandom === null) return this.noHandshake(r);
      if (d.protection !== null || state === 'decrypting') return this.stop(r, d, { reason: 'lost-bytes' });
    }
    const type = r.contentType;
    if (type === CHANGE_CIPHER_SPEC) {
      // TLS 1.2: this direction's next records use the new keys (RFC 5246 §7.1). TLS 1.3 sends
      // one for middlebox compatibility only (RFC 8446 §D.4).
      if (d.next !== null) {
        d.protection = d.next;
        d.next = null;
        d.seq = 0;
      }
      return;
    }
    if (d.protection === null) {
      if (type === HANDSHAKE) return this.clearHandshake(r, d);
      if (type === APPLICATION_DATA && this.state === 'hello') {
        // Application data before the hellos were seen: the capture began after the handshake.
        if (this.clientRandom === null || !r.fromClient) return this.noHandshake(r);
        // Early data (0-RTT, RFC 8446 §2.3) before the ServerHello: its keys are not followed.
        return this.unsupported(r, { kind: 'early-data' });
      }
      return;
    }
    if (this.version === TLS13 && type !== APPLICATION_DATA) return;
    const opened = d.protection.open(r.bytes.subarray(0, 5), r.bytes.subarray(5), d.seq);
    if (typeof opened === 'string') return this.stop(r, d, { reason: opened });
    d.seq++;
    d.opened++;
    if (opened.type === APPLICATION_DATA) {
      this.records++;
      if (opened.plaintext.length > 0) this.onPlaintext(r.fromClient, opened.plaintext, r);
    } else if (opened.type === HANDSHAKE && this.version === TLS13) {
      this.protectedHandshake(d, opened.plaintext);
    } else if (opened.type === HANDSHAKE && d.opened > 1 && this.version === TLS12) {
      // A handshake after Finished in TLS 1.2 is a renegotiation: its new keys are not followed.
      this.unsupported(r, { kind: 'renegotiation' });
    }
    // Alerts, Finished (TLS 1.2) and heartbeats carry no SIP.
  }

  /** A plaintext handshake record: the hellos are read from it. */
  private clearHandshake(r: TlsRecord, d: Direction): void {
    const ok = d.hellos.feed(r.bytes.subarray(5), true, (type, body) => {
      if (body === null) return;
      if (type === CLIENT_HELLO && r.fromClient) this.clientRandom = clientHelloRandom(body);
      else if (type === SERVER_HELLO && !r.fromClient) {
        const hello = readServerHello(body);
        if (hello !== null && !hello.retry) this.start(r, hello);
      }
    });
    if (!ok) this.unsupported(r, { kind: 'hello-too-long', max: MAX_HELLO });
  }

  /** The ServerHello is known: the session's secrets are looked up and its keys set. */
  private start(r: TlsRecord, hello: ServerHello): void {
    if (this.state !== 'hello') return;
    if (this.clientRandom === null) return this.noHandshake(r);
    if (hello.version !== TLS12 && hello.version !== TLS13) return this.unsupported(r, { kind: 'version', version: hello.version });
    const suite = CIPHER_SUITES.get(hello.suite);
    if (suite === undefined || suite.tls13 !== (hello.version === TLS13)) return this.unsupported(r, { kind: 'suite', suite: hello.suite });
    if (hello.compression !== 0) return this.unsupported(r, { kind: 'compression', method: hello.compression });
    this.version = hello.version;
    this.suite = suite;
    const secrets = this.keys.lookup(this.clientRandom);
    if (!this.hasKeys(secrets)) {
      this.state = 'no-keys';
      this.diagnostics.report(
        'tls.keys-missing',
        {
          frame: r.frame,
          client: this.peers.client,
          server: this.peers.server,
          clientRandom: this.clientRandom.toString('hex'),
          version: hello.version === TLS13 ? '1.3' : '1.2',
          rsaKeyExchange: isRsaKeyExchange(hello.suite),
          sessions: this.keys.size,
        },
        { frame: r.frame, offset: r.offset },
      );
      return;
    }
    this.state = 'decrypting';
    if (hello.version === TLS13) {
      this.client.protection = tls13Protection(suite, secrets!.clientHandshake!);
      this.server.protection = tls13Protection(suite, secrets!.serverHandshake!);
      this.client.traffic = secrets!.clientTraffic!;
      this.server.traffic = secrets!.serverTraffic!;
    } else {
      const keys = tls12Keys(suite, secrets!.master!, this.clientRandom, hello.random, hello.encryptThenMac);
      this.client.next = keys.client;
      this.server.next = keys.server;
    }
  }

  private hasKeys(secrets: TlsSecrets | null): boolean {
    if (secrets === null) return false;
    if (this.version === TLS12) return secrets.master !== undefined;
    return secrets.clientHandshake !== undefined && secrets.serverHandshake !== undefined && secrets.clientTraffic !== undefined && secrets.serverTraffic !== undefined;
  }

  /**
   * TLS 1.3 handshake messages under protection: after this direction's Finished its
   * application secret takes over, after a KeyUpdate the next generation (RFC 8446 §4.6.3,
   * §7.2). Both end their record (§5.1), so the new keys start with the next record.
   */
  private protectedHandshake(d: Direction, plaintext: Uint8Array): void {
    let change: 'finished' | 'update' | null = null;
    d.inner.feed(plaintext, false, (type) => {
      if (type === FINISHED && !d.application) change = 'finished';
      else if (type === KEY_UPDATE && d.application) change = 'update';
    });
    if (change === null) return;
    if (change === 'update') d.traffic = nextTrafficSecret(this.suite!.hash, d.traffic!);
    d.application = true;
    d.protection = tls13Protection(this.suite!, d.traffic!);
    d.seq = 0;
  }

  private noHandshake(r: TlsRecord): void {
    this.state = 'no-handshake';
    this.diagnostics.report('tls.no-handshake', { frame: r.frame, client: this.peers.client, server: this.peers.server }, { frame: r.frame, offset: r.offset });
  }

  private unsupported(r: TlsRecord, what: TlsUnsupported): void {
    this.state = 'unsupported';
    this.diagnostics.report('tls.unsupported', { frame: r.frame, client: this.peers.client, server: this.peers.server, what }, { frame: r.frame, offset: r.offset });
  }

  /** One direction can no longer be decrypted: a record did not open, or bytes before it were lost. */
  private stop(r: TlsRecord, d: Direction, why: { readonly reason: 'lost-bytes' | 'bad-tag' | 'bad-mac' | 'bad-padding' | 'too-short' }): void {
    d.stopped = true;
    this.diagnostics.report(
      'tls.decrypt-failed',
      { frame: r.frame, stream: this.peers.stream(r.fromClient), reason: why.reason, opened: d.opened, version: this.version === TLS13 ? '1.3' : '1.2' },
      { frame: r.frame, offset: r.offset },
    );
    this.onStop(r.fromClient);
  }
}
