/**
 * Every decoding layer, by id (layer.ts): the registry the pipeline's loop reads, like gopacket's
 * LayerType -> decoder table. Which layer follows which is not here: each layer names its
 * successor, from the tables in dispatch.ts (IP protocols, UDP ports and heuristics), link.ts
 * (link types, EtherTypes) and stream-factory.ts (TCP stream protocols).
 */
import { type Layer, LAYER_COUNT, LayerId } from './layer.js';
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
  [LayerId.DONE, () => LayerId.DONE],
  [LayerId.LINK, linkLayer],
  [LayerId.TUNNEL, tunnelLayer],
  [LayerId.IP, ipLayer],
  [LayerId.FRAGMENT, fragmentLayer],
  [LayerId.UDP, udpLayer],
  [LayerId.TCP, tcpLayer],
  [LayerId.SCTP, sctpLayer],
  [LayerId.GRE, greLayer],
  [LayerId.ESP, espLayer],
  [LayerId.ICMP, icmpV4Layer],
  [LayerId.ICMPV6, icmpV6Layer],
  [LayerId.OTHER_IP, otherIpLayer],
  [LayerId.SIP_DATAGRAM, sipDatagramLayer],
  [LayerId.NAT_T, natTraversalLayer],
  [LayerId.HEP_DATAGRAM, hepDatagramLayer],
  [LayerId.VXLAN, vxlanLayer],
  [LayerId.GENEVE, geneveLayer],
  [LayerId.GTPU, gtpuLayer],
  [LayerId.ETHERIP, etherIpLayer],
  [LayerId.SIP_PORT, sipPortLayer],
  [LayerId.MEDIA, mediaLayer],
];

/** Layer id -> layer. */
export const LAYERS: readonly Layer[] = (() => {
  const table = new Array<Layer | undefined>(LAYER_COUNT).fill(undefined);
  for (const [id, layer] of REGISTERED) table[id] = layer;
  const missing = table.findIndex((l) => l === undefined);
  if (missing >= 0) throw new Error(`layers.ts: no layer registered for id ${missing}`);
  return table as Layer[];
})();
