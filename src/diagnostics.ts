import type { Severity } from './types.js';

/**
 * Every diagnostic siplens can emit, as one table: code -> layer, severity, description.
 * Modelled on Zeek's named "weirds": an anomaly has a stable name, never stops analysis,
 * and carries its location. Tests check that every emitted code is listed here.
 */
export interface DiagnosticInfo {
  readonly layer: 'input' | 'capture' | 'link' | 'net' | 'transport' | 'sip';
  readonly severity: Severity;
  readonly description: string;
}

export const DIAGNOSTICS = {
  // input
  'input.not-found': { layer: 'input', severity: 'error', description: 'The input file does not exist.' },
  'input.is-directory': { layer: 'input', severity: 'error', description: 'The input path is a directory, not a file.' },
  'input.unreadable': { layer: 'input', severity: 'error', description: 'The input could not be opened or read (permissions, I/O error).' },
  'input.empty': { layer: 'input', severity: 'error', description: 'The input holds no bytes.' },
  'input.unknown-format': { layer: 'input', severity: 'error', description: 'The first bytes match no supported capture format (pcap, pcapng, gzip).' },
  'input.gzip-error': { layer: 'input', severity: 'error', description: 'The gzip-compressed input is corrupt or cut short; what was decompressed before the error is analysed.' },
  'input.text-log-unsupported': { layer: 'input', severity: 'error', description: 'The input looks like a plain-text SIP log; text logs are not supported yet.' },
  'diagnostics.suppressed': { layer: 'input', severity: 'info', description: 'More diagnostics of one code occurred than are kept; the rest were counted, not stored.' },

  // capture formats
  'capture.truncated-header': { layer: 'capture', severity: 'error', description: 'The file ends inside the capture file header.' },
  'capture.truncated-record': { layer: 'capture', severity: 'warning', description: 'The file ends inside a packet record or block; the partial record is skipped.' },
  'capture.record-too-large': { layer: 'capture', severity: 'warning', description: 'A record claims more captured bytes than the format allows (snaplen or the reader limit); the file cannot be followed past it.' },
  'capture.caplen-exceeds-origlen': { layer: 'capture', severity: 'info', description: 'A record has a captured length larger than its original length.' },
  'pcapng.bad-block-length': { layer: 'capture', severity: 'error', description: 'A pcapng block length is below 12, not a multiple of 4, or past the reader limit; reading stops there.' },
  'pcapng.block-length-mismatch': { layer: 'capture', severity: 'warning', description: 'A pcapng block\'s trailing length differs from its leading length.' },
  'pcapng.bad-block': { layer: 'capture', severity: 'warning', description: 'A pcapng block body is shorter than its fixed fields, or its captured length runs past the block.' },
  'pcapng.bad-byte-order-magic': { layer: 'capture', severity: 'error', description: 'A Section Header Block has an unknown byte-order magic.' },
  'pcapng.unsupported-version': { layer: 'capture', severity: 'warning', description: 'A section has a major version other than 1; it is read as version 1.' },
  'pcapng.packet-before-section': { layer: 'capture', severity: 'error', description: 'The file does not start with a Section Header Block.' },
  'pcapng.unknown-interface': { layer: 'capture', severity: 'warning', description: 'A packet refers to an interface that no Interface Description Block defined; the packet is skipped.' },
  'pcapng.unknown-block': { layer: 'capture', severity: 'info', description: 'Blocks of a type siplens does not use were skipped (counted per type).' },
  'pcapng.bad-option': { layer: 'capture', severity: 'warning', description: 'An option runs past the end of its block; the remaining options are ignored.' },

  // link layer
  'link.unsupported-linktype': { layer: 'link', severity: 'warning', description: 'Frames of a link-layer type siplens cannot decode were skipped (counted per type).' },
  'link.truncated': { layer: 'link', severity: 'warning', description: 'A frame is shorter than its link-layer header.' },
  'link.unsupported-ethertype': { layer: 'link', severity: 'info', description: 'Frames carrying a network protocol other than IPv4/IPv6 were skipped (counted per EtherType).' },
  'link.unsupported-family': { layer: 'link', severity: 'info', description: 'Loopback frames of an address family other than IPv4/IPv6 were skipped.' },
  'link.too-many-tags': { layer: 'link', severity: 'warning', description: 'A frame has more VLAN/MPLS tags than the decoder follows.' },

  // network layer
  'ip.truncated': { layer: 'net', severity: 'warning', description: 'An IP header is cut short by the end of the frame.' },
  'ip.bad-header': { layer: 'net', severity: 'warning', description: 'An IP header has an impossible version, header length or total length.' },
  'ip.snaplen-truncated': { layer: 'net', severity: 'warning', description: 'An IP packet is longer than what was captured (snaplen); its end is missing.' },
  'ip.fragment-not-reassembled': { layer: 'net', severity: 'warning', description: 'IP fragments were seen; reassembly is not implemented yet, so messages inside them are missing (counted).' },
  'ip.unsupported-protocol': { layer: 'net', severity: 'info', description: 'IP packets of a protocol siplens does not decode were skipped (counted per protocol).' },
  'ip.tunnel-too-deep': { layer: 'net', severity: 'warning', description: 'Nested tunnels deeper than the decoder follows.' },
  'ip.jumbogram': { layer: 'net', severity: 'warning', description: 'An IPv6 jumbogram (payload length 0); not decoded.' },

  // transport layer
  'udp.truncated': { layer: 'transport', severity: 'warning', description: 'A UDP header or payload is cut short.' },
  'udp.bad-length': { layer: 'transport', severity: 'warning', description: 'A UDP length field is below 8 or disagrees with the IP length.' },
  'tcp.not-reassembled': { layer: 'transport', severity: 'warning', description: 'TCP segments with payload were seen; SIP over TCP is not decoded yet, so messages carried on TCP are missing (counted).' },

  // SIP
  'sip.malformed-start-line': { layer: 'sip', severity: 'warning', description: 'The first line is neither a valid request line nor a valid status line.' },
  'sip.malformed-header': { layer: 'sip', severity: 'warning', description: 'A header line is not of the form `name: value`; it is kept as written.' },
  'sip.bare-lf': { layer: 'sip', severity: 'info', description: 'Lines end in LF alone instead of CRLF (RFC 3261 §7 requires CRLF).' },
  'sip.invalid-utf8': { layer: 'sip', severity: 'warning', description: 'Header bytes are not valid UTF-8; invalid sequences are shown as U+FFFD.' },
  'sip.no-header-end': { layer: 'sip', severity: 'warning', description: 'No empty line ends the headers; the message is read as headers only.' },
  'sip.content-length-invalid': { layer: 'sip', severity: 'warning', description: 'Content-Length is not a non-negative decimal number.' },
  'sip.content-length-conflict': { layer: 'sip', severity: 'warning', description: 'Several Content-Length headers with different values.' },
  'sip.body-truncated': { layer: 'sip', severity: 'warning', description: 'Content-Length announces more bytes than the message holds.' },
  'sip.trailing-bytes': { layer: 'sip', severity: 'info', description: 'A datagram holds bytes after the body announced by Content-Length (RFC 3261 §18.3: they are discarded).' },
  'sip.missing-header': { layer: 'sip', severity: 'warning', description: 'A header every SIP message needs (Call-ID, CSeq, From, To, Via) is missing.' },
  'sip.bad-header-value': { layer: 'sip', severity: 'warning', description: 'A header that siplens interprets (CSeq, Via, From, To, Contact, Max-Forwards) has a value it cannot read.' },
  'sip.too-many-headers': { layer: 'sip', severity: 'warning', description: 'A message has more header lines than the parser keeps; the rest are skipped.' },
  'sip.junk-before-message': { layer: 'sip', severity: 'warning', description: 'Bytes that are not SIP precede the start line in a datagram on a SIP port.' },
  'sip.not-sip-on-sip-port': { layer: 'sip', severity: 'info', description: 'A datagram to or from a SIP port holds no SIP message (counted).' },
  'sip.parser-failure': { layer: 'sip', severity: 'error', description: 'The SIP parser failed on a message (a bug in siplens); the message is skipped and analysis goes on. Please report it with the frame.' },
  'sip.keepalive': { layer: 'sip', severity: 'info', description: 'Keep-alive datagrams (CRLF, RFC 5626 §3.5.1) were seen (counted).' },
} as const satisfies Record<string, DiagnosticInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;
