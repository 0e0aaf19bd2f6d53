/**
 * ESP (IPsec, RFC 4303), on its own or in UDP on the NAT traversal port (RFC 3948): encrypted,
 * so the SIP or media it carries is not in the analysis. IMS phones protect SIP to their P-CSCF
 * this way (3GPP TS 33.203; VoWiFi through an ePDG too): a call there shows only what travels in
 * clear, and its requests seem to be missing. Said once per pair of hosts, with the first SPI.
 */
import { u32be } from '../capture/bytes.js';
import { type Layer, LayerId } from '../layer.js';
import type { Packet } from '../packet.js';
import { formatIp } from './ip.js';

function encrypted(p: Packet, start: number, end: number): void {
  const ip = p.ip;
  const frame = p.frame;
  const b = frame.data;
  const src = formatIp(b, ip.srcOffset, ip.version);
  const dst = formatIp(b, ip.dstOffset, ip.version);
  const spi = end - start >= 4 ? u32be(b, start) : null;
  p.diagnostics.count(
    'ipsec.encrypted',
    src < dst ? `${src} ${dst}` : `${dst} ${src}`,
    { frame: frame.number, src: { ip: src }, dst: { ip: dst }, spi },
    { frame: frame.number, offset: frame.fileOffset + start - frame.start },
  );
}

/** IP protocol 50. */
export const espLayer: Layer = (p) => {
  encrypted(p, p.ip.payloadStart, p.ip.payloadEnd);
  return LayerId.DONE;
};

/** RFC 3948 §2.2: on the NAT-T port, a non-zero first word is an ESP SPI; zero marks IKE, a lone 0xFF a keep-alive (neither is reported). */
export const natTraversalLayer: Layer = (p) => {
  const { payloadStart, payloadEnd } = p.udp;
  if (u32be(p.frame.data, payloadStart) !== 0) encrypted(p, payloadStart, payloadEnd);
  return LayerId.DONE;
};
