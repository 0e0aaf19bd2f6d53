/**
 * TLS handshake messages (RFC 8446 §4, RFC 5246 §7.4) as the decrypter needs them: messages
 * framed across records, the hellos read for their randoms, suite, version and extensions,
 * the rest only named by type (Finished and KeyUpdate change keys).
 */
import { u16be } from '../../capture/bytes.js';

export const CLIENT_HELLO = 1;
export const SERVER_HELLO = 2;
export const FINISHED = 20;
export const KEY_UPDATE = 24;

/** The longest hello kept to be read (a ClientHello with post-quantum key shares is a few KiB). */
export const MAX_HELLO = 65536;

/** Frames handshake messages out of the records of one direction; keeps only the bytes of a hello being read. */
export class HandshakeReader {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of a message not kept (not a hello) still to come. */
  private skip = 0;

  /**
   * Reads `data`, naming each message as its header arrives (`body` null) or, for a hello, once
   * whole. Returns false when a hello is longer than MAX_HELLO (the reader is then of no use).
   */
  feed(data: Uint8Array, keepHellos: boolean, onMessage: (type: number, body: Uint8Array | null) => void): boolean {
    let bytes: Uint8Array = data;
    if (this.skip > 0) {
      const n = Math.min(this.skip, bytes.length);
      this.skip -= n;
      bytes = bytes.subarray(n);
    }
    let buf: Uint8Array = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    for (;;) {
      if (buf.length < 4) break;
      const type = buf[0]!;
      const length = (buf[1]! << 16) | u16be(buf, 2);
      const hello = keepHellos && (type === CLIENT_HELLO || type === SERVER_HELLO);
      if (hello) {
        if (length > MAX_HELLO) return false;
        if (buf.length < 4 + length) break;
        onMessage(type, buf.subarray(4, 4 + length));
        buf = buf.subarray(4 + length);
        continue;
      }
      onMessage(type, null);
      if (buf.length >= 4 + length) {
        buf = buf.subarray(4 + length);
        continue;
      }
      this.skip = 4 + length - buf.length;
      buf = buf.subarray(buf.length);
    }
    // Owned: the record's bytes are a view valid during the call only.
    this.pending = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
    return true;
  }
}

/** What a ServerHello says (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3). */
export interface ServerHello {
  readonly random: Buffer;
  readonly suite: number;
  readonly compression: number;
  /** The version chosen: supported_versions (RFC 8446 §4.2.1) when present, else legacy_version. */
  readonly version: number;
  readonly encryptThenMac: boolean;
  /** A HelloRetryRequest: a ServerHello whose random is SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
  readonly retry: boolean;
}

const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const EXT_ENCRYPT_THEN_MAC = 22;
const EXT_SUPPORTED_VERSIONS = 43;

/** The client random of a ClientHello body, or null when too short. */
export function clientHelloRandom(body: Uint8Array): Buffer | null {
  return body.length < 34 ? null : Buffer.from(body.subarray(2, 34));
}

/** A ServerHello body read, or null when it is cut short. */
export function readServerHello(body: Uint8Array): ServerHello | null {
  if (body.length < 38) return null;
  const random = Buffer.from(body.subarray(2, 34));
  let p = 34;
  p += 1 + body[p]!; // legacy_session_id_echo
  if (p + 3 > body.length) return null;
  const suite = u16be(body, p);
  const compression = body[p + 2]!;
  p += 3;
  let version = u16be(body, 0);
  let encryptThenMac = false;
  if (p + 2 <= body.length) {
    const end = Math.min(body.length, p + 2 + u16be(body, p));
    p += 2;
    while (p + 4 <= end) {
      const type = u16be(body, p);
      const length = u16be(body, p + 2);
      if (type === EXT_SUPPORTED_VERSIONS && length === 2 && p + 6 <= end) version = u16be(body, p + 4);
      else if (type === EXT_ENCRYPT_THEN_MAC) encryptThenMac = true;
      p += 4 + length;
    }
  }
  return { random, suite, compression, version, encryptThenMac, retry: random.equals(HELLO_RETRY_RANDOM) };
}
