/**
 * Record keys and record decryption, from node:crypto only. TLS 1.3 keys come from a traffic
 * secret by HKDF-Expand-Label (RFC 8446 §7.1, §7.3); TLS 1.2 keys from the master secret by the
 * PRF (RFC 5246 §5, §6.3). Records are opened with an AEAD (RFC 8446 §5.2, RFC 5246 §6.2.3.3,
 * RFC 7905) or with AES-CBC and an HMAC, MAC-then-encrypt (RFC 5246 §6.2.3.2) or
 * encrypt-then-MAC (RFC 7366).
 */
import type { CipherSuite, TlsHash } from './suites.js';
import { crypto } from '../../lazy-builtins.js';

const HASH_LENGTH: Readonly<Record<TlsHash, number>> = { sha256: 32, sha384: 48 };

/**
 * HKDF-Expand (RFC 5869 §2.3) on HMAC. Node's hkdfSync always runs HKDF-Extract first, and the
 * TLS 1.3 secrets in a key log are already pseudorandom keys, so Expand is built here.
 */
function hkdfExpand(hash: TlsHash, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous: Buffer = Buffer.alloc(0);
  let have = 0;
  for (let i = 1; have < length; i++) {
    previous = crypto().createHmac(hash, prk).update(previous).update(info).update(Buffer.of(i)).digest();
    blocks.push(previous);
    have += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix (RFC 8446 §7.1). */
export function hkdfExpandLabel(hash: TlsHash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.alloc(2 + 1 + fullLabel.length + 1 + context.length);
  info.writeUInt16BE(length, 0);
  info[2] = fullLabel.length;
  fullLabel.copy(info, 3);
  info[3 + fullLabel.length] = context.length;
  info.set(context, 4 + fullLabel.length);
  return hkdfExpand(hash, secret, info, length);
}

/** The next generation of a TLS 1.3 application traffic secret, after a KeyUpdate (RFC 8446 §7.2). */
export function nextTrafficSecret(hash: TlsHash, secret: Uint8Array): Buffer {
  return hkdfExpandLabel(hash, secret, 'traffic upd', Buffer.alloc(0), HASH_LENGTH[hash]);
}

/** The TLS 1.2 PRF: P_hash(secret, label + seed) (RFC 5246 §5). */
export function prf12(hash: TlsHash, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  const labelSeed = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  const out: Buffer[] = [];
  let a: Buffer = labelSeed;
  let have = 0;
  while (have < length) {
    a = crypto().createHmac(hash, secret).update(a).digest();
    const block = crypto().createHmac(hash, secret).update(a).update(labelSeed).digest();
    out.push(block);
    have += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** Why a record did not open. */
export type OpenFailure = 'bad-tag' | 'bad-mac' | 'bad-padding' | 'too-short';

/** A record opened: its content type (the inner one in TLS 1.3) and its plaintext. */
export interface Opened {
  readonly type: number;
  readonly plaintext: Buffer;
}

/** One direction's keys in one epoch: opens the records of that direction in order. */
export interface RecordProtection {
  /** Opens `fragment` (the record without its 5-byte header `header`), the record numbered `seq` in this epoch. */
  open(header: Uint8Array, fragment: Uint8Array, seq: number): Opened | OpenFailure;
}

const TAG = 16;

/** The 8-byte sequence number, big-endian (RFC 5246 §6.1, RFC 8446 §5.3). */
function seqBytes(seq: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(Math.floor(seq / 0x100000000), 0);
  b.writeUInt32BE(seq >>> 0, 4);
  return b;
}

/** The per-record nonce: the IV XORed with the sequence number left-padded to its length (RFC 8446 §5.3, RFC 7905 §2). */
function xorNonce(iv: Buffer, seq: number): Buffer {
  const nonce = Buffer.from(iv);
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i]! ^= s[i]!;
  return nonce;
}

function aeadOpen(cipher: CipherSuite['cipher'], key: Buffer, nonce: Buffer, aad: Buffer, sealed: Uint8Array): Buffer | null {
  if (sealed.length < TAG) return null;
  const ciphertext = sealed.subarray(0, sealed.length - TAG);
  const decipher = crypto().createDecipheriv(cipher as 'aes-128-gcm', key, nonce, { authTagLength: TAG });
  decipher.setAAD(aad, { plaintextLength: ciphertext.length });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  const plaintext = decipher.update(ciphertext);
  try {
    decipher.final();
  } catch {
    // diagnostic: tls.decrypt-failed (the session reports it with the record's frame)
    return null;
  }
  return plaintext;
}

/** TLS 1.3 record protection from a traffic secret (RFC 8446 §5.2, §7.3). */
export function tls13Protection(suite: CipherSuite, secret: Uint8Array): RecordProtection {
  const key = hkdfExpandLabel(suite.hash, secret, 'key', Buffer.alloc(0), suite.keyLength);
  const iv = hkdfExpandLabel(suite.hash, secret, 'iv', Buffer.alloc(0), 12);
  return {
    open(header, fragment, seq) {
      if (fragment.length < TAG + 1) return 'too-short';
      // The additional data is the record header as sent (RFC 8446 §5.2).
      const plaintext = aeadOpen(suite.cipher, key, xorNonce(iv, seq), Buffer.from(header), fragment);
      if (plaintext === null) return 'bad-tag';
      // TLSInnerPlaintext: content, the real content type, then zero padding (§5.2).
      let end = plaintext.length;
      while (end > 0 && plaintext[end - 1] === 0) end--;
      if (end === 0) return 'bad-padding';
      return { type: plaintext[end - 1]!, plaintext: plaintext.subarray(0, end - 1) };
    },
  };
}

/** The keys of both directions of a TLS 1.2 session. */
export interface Tls12Keys {
  readonly client: RecordProtection;
  readonly server: RecordProtection;
}

/** The TLS 1.2 additional data / MAC input: seq_num, type, version, length (RFC 5246 §6.2.3.1, §6.2.3.3). */
function pseudoHeader(seq: number, header: Uint8Array, length: number): Buffer {
  const b = Buffer.alloc(13);
  seqBytes(seq).copy(b, 0);
  b[8] = header[0]!;
  b[9] = header[1]!;
  b[10] = header[2]!;
  b.writeUInt16BE(length, 11);
  return b;
}

/**
 * TLS 1.2 keys: the key block PRF(master_secret, "key expansion", server_random + client_random),
 * cut into MAC keys, encryption keys and IVs, client's first (RFC 5246 §6.3).
 * `encryptThenMac`: the encrypt_then_mac extension was negotiated (RFC 7366 §3).
 */
export function tls12Keys(suite: CipherSuite, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, encryptThenMac: boolean): Tls12Keys {
  const fixedIv = suite.mac !== null ? 0 : suite.cipher === 'chacha20-poly1305' ? 12 : 4;
  const total = 2 * (suite.macLength + suite.keyLength + fixedIv);
  const block = prf12(suite.hash, master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), total);
  let p = 0;
  const take = (n: number): Buffer => block.subarray(p, (p += n));
  const clientMac = take(suite.macLength);
  const serverMac = take(suite.macLength);
  const clientKey = take(suite.keyLength);
  const serverKey = take(suite.keyLength);
  const clientIv = take(fixedIv);
  const serverIv = take(fixedIv);
  const make = (key: Buffer, iv: Buffer, macKey: Buffer): RecordProtection =>
    suite.mac !== null ? cbcProtection(suite, key, macKey, encryptThenMac) : suite.cipher === 'chacha20-poly1305' ? chachaProtection(key, iv) : gcmProtection(suite, key, iv);
  return { client: make(clientKey, clientIv, clientMac), server: make(serverKey, serverIv, serverMac) };
}

/** AES-GCM in TLS 1.2: nonce = 4-byte implicit salt + 8-byte explicit nonce carried in the record (RFC 5288 §3). */
function gcmProtection(suite: CipherSuite, key: Buffer, salt: Buffer): RecordProtection {
  return {
    open(header, fragment, seq) {
      if (fragment.length < 8 + TAG) return 'too-short';
      const nonce = Buffer.concat([salt, fragment.subarray(0, 8)]);
      const sealed = fragment.subarray(8);
      const plaintext = aeadOpen(suite.cipher, key, nonce, pseudoHeader(seq, header, sealed.length - TAG), sealed);
      return plaintext === null ? 'bad-tag' : { type: header[0]!, plaintext };
    },
  };
}

/** ChaCha20-Poly1305 in TLS 1.2: nonce = IV XOR sequence number, no explicit nonce (RFC 7905 §2). */
function chachaProtection(key: Buffer, iv: Buffer): RecordProtection {
  return {
    open(header, fragment, seq) {
      if (fragment.length < TAG) return 'too-short';
      const plaintext = aeadOpen('chacha20-poly1305', key, xorNonce(iv, seq), pseudoHeader(seq, header, fragment.length - TAG), fragment);
      return plaintext === null ? 'bad-tag' : { type: header[0]!, plaintext };
    },
  };
}

const BLOCK = 16;

function macOf(suite: CipherSuite, macKey: Buffer, pseudo: Buffer, data: Uint8Array): Buffer {
  return crypto().createHmac(suite.mac!, macKey).update(pseudo).update(data).digest();
}

/**
 * AES-CBC with an HMAC: each record starts with its own IV (TLS 1.1+, RFC 5246 §6.2.3.2); the
 * padding is 1 to 256 bytes each holding the padding length. MAC-then-encrypt puts the MAC
 * inside the encryption; encrypt-then-MAC (RFC 7366 §3) puts it after the ciphertext, over the
 * IV and ciphertext.
 */
function cbcProtection(suite: CipherSuite, key: Buffer, macKey: Buffer, encryptThenMac: boolean): RecordProtection {
  const macLength = suite.macLength;
  const decrypt = (iv: Uint8Array, ciphertext: Uint8Array): Buffer => {
    const decipher = crypto().createDecipheriv(suite.cipher, key, iv);
    decipher.setAutoPadding(false);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  };
  /** The data of a padded block: null when the padding bytes disagree. */
  const unpad = (padded: Buffer, reserve: number): Buffer | null => {
    const padding = padded[padded.length - 1]!;
    if (padding + 1 + reserve > padded.length) return null;
    for (let i = padded.length - 1 - padding; i < padded.length - 1; i++) if (padded[i] !== padding) return null;
    return padded.subarray(0, padded.length - 1 - padding);
  };
  return {
    open(header, fragment, seq) {
      if (encryptThenMac) {
        const sealedLength = fragment.length - macLength;
        if (sealedLength < 2 * BLOCK || sealedLength % BLOCK !== 0) return 'too-short';
        const sealed = fragment.subarray(0, sealedLength);
        const expected = macOf(suite, macKey, pseudoHeader(seq, header, sealedLength), sealed);
        if (!crypto().timingSafeEqual(expected, fragment.subarray(sealedLength))) return 'bad-mac';
        const data = unpad(decrypt(sealed.subarray(0, BLOCK), sealed.subarray(BLOCK)), 0);
        return data === null ? 'bad-padding' : { type: header[0]!, plaintext: data };
      }
      if (fragment.length < 2 * BLOCK || fragment.length % BLOCK !== 0) return 'too-short';
      const padded = decrypt(fragment.subarray(0, BLOCK), fragment.subarray(BLOCK));
      const withMac = unpad(padded, macLength);
      if (withMac === null) return 'bad-padding';
      const data = withMac.subarray(0, withMac.length - macLength);
      const expected = macOf(suite, macKey, pseudoHeader(seq, header, data.length), data);
      if (!crypto().timingSafeEqual(expected, withMac.subarray(data.length))) return 'bad-mac';
      return { type: header[0]!, plaintext: data };
    },
  };
}
