/**
 * SIP over UDP (RFC 3261 §18.2): a datagram that starts with a start line is one message, on any
 * port; a datagram on a SIP port that does not is a keep-alive, a message behind junk bytes, or
 * worth a diagnostic.
 */
import { type Layer, LayerId } from '../layer.js';
import type { Packet } from '../packet.js';
import type { Span } from '../transport/stream.js';
import { findSipStart, isKeepAlive } from './detect.js';
import { messageBytes } from './message-bytes.js';

/** Where a datagram's message lies: one object, refilled for each (SipEmitter.emit reads it and keeps none of it). */
const span: { -readonly [K in keyof Span]: Span[K] } = { frame: 0, frames: [], sec: 0, nsec: 0, offset: 0 };

/** The message in the UDP payload from `start` (packet.udp gives the ports and the end). */
function emit(p: Packet, start: number): void {
  const frame = p.frame;
  const ip = p.ip;
  const { srcPort, dstPort, payloadEnd } = p.udp;
  span.frame = frame.number;
  span.frames = p.fragmentFrames ?? [frame.number];
  span.sec = frame.sec;
  span.nsec = frame.nsec;
  span.offset = frame.fileOffset + start - frame.start;
  p.sip.emit(
    // Copied: the frame buffer is reused for the next read.
    messageBytes(frame.data, start, payloadEnd),
    true,
    span,
    p.endpoint(ip.srcOffset, srcPort),
    p.endpoint(ip.dstOffset, dstPort),
    'UDP',
    ip.identification,
    // The IP length says more than the frame holds and the frame was captured short: the snap length cut it.
    ip.missing > 0 && frame.origLen > frame.end - frame.start ? ip.missing : 0,
  );
}

/** A datagram that starts with a SIP start line. */
export const sipDatagramLayer: Layer = (p) => {
  emit(p, p.udp.payloadStart);
  return LayerId.DONE;
};

/** A datagram on a SIP port without a start line at its first byte. */
export const sipPortLayer: Layer = (p) => {
  const frame = p.frame;
  const b = frame.data;
  const { payloadStart, payloadEnd } = p.udp;
  const diagnostics = p.diagnostics;
  const location = { frame: frame.number, offset: frame.fileOffset + payloadStart - frame.start };
  if (isKeepAlive(b, payloadStart, payloadEnd)) {
    diagnostics.count('sip.keepalive', 'udp', { on: 'udp', frame: frame.number }, location);
    return LayerId.DONE;
  }
  const start = findSipStart(b, payloadStart, payloadEnd);
  if (start > payloadStart) {
    diagnostics.report('sip.junk-before-message', { frame: frame.number, bytes: start - payloadStart }, location);
    emit(p, start);
    return LayerId.DONE;
  }
  diagnostics.count('sip.not-sip-on-sip-port', '', { frame: frame.number }, location);
  return LayerId.DONE;
};
