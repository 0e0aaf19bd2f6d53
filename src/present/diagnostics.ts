/**
 * The sentences of the diagnostics, in every language: one template per code, a function of the
 * values the diagnostic carries (src/diagnostics.ts `DiagnosticValues`). The parser and the
 * analysis report codes and values only; this is the one place their words are made, when a
 * report is shown. The English templates write exactly what siplens has always written, so
 * machine readers of the English text (and the golden files) see no change.
 */
import { join } from 'node:path';
import type { Lang } from '../annotate/i18n.js';
import type {
  Datagram,
  DiagnosticCode,
  DiagnosticValues,
  FragmentDrop,
  HostName,
  HepProblem,
  InflateFailure,
  InputRef,
  MessageAt,
  OtherFormat,
  ReadFailure,
  ReadStopped,
  SdpProblem,
  StreamRef,
  TcpEnd,
  TcpGapReason,
  TcpLimit,
  TlsUnsupported,
  UnsupportedLinkPayload,
  WebSocketProblem,
} from '../diagnostics.js';
import type { Diagnostic } from '../types.js';
import { formatEndpoint } from './values.js';
import { defineWords } from './words.js';

/** A template for every code: TypeScript refuses a catalog that misses one or takes the wrong values. */
export type DiagnosticTemplates = { readonly [C in DiagnosticCode]: (v: DiagnosticValues[C]) => string };

const hex = (n: number, width = 0): string => `0x${n.toString(16).padStart(width, '0')}`;
const list = (items: readonly string[], more: boolean): string => items.join(', ') + (more ? ', ...' : '');
const hostOf = (h: HostName): string => h.host;


// English ------------------------------------------------------------------------------------

const inputName = (i: InputRef): string => (i.path === '-' ? 'standard input (-)' : i.path);
const fileName = (f: InputRef | null): string => (f === null ? 'the file' : inputName(f));
const place = (at: MessageAt): string => ('frame' in at ? `frame ${at.frame}` : `line ${at.line}`);
const streamName = (s: StreamRef): string => `${s.protocol === 'HEP' ? 'HEP over TCP' : s.protocol} ${formatEndpoint(s.src)} → ${formatEndpoint(s.dst)}`;
const datagram = (d: Datagram): string => `IPv${d.version} datagram ${d.src.ip} → ${d.dst.ip} id ${hex(d.id)}`;

const OTHER_FORMAT_NAMES: Readonly<Record<OtherFormat, string>> = {
  netmon2: 'a Microsoft Network Monitor 2.x capture',
  netmon1: 'a Microsoft Network Monitor 1.x capture',
  snoop: 'a Solaris snoop capture',
  netxray: 'a NetXRay / Windows Sniffer capture',
  sniffer: 'a Sniffer (DOS) capture',
  iptrace: 'an AIX iptrace capture',
  bzip2: 'bzip2-compressed',
  xz: 'xz-compressed',
  zstd: 'zstd-compressed',
  zip: 'a zip archive',
};

/** Compressions and archives: decompressed first; the rest are capture formats editcap converts. */
const isCompression = (f: OtherFormat): boolean => f === 'bzip2' || f === 'xz' || f === 'zstd' || f === 'zip';

function readFailure(v: ReadFailure | ReadStopped): string {
  const name = inputName(v.input);
  switch (v.reason) {
    case 'permission':
      return `${name} cannot be read: permission denied; give your user read access to it (chmod +r, or run siplens as a user who can read it)`;
    case 'directory':
      return `${name} is a directory; give the capture or log files in it instead`;
    case 'vanished':
      return `${name} does not exist (it was removed while siplens started); check the path`;
    case 'gzip':
      return `${name} begins like gzip data but does not decompress (${v.detail.text}): it is corrupt or was cut short; check it with gzip -t and copy it again`;
    case 'system':
      return `${name} cannot be read (${v.detail.text}); check that it is a regular file on a working disk or mount`;
    case 'bug':
      return `siplens failed while reading ${name} (${v.detail.text}); this is a bug in siplens: please report it with the file`;
    case 'gzip-partway':
      return `${name}: the gzip data is corrupt or cut short after ${v.bytesRead} decompressed bytes (${v.detail.text}); what came before is analysed — check the file with gzip -t and copy it again for the rest`;
    case 'system-partway':
      return `${name}: reading failed after ${v.bytesRead} bytes (${v.detail.text}); what came before is analysed — copy the file again or check the disk for the rest`;
    case 'bug-partway':
      return `${name}: siplens failed after ${v.bytesRead} bytes (${v.detail.text}); what came before is analysed — this is a bug in siplens: please report it with the file`;
  }
}

function inflateFailure(f: InflateFailure): string {
  return f.reason === 'too-large' ? `it inflates to more than the ${f.kib} KiB kept` : `zlib: ${f.detail.text}`;
}

function tcpLimit(l: TcpLimit): string {
  return l.reason === 'connections'
    ? `more than ${l.max} connections are followed at once (the limit); the least recently active one is dropped`
    : `the ${l.bytes} bytes siplens holds for all TCP streams were exceeded (the limit)`;
}

function tcpEnd(e: TcpEnd): string {
  switch (e.reason) {
    case 'reset':
      return `reset (RST in frame ${e.frame})`;
    case 'idle':
      return `no packet for ${e.seconds} s of capture time`;
    case 'capture-ended':
      return 'end of capture';
    case 'ports-reused':
      return 'a new connection reused its ports';
    default:
      return tcpLimit(e);
  }
}

function tcpGap(g: TcpGapReason): string {
  switch (g.reason) {
    case 'acknowledged':
      return `the receiver acknowledged them (frame ${g.frame})`;
    case 'no-retransmission':
      return `no retransmission within ${g.seconds} s of capture time`;
    case 'far-ahead':
      return 'the next captured segment is far ahead';
    case 'snaplen':
      return 'the end of the segment was not captured (snaplen)';
    case 'held-limit':
      return `more than ${g.bytes} bytes or ${g.segments} segments were held out of order (the limit)`;
    case 'ended':
      return `the connection ended: ${tcpEnd(g.end)}`;
  }
}

function webSocketProblem(p: WebSocketProblem): string {
  switch (p.reason) {
    case 'reserved-bits':
      return `a frame sets reserved bits (${hex(p.bits)})`;
    case 'reserved-opcode':
      return `a frame has the reserved opcode ${p.opcode}`;
    case 'control-frame':
      return 'a control frame is longer than 125 bytes or fragmented';
    case 'too-long':
      return `a message is longer than the ${p.max} bytes siplens keeps`;
    case 'orphan-continuation':
      return 'a continuation frame has no message to continue';
    case 'no-handshake-end':
      return `no end of the HTTP upgrade within ${p.max} bytes`;
  }
}

function hepProblem(p: HepProblem): string {
  switch (p.reason) {
    case 'not-hep':
      return 'not a HEP packet';
    case 'no-payload':
      return 'it has no payload chunk';
    case 'junk':
      return 'bytes that are not HEP3 were skipped';
    case 'length-below-header':
      return `the HEP3 length ${p.length} is below its own header`;
    case 'length-past-end':
      return `the HEP3 packet says ${p.length} bytes but ${p.available} are there`;
    case 'chunk-header-cut':
      return `a chunk header at byte ${p.at} is cut short`;
    case 'chunk-past-end':
      return `chunk ${hex(p.chunk, 4)} at byte ${p.at} has length ${p.length}, past the packet`;
    case 'inflate':
      return `its compressed payload (chunk 0x0010) does not inflate: ${inflateFailure(p.failure)}`;
    case 'stream-ended':
      return `the stream ended inside a HEP packet (${p.bytes} bytes)`;
  }
}

function tlsUnsupported(w: TlsUnsupported): string {
  switch (w.kind) {
    case 'suite':
      return `its cipher suite ${hex(w.suite, 4)} is not one siplens decrypts (TLS 1.3 suites, and TLS 1.2 AES-GCM, ChaCha20-Poly1305 and AES-CBC with SHA-1/SHA-256/SHA-384)`;
    case 'version':
      return `its version ${hex(w.version, 4)} is older than TLS 1.2`;
    case 'compression':
      return `it uses TLS compression (method ${w.method})`;
    case 'early-data':
      return 'the client sent 0-RTT early data, whose keys siplens does not follow';
    case 'renegotiation':
      return 'it renegotiated (a TLS 1.2 handshake after the first), whose new keys siplens does not follow';
    case 'hello-too-long':
      return `a hello message is longer than ${w.max} bytes`;
  }
}

function sdpProblem(p: SdpProblem): string {
  switch (p.reason) {
    case 'no-boundary':
      return 'its multipart Content-Type has no boundary parameter, so its SDP part cannot be found';
    case 'no-boundary-line':
      return `no line of the multipart body starts with its boundary (--${p.boundary.text})`;
    case 'not-sdp':
      return 'the body declared as application/sdp cannot be read as SDP: it does not begin with a v= line';
  }
}

function fragmentDrop(v: FragmentDrop): string {
  const why = v.why;
  let reason: string;
  switch (why.reason) {
    case 'table-full':
      reason = `the table of datagrams waiting for fragments is full (limit ${why.max})`;
      break;
    case 'too-many-fragments':
      reason = `it has more than ${why.max} fragments (the limit) (frame ${why.frame})`;
      break;
    case 'bytes-held':
      reason = `the limit of ${why.max} fragment bytes held at once was reached`;
      break;
    case 'timeout':
      reason = `its missing fragments did not arrive within ${why.seconds} s of capture time`;
      break;
    case 'capture-ended':
      reason = 'the capture ended before its missing fragments';
      break;
  }
  const frames = v.frames.length === 1 ? `frame ${v.frames[0]}` : `frames ${v.frames.join(', ')}`;
  const missing = [...v.gaps.map((g) => `bytes ${g.from}-${g.to}`), ...(v.missingFrom === null ? [] : [`everything from byte ${v.missingFrom} including the last fragment`])].join(', ');
  const cut = v.cut > 0 ? `; ${v.cut} fragment(s) were cut by the snaplen` : '';
  return `${datagram(v.datagram)} was not reassembled: ${reason}. Received ${v.received} bytes in ${frames}; missing ${missing}${cut}. A SIP message inside it is lost`;
}

function linkPayload(p: UnsupportedLinkPayload): string {
  switch (p.kind) {
    case 'ethertype':
      return p.name === null ? `EtherType ${hex(p.etherType, 4)}` : `${p.name} (EtherType ${hex(p.etherType, 4)})`;
    case 'llc':
      return 'IEEE 802.3/LLC (STP, CDP, ...)';
    case 'ppp':
      return `PPP protocol ${hex(p.protocol, 4)}`;
    case 'mpls-pseudowire':
      return 'MPLS pseudowire (non-IP payload)';
    case 'raw-ip':
      return `raw IP version ${p.version}`;
  }
}

const tunnelPackets = (v: DiagnosticValues['tunnel.unsupported']): string => {
  switch (v.kind) {
    case 'gre-version':
      return `GRE version ${v.version} packets`;
    case 'erspan-version':
      return `ERSPAN packets with header version ${v.version} in GRE ${hex(v.protocol, 4)}`;
    case 'erspan-frame-type':
      return `ERSPAN type III packets of frame type ${v.frameType}`;
    case 'gre-protocol':
      return `GRE packets carrying protocol ${hex(v.protocol, 4)}`;
    case 'ppp-protocol':
      return `PPP frames of protocol ${hex(v.protocol, 4)} in GRE (LCP, CCP, compressed data, ...)`;
    case 'vxlan-no-vni':
      return 'VXLAN packets without the I flag (no VNI)';
    case 'geneve-version':
      return `Geneve version ${v.version} packets`;
    case 'geneve-protocol':
      return `Geneve packets carrying protocol ${hex(v.protocol, 4)}`;
    case 'etherip-version':
      return `EtherIP packets of version ${v.version}`;
    case 'gtpu-version':
      return v.pt === 0 ? "GTP' (charging) packets on the GTP-U port" : `GTP version ${v.version} packets on the GTP-U port`;
    case 'gtpu-message':
      return `GTP-U messages of type ${v.messageType} (signalling such as echo or end marker, no user packet inside)`;
    case 'gtpu-pdu':
      return `GTP-U user packets that are not IP (first byte ${hex(v.firstByte, 2)}: a non-IP or Ethernet PDU session)`;
  }
};

const en: DiagnosticTemplates = {
  'input.not-found': (v) => `${v.input.path} does not exist; check the path and the file name`,
  'input.is-directory': (v) => `${v.input.path} is a directory; give the capture or log files in it instead (e.g. ${join(v.input.path, '*.pcap')})`,
  'input.unreadable': readFailure,
  'input.empty': (v) =>
    v.reason === 'empty-file'
      ? `${v.input.path} is empty (0 bytes): nothing was written to it; if a capture is still running, stop it first (tcpdump writes as it goes only with -U)`
      : v.reason === 'stdin-closed'
        ? `${inputName(v.input)} ended before any byte arrived; pipe a capture or a log into it (e.g. tcpdump -U -w - port 5060 | siplens -)`
        : `${v.input.path} holds no bytes once decompressed; nothing to analyse — check that the right file was compressed`,
  'input.unknown-format': (v) =>
    v.format === null
      ? `${inputName(v.input)} is neither a pcap/pcapng capture nor a SIP text log (first bytes 0x${v.magic}); convert other capture formats with editcap -F pcapng (Wireshark), or give the log as plain text`
      : `${inputName(v.input)} is ${OTHER_FORMAT_NAMES[v.format]}, which siplens does not read (first bytes 0x${v.magic}); ${
          isCompression(v.format) ? 'decompress it first (siplens reads gzip itself), or pipe it in: e.g. xz -dc FILE | siplens -' : 'convert it with editcap -F pcapng (Wireshark) and give siplens the result'
        }`,
  'input.interrupted': (v) => `${inputName(v.input)}: reading stopped after ${v.bytes} bytes when interrupted (Ctrl-C); what was read before is analysed`,
  'input.gzip-error': readFailure,
  'input.duplicate': (v) => `${inputName(v.input)} is the same file as ${inputName(v.first)}, given twice; it was read once, as ${inputName(v.first)}`,
  'input.ended-mid-call': (v) =>
    `${inputName(v.input)}: the capture ended during ${v.calls} ${v.calls === 1 ? 'call' : 'calls'} (in setup, or answered and not hung up); ${v.calls === 1 ? 'it shows its state' : 'they show their state'} at the end of the capture`,
  'input.cut-mid-call': (v) =>
    `${inputName(v.input)} was cut short (${v.cut === 'partial-record' ? 'it ends inside a packet record, as when the capture process is killed' : 'reading failed part-way'}): the capture ended during ${v.calls} ${v.calls === 1 ? 'call' : 'calls'}, whose end is not in it${
      v.unresolved === 0 ? '' : `; ${v.unresolved} answered and not hung up ${v.unresolved === 1 ? 'is' : 'are'} unresolved, not answered`
    }`,
  'input.capture-drops': (v) =>
    `${v.process} on ${inputName(v.input)} dropped ${v.dropped} ${v.dropped === 1 ? 'packet' : 'packets'} in the kernel${v.received === null ? '' : ` (of ${v.received} its filter took)`}${
      v.byInterface > 0 ? ` and the interface ${v.byInterface} more` : ''
    } before they could be read: they are not in the analysis, and calls may look broken where only the capture is; capture less (--filter, --no-media) or on a less loaded machine`,
  'input.capture-stopped': (v) =>
    `${v.process} capturing on ${inputName(v.input)} stopped before siplens asked it to (${v.signal !== null ? `killed by ${v.signal}` : `exit status ${v.status}`}${v.reason === null ? '' : `: ${v.reason.text}`}): the capture ends there, and calls in progress have no end in it`,
  'diagnostics.suppressed': (v) => `${v.count} more ${v.code} diagnostics were counted but not listed`,

  'capture.truncated-header': (v) =>
    v.format === 'pcap'
      ? `${fileName(v.file)} ends after ${v.have} of the ${v.need} bytes of the pcap file header: it was cut short (the capture stopped before writing, or the copy is incomplete); copy it again from where it was captured`
      : `${fileName(v.file)} ends after ${v.have} bytes, inside the first pcapng Section Header Block: it was cut short (the capture stopped before writing, or the copy is incomplete); copy it again from where it was captured`,
  'capture.truncated-record': (v) =>
    v.format === 'pcap'
      ? `the file ends inside packet record ${v.record}: ${v.have} of ${v.need} bytes present; the partial record is skipped`
      : `the file ends inside a block at byte ${v.at}: ${v.have} of ${v.need} bytes present; the partial block is skipped`,
  'capture.no-frames': (v) =>
    `${inputName(v.input)} is a ${v.format} capture with no packets in it: the capture stopped before writing any (tcpdump buffers its output: use -U, and stop it with Ctrl-C, not kill -9), or its filter matched nothing`,
  'capture.record-too-large': (v) => `packet record ${v.record} claims ${v.captured} captured bytes (snaplen ${v.snaplen}); the rest of the file cannot be followed`,
  'capture.time-backwards': (v) => `frames stamped earlier than a frame before them (the capture clock stepped back, or captures were merged out of order); first: frame ${v.frame}`,
  'capture.caplen-exceeds-origlen': (v) => `records with a captured length above the original length (first: frame ${v.frame})`,
  'pcapng.bad-block-length': (v) =>
    `${fileName(v.file)}: the block of type ${hex(v.type)} at byte ${v.at} has length ${v.length} (must be a multiple of 4 between 12 and ${v.max}): the file is corrupt there; reading stops, the packets before it are analysed`,
  'pcapng.block-length-mismatch': (v) => `block at byte ${v.at}: leading length ${v.leading}, trailing length ${v.trailing}`,
  'pcapng.bad-block': (v) =>
    v.reason === 'short' ? `${v.block} at byte ${v.at} is only ${v.length} bytes long` : `packet block at byte ${v.at} claims ${v.captured} captured bytes but holds ${v.holds}`,
  'pcapng.bad-byte-order-magic': (v) =>
    `${fileName(v.file)}: the section header at byte ${v.at} has byte-order magic ${hex(v.magic)} (not 0x1a2b3c4d): the file is corrupt there; reading stops, the packets before it are analysed`,
  'pcapng.unsupported-version': (v) => `section at byte ${v.at} has version ${v.major}.${v.minor}`,
  'pcapng.packet-before-section': (v) => `${fileName(v.file)}: the pcapng file does not start with a Section Header Block; reading stops`,
  'pcapng.unknown-interface': (v) => `frame ${v.frame} refers to interface ${v.interfaceId}, which this section does not define`,
  'pcapng.unknown-block': (v) => `skipped ${v.name ?? `block type ${hex(v.type)}`} blocks (not needed for SIP)`,
  'pcapng.bad-option': (v) => `option ${v.option} of the interface block at byte ${v.at} runs past the block`,

  'link.unsupported-linktype': (v) => `skipped frames of ${v.name ?? `link type ${v.linkType}`} (${v.linkType}), which siplens cannot decode (first: frame ${v.frame})`,
  'link.truncated': (v) =>
    'left' in v
      ? `frame ${v.frame}: ${v.left} bytes left for the 14-byte Ethernet header inside a tunnel`
      : `frame ${v.frame} has ${v.have} bytes, fewer than the ${v.need} of its ${v.header} header`,
  'link.unsupported-ethertype': (v) => `skipped ${linkPayload(v)} frames (first: frame ${v.frame})`,
  'link.unsupported-family': (v) => `skipped loopback frames of address family ${v.family} (first: frame ${v.frame})`,
  'link.unsupported-erf-type': (v) => `skipped ERF records of type ${v.recordType} (not Ethernet or IP), which siplens cannot decode (first: frame ${v.frame})`,
  'link.erf-no-packet': (v) => `skipped ERF ${v.recordType === 27 ? 'provenance (META)' : 'padding'} records, which carry no packet (first: frame ${v.frame})`,
  'link.too-many-tags': (v) => `frame ${v.frame} has more than ${v.max} VLAN/PPPoE/MPLS headers`,

  'ip.truncated': (v) => {
    switch (v.header) {
      case 'IPv4':
        return `frame ${v.frame}: ${v.left} bytes left for a 20-byte IPv4 header`;
      case 'IPv4-options':
        return `frame ${v.frame}: IPv4 header of ${v.length} bytes cut at ${v.left}`;
      case 'IPv6':
        return `frame ${v.frame}: ${v.left} bytes left for a 40-byte IPv6 header`;
      case 'IPv6-extension':
        return `frame ${v.frame}: IPv6 extension header cut short`;
    }
  },
  'ip.bad-header': (v) => {
    switch (v.reason) {
      case 'ipv4-version':
        return `frame ${v.frame}: IPv4 header with version ${v.version} and header length ${v.headerLength}`;
      case 'total-below-header':
        return `frame ${v.frame}: IPv4 total length ${v.totalLength} is below its header length ${v.headerLength}`;
      case 'length-past-frame':
        return `frame ${v.frame}: IPv${v.version} length says ${v.claimed} bytes but the frame holds ${v.present}`;
      case 'ipv6-version':
        return `frame ${v.frame}: IPv6 header with version ${v.version}`;
      case 'too-many-extensions':
        return `frame ${v.frame}: more than ${v.max} IPv6 extension headers`;
    }
  },
  'ip.snaplen-truncated': (v) => `frame ${v.frame}: IPv${v.version} packet of ${v.claimed} bytes, only ${v.present} captured (snaplen)`,
  'ip.fragment-incomplete': fragmentDrop,
  'ip.fragment-overlap': (v) => {
    switch (v.reason) {
      case 'second-last':
        return `frame ${v.frame}: a second last fragment of ${datagram(v.datagram)} says the datagram is ${v.claimed} bytes, the first said ${v.first}; the first is kept`;
      case 'past-end':
        return `frame ${v.frame}: a fragment of ${datagram(v.datagram)} runs past the datagram's end (byte ${v.total}); the excess is ignored`;
      case 'different-bytes':
        return `frame ${v.frame}: a fragment of ${datagram(v.datagram)} (bytes ${v.from}-${v.to}) overlaps earlier fragments with different bytes; the bytes received first are kept`;
    }
  },
  'ip.fragment-duplicate': (v) => `IP fragments seen twice (retransmitted, or captured on two interfaces) were ignored (first: frame ${v.frame})`,
  'ip.fragment-limit': (v) =>
    'why' in v ? fragmentDrop(v) : `frame ${v.frame}: a fragment of ${datagram(v.datagram)} ends at byte ${v.end}, past the ${v.max}-byte limit of an IP datagram; dropped`,
  'tunnel.truncated': (v) => `frame ${v.frame}: the ${v.header} header is cut short`,
  'tunnel.unsupported': (v) => `skipped ${tunnelPackets(v)} (first: frame ${v.frame})`,
  'ip.unsupported-protocol': (v) =>
    v.protocol === null ? `skipped IPv6 packets with no next header (first: frame ${v.frame})` : `skipped ${v.name ?? `IP protocol ${v.protocol}`} packets (first: frame ${v.frame})`,
  'ip.tunnel-too-deep': (v) => (v.what === 'ip-in-ip' ? `frame ${v.frame} nests more than ${v.max} IP-in-IP tunnels` : `frame ${v.frame} nests more than ${v.max} tunnels or reassembled datagrams`),
  'ipsec.encrypted': (v) =>
    `ESP (IPsec) packets between ${v.src.ip} and ${v.dst.ip} are encrypted (SPI ${v.spi === null ? 'unknown' : hex(v.spi, 8)}, first: frame ${v.frame}); the SIP or media inside them is not in this analysis, so requests may seem missing and responses unanswered`,
  'ip.jumbogram': (v) => `frame ${v.frame}: IPv6 payload length 0 (jumbogram or offload); not decoded`,

  'udp.truncated': (v) => `frame ${v.frame}: ${v.left} bytes left for the 8-byte UDP header`,
  'udp.bad-length': (v) =>
    v.reason === 'below-8' ? `frame ${v.frame}: UDP length ${v.length} is below 8; the IP length is used` : `frame ${v.frame}: UDP length ${v.length} exceeds the ${v.available} bytes the IP packet holds`,
  'tcp.truncated': (v) => ('headerLength' in v ? `frame ${v.frame}: TCP header of ${v.headerLength} bytes cut at ${v.left}` : `frame ${v.frame}: ${v.left} bytes left for the 20-byte TCP header`),
  'tcp.bad-header': (v) => `frame ${v.frame}: TCP data offset ${v.dataOffset} is below 5`,
  'tcp.gap': (v) =>
    `${streamName(v.stream)}: ${v.lost} bytes were never captured before frame ${v.before} (${tcpGap(v.why)}); messages in them are lost and SIP framing resumes at the next start line`,
  'tcp.retransmission': (v) => `TCP segments that repeat bytes already seen (retransmissions) were dropped (first: frame ${v.frame})`,
  'tcp.midstream': (v) => `TCP streams seen from the middle (no SYN); bytes before the first SIP start line are skipped (first: ${streamName(v.stream)})`,
  'tcp.limit': (v) => `${streamName(v.stream)}: no longer followed: ${tcpLimit(v.why)}`,
  'ws.bad-frame': (v) => {
    const name = streamName(v.stream);
    switch (v.reason) {
      case 'gap':
        return `${name}: ${v.lost} bytes of the WebSocket stream were not captured; its frames cannot be followed after frame ${v.after}`;
      case 'ended-in-message':
        return `${name}: the stream ended inside a fragmented WebSocket message (${v.bytes} bytes); it is lost`;
      case 'new-message-early':
        return `${name}: a new message starts before the fragmented one ended; the unfinished one is dropped`;
      case 'unreadable':
        return `${name}: ${webSocketProblem(v.problem)}; the rest of this WebSocket stream is not read`;
    }
  },
  'ws.not-sip': (v) => `WebSocket messages that are not SIP were skipped (first: frame ${v.frame})`,
  'ws.compressed': (v) =>
    `${streamName(v.stream)}: a compressed WebSocket message (permessage-deflate) does not inflate (${inflateFailure(v.failure)})${v.handshakeMissing ? ', and the handshake that negotiated it was not captured' : ''}; it is skipped`,
  'hep.bad-packet': (v) => ('stream' in v ? `${streamName(v.stream)}: ${hepProblem(v.problem)}` : `frame ${v.frame}: a HEP packet cannot be read: ${hepProblem(v.problem)}`),
  'hep.not-sip': (v) =>
    `HEP packets carrying ${v.type === null ? 'SIP-typed payloads that are not SIP' : (v.name ?? `payload type ${v.type}`)} were skipped (first: frame ${v.frame})`,
  'sctp.bad-chunk': (v) =>
    'chunkType' in v
      ? `frame ${v.frame}: an SCTP chunk of type ${v.chunkType} says ${v.length} bytes, ${v.left} are left`
      : `frame ${v.frame}: ${v.left} bytes left for the 12-byte SCTP common header`,
  'sctp.incomplete-message': (v) => {
    const why = v.why;
    const reason =
      why.reason === 'pending-limit'
        ? `more than ${why.max} messages were being joined at once (the limit)`
        : why.reason === 'too-long'
          ? `it is longer than the ${why.max} bytes siplens joins`
          : why.reason === 'timeout'
            ? `its missing parts did not arrive within ${why.seconds} s of capture time`
            : 'the capture ended before its missing parts';
    return `an SCTP user message split over DATA chunks was not joined: ${reason} (${v.chunks} chunk(s), ${v.bytes} bytes, frames ${v.frames.join(', ')})`;
  },
  'sctp.retransmission': (v) => `SCTP DATA chunks seen again (same TSN) were dropped (first: frame ${v.frame})`,
  'sctp.not-sip': (v) => `SCTP user messages of payload protocol ${v.ppid} that are not SIP were skipped (first: frame ${v.frame})`,
  'tls.sip-flow': (v) =>
    `TLS connection ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)}${v.serverName === null ? '' : ` (server name ${v.serverName.host})`}: ${v.packets} packets, ${v.bytes} bytes of encrypted data from frame ${v.frame}. ` +
    'This is SIP over TLS: its messages cannot be read, so calls on this connection are missing from the trace. To see them, capture HEP ' +
    'from the SIP proxy (Kamailio/OpenSIPS siptrace, FreeSWITCH or Asterisk HEP, sngrep -H), capture where TLS ends (an SBC or a ' +
    'TLS-terminating proxy), or give siplens the session keys: --tls-keylog FILE with a key log (SSLKEYLOGFILE) written by the server or the client (docs/tls.md)',
  'tls.flow': (v) =>
    `${v.connections} TLS connection(s) to ${v.port === null ? 'other ports' : `port ${v.port}`} (${list(v.servers.map(formatEndpoint), v.moreServers)}${
      v.serverNames.length > 0 ? `, server names ${list(v.serverNames.map(hostOf), v.moreNames)}` : ''
    }): ${v.packets} packets, ${v.bytes} bytes of encrypted data from frame ${v.frame}; ` +
    'their content cannot be read (HTTPS, or SIP over secure WebSocket: for SIP, capture HEP from the proxy or where TLS ends)',
  'tls.bad-record': (v) =>
    `${streamName(v.stream)}: ${
      v.reason === 'too-long' ? `a record header announces ${v.length} bytes, more than the ${v.max} a TLS record may hold (RFC 5246 §6.2.3, RFC 8446 §5.2)` : `bytes that are not a TLS record header (0x${v.bytes})`
    }; records are read again from the next record header`,
  'tls.keylog-unreadable': (v) => `TLS key log ${inputName(v.input)} could not be read (${v.error.text}); TLS connections whose secrets only it holds stay encrypted`,
  'tls.keylog-bad-lines': (v) =>
    `TLS key log ${inputName(v.input)}: ${v.sessions} session(s) read` +
    (v.badLines > 0 ? `; ${v.badLines} line(s) are not in the NSS key log format (LABEL, 64 hex digits of client random, secret in hex), the first at line ${v.firstBadLine}` : '') +
    (v.dropped > 0 ? `; ${v.dropped} session(s) past the ${v.max} siplens keeps were dropped` : '') +
    (v.sessions === 0 ? '; it gives no key: is it the file the server or client wrote with SSLKEYLOGFILE or -keylogfile?' : ''),
  'tls.keys-missing': (v) =>
    `TLS ${v.version} connection ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)} (frame ${v.frame}): the key logs (${v.sessions} session(s)) hold no secret for its client random ${v.clientRandom}, so it stays encrypted. ` +
    'Give the key log written during this connection, by the server or the client (SSLKEYLOGFILE, openssl -keylogfile, Kamailio keylog)' +
    (v.rsaKeyExchange ? '; its suite uses RSA key exchange, which the server\'s private key could also decrypt, but siplens reads key logs only' : ''),
  'tls.no-handshake': (v) =>
    `TLS connection ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)} (frame ${v.frame}): its handshake is not in the capture (it began mid-session), so no key can be matched to it and it stays encrypted; start the capture before the TLS connection opens (restart the SIP client or let the connection re-establish)`,
  'tls.unsupported': (v) => `TLS connection ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)} (frame ${v.frame}) cannot be decrypted: ${tlsUnsupported(v.what)}`,
  'tls.decrypt-failed': (v) =>
    `${streamName(v.stream)} (frame ${v.frame}): ` +
    (v.reason === 'lost-bytes'
      ? 'bytes of this TLS direction were not captured, so the record numbers are lost'
      : `a TLS ${v.version} record did not decrypt (${v.reason === 'bad-tag' ? 'failed authentication tag' : v.reason === 'bad-mac' ? 'wrong MAC' : v.reason === 'bad-padding' ? 'bad padding' : 'record too short'}) after ${v.opened} that did; the key log does not belong to this session, or the capture altered the bytes`) +
    '; this direction is not decrypted further',
  'tls.decrypted': (v) =>
    `TLS ${v.version} connection ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)}${v.serverName === null ? '' : ` (server name ${v.serverName.host})`} decrypted with the key log from frame ${v.frame}: ${v.suite}, ${v.records} application data record(s)`,
  'tls.session-limit': (v) => `more than ${v.max} TLS connections were being decrypted at once; the later ones (first at frame ${v.frame}) were not decrypted (counted)`,

  'text.no-sip': (v) =>
    `${inputName(v.input)}: no SIP messages found; formats tried: ${v.formats.join(', ')} — siplens needs whole messages (start line and headers), so turn on the tool's full SIP trace, or capture the traffic as a pcap`,
  'text.line-too-long': (v) => `line ${v.line} is longer than 256 KiB; the rest of it was skipped`,
  'text.message-too-large': (v) => `line ${v.line}: the message is longer than ${v.kib} KiB; it was cut there`,
  'text.byte-count-mismatch': (v) => `line ${v.line}: the log says ${v.printed} bytes, the message as logged has ${v.logged}${v.logEnds ? ' (the log ends inside it)' : ''}`,
  'text.no-time': (v) =>
    v.count === null
      ? 'the log prints no time for its messages; they are all shown at 1970-01-01 00:00:00'
      : `${v.count} message(s) have no time of their own in the log; each takes the time of the nearest message before it (or after it, at the start)`,
  'text.date-from-file': (v) =>
    `${v.input.path} prints times without a date; the date comes from the file's modification time (${v.date}, taken as the date of the last message) — pass --date YYYY-MM-DD to set it`,
  'text.no-date': (v) =>
    `${v.input.path} prints times without a date and has no file date${v.error === null ? '' : ` (${v.error.text})`}; they are shown on 1970-01-01 — pass --date YYYY-MM-DD`,

  'sip.malformed-start-line': (v) => `${place(v.at)}: The first line is neither a request line nor a status line.`,
  'sip.malformed-header': (v) => `${place(v.at)}: A header line is not of the form \`name: value\`.`,
  'sip.bare-lf': (v) => `${place(v.at)}: Lines end in LF alone instead of CRLF.`,
  'sip.invalid-utf8': (v) => `${place(v.at)}: Header bytes are not valid UTF-8; shown as U+FFFD.`,
  'sip.no-header-end': (v) => `${place(v.at)}: No empty line ends the headers.`,
  'sip.content-length-invalid': (v) => `${place(v.at)}: ${v.absent ? 'There is no Content-Length header.' : 'Content-Length is not a non-negative decimal number.'}`,
  'sip.content-length-conflict': (v) => `${place(v.at)}: Several Content-Length headers with different values.`,
  'sip.body-truncated': (v) => `${place(v.at)}: Content-Length announces ${v.announced} body bytes; only ${v.present} are present.`,
  'sip.cut-by-capture': (v) =>
    `the capture cut SIP messages short (first: frame ${v.frame}, ${v.captured} bytes captured, ${v.missing} more were sent): its snap length was too small, not the sender at fault; what is missing is not checked (capture with tcpdump -s 0 for whole messages)`,
  'sip.trailing-bytes': (v) => `${place(v.at)}: ${v.bytes} bytes after the body are discarded.`,
  'sip.missing-header': (v) => `${place(v.at)}: Missing mandatory header(s): ${v.headers.join(', ')}.`,
  'sip.bad-header-value': (v) => `${place(v.at)}: The ${v.header} header value cannot be read.`,
  'sip.too-many-headers': (v) => `${place(v.at)}: More than ${v.max} header lines; the rest are skipped.`,
  'sip.junk-before-message': (v) => `frame ${v.frame}: ${v.bytes} bytes that are not SIP precede the start line`,
  'sip.not-sip-on-sip-port': (v) => `datagrams on SIP ports that hold no SIP message (first: frame ${v.frame})`,
  'sip.parser-failure': (v) => `${place(v.at)}: ${v.error.text}`,
  'sip.keepalive': (v) =>
    v.on === 'udp'
      ? `keep-alive datagrams on SIP ports (first: frame ${v.frame})`
      : v.on === 'ws'
        ? `keep-alives (CRLF) in WebSocket messages (first: frame ${v.frame})`
        : `keep-alives (CRLF) between messages on streams (RFC 5626; first: ${streamName(v.stream)})`,
  'sip.stream-junk': (v) => `${streamName(v.stream)}: ${v.bytes} bytes that do not start a SIP message were skipped to the next start line (a wrong Content-Length, or data that is not SIP)`,
  'sip.stream-incomplete': (v) => {
    const why = v.why.reason === 'gap' ? `${v.why.lost} bytes of the stream were lost (gap)` : 'the stream ended';
    const frame = v.frame ?? '?';
    return v.total !== null
      ? `${streamName(v.stream)}: ${why} ${v.held} bytes into a ${v.total}-byte message (frame ${frame}); it is kept with its body cut`
      : `${streamName(v.stream)}: ${why} inside the headers of a message (${v.held} bytes from frame ${frame}); the message is lost`;
  },
  'sip.no-message-boundary': (v) => `${streamName(v.stream)}: no end of headers within ${v.max} bytes after a start line; the bytes are skipped to the next start line`,
  'sip.message-too-large': (v) =>
    `${streamName(v.stream)}: a message of ${v.total} bytes is longer than the ${v.max} bytes siplens keeps; it is cut there and the rest of its body is skipped`,
  'sip.sdp-unparseable': (v) => `${place(v.at)}: ${sdpProblem(v.problem)}; the media rules see this message as having no SDP`,

  'analysis.open-calls-limit': (v) =>
    `more than ${v.max} calls were open at once; ${v.count} of them ${v.count === 1 ? 'was' : 'were'} reported before they were over (the least recently active first), so a later message of such a call starts a new entry with the same Call-ID. Raise the limit with --max-open-calls if memory allows.`,
  'analysis.call-too-long': (v) =>
    `a call reached ${v.max} messages and was reported there; its later messages are a new entry with the same Call-ID (${v.count} time${v.count === 1 ? '' : 's'}).`,
  'analysis.main-problems-limit': (v) =>
    `the main problems count stories told across calls, and the findings they sum up, server by server for at most ${v.max} servers (each kind apart); ${v.count} ${v.count === 1 ? 'finding was' : 'findings were'} not counted server by server, so a main problem that tells such a story may count findings about other servers too.`,
  'analysis.patterns-limit': (v) =>
    `more than ${v.max} subscriptions, challenges or addresses were followed across calls at once; ${v.count} ${v.count === 1 ? 'was' : 'were'} let go (the oldest first), so the stories told across calls (lost subscriptions, late answers to challenges) may count fewer than happened.`,
  'media.stream-limit': (v) =>
    `more than ${v.max} media streams were open at once; ${v.count} new ${v.count === 1 ? 'stream was' : 'streams were'} counted but not followed, so their calls show no media for them`,
  'media.announcement-limit': (v) =>
    `more than ${v.max} SDP media addresses were held at once; ${v.count} of the oldest calls' were forgotten, so media sent to them later is not tied to those calls`,
  'media.rtcp-unreadable': (v) => `${v.count} RTCP ${v.count === 1 ? 'packet' : 'packets'} could not be read (SRTCP, whose reports are encrypted, or damaged) and ${v.count === 1 ? 'was' : 'were'} skipped`,
};

// Spanish ------------------------------------------------------------------------------------

const nombreEntrada = (i: InputRef): string => (i.path === '-' ? 'la entrada estándar (-)' : i.path);
const nombreArchivo = (f: InputRef | null): string => (f === null ? 'el archivo' : nombreEntrada(f));
const lugar = (at: MessageAt): string => ('frame' in at ? `trama ${at.frame}` : `línea ${at.line}`);
const nombreFlujo = (s: StreamRef): string => `${s.protocol === 'HEP' ? 'HEP sobre TCP' : s.protocol} ${formatEndpoint(s.src)} → ${formatEndpoint(s.dst)}`;
const datagrama = (d: Datagram): string => `datagrama IPv${d.version} ${d.src.ip} → ${d.dst.ip} id ${hex(d.id)}`;
const veces = (n: number, una: string, varias: string): string => `${n} ${n === 1 ? una : varias}`;

const NOMBRES_OTROS_FORMATOS: Readonly<Record<OtherFormat, string>> = {
  netmon2: 'una captura de Microsoft Network Monitor 2.x',
  netmon1: 'una captura de Microsoft Network Monitor 1.x',
  snoop: 'una captura snoop de Solaris',
  netxray: 'una captura de NetXRay / Windows Sniffer',
  sniffer: 'una captura de Sniffer (DOS)',
  iptrace: 'una captura iptrace de AIX',
  bzip2: 'un archivo comprimido con bzip2',
  xz: 'un archivo comprimido con xz',
  zstd: 'un archivo comprimido con zstd',
  zip: 'un archivo zip',
};

function fallaDeLectura(v: ReadFailure | ReadStopped): string {
  const nombre = nombreEntrada(v.input);
  switch (v.reason) {
    case 'permission':
      return `no se puede leer ${nombre}: permiso denegado; dé a su usuario permiso de lectura (chmod +r) o ejecute siplens con un usuario que pueda leerlo`;
    case 'directory':
      return `${nombre} es un directorio; indique en su lugar las capturas o los registros que contiene`;
    case 'vanished':
      return `${nombre} no existe (se borró mientras siplens arrancaba); compruebe la ruta`;
    case 'gzip':
      return `${nombre} empieza como datos gzip pero no se descomprime (${v.detail.text}): está dañado o cortado; compruébelo con gzip -t y cópielo de nuevo`;
    case 'system':
      return `no se puede leer ${nombre} (${v.detail.text}); compruebe que es un archivo normal en un disco o montaje que funcione`;
    case 'bug':
      return `siplens falló al leer ${nombre} (${v.detail.text}); es un error de siplens: por favor, infórmelo adjuntando el archivo`;
    case 'gzip-partway':
      return `${nombre}: los datos gzip están dañados o cortados tras ${v.bytesRead} bytes descomprimidos (${v.detail.text}); se analiza lo leído hasta ahí — compruebe el archivo con gzip -t y cópielo de nuevo para obtener el resto`;
    case 'system-partway':
      return `${nombre}: la lectura falló tras ${v.bytesRead} bytes (${v.detail.text}); se analiza lo leído hasta ahí — copie de nuevo el archivo o revise el disco para obtener el resto`;
    case 'bug-partway':
      return `${nombre}: siplens falló tras ${v.bytesRead} bytes (${v.detail.text}); se analiza lo leído hasta ahí — es un error de siplens: por favor, infórmelo adjuntando el archivo`;
  }
}

function fallaDeInflado(f: InflateFailure): string {
  return f.reason === 'too-large' ? `descomprimido ocupa más de los ${f.kib} KiB que se guardan` : `zlib: ${f.detail.text}`;
}

function limiteTcp(l: TcpLimit): string {
  return l.reason === 'connections'
    ? `se siguen más de ${l.max} conexiones a la vez (el límite); se descarta la que lleva más tiempo inactiva`
    : `se superaron los ${l.bytes} bytes que siplens retiene para todos los flujos TCP (el límite)`;
}

function tlsNoSoportado(w: TlsUnsupported): string {
  switch (w.kind) {
    case 'suite':
      return `su suite de cifrado ${hex(w.suite, 4)} no es de las que siplens descifra (suites de TLS 1.3, y de TLS 1.2 AES-GCM, ChaCha20-Poly1305 y AES-CBC con SHA-1/SHA-256/SHA-384)`;
    case 'version':
      return `su versión ${hex(w.version, 4)} es anterior a TLS 1.2`;
    case 'compression':
      return `usa compresión TLS (método ${w.method})`;
    case 'early-data':
      return 'el cliente envió datos tempranos 0-RTT, cuyas claves siplens no sigue';
    case 'renegotiation':
      return 'renegoció (una negociación TLS 1.2 tras la primera), cuyas claves nuevas siplens no sigue';
    case 'hello-too-long':
      return `un mensaje hello ocupa más de ${w.max} bytes`;
  }
}

function finTcp(e: TcpEnd): string {
  switch (e.reason) {
    case 'reset':
      return `reinicio (RST en la trama ${e.frame})`;
    case 'idle':
      return `ningún paquete durante ${e.seconds} s de tiempo de captura`;
    case 'capture-ended':
      return 'fin de la captura';
    case 'ports-reused':
      return 'una conexión nueva reutilizó sus puertos';
    default:
      return limiteTcp(e);
  }
}

function huecoTcp(g: TcpGapReason): string {
  switch (g.reason) {
    case 'acknowledged':
      return `el receptor acusó su recibo (trama ${g.frame})`;
    case 'no-retransmission':
      return `no hubo retransmisión en ${g.seconds} s de tiempo de captura`;
    case 'far-ahead':
      return 'el siguiente segmento capturado está muy por delante';
    case 'snaplen':
      return 'el final del segmento no se capturó (snaplen)';
    case 'held-limit':
      return `se retuvieron fuera de orden más de ${g.bytes} bytes o ${g.segments} segmentos (el límite)`;
    case 'ended':
      return `la conexión terminó: ${finTcp(g.end)}`;
  }
}

function problemaWebSocket(p: WebSocketProblem): string {
  switch (p.reason) {
    case 'reserved-bits':
      return `una trama activa bits reservados (${hex(p.bits)})`;
    case 'reserved-opcode':
      return `una trama usa el código de operación reservado ${p.opcode}`;
    case 'control-frame':
      return 'una trama de control ocupa más de 125 bytes o está fragmentada';
    case 'too-long':
      return `un mensaje ocupa más de los ${p.max} bytes que siplens guarda`;
    case 'orphan-continuation':
      return 'una trama de continuación no tiene mensaje que continuar';
    case 'no-handshake-end':
      return `el upgrade HTTP no termina en ${p.max} bytes`;
  }
}

function problemaHep(p: HepProblem): string {
  switch (p.reason) {
    case 'not-hep':
      return 'no es un paquete HEP';
    case 'no-payload':
      return 'no tiene fragmento de carga útil';
    case 'junk':
      return 'se saltaron bytes que no son HEP3';
    case 'length-below-header':
      return `la longitud HEP3 ${p.length} es menor que su propia cabecera`;
    case 'length-past-end':
      return `el paquete HEP3 dice ocupar ${p.length} bytes pero hay ${p.available}`;
    case 'chunk-header-cut':
      return `la cabecera de fragmento en el byte ${p.at} está cortada`;
    case 'chunk-past-end':
      return `el fragmento ${hex(p.chunk, 4)} en el byte ${p.at} tiene longitud ${p.length}, más allá del final del paquete`;
    case 'inflate':
      return `su carga comprimida (fragmento 0x0010) no se descomprime: ${fallaDeInflado(p.failure)}`;
    case 'stream-ended':
      return `el flujo terminó dentro de un paquete HEP (${p.bytes} bytes)`;
  }
}

function problemaSdp(p: SdpProblem): string {
  switch (p.reason) {
    case 'no-boundary':
      return 'su Content-Type multipart no tiene parámetro boundary, así que no se encuentra su parte SDP';
    case 'no-boundary-line':
      return `ninguna línea del cuerpo multipart empieza por su delimitador (--${p.boundary.text})`;
    case 'not-sdp':
      return 'el cuerpo declarado como application/sdp no se puede leer como SDP: no empieza con una línea v=';
  }
}

function datagramaDescartado(v: FragmentDrop): string {
  const why = v.why;
  let motivo: string;
  switch (why.reason) {
    case 'table-full':
      motivo = `la tabla de datagramas a la espera de fragmentos está llena (límite ${why.max})`;
      break;
    case 'too-many-fragments':
      motivo = `tiene más de ${why.max} fragmentos (el límite) (trama ${why.frame})`;
      break;
    case 'bytes-held':
      motivo = `se alcanzó el límite de ${why.max} bytes de fragmentos retenidos a la vez`;
      break;
    case 'timeout':
      motivo = `sus fragmentos pendientes no llegaron en ${why.seconds} s de tiempo de captura`;
      break;
    case 'capture-ended':
      motivo = 'la captura terminó antes de que llegaran sus fragmentos pendientes';
      break;
  }
  const tramas = v.frames.length === 1 ? `la trama ${v.frames[0]}` : `las tramas ${v.frames.join(', ')}`;
  const faltan = [...v.gaps.map((g) => `los bytes ${g.from}-${g.to}`), ...(v.missingFrom === null ? [] : [`todo desde el byte ${v.missingFrom} (incluido el último fragmento)`])].join(', ');
  const cortados = v.cut > 0 ? `; el snaplen cortó ${veces(v.cut, 'fragmento', 'fragmentos')}` : '';
  return `el ${datagrama(v.datagram)} no se reensambló: ${motivo}. Se recibieron ${v.received} bytes en ${tramas}; sin recibir: ${faltan}${cortados}. Se pierde el mensaje SIP que contuviera`;
}

function cargaDeEnlace(p: UnsupportedLinkPayload): string {
  switch (p.kind) {
    case 'ethertype':
      return p.name === null ? `de EtherType ${hex(p.etherType, 4)}` : `${p.name} (EtherType ${hex(p.etherType, 4)})`;
    case 'llc':
      return 'IEEE 802.3/LLC (STP, CDP, ...)';
    case 'ppp':
      return `del protocolo PPP ${hex(p.protocol, 4)}`;
    case 'mpls-pseudowire':
      return 'de pseudocable MPLS (carga no IP)';
    case 'raw-ip':
      return `de IP en bruto versión ${p.version}`;
  }
}

const paquetesDeTunel = (v: DiagnosticValues['tunnel.unsupported']): string => {
  switch (v.kind) {
    case 'gre-version':
      return `paquetes GRE de versión ${v.version}`;
    case 'erspan-version':
      return `paquetes ERSPAN con versión de cabecera ${v.version} en GRE ${hex(v.protocol, 4)}`;
    case 'erspan-frame-type':
      return `paquetes ERSPAN tipo III de tipo de trama ${v.frameType}`;
    case 'gre-protocol':
      return `paquetes GRE que llevan el protocolo ${hex(v.protocol, 4)}`;
    case 'ppp-protocol':
      return `tramas PPP del protocolo ${hex(v.protocol, 4)} en GRE (LCP, CCP, datos comprimidos, ...)`;
    case 'vxlan-no-vni':
      return 'paquetes VXLAN sin el indicador I (sin VNI)';
    case 'geneve-version':
      return `paquetes Geneve de versión ${v.version}`;
    case 'geneve-protocol':
      return `paquetes Geneve que llevan el protocolo ${hex(v.protocol, 4)}`;
    case 'etherip-version':
      return `paquetes EtherIP de versión ${v.version}`;
    case 'gtpu-version':
      return v.pt === 0 ? "paquetes GTP' (tarificación) en el puerto de GTP-U" : `paquetes GTP de versión ${v.version} en el puerto de GTP-U`;
    case 'gtpu-message':
      return `mensajes GTP-U de tipo ${v.messageType} (señalización como eco o marcador de fin, sin paquete de usuario dentro)`;
    case 'gtpu-pdu':
      return `paquetes de usuario GTP-U que no son IP (primer byte ${hex(v.firstByte, 2)}: una sesión PDU no IP o Ethernet)`;
  }
};

const CABECERAS_IP: Readonly<Record<'IPv4' | 'IPv6', number>> = { IPv4: 20, IPv6: 40 };

const es: DiagnosticTemplates = {
  'input.not-found': (v) => `${v.input.path} no existe; compruebe la ruta y el nombre del archivo`,
  'input.is-directory': (v) => `${v.input.path} es un directorio; indique en su lugar las capturas o los registros que contiene (p. ej. ${join(v.input.path, '*.pcap')})`,
  'input.unreadable': fallaDeLectura,
  'input.empty': (v) =>
    v.reason === 'empty-file'
      ? `${v.input.path} está vacío (0 bytes): no se escribió nada en él; si una captura sigue en marcha, deténgala antes (tcpdump solo escribe sobre la marcha con -U)`
      : v.reason === 'stdin-closed'
        ? `${nombreEntrada(v.input)} terminó sin que llegara ningún byte; envíele una captura o un registro por tubería (p. ej. tcpdump -U -w - port 5060 | siplens -)`
        : `${v.input.path} no contiene ningún byte una vez descomprimido; no hay nada que analizar — compruebe que se comprimió el archivo correcto`,
  'input.unknown-format': (v) =>
    v.format === null
      ? `${nombreEntrada(v.input)} no es una captura pcap/pcapng ni un registro SIP de texto (primeros bytes 0x${v.magic}); convierta otros formatos de captura con editcap -F pcapng (Wireshark) o entregue el registro como texto plano`
      : `${nombreEntrada(v.input)} es ${NOMBRES_OTROS_FORMATOS[v.format]}, que siplens no lee (primeros bytes 0x${v.magic}); ${
          isCompression(v.format) ? 'descomprímalo antes (siplens lee gzip por sí mismo) o páselo por tubería: p. ej. xz -dc ARCHIVO | siplens -' : 'conviértalo con editcap -F pcapng (Wireshark) y dé el resultado a siplens'
        }`,
  'input.interrupted': (v) => `${nombreEntrada(v.input)}: la lectura se detuvo tras ${v.bytes} bytes por una interrupción (Ctrl-C); se analiza lo leído hasta entonces`,
  'input.gzip-error': fallaDeLectura,
  'input.duplicate': (v) => `${nombreEntrada(v.input)} es el mismo archivo que ${nombreEntrada(v.first)}, indicado dos veces; se leyó una sola vez, como ${nombreEntrada(v.first)}`,
  'input.ended-mid-call': (v) =>
    `${nombreEntrada(v.input)}: la captura terminó durante ${v.calls} ${v.calls === 1 ? 'llamada' : 'llamadas'} (${v.calls === 1 ? 'en establecimiento, o contestada y sin colgar' : 'en establecimiento, o contestadas y sin colgar'}); ${v.calls === 1 ? 'se muestra' : 'se muestran'} en su estado al final de la captura`,
  'input.cut-mid-call': (v) =>
    `${nombreEntrada(v.input)} quedó cortada (${v.cut === 'partial-record' ? 'termina dentro de un registro de paquete, como cuando se mata el proceso de captura' : 'la lectura falló a mitad'}): la captura terminó durante ${v.calls} ${v.calls === 1 ? 'llamada' : 'llamadas'}, cuyo final no está en ella${
      v.unresolved === 0 ? '' : `; ${v.unresolved} ${v.unresolved === 1 ? 'contestada y sin colgar queda sin resolver' : 'contestadas y sin colgar quedan sin resolver'}, no contestadas`
    }`,
  'input.capture-drops': (v) =>
    `${v.process} en ${nombreEntrada(v.input)} descartó ${veces(v.dropped, 'paquete', 'paquetes')} en el núcleo${v.received === null ? '' : ` (de ${v.received} que tomó su filtro)`}${
      v.byInterface > 0 ? ` y la interfaz ${v.byInterface} más` : ''
    } antes de que se pudieran leer: no están en el análisis, y algunas llamadas pueden parecer rotas cuando solo lo está la captura; captura menos (--filter, --no-media) o en una máquina menos cargada`,
  'input.capture-stopped': (v) =>
    `${v.process}, que capturaba en ${nombreEntrada(v.input)}, se detuvo sin que siplens se lo pidiera (${v.signal !== null ? `terminado por ${v.signal}` : `código de salida ${v.status}`}${v.reason === null ? '' : `: ${v.reason.text}`}): la captura termina ahí, y las llamadas en curso no tienen su final en ella`,
  'diagnostics.suppressed': (v) => `se contaron ${v.count} diagnósticos ${v.code} más que no se listan`,

  'capture.truncated-header': (v) =>
    v.format === 'pcap'
      ? `${nombreArchivo(v.file)} termina tras ${v.have} de los ${v.need} bytes de la cabecera del archivo pcap: está cortado (la captura se detuvo antes de escribir, o la copia está incompleta); cópielo de nuevo desde donde se capturó`
      : `${nombreArchivo(v.file)} termina tras ${v.have} bytes, dentro del primer Section Header Block de pcapng: está cortado (la captura se detuvo antes de escribir, o la copia está incompleta); cópielo de nuevo desde donde se capturó`,
  'capture.truncated-record': (v) =>
    v.format === 'pcap'
      ? `el archivo termina dentro del registro de paquete ${v.record}: hay ${v.have} de ${v.need} bytes; se omite el registro parcial`
      : `el archivo termina dentro de un bloque en el byte ${v.at}: hay ${v.have} de ${v.need} bytes; se omite el bloque parcial`,
  'capture.no-frames': (v) =>
    `${nombreEntrada(v.input)} es una captura ${v.format} sin paquetes: la captura se detuvo antes de escribir alguno (tcpdump guarda su salida en búfer: use -U y deténgalo con Ctrl-C, no con kill -9), o su filtro no coincidió con nada`,
  'capture.record-too-large': (v) => `el registro de paquete ${v.record} dice tener ${v.captured} bytes capturados (snaplen ${v.snaplen}); no se puede seguir leyendo el archivo`,
  'capture.time-backwards': (v) => `tramas con marca de tiempo anterior a la de una trama previa (el reloj de la captura retrocedió, o se mezclaron capturas desordenadas); primera: trama ${v.frame}`,
  'capture.caplen-exceeds-origlen': (v) => `registros con una longitud capturada mayor que la original (primero: trama ${v.frame})`,
  'pcapng.bad-block-length': (v) =>
    `${nombreArchivo(v.file)}: el bloque de tipo ${hex(v.type)} en el byte ${v.at} tiene longitud ${v.length} (debe ser múltiplo de 4 entre 12 y ${v.max}): el archivo está dañado ahí; la lectura se detiene y se analizan los paquetes anteriores`,
  'pcapng.block-length-mismatch': (v) => `bloque en el byte ${v.at}: longitud inicial ${v.leading}, longitud final ${v.trailing}`,
  'pcapng.bad-block': (v) =>
    v.reason === 'short'
      ? `el ${v.block} en el byte ${v.at} solo ocupa ${v.length} bytes`
      : `el bloque de paquete en el byte ${v.at} dice tener ${v.captured} bytes capturados pero contiene ${v.holds}`,
  'pcapng.bad-byte-order-magic': (v) =>
    `${nombreArchivo(v.file)}: la cabecera de sección en el byte ${v.at} tiene el número mágico de orden de bytes ${hex(v.magic)} (no 0x1a2b3c4d): el archivo está dañado ahí; la lectura se detiene y se analizan los paquetes anteriores`,
  'pcapng.unsupported-version': (v) => `la sección en el byte ${v.at} tiene la versión ${v.major}.${v.minor}`,
  'pcapng.packet-before-section': (v) => `${nombreArchivo(v.file)}: el archivo pcapng no empieza con un Section Header Block; la lectura se detiene`,
  'pcapng.unknown-interface': (v) => `la trama ${v.frame} remite a la interfaz ${v.interfaceId}, que esta sección no define`,
  'pcapng.unknown-block': (v) => `se omitieron bloques ${v.name ?? `de tipo ${hex(v.type)}`} (no hacen falta para SIP)`,
  'pcapng.bad-option': (v) => `la opción ${v.option} del bloque de interfaz en el byte ${v.at} sobrepasa el bloque`,

  'link.unsupported-linktype': (v) => `se omitieron tramas de ${v.name ?? `tipo de enlace ${v.linkType}`} (${v.linkType}), que siplens no sabe decodificar (primera: trama ${v.frame})`,
  'link.truncated': (v) =>
    'left' in v
      ? `trama ${v.frame}: quedan ${v.left} bytes para la cabecera Ethernet de 14 bytes dentro de un túnel`
      : `la trama ${v.frame} tiene ${v.have} bytes, menos de los ${v.need} de su cabecera ${v.header}`,
  'link.unsupported-ethertype': (v) => `se omitieron tramas ${cargaDeEnlace(v)} (primera: trama ${v.frame})`,
  'link.unsupported-family': (v) => `se omitieron tramas de loopback de la familia de direcciones ${v.family} (primera: trama ${v.frame})`,
  'link.unsupported-erf-type': (v) => `se omitieron registros ERF de tipo ${v.recordType} (ni Ethernet ni IP), que siplens no sabe decodificar (primera: trama ${v.frame})`,
  'link.erf-no-packet': (v) => `se omitieron registros ERF de ${v.recordType === 27 ? 'procedencia (META)' : 'relleno'}, que no llevan paquete (primera: trama ${v.frame})`,
  'link.too-many-tags': (v) => `la trama ${v.frame} tiene más de ${v.max} cabeceras VLAN/PPPoE/MPLS`,

  'ip.truncated': (v) => {
    switch (v.header) {
      case 'IPv4':
      case 'IPv6':
        return `trama ${v.frame}: quedan ${v.left} bytes para una cabecera ${v.header} de ${CABECERAS_IP[v.header]} bytes`;
      case 'IPv4-options':
        return `trama ${v.frame}: cabecera IPv4 de ${v.length} bytes cortada en ${v.left}`;
      case 'IPv6-extension':
        return `trama ${v.frame}: cabecera de extensión IPv6 cortada`;
    }
  },
  'ip.bad-header': (v) => {
    switch (v.reason) {
      case 'ipv4-version':
        return `trama ${v.frame}: cabecera IPv4 con versión ${v.version} y longitud de cabecera ${v.headerLength}`;
      case 'total-below-header':
        return `trama ${v.frame}: la longitud total IPv4 ${v.totalLength} es menor que su longitud de cabecera ${v.headerLength}`;
      case 'length-past-frame':
        return `trama ${v.frame}: la longitud IPv${v.version} indica ${v.claimed} bytes pero la trama contiene ${v.present}`;
      case 'ipv6-version':
        return `trama ${v.frame}: cabecera IPv6 con versión ${v.version}`;
      case 'too-many-extensions':
        return `trama ${v.frame}: más de ${v.max} cabeceras de extensión IPv6`;
    }
  },
  'ip.snaplen-truncated': (v) => `trama ${v.frame}: paquete IPv${v.version} de ${v.claimed} bytes del que solo se capturaron ${v.present} (snaplen)`,
  'ip.fragment-incomplete': datagramaDescartado,
  'ip.fragment-overlap': (v) => {
    switch (v.reason) {
      case 'second-last':
        return `trama ${v.frame}: un segundo último fragmento del ${datagrama(v.datagram)} dice que el datagrama ocupa ${v.claimed} bytes, el primero dijo ${v.first}; se mantiene el primero`;
      case 'past-end':
        return `trama ${v.frame}: un fragmento del ${datagrama(v.datagram)} sobrepasa el final del datagrama (byte ${v.total}); se ignora el exceso`;
      case 'different-bytes':
        return `trama ${v.frame}: un fragmento del ${datagrama(v.datagram)} (bytes ${v.from}-${v.to}) se solapa con fragmentos anteriores con bytes distintos; se mantienen los recibidos primero`;
    }
  },
  'ip.fragment-duplicate': (v) => `se ignoraron fragmentos IP vistos dos veces (retransmitidos, o capturados en dos interfaces) (primero: trama ${v.frame})`,
  'ip.fragment-limit': (v) =>
    'why' in v ? datagramaDescartado(v) : `trama ${v.frame}: un fragmento del ${datagrama(v.datagram)} termina en el byte ${v.end}, más allá del límite de ${v.max} bytes de un datagrama IP; se descarta`,
  'tunnel.truncated': (v) => `trama ${v.frame}: la cabecera ${v.header} está cortada`,
  'tunnel.unsupported': (v) => `se omitieron ${paquetesDeTunel(v)} (primero: trama ${v.frame})`,
  'ip.unsupported-protocol': (v) =>
    v.protocol === null
      ? `se omitieron paquetes IPv6 sin cabecera siguiente (primero: trama ${v.frame})`
      : `se omitieron paquetes ${v.name ?? `del protocolo IP ${v.protocol}`} (primero: trama ${v.frame})`,
  'ip.tunnel-too-deep': (v) =>
    v.what === 'ip-in-ip' ? `la trama ${v.frame} anida más de ${v.max} túneles IP sobre IP` : `la trama ${v.frame} anida más de ${v.max} túneles o datagramas reensamblados`,
  'ipsec.encrypted': (v) =>
    `los paquetes ESP (IPsec) entre ${v.src.ip} y ${v.dst.ip} van cifrados (SPI ${v.spi === null ? 'desconocido' : hex(v.spi, 8)}, primero: trama ${v.frame}); el SIP o los medios que llevan no están en este análisis, así que puede parecer que faltan peticiones y que hay respuestas sin petición`,
  'ip.jumbogram': (v) => `trama ${v.frame}: longitud de carga IPv6 0 (jumbograma o descarga en la tarjeta); no se decodifica`,

  'udp.truncated': (v) => `trama ${v.frame}: quedan ${v.left} bytes para la cabecera UDP de 8 bytes`,
  'udp.bad-length': (v) =>
    v.reason === 'below-8'
      ? `trama ${v.frame}: la longitud UDP ${v.length} es menor que 8; se usa la longitud IP`
      : `trama ${v.frame}: la longitud UDP ${v.length} supera los ${v.available} bytes que contiene el paquete IP`,
  'tcp.truncated': (v) =>
    'headerLength' in v ? `trama ${v.frame}: cabecera TCP de ${v.headerLength} bytes cortada en ${v.left}` : `trama ${v.frame}: quedan ${v.left} bytes para la cabecera TCP de 20 bytes`,
  'tcp.bad-header': (v) => `trama ${v.frame}: el desplazamiento de datos TCP ${v.dataOffset} es menor que 5`,
  'tcp.gap': (v) =>
    `${nombreFlujo(v.stream)}: ${v.lost} bytes nunca se capturaron antes de la trama ${v.before} (${huecoTcp(v.why)}); se pierden los mensajes que contenían y el entramado SIP se reanuda en la siguiente línea de inicio`,
  'tcp.retransmission': (v) => `se descartaron segmentos TCP que repiten bytes ya vistos (retransmisiones) (primero: trama ${v.frame})`,
  'tcp.midstream': (v) => `flujos TCP vistos desde la mitad (sin SYN); se saltan los bytes anteriores a la primera línea de inicio SIP (primero: ${nombreFlujo(v.stream)})`,
  'tcp.limit': (v) => `${nombreFlujo(v.stream)}: deja de seguirse: ${limiteTcp(v.why)}`,
  'ws.bad-frame': (v) => {
    const nombre = nombreFlujo(v.stream);
    switch (v.reason) {
      case 'gap':
        return `${nombre}: no se capturaron ${v.lost} bytes del flujo WebSocket; sus tramas no pueden seguirse después de la trama ${v.after}`;
      case 'ended-in-message':
        return `${nombre}: el flujo terminó dentro de un mensaje WebSocket fragmentado (${v.bytes} bytes); se pierde`;
      case 'new-message-early':
        return `${nombre}: empieza un mensaje nuevo antes de terminar el fragmentado; se descarta el inacabado`;
      case 'unreadable':
        return `${nombre}: ${problemaWebSocket(v.problem)}; no se lee el resto de este flujo WebSocket`;
    }
  },
  'ws.not-sip': (v) => `se omitieron mensajes WebSocket que no son SIP (primero: trama ${v.frame})`,
  'ws.compressed': (v) =>
    `${nombreFlujo(v.stream)}: un mensaje WebSocket comprimido (permessage-deflate) no se descomprime (${fallaDeInflado(v.failure)})${v.handshakeMissing ? ', y no se capturó el handshake que lo negoció' : ''}; se omite`,
  'hep.bad-packet': (v) => ('stream' in v ? `${nombreFlujo(v.stream)}: ${problemaHep(v.problem)}` : `trama ${v.frame}: no se puede leer un paquete HEP: ${problemaHep(v.problem)}`),
  'hep.not-sip': (v) =>
    `se omitieron paquetes HEP que llevan ${v.type === null ? 'cargas marcadas como SIP que no son SIP' : (v.name ?? `el tipo de carga ${v.type}`)} (primero: trama ${v.frame})`,
  'sctp.bad-chunk': (v) =>
    'chunkType' in v
      ? `trama ${v.frame}: un fragmento SCTP de tipo ${v.chunkType} dice ocupar ${v.length} bytes y quedan ${v.left}`
      : `trama ${v.frame}: quedan ${v.left} bytes para la cabecera común SCTP de 12 bytes`,
  'sctp.incomplete-message': (v) => {
    const why = v.why;
    const motivo =
      why.reason === 'pending-limit'
        ? `se estaban uniendo más de ${why.max} mensajes a la vez (el límite)`
        : why.reason === 'too-long'
          ? `ocupa más de los ${why.max} bytes que siplens une`
          : why.reason === 'timeout'
            ? `sus partes pendientes no llegaron en ${why.seconds} s de tiempo de captura`
            : 'la captura terminó antes de que llegaran sus partes pendientes';
    return `no se unió un mensaje de usuario SCTP repartido en fragmentos DATA: ${motivo} (${veces(v.chunks, 'fragmento', 'fragmentos')}, ${v.bytes} bytes, tramas ${v.frames.join(', ')})`;
  },
  'sctp.retransmission': (v) => `se descartaron fragmentos DATA de SCTP vistos de nuevo (mismo TSN) (primero: trama ${v.frame})`,
  'sctp.not-sip': (v) => `se omitieron mensajes de usuario SCTP del protocolo de carga ${v.ppid} que no son SIP (primero: trama ${v.frame})`,
  'tls.sip-flow': (v) =>
    `conexión TLS ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)}${v.serverName === null ? '' : ` (nombre de servidor ${v.serverName.host})`}: ${veces(v.packets, 'paquete', 'paquetes')}, ${v.bytes} bytes de datos cifrados desde la trama ${v.frame}. ` +
    'Es SIP sobre TLS: sus mensajes no se pueden leer, así que las llamadas de esta conexión faltan en la traza. Para verlas, capture HEP ' +
    'desde el proxy SIP (siptrace de Kamailio/OpenSIPS, HEP de FreeSWITCH o Asterisk, sngrep -H), capture donde termina TLS (un SBC o un ' +
    'proxy que termine TLS), o dé a siplens las claves de sesión: --tls-keylog ARCHIVO con un registro de claves (SSLKEYLOGFILE) escrito por el servidor o el cliente (docs/tls.md)',
  'tls.flow': (v) =>
    `${veces(v.connections, 'conexión TLS', 'conexiones TLS')} ${v.port === null ? 'a otros puertos' : `al puerto ${v.port}`} (${list(v.servers.map(formatEndpoint), v.moreServers)}${
      v.serverNames.length > 0 ? `, nombres de servidor ${list(v.serverNames.map(hostOf), v.moreNames)}` : ''
    }): ${veces(v.packets, 'paquete', 'paquetes')}, ${v.bytes} bytes de datos cifrados desde la trama ${v.frame}; ` +
    'su contenido no se puede leer (HTTPS, o SIP sobre WebSocket seguro: para SIP, capture HEP desde el proxy o donde termina TLS)',
  'tls.bad-record': (v) =>
    `${nombreFlujo(v.stream)}: ${
      v.reason === 'too-long'
        ? `una cabecera de registro anuncia ${v.length} bytes, más de los ${v.max} que puede llevar un registro TLS (RFC 5246 §6.2.3, RFC 8446 §5.2)`
        : `bytes que no son una cabecera de registro TLS (0x${v.bytes})`
    }; los registros se vuelven a leer desde la siguiente cabecera de registro`,
  'tls.keylog-unreadable': (v) => `no se pudo leer el registro de claves TLS ${nombreEntrada(v.input)} (${v.error.text}); las conexiones TLS cuyas claves solo están en él siguen cifradas`,
  'tls.keylog-bad-lines': (v) =>
    `registro de claves TLS ${nombreEntrada(v.input)}: ${veces(v.sessions, 'sesión leída', 'sesiones leídas')}` +
    (v.badLines > 0 ? `; ${veces(v.badLines, 'línea no está', 'líneas no están')} en el formato de registro de claves NSS (ETIQUETA, 64 dígitos hex del client random, secreto en hex), la primera en la línea ${v.firstBadLine}` : '') +
    (v.dropped > 0 ? `; se descartaron ${veces(v.dropped, 'sesión', 'sesiones')} más allá de las ${v.max} que siplens guarda` : '') +
    (v.sessions === 0 ? '; no da ninguna clave: ¿es el archivo que el servidor o el cliente escribió con SSLKEYLOGFILE o -keylogfile?' : ''),
  'tls.keys-missing': (v) =>
    `conexión TLS ${v.version} ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)} (trama ${v.frame}): los registros de claves (${veces(v.sessions, 'sesión', 'sesiones')}) no tienen secreto para su client random ${v.clientRandom}, así que sigue cifrada. ` +
    'Dé el registro de claves escrito durante esta conexión, por el servidor o el cliente (SSLKEYLOGFILE, openssl -keylogfile, keylog de Kamailio)' +
    (v.rsaKeyExchange ? '; su suite usa intercambio de claves RSA, que la clave privada del servidor también podría descifrar, pero siplens solo lee registros de claves' : ''),
  'tls.no-handshake': (v) =>
    `conexión TLS ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)} (trama ${v.frame}): su negociación no está en la captura (empezó a mitad de sesión), así que no se le puede asociar ninguna clave y sigue cifrada; empiece la captura antes de que se abra la conexión TLS (reinicie el cliente SIP o deje que la conexión se restablezca)`,
  'tls.unsupported': (v) => `la conexión TLS ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)} (trama ${v.frame}) no se puede descifrar: ${tlsNoSoportado(v.what)}`,
  'tls.decrypt-failed': (v) =>
    `${nombreFlujo(v.stream)} (trama ${v.frame}): ` +
    (v.reason === 'lost-bytes'
      ? 'no se capturaron bytes de este sentido TLS, así que se pierde la numeración de los registros'
      : `un registro TLS ${v.version} no se descifró (${v.reason === 'bad-tag' ? 'etiqueta de autenticación incorrecta' : v.reason === 'bad-mac' ? 'MAC incorrecto' : v.reason === 'bad-padding' ? 'relleno incorrecto' : 'registro demasiado corto'}) tras ${v.opened} que sí; el registro de claves no es de esta sesión, o la captura alteró los bytes`) +
    '; este sentido no se descifra más',
  'tls.decrypted': (v) =>
    `conexión TLS ${v.version} ${formatEndpoint(v.client)} → ${formatEndpoint(v.server)}${v.serverName === null ? '' : ` (nombre de servidor ${v.serverName.host})`} descifrada con el registro de claves desde la trama ${v.frame}: ${v.suite}, ${veces(v.records, 'registro', 'registros')} de datos de aplicación`,
  'tls.session-limit': (v) => `se estaban descifrando más de ${v.max} conexiones TLS a la vez; las siguientes (la primera en la trama ${v.frame}) no se descifraron (contadas)`,

  'text.no-sip': (v) =>
    `${nombreEntrada(v.input)}: no se encontraron mensajes SIP; formatos probados: ${v.formats.join(', ')} — siplens necesita mensajes completos (línea de inicio y cabeceras), así que active la traza SIP completa de la herramienta o capture el tráfico en un pcap`,
  'text.line-too-long': (v) => `la línea ${v.line} ocupa más de 256 KiB; se omitió el resto`,
  'text.message-too-large': (v) => `línea ${v.line}: el mensaje ocupa más de ${v.kib} KiB; se cortó ahí`,
  'text.byte-count-mismatch': (v) => `línea ${v.line}: el registro indica ${v.printed} bytes y el mensaje registrado tiene ${v.logged}${v.logEnds ? ' (el registro termina dentro de él)' : ''}`,
  'text.no-time': (v) =>
    v.count === null
      ? 'el registro no imprime la hora de sus mensajes; todos se muestran en 1970-01-01 00:00:00'
      : `${v.count === 1 ? '1 mensaje no tiene' : `${v.count} mensajes no tienen`} hora propia en el registro; cada uno toma la del mensaje más cercano anterior (o posterior, al principio)`,
  'text.date-from-file': (v) =>
    `${v.input.path} imprime horas sin fecha; la fecha se toma de la fecha de modificación del archivo (${v.date}, que se considera la del último mensaje) — use --date AAAA-MM-DD para fijarla`,
  'text.no-date': (v) =>
    `${v.input.path} imprime horas sin fecha y no hay fecha de archivo${v.error === null ? '' : ` (${v.error.text})`}; se muestran en 1970-01-01 — use --date AAAA-MM-DD`,

  'sip.malformed-start-line': (v) => `${lugar(v.at)}: La primera línea no es una línea de petición ni una línea de estado.`,
  'sip.malformed-header': (v) => `${lugar(v.at)}: Una línea de cabecera no tiene la forma \`nombre: valor\`.`,
  'sip.bare-lf': (v) => `${lugar(v.at)}: Las líneas terminan solo en LF en lugar de CRLF.`,
  'sip.invalid-utf8': (v) => `${lugar(v.at)}: Los bytes de las cabeceras no son UTF-8 válido; se muestran como U+FFFD.`,
  'sip.no-header-end': (v) => `${lugar(v.at)}: Ninguna línea vacía cierra las cabeceras.`,
  'sip.content-length-invalid': (v) => `${lugar(v.at)}: ${v.absent ? 'No hay cabecera Content-Length.' : 'Content-Length no es un número decimal no negativo.'}`,
  'sip.content-length-conflict': (v) => `${lugar(v.at)}: Varias cabeceras Content-Length con valores distintos.`,
  'sip.body-truncated': (v) => `${lugar(v.at)}: Content-Length anuncia ${v.announced} bytes de cuerpo; solo hay ${v.present}.`,
  'sip.cut-by-capture': (v) =>
    `la captura recortó mensajes SIP (primero: trama ${v.frame}, ${v.captured} bytes capturados, ${v.missing} más enviados): su longitud de captura (snaplen) era pequeña, no es culpa del remitente; lo que falta no se comprueba (capture con tcpdump -s 0 para tener los mensajes enteros)`,
  'sip.trailing-bytes': (v) => `${lugar(v.at)}: Se descartan ${v.bytes} bytes tras el cuerpo.`,
  'sip.missing-header': (v) => `${lugar(v.at)}: ${v.headers.length === 1 ? 'Falta la cabecera obligatoria' : 'Faltan las cabeceras obligatorias'} ${v.headers.join(', ')}.`,
  'sip.bad-header-value': (v) => `${lugar(v.at)}: No se puede leer el valor de la cabecera ${v.header}.`,
  'sip.too-many-headers': (v) => `${lugar(v.at)}: Más de ${v.max} líneas de cabecera; se omite el resto.`,
  'sip.junk-before-message': (v) => `trama ${v.frame}: ${v.bytes} bytes que no son SIP preceden a la línea de inicio`,
  'sip.not-sip-on-sip-port': (v) => `datagramas en puertos SIP que no contienen ningún mensaje SIP (primero: trama ${v.frame})`,
  'sip.parser-failure': (v) => `${lugar(v.at)}: ${v.error.text}`,
  'sip.keepalive': (v) =>
    v.on === 'udp'
      ? `datagramas keep-alive en puertos SIP (primero: trama ${v.frame})`
      : v.on === 'ws'
        ? `keep-alives (CRLF) en mensajes WebSocket (primero: trama ${v.frame})`
        : `keep-alives (CRLF) entre mensajes en flujos (RFC 5626; primero: ${nombreFlujo(v.stream)})`,
  'sip.stream-junk': (v) =>
    `${nombreFlujo(v.stream)}: se saltaron hasta la siguiente línea de inicio ${v.bytes} bytes que no empiezan un mensaje SIP (un Content-Length erróneo, o datos que no son SIP)`,
  'sip.stream-incomplete': (v) => {
    const motivo = v.why.reason === 'gap' ? `se perdieron ${v.why.lost} bytes del flujo (hueco)` : 'el flujo terminó';
    const trama = v.frame ?? '?';
    return v.total !== null
      ? `${nombreFlujo(v.stream)}: ${motivo} a ${v.held} bytes del inicio de un mensaje de ${v.total} bytes (trama ${trama}); se conserva con el cuerpo cortado`
      : `${nombreFlujo(v.stream)}: ${motivo} dentro de las cabeceras de un mensaje (${v.held} bytes desde la trama ${trama}); el mensaje se pierde`;
  },
  'sip.no-message-boundary': (v) =>
    `${nombreFlujo(v.stream)}: ningún final de cabeceras en los ${v.max} bytes que siguen a una línea de inicio; se saltan los bytes hasta la siguiente línea de inicio`,
  'sip.message-too-large': (v) =>
    `${nombreFlujo(v.stream)}: un mensaje de ${v.total} bytes ocupa más de los ${v.max} bytes que siplens guarda; se corta ahí y se omite el resto de su cuerpo`,
  'sip.sdp-unparseable': (v) => `${lugar(v.at)}: ${problemaSdp(v.problem)}; las reglas de medios tratan este mensaje como si no tuviera SDP`,

  'analysis.open-calls-limit': (v) =>
    `hubo más de ${v.max} llamadas abiertas a la vez; ${v.count === 1 ? 'una se notificó' : `${v.count} se notificaron`} antes de terminar (primero las que llevaban más tiempo inactivas), así que un mensaje posterior de una de ellas abre una entrada nueva con el mismo Call-ID. Suba el límite con --max-open-calls si la memoria lo permite.`,
  'analysis.call-too-long': (v) =>
    `una llamada llegó a ${v.max} mensajes y se notificó ahí; sus mensajes posteriores forman una entrada nueva con el mismo Call-ID (${veces(v.count, 'vez', 'veces')}).`,
  'analysis.main-problems-limit': (v) =>
    `los problemas principales cuentan las historias contadas entre llamadas, y los hallazgos que resumen, servidor por servidor para ${v.max} servidores como mucho (cada tipo aparte); ${v.count === 1 ? 'un hallazgo no se contó' : `${v.count} hallazgos no se contaron`} servidor por servidor, así que un problema principal que cuenta esa historia puede contar también hallazgos sobre otros servidores.`,
  'analysis.patterns-limit': (v) =>
    `se siguieron a la vez entre llamadas más de ${v.max} suscripciones, desafíos o direcciones; ${v.count === 1 ? 'se soltó uno' : `se soltaron ${v.count}`} (primero los más antiguos), así que las historias contadas entre llamadas (suscripciones perdidas, respuestas tardías a desafíos) pueden contar menos de lo que ocurrió.`,
  'media.stream-limit': (v) =>
    `hubo más de ${v.max} flujos de medios abiertos a la vez; ${v.count} ${v.count === 1 ? 'flujo nuevo se contó sin seguirlo' : 'flujos nuevos se contaron sin seguirlos'}, así que sus llamadas no muestran esos medios`,
  'media.announcement-limit': (v) =>
    `hubo más de ${v.max} direcciones de medios de SDP a la vez; se olvidaron ${v.count} de las llamadas más antiguas, así que los medios enviados después a ellas no se asocian a esas llamadas`,
  'media.rtcp-unreadable': (v) => `${v.count} ${v.count === 1 ? 'paquete RTCP no se pudo leer' : 'paquetes RTCP no se pudieron leer'} (SRTCP, cuyos informes van cifrados, o dañados) y se omiti${v.count === 1 ? 'ó' : 'eron'}`,
};

/** The diagnostics' sentences in every language (Spanish has English's shape, or TypeScript refuses it). */
export const DIAGNOSTIC_TEXTS = defineWords('diagnostics', { en, es });

/** What the CLI adds to a diagnostic's sentence on stderr. */
export const DIAGNOSTIC_NOTES = defineWords('diagnostic-notes', {
  en: { readBefore: (sentence: string) => `${sentence} (the report shows what was read before)` },
  es: { readBefore: (sentence: string) => `${sentence} (el informe muestra lo leído hasta entonces)` },
});

/** A diagnostic's sentence in `lang`, made from its code and values. */
export function diagnosticText(d: Diagnostic, lang: Lang = 'en'): string {
  // The union of codes does not tell TypeScript that d.values belongs to d.code; the Diagnostic type guarantees it.
  const template = DIAGNOSTIC_TEXTS[lang][d.code] as (v: Diagnostic['values']) => string;
  return template(d.values);
}
