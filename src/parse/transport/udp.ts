import { u16be } from '../capture/bytes.js';
import type { FrameView } from '../capture/frame.js';
import type { DiagnosticSink } from '../diagnostic-sink.js';
import type { IpResult } from '../net/ip.js';
import { udpSuccessor } from '../dispatch.js';
import { type Layer, LayerId } from '../layer.js';

export interface UdpResult {
  srcPort: number;
  dstPort: number;
  payloadStart: number;
  payloadEnd: number;
}

/** RFC 768 header; the checksum is not verified (offloading leaves it wrong in captures). */
export function decodeUdp(frame: FrameView, ip: IpResult, out: UdpResult, diagnostics: DiagnosticSink): boolean {
  const b = frame.data;
  const p = ip.payloadStart;
  const end = ip.payloadEnd;
  if (end - p < 8) {
    if (diagnostics.wants('udp.truncated')) diagnostics.report('udp.truncated', { frame: frame.number, left: Math.max(0, end - p) }, { frame: frame.number, offset: frame.fileOffset + p - frame.start });
    return false;
  }
  out.srcPort = u16be(b, p);
  out.dstPort = u16be(b, p + 2);
  const length = u16be(b, p + 4);
  out.payloadStart = p + 8;
  out.payloadEnd = end;
  if (length < 8) {
    // Length 0 is legal for IPv6 jumbograms only (RFC 2675); otherwise trust the IP length.
    if (diagnostics.wants('udp.bad-length')) diagnostics.report('udp.bad-length', { frame: frame.number, length, reason: 'below-8' }, { frame: frame.number, offset: frame.fileOffset + p + 4 - frame.start });
  } else if (p + length < end) {
    out.payloadEnd = p + length;
  } else if (p + length > end && !ip.truncated && diagnostics.wants('udp.bad-length')) {
    diagnostics.report('udp.bad-length', { frame: frame.number, length, reason: 'past-ip', available: end - p }, {
      frame: frame.number,
      offset: frame.fileOffset + p + 4 - frame.start,
    });
  }
  return true;
}

/** The UDP layer: the header, then the dissector the ports and the payload's first bytes pick (dispatch.ts UDP_DISSECTORS). */
export const udpLayer: Layer = (p) => {
  const udp = p.udp;
  if (!decodeUdp(p.frame, p.ip, udp, p.diagnostics) || udp.payloadStart >= udp.payloadEnd) return LayerId.DONE;
  // Nobody takes it: media, for the media sink (no work at all without one).
  return udpSuccessor(p.frame.data, udp.payloadStart, udp.payloadEnd, udp.srcPort, udp.dstPort, p.onMedia === null ? LayerId.DONE : LayerId.MEDIA);
};
