/**
 * The same packet captured twice is not a retransmission. A capture on two interfaces of one
 * host (`tcpdump -i any` on a router or bridge, dumpcap on several), a mirror port that copies
 * both directions, a HEP copy sent beside the original, or two traces of one hop merged, show
 * one transmission twice; only a new transmission by the sender is a retransmission (RFC 3261
 * §17.1.1.2, §17.2.1), and the earliest of those comes T1 (500 ms by default) after the first.
 *
 * A second capture: the same bytes of the SIP message, the same source and destination
 * (address, port, transport), at most `Copies.WINDOW_MS` apart, and, when both packets carry
 * one, the same IP identification. The sender numbers each IPv4 packet it sends (RFC 791 §3.1;
 * RFC 6864 §4 lets an atomic datagram keep one value, as Linux does with 0 on an unconnected
 * socket), so two identical datagrams with different identifications were sent twice, as a UAS
 * sends its 180 again for each INVITE copy still in its queue, a millisecond apart.
 */
import { Buffer } from 'node:buffer';
import type { CapturedMessage } from '../../types.js';
import type { CallMessage } from './types.js';

/**
 * Read for every message; a const enum, so that the bundler writes each into the code as a
 * number (docs/decisions.md "Offsets read per packet as const enums").
 */
const enum Copies {
  /**
   * Two captures of one packet this far apart at most: the copies of a mirror or a second
   * interface come microseconds apart, a HEP agent's a few milliseconds; a retransmission waits T1.
   */
  WINDOW_MS = 20,
  /** Messages of the call looked back at, latest first: the window holds a few at most. */
  LOOKBACK = 16,
}

/**
 * Index in `messages` of the message that `captured` (capture time `ms`) is a second capture of,
 * or -1. `times`: the capture time (ms) of each of `messages`, read instead of each message's
 * timestamp (a pointer chase per message looked back at). `latestMs`: the latest of them; a
 * message later than it by more than the window has no copy among them, and most messages of a
 * call are (nothing is read).
 */
export function duplicateOf(messages: readonly CallMessage[], times: readonly number[], captured: CapturedMessage, ms: number, latestMs: number): number {
  if (ms - latestMs > Copies.WINDOW_MS) return -1;
  const stop = Math.max(0, times.length - Copies.LOOKBACK);
  for (let i = times.length - 1; i >= stop; i--) {
    if (Math.abs(ms - times[i]!) <= Copies.WINDOW_MS && sameTransmission(messages[i]!.captured, captured)) return i;
  }
  return -1;
}

function sameTransmission(a: CapturedMessage, b: CapturedMessage): boolean {
  if (a.transport !== b.transport || a.src.port !== b.src.port || a.dst.port !== b.dst.port || a.src.ip !== b.src.ip || a.dst.ip !== b.dst.ip) return false;
  const idA = a.ipId ?? -1;
  const idB = b.ipId ?? -1;
  if (idA >= 0 && idB >= 0 && idA !== idB) return false;
  return sameBytes(a.message.raw, b.message.raw);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
