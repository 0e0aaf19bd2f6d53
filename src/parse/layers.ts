/**
 * Every decoding layer, by id (layer.ts): the registry the pipeline's loop reads, like gopacket's
 * LayerType -> decoder table. Which layer follows which is not here: each layer names its
 * successor, from the tables in dispatch.ts (IP protocols, UDP ports and heuristics), link.ts
 * (link types, EtherTypes) and stream-factory.ts (TCP stream protocols).
 */
import { DONE, ESP, ETHERIP, FRAGMENT, GENEVE, GRE, GTPU, HEP_DATAGRAM, ICMP, ICMPV6, IP, LAYER_COUNT, LINK, MEDIA, NAT_T, OTHER_IP, SCTP, SIP_DATAGRAM, SIP_PORT, TCP, TUNNEL, UDP, VXLAN, type Layer, type LayerId } from './layer.js';
import { linkLayer } from './link/link.js';
import { fragmentLayer } from './net/defrag.js';
import { espLayer, natTraversalLayer } from './net/esp.js';
import { icmpV4Layer, icmpV6Layer } from './net/icmp.js';
import { ipLayer, otherIpLayer } from './net/ip.js';
import { etherIpLayer, geneveLayer, greLayer, gtpuLayer, tunnelLayer, vxlanLayer } from './net/tunnels.js';
import { sipDatagramLayer, sipPortLayer } from './sip/datagram.js';
import { hepDatagramLayer } from './transport/hep.js';
import { mediaLayer } from './transport/media.js';
import { sctpLayer } from './transport/sctp.js';
import { tcpLayer } from './transport/stream-factory.js';
import { udpLayer } from './transport/udp.js';

const REGISTERED: readonly (readonly [LayerId, Layer])[] = [
  [DONE, () => DONE],
  [LINK, linkLayer],
  [TUNNEL, tunnelLayer],
  [IP, ipLayer],
  [FRAGMENT, fragmentLayer],
  [UDP, udpLayer],
  [TCP, tcpLayer],
  [SCTP, sctpLayer],
  [GRE, greLayer],
  [ESP, espLayer],
  [ICMP, icmpV4Layer],
  [ICMPV6, icmpV6Layer],
  [OTHER_IP, otherIpLayer],
  [SIP_DATAGRAM, sipDatagramLayer],
  [NAT_T, natTraversalLayer],
  [HEP_DATAGRAM, hepDatagramLayer],
  [VXLAN, vxlanLayer],
  [GENEVE, geneveLayer],
  [GTPU, gtpuLayer],
  [ETHERIP, etherIpLayer],
  [SIP_PORT, sipPortLayer],
  [MEDIA, mediaLayer],
];

/** Layer id -> layer. */
export const LAYERS: readonly Layer[] = (() => {
  const table = new Array<Layer | undefined>(LAYER_COUNT).fill(undefined);
  for (const [id, layer] of REGISTERED) table[id] = layer;
  const missing = table.findIndex((l) => l === undefined);
  if (missing >= 0) throw new Error(`layers.ts: no layer registered for id ${missing}`);
  return table as Layer[];
})();
