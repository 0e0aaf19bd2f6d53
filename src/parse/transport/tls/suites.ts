/**
 * The cipher suites siplens decrypts: the three of TLS 1.3 (RFC 8446 §B.4) and the TLS 1.2
 * suites SIP servers and SBCs negotiate: AES-GCM (RFC 5288, RFC 5289), ChaCha20-Poly1305
 * (RFC 7905) and AES-CBC with an HMAC (RFC 5246 §6.2.3.2, RFC 5289 for the SHA-384 ones).
 * Any other suite (CCM, ARIA, Camellia, 3DES, RC4, NULL) is reported, not decrypted.
 */

export type TlsCipher = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-cbc' | 'aes-256-cbc';
export type TlsHash = 'sha256' | 'sha384';

export interface CipherSuite {
  readonly id: number;
  /** The IANA name (as Wireshark and the RFCs write it). */
  readonly name: string;
  readonly tls13: boolean;
  readonly cipher: TlsCipher;
  readonly keyLength: number;
  /** The hash of the PRF (TLS 1.2) or of HKDF (TLS 1.3). */
  readonly hash: TlsHash;
  /** CBC suites: the record MAC and its length; null for AEAD. */
  readonly mac: 'sha1' | 'sha256' | 'sha384' | null;
  readonly macLength: number;
}

function suite(id: number, name: string, cipher: TlsCipher, hash: TlsHash, mac: CipherSuite['mac'] = null): CipherSuite {
  return {
    id,
    name,
    tls13: id >> 8 === 0x13,
    cipher,
    keyLength: cipher === 'aes-128-gcm' || cipher === 'aes-128-cbc' ? 16 : 32,
    hash,
    mac,
    macLength: mac === null ? 0 : mac === 'sha1' ? 20 : mac === 'sha256' ? 32 : 48,
  };
}

const ALL: readonly CipherSuite[] = [
  suite(0x1301, 'TLS_AES_128_GCM_SHA256', 'aes-128-gcm', 'sha256'),
  suite(0x1302, 'TLS_AES_256_GCM_SHA384', 'aes-256-gcm', 'sha384'),
  suite(0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'chacha20-poly1305', 'sha256'),
  suite(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'aes-128-gcm', 'sha256'),
  suite(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'aes-256-gcm', 'sha384'),
  suite(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'aes-128-gcm', 'sha256'),
  suite(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'aes-256-gcm', 'sha384'),
  suite(0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'aes-128-gcm', 'sha256'),
  suite(0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'aes-256-gcm', 'sha384'),
  suite(0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'aes-128-gcm', 'sha256'),
  suite(0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'aes-256-gcm', 'sha384'),
  suite(0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'chacha20-poly1305', 'sha256'),
  suite(0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'chacha20-poly1305', 'sha256'),
  suite(0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'chacha20-poly1305', 'sha256'),
  suite(0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'aes-128-cbc', 'sha256', 'sha1'),
  suite(0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'aes-256-cbc', 'sha256', 'sha1'),
  suite(0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'aes-128-cbc', 'sha256', 'sha1'),
  suite(0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'aes-256-cbc', 'sha256', 'sha1'),
  suite(0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'aes-128-cbc', 'sha256', 'sha256'),
  suite(0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'aes-256-cbc', 'sha384', 'sha384'),
  suite(0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'aes-128-cbc', 'sha256', 'sha256'),
  suite(0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'aes-256-cbc', 'sha384', 'sha384'),
  suite(0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'aes-128-cbc', 'sha256', 'sha1'),
  suite(0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 'aes-256-cbc', 'sha256', 'sha1'),
  suite(0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 'aes-128-cbc', 'sha256', 'sha256'),
  suite(0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 'aes-256-cbc', 'sha256', 'sha256'),
  suite(0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'aes-128-cbc', 'sha256', 'sha1'),
  suite(0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', 'aes-256-cbc', 'sha256', 'sha1'),
  suite(0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', 'aes-128-cbc', 'sha256', 'sha256'),
  suite(0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', 'aes-256-cbc', 'sha256', 'sha256'),
];

export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map(ALL.map((s) => [s.id, s]));

/**
 * RSA key exchange (TLS_RSA_WITH_*): the client encrypts the pre-master secret to the server's
 * certificate, so the server's private key could also decrypt the session; siplens needs the
 * key log either way, and says so.
 */
export function isRsaKeyExchange(id: number): boolean {
  return RSA_KEY_EXCHANGE.has(id);
}

/** TLS_RSA_WITH_* suites: NULL, RC4, 3DES, AES-CBC, AES-GCM, AES-CCM (RFC 5246 §A.5, RFC 5288, RFC 6655). */
const RSA_KEY_EXCHANGE: ReadonlySet<number> = new Set([0x0001, 0x0002, 0x0004, 0x0005, 0x000a, 0x002f, 0x0035, 0x003b, 0x003c, 0x003d, 0x009c, 0x009d, 0xc09c, 0xc09d, 0xc0a0, 0xc0a1]);
