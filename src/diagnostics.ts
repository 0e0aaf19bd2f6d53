import type { Endpoint, Severity } from './types.js';

/**
 * Every diagnostic siplens can emit, as one table: code -> layer, severity, description.
 * Modelled on Zeek's named "weirds": an anomaly has a stable name, never stops analysis,
 * and carries its location. Tests check that every emitted code is listed here.
 */
export interface DiagnosticInfo {
  readonly layer: 'input' | 'capture' | 'link' | 'net' | 'transport' | 'sip' | 'text' | 'dialog';
  readonly severity: Severity;
  readonly description: string;
}

export const DIAGNOSTICS = {
  // input
  'input.not-found': { layer: 'input', severity: 'error', description: 'The input file does not exist (docs/errors.md lists every input error and what to do).' },
  'input.is-directory': { layer: 'input', severity: 'error', description: 'The input path is a directory, not a file.' },
  'input.unreadable': { layer: 'input', severity: 'error', description: 'The input could not be opened or read (permissions, an I/O error), or siplens failed while reading it (a bug, said as such); when it happens part-way, what was read before is analysed.' },
  'input.empty': { layer: 'input', severity: 'error', description: 'The input holds no bytes: an empty file, a gzip file of nothing, or standard input closed before any byte arrived.' },
  'input.unknown-format': { layer: 'input', severity: 'error', description: 'The first bytes are neither a supported capture format (pcap, pcapng, gzip) nor text (a SIP log).' },
  'input.interrupted': { layer: 'input', severity: 'warning', description: 'Reading was stopped by the user (Ctrl-C, SIGINT); what was read before is analysed and reported, calls still open included.' },
  'input.gzip-error': { layer: 'input', severity: 'error', description: 'The gzip-compressed input is corrupt or cut short; what was decompressed before the error is analysed (nothing, when the gzip header itself is bad: the input is then not read).' },
  'input.duplicate': { layer: 'input', severity: 'warning', description: 'The same file was given more than once (the same name twice, another path to it, or a link): it is read once, under its first name, so its messages do not show twice as retransmissions.' },
  'input.ended-mid-call': { layer: 'input', severity: 'info', description: 'The input ended while calls were mid-dialog (an INVITE with no final response, or a call answered and not hung up): each shows its state when the capture ended (an answered call stays answered, with no talk time).' },
  'input.cut-mid-call': { layer: 'input', severity: 'error', description: 'The input was cut short (it ends inside a packet record, as when the capture process is killed, or reading failed part-way) while calls were mid-dialog: how those calls ended is not in the capture, and calls answered and not hung up are unresolved, not answered.' },
  'input.capture-drops': { layer: 'input', severity: 'warning', description: 'The capture process siplens started (tcpdump, `siplens live -i`) said when it stopped that packets were dropped before it took them: by the kernel (its reader, siplens, was too slow, or the buffer too small) or by the interface. Those packets are not in the analysis, so a call may look broken where only the capture is.' },
  'input.capture-stopped': { layer: 'input', severity: 'error', description: 'The capture process siplens started (tcpdump, `siplens live -i`) stopped before siplens asked it to: killed by a signal, or exited on an error. The capture ends there, and calls in progress have no end in it.' },
  'diagnostics.suppressed': { layer: 'input', severity: 'info', description: 'More diagnostics of one code occurred than are kept; the rest were counted, not stored.' },

  // capture formats
  'capture.truncated-header': { layer: 'capture', severity: 'error', description: 'The file ends inside the capture file header.' },
  'capture.truncated-record': { layer: 'capture', severity: 'warning', description: 'The file ends inside a packet record or block; the partial record is skipped.' },
  'capture.no-frames': { layer: 'capture', severity: 'warning', description: 'The capture file header is valid but no packet follows it (the capture was stopped before writing any, or its filter matched nothing).' },
  'capture.record-too-large': { layer: 'capture', severity: 'warning', description: 'A record claims more captured bytes than the format allows (snaplen or the reader limit); the file cannot be followed past it.' },
  'capture.time-backwards': { layer: 'capture', severity: 'info', description: 'Frames are stamped earlier than frames before them (a clock step, or merged captures); messages stay in frame order, and times around them may look odd (counted).' },
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
  'link.unsupported-erf-type': { layer: 'link', severity: 'warning', description: 'ERF records (link type 197) of a record type other than Ethernet, IPv4 or IPv6 (ATM, HDLC, InfiniBand) were skipped (counted per record type).' },
  'link.erf-no-packet': { layer: 'link', severity: 'info', description: 'ERF provenance (META) or padding records, which carry no packet, were skipped (counted).' },
  'link.too-many-tags': { layer: 'link', severity: 'warning', description: 'A frame has more VLAN/MPLS tags than the decoder follows.' },

  // network layer
  'ip.truncated': { layer: 'net', severity: 'warning', description: 'An IP header is cut short by the end of the frame.' },
  'ip.bad-header': { layer: 'net', severity: 'warning', description: 'An IP header has an impossible version, header length or total length.' },
  'ip.snaplen-truncated': { layer: 'net', severity: 'warning', description: 'An IP packet is longer than what was captured (snaplen); its end is missing.' },
  'ip.fragment-incomplete': { layer: 'net', severity: 'warning', description: 'The fragments of an IP datagram never all arrived (timeout by capture time, or the capture ended); the datagram, and any SIP message in it, is lost. Names the datagram and the missing bytes.' },
  'ip.fragment-overlap': { layer: 'net', severity: 'warning', description: 'IP fragments overlap with different bytes, or disagree on the datagram length; the bytes received first are kept.' },
  'ip.fragment-duplicate': { layer: 'net', severity: 'info', description: 'IP fragments seen twice (retransmitted, or captured on two interfaces) were ignored (counted).' },
  'ip.fragment-limit': { layer: 'net', severity: 'warning', description: 'A defragmentation limit was hit (fragments per datagram, datagrams waiting, bytes held, 65535-byte datagram size); the datagram named is dropped.' },
  'tunnel.truncated': { layer: 'net', severity: 'warning', description: 'A GRE, ERSPAN, VXLAN, Geneve, EtherIP or GTP-U header is cut short.' },
  'tunnel.unsupported': { layer: 'net', severity: 'info', description: 'Tunnel packets (GRE, ERSPAN, VXLAN, Geneve, EtherIP, GTP-U) with a version, flag, message type or payload protocol siplens does not decode were skipped (counted per kind).' },
  'ip.unsupported-protocol': { layer: 'net', severity: 'info', description: 'IP packets of a protocol siplens does not decode were skipped (counted per protocol).' },
  'ip.tunnel-too-deep': { layer: 'net', severity: 'warning', description: 'Nested tunnels deeper than the decoder follows.' },
  'ipsec.encrypted': { layer: 'net', severity: 'warning', description: 'ESP (IPsec) packets, plain or in UDP 4500 (NAT traversal), are encrypted: the SIP or media inside them (IMS and VoWiFi phones protect SIP this way) is missing from the analysis, so a call may show responses without their requests. Counted per pair of hosts, with the first SPI.' },
  'ip.jumbogram': { layer: 'net', severity: 'warning', description: 'An IPv6 jumbogram (payload length 0); not decoded.' },

  // transport layer
  'udp.truncated': { layer: 'transport', severity: 'warning', description: 'A UDP header or payload is cut short.' },
  'udp.bad-length': { layer: 'transport', severity: 'warning', description: 'A UDP length field is below 8 or disagrees with the IP length.' },
  'tcp.truncated': { layer: 'transport', severity: 'warning', description: 'A TCP header is cut short.' },
  'tcp.bad-header': { layer: 'transport', severity: 'warning', description: 'A TCP header has a data offset below 5.' },
  'tcp.gap': { layer: 'transport', severity: 'warning', description: 'Bytes of a TCP stream were never captured (the receiver acknowledged them, too much arrived out of order, too much capture time passed, or the snaplen cut the segment); says how many. Messages in them are lost; framing resumes at the next start line.' },
  'tcp.retransmission': { layer: 'transport', severity: 'info', description: 'TCP segments repeating bytes already seen (retransmissions, overlaps) were dropped (counted).' },
  'tcp.midstream': { layer: 'transport', severity: 'info', description: 'TCP streams were seen from the middle (no SYN); bytes before the first SIP start line are skipped (counted).' },
  'tcp.limit': { layer: 'transport', severity: 'warning', description: 'A TCP reassembly limit was hit (connections followed at once, bytes held for all streams); the connection named is no longer followed.' },
  'ws.bad-frame': { layer: 'transport', severity: 'warning', description: 'A WebSocket frame breaks RFC 6455 (reserved opcode or bits, an oversized control frame, a message over the size limit, a continuation with no message); the stream is not read further.' },
  'ws.not-sip': { layer: 'transport', severity: 'info', description: 'WebSocket messages that are not SIP were skipped (counted).' },
  'ws.compressed': { layer: 'transport', severity: 'warning', description: 'A compressed WebSocket message (permessage-deflate, RFC 7692) could not be inflated (the handshake was not captured, or the data is corrupt); it is skipped.' },
  'hep.bad-packet': { layer: 'transport', severity: 'warning', description: 'A HEP packet is cut short, has a chunk running past its end, or a compressed payload that does not inflate; it is skipped.' },
  'hep.not-sip': { layer: 'transport', severity: 'info', description: 'HEP packets carrying something other than SIP (RTCP, logs, QoS reports) were skipped (counted per payload type).' },
  'sctp.bad-chunk': { layer: 'transport', severity: 'warning', description: 'An SCTP packet is cut short or has a chunk length that runs past it.' },
  'sctp.incomplete-message': { layer: 'transport', severity: 'warning', description: 'An SCTP user message split over several DATA chunks never completed (a chunk was not captured), or exceeded the size limit; it is lost.' },
  'sctp.retransmission': { layer: 'transport', severity: 'info', description: 'SCTP DATA chunks already seen (same TSN) were dropped (counted).' },
  'sctp.not-sip': { layer: 'transport', severity: 'info', description: 'SCTP user messages that are not SIP (Diameter, SIGTRAN, ...) were skipped (counted per payload protocol).' },
  'tls.sip-flow': { layer: 'transport', severity: 'warning', description: 'An encrypted TLS connection on a SIP port (5061, or 5060): the SIP in it cannot be read, so calls may be missing. Gives endpoints, packets and bytes, and how to get a cleartext trace.' },
  'tls.flow': { layer: 'transport', severity: 'info', description: 'Encrypted TLS connections on other ports (HTTPS, or SIP over secure WebSocket), summed per server port: connections, servers, packets and bytes; what they carry cannot be read.' },
  'tls.bad-record': { layer: 'transport', severity: 'warning', description: 'Only when TLS records are asked for (the onTlsRecord output): a TLS record header announces more than 2^14 + 2048 bytes (RFC 5246 §6.2.3, RFC 8446 §5.2), or bytes where a record header should be are not one; records are read again from the next plausible header, and the records after it say they follow skipped bytes.' },
  'tls.keylog-unreadable': { layer: 'input', severity: 'error', description: 'A TLS key log given with --tls-keylog (or SSLKEYLOGFILE) could not be read; TLS connections whose secrets only it held stay encrypted.' },
  'tls.keylog-bad-lines': { layer: 'input', severity: 'warning', description: 'A TLS key log has lines that are not in the NSS key log format (LABEL, 64 hex digits of client random, the secret in hex), gave no session at all, or held more sessions than siplens keeps (200000); says how many and the first bad line.' },
  'tls.keys-missing': { layer: 'transport', severity: 'warning', description: 'A TLS connection whose client random is in no key log given (nor in the capture\'s Decryption Secrets Block): it stays encrypted. Says the client random to look for, and whether the suite uses RSA key exchange.' },
  'tls.no-handshake': { layer: 'transport', severity: 'warning', description: 'A TLS connection whose handshake is not in the capture (the capture started mid-session): without its client random no key can be found, so it stays encrypted. Start the capture before the connection opens.' },
  'tls.unsupported': { layer: 'transport', severity: 'warning', description: 'A TLS connection siplens cannot decrypt even with its keys: a cipher suite it does not implement (CCM, ARIA, Camellia, 3DES...), a version before TLS 1.2, compression, 0-RTT early data, a TLS 1.2 renegotiation, or a hello longer than 64 KiB.' },
  'tls.decrypt-failed': { layer: 'transport', severity: 'error', description: 'A TLS record did not decrypt (failed authentication tag or MAC, bad padding), or bytes of the direction were lost (record sequence numbers are then unknown): the key log does not belong to this session, or the capture lost data. That direction is not decrypted further.' },
  'tls.decrypted': { layer: 'transport', severity: 'info', description: 'A TLS connection decrypted with a key log: version, cipher suite and application records; its SIP messages say transport TLS (or WSS) and keep the capture\'s frames and times.' },
  'tls.session-limit': { layer: 'transport', severity: 'warning', description: 'More TLS connections were being decrypted at once than siplens keeps (4096); the ones past the bound are counted, not decrypted.' },

  // text logs
  'text.no-sip': { layer: 'text', severity: 'error', description: 'A plain-text input holds no SIP message in any format siplens reads; the sentence lists the formats tried.' },
  'text.line-too-long': { layer: 'text', severity: 'warning', description: 'A log line is longer than 256 KiB; the rest of it was skipped.' },
  'text.message-too-large': { layer: 'text', severity: 'warning', description: 'A message in a log runs past 1 MiB; it was cut there.' },
  'text.byte-count-mismatch': { layer: 'text', severity: 'info', description: 'The log prints a message size that differs from the message as logged (lines dropped or re-wrapped by the logger, or the log cut inside the message).' },
  'text.no-time': { layer: 'text', severity: 'info', description: 'Messages in a log carry no timestamp; they take the time of the nearest message (1970-01-01 when none has one).' },
  'text.date-from-file': { layer: 'text', severity: 'info', description: 'The log prints times without a date; the date comes from the file\'s modification time (the date of the last message). --date sets it.' },
  'text.no-date': { layer: 'text', severity: 'info', description: 'The log prints times without a date and there is no file date (stdin); times are shown on 1970-01-01. --date sets it.' },

  // SIP
  'sip.malformed-start-line': { layer: 'sip', severity: 'warning', description: 'The first line is neither a valid request line nor a valid status line.' },
  'sip.malformed-header': { layer: 'sip', severity: 'warning', description: 'A header line is not of the form `name: value`; it is kept as written.' },
  'sip.bare-lf': { layer: 'sip', severity: 'info', description: 'Lines end in LF alone instead of CRLF (RFC 3261 §7 requires CRLF).' },
  'sip.invalid-utf8': { layer: 'sip', severity: 'warning', description: 'Header bytes are not valid UTF-8; invalid sequences are shown as U+FFFD.' },
  'sip.no-header-end': { layer: 'sip', severity: 'warning', description: 'No empty line ends the headers; the message is read as headers only.' },
  'sip.content-length-invalid': { layer: 'sip', severity: 'warning', description: 'Content-Length is not a non-negative decimal number.' },
  'sip.content-length-conflict': { layer: 'sip', severity: 'warning', description: 'Several Content-Length headers with different values.' },
  'sip.body-truncated': { layer: 'sip', severity: 'warning', description: 'Content-Length announces more bytes than the message holds.' },
  'sip.cut-by-capture': { layer: 'sip', severity: 'info', description: "SIP messages the capture's snap length cut (the frame's captured length is below its original length): what is missing was never captured, so it is not checked and no sender is blamed for it (counted; the first is named)." },
  'sip.trailing-bytes': { layer: 'sip', severity: 'info', description: 'A datagram holds bytes after the body announced by Content-Length (RFC 3261 §18.3: they are discarded).' },
  'sip.missing-header': { layer: 'sip', severity: 'warning', description: 'A header every SIP message needs (Call-ID, CSeq, From, To, Via) is missing.' },
  'sip.bad-header-value': { layer: 'sip', severity: 'warning', description: 'A header that siplens interprets (CSeq, Via, From, To, Contact, Max-Forwards) has a value it cannot read.' },
  'sip.too-many-headers': { layer: 'sip', severity: 'warning', description: 'A message has more header lines than the parser keeps; the rest are skipped.' },
  'sip.junk-before-message': { layer: 'sip', severity: 'warning', description: 'Bytes that are not SIP precede the start line in a datagram on a SIP port.' },
  'sip.not-sip-on-sip-port': { layer: 'sip', severity: 'info', description: 'A datagram to or from a SIP port holds no SIP message (counted).' },
  'sip.parser-failure': { layer: 'sip', severity: 'error', description: 'The SIP parser failed on a message (a bug in siplens); the message is skipped and analysis goes on. Please report it with the frame.' },
  'sip.keepalive': { layer: 'sip', severity: 'info', description: 'Keep-alives (CRLF, RFC 5626 §3.5.1) were seen, as datagrams or between messages on a stream (counted).' },
  'sip.stream-junk': { layer: 'sip', severity: 'warning', description: 'Bytes in a SIP stream that do not start a message (after a wrong Content-Length, or data that is not SIP) were skipped to the next start line.' },
  'sip.stream-incomplete': { layer: 'sip', severity: 'warning', description: 'A stream ended, or lost bytes, inside a message: with its headers whole it is kept with the body cut, else it is lost.' },
  'sip.no-message-boundary': { layer: 'sip', severity: 'warning', description: 'No empty line ends the headers within the bytes siplens searches (64 KiB) on a stream; the bytes are skipped to the next start line.' },
  'sip.message-too-large': { layer: 'sip', severity: 'warning', description: 'A message on a stream is longer than siplens keeps (1 MiB); it is cut there and the rest of its body is skipped.' },
  'sip.sdp-unparseable': { layer: 'sip', severity: 'warning', description: 'A message declares SDP (Content-Type application/sdp, or an SDP part of a multipart body) that cannot be read: the body does not begin with v=, or the multipart body has no boundary parameter or no part delimited by it (RFC 2046 §5.1.1). The media rules see the message as having no SDP.' },
  // dialog (the correlator's bounded tables, src/parse/dialog/correlate.ts)
  'analysis.open-calls-limit': { layer: 'dialog', severity: 'warning', description: 'More calls were open at once than the table holds (--max-open-calls); the least recently active were reported before they were over, and a later message of one starts a new entry with the same Call-ID.' },
  'analysis.call-too-long': { layer: 'dialog', severity: 'warning', description: 'A call reached the most messages one entry holds (5,000); it was reported there and its later messages form a new entry with the same Call-ID.' },
  'analysis.main-problems-limit': { layer: 'dialog', severity: 'info', description: 'The main problems count a story told across calls, and the findings it sums up, server by server for at most 1,024 servers (each kind apart: a server with a story and the findings it sums up takes two); past that, each story sums up its whole kind, so a main problem may count findings about a server other than the one its story names.' },
  'analysis.patterns-limit': { layer: 'dialog', severity: 'info', description: 'More subscriptions, challenges or addresses were followed across calls at once than their tables hold (10,000 each); the oldest were let go, so a lost subscription or a late answer to a challenge among them is not counted in its story.' },
  'media.stream-limit': { layer: 'dialog', severity: 'warning', description: 'More media streams were open at once than the stream table holds (10,000); later new streams were counted, not followed, so their calls show no media for them.' },
  'media.announcement-limit': { layer: 'dialog', severity: 'warning', description: 'More SDP media addresses were held at once than the table holds (100,000); those of the oldest calls were forgotten, so media sent to them later is not tied to those calls.' },
  'media.rtcp-unreadable': { layer: 'dialog', severity: 'info', description: 'RTCP packets that could not be read (SRTCP, whose reports are encrypted, RFC 3711 §3.4, or damaged) were counted and skipped.' },
} as const satisfies Record<string, DiagnosticInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

/*
 * What each diagnostic carries besides its code and location: the raw values its sentence needs,
 * typed per code. No sentence is made here or anywhere under src/parse: src/present/diagnostics.ts
 * writes them, in the report's language, when a report is shown.
 *
 * Values that come from the trace or the system and may name someone are objects with one
 * reserved field, so redaction (src/present/redact.ts) finds every one of them by its shape:
 * `ip` (Address, Endpoint), `path` (InputRef), `host` (HostName), `text` (TraceText). A plain
 * string is a word siplens chose (a protocol or header name, a reason), never trace data.
 */

/** An address from the trace, without a port. */
export interface Address {
  readonly ip: string;
}

/** An input as a sentence names it: a path, or "-" for standard input. */
export interface InputRef {
  readonly path: string;
}

/** Text from the trace or the system (an OS or zlib error, a multipart boundary): redacted as trace text. */
export interface TraceText {
  readonly text: string;
}

/** A host name from the trace (a TLS server name). */
export interface HostName {
  readonly host: string;
}

/** One direction of a followed TCP connection, and what it carries. */
export interface StreamRef {
  readonly protocol: 'TCP' | 'TLS' | 'WebSocket' | 'HEP';
  readonly src: Endpoint;
  readonly dst: Endpoint;
}

/** What keeps a TLS connection from being decrypted even with its keys. */
export type TlsUnsupported =
  | { readonly kind: 'suite'; readonly suite: number }
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'compression'; readonly method: number }
  | { readonly kind: 'early-data' | 'renegotiation' }
  | { readonly kind: 'hello-too-long'; readonly max: number };

/** Where in its input a SIP message is: a frame of a capture or a line of a log. */
export type MessageAt = { readonly frame: number } | { readonly line: number };

/** An IP datagram being reassembled. */
export interface Datagram {
  readonly version: 4 | 6;
  readonly src: Address;
  readonly dst: Address;
  readonly id: number;
}

/**
 * What a link layer carries that siplens does not decode: an EtherType (`name` null when siplens
 * knows none), 802.3/LLC frames, a PPPoE protocol, a non-IP MPLS payload, a raw IP version.
 */
export type UnsupportedLinkPayload =
  | { readonly kind: 'ethertype'; readonly etherType: number; readonly name: string | null }
  | { readonly kind: 'llc' | 'mpls-pseudowire' }
  | { readonly kind: 'ppp'; readonly protocol: number }
  | { readonly kind: 'raw-ip'; readonly version: number };

/** Tunnel packets siplens does not decode, by kind (GRE and PPP protocols are EtherTypes and PPP numbers). */
export type UnsupportedTunnel =
  | { readonly kind: 'gre-version'; readonly version: number }
  | { readonly kind: 'erspan-version'; readonly version: number; readonly protocol: number }
  | { readonly kind: 'erspan-frame-type'; readonly frameType: number }
  | { readonly kind: 'gre-protocol'; readonly protocol: number }
  | { readonly kind: 'ppp-protocol'; readonly protocol: number }
  | { readonly kind: 'vxlan-no-vni' }
  | { readonly kind: 'geneve-version'; readonly version: number }
  | { readonly kind: 'geneve-protocol'; readonly protocol: number }
  | { readonly kind: 'etherip-version'; readonly version: number }
  /** `pt` 0: GTP' (charging), not GTP-U. */
  | { readonly kind: 'gtpu-version'; readonly version: number; readonly pt: number }
  /** Echo request/response (1, 2), error indication (26), supported extension headers notification (31), end marker (254): no user packet. */
  | { readonly kind: 'gtpu-message'; readonly messageType: number }
  /** A G-PDU whose payload starts with neither an IPv4 nor an IPv6 header (non-IP PDN, Ethernet PDU session). */
  | { readonly kind: 'gtpu-pdu'; readonly firstByte: number };

/** Why an input could not be opened or read at all. */
export type ReadFailure = { readonly input: InputRef } & (
  | { readonly reason: 'permission' | 'directory' | 'vanished' }
  | { readonly reason: 'gzip' | 'system' | 'bug'; readonly detail: TraceText }
);

/** Why reading an input stopped part-way (what came before is analysed). */
export interface ReadStopped {
  readonly input: InputRef;
  readonly reason: 'gzip-partway' | 'system-partway' | 'bug-partway';
  readonly bytesRead: number;
  readonly detail: TraceText;
}

/** Why a compressed payload (HEP, WebSocket) did not inflate. */
export type InflateFailure = { readonly reason: 'too-large'; readonly kib: number } | { readonly reason: 'zlib'; readonly detail: TraceText };

/** Why a TCP connection's held bytes were given up, or why it ended. */
export type TcpEnd =
  | { readonly reason: 'reset'; readonly frame: number }
  | { readonly reason: 'idle'; readonly seconds: number }
  | { readonly reason: 'capture-ended' | 'ports-reused' }
  | TcpLimit;

/** The TCP reassembly limit that was hit. */
export type TcpLimit = { readonly reason: 'connections'; readonly max: number } | { readonly reason: 'budget'; readonly bytes: number };

/** Why bytes of a TCP stream count as never captured. */
export type TcpGapReason =
  | { readonly reason: 'acknowledged'; readonly frame: number }
  | { readonly reason: 'no-retransmission'; readonly seconds: number }
  | { readonly reason: 'far-ahead' | 'snaplen' }
  | { readonly reason: 'held-limit'; readonly bytes: number; readonly segments: number }
  | { readonly reason: 'ended'; readonly end: TcpEnd };

/** Why a WebSocket stream is not read further. */
export type WebSocketProblem =
  | { readonly reason: 'reserved-bits'; readonly bits: number }
  | { readonly reason: 'reserved-opcode'; readonly opcode: number }
  | { readonly reason: 'control-frame' | 'orphan-continuation' }
  | { readonly reason: 'too-long'; readonly max: number }
  | { readonly reason: 'no-handshake-end'; readonly max: number };

/** Why a HEP packet cannot be read. */
export type HepProblem =
  | { readonly reason: 'not-hep' | 'no-payload' | 'junk' }
  | { readonly reason: 'length-below-header'; readonly length: number }
  | { readonly reason: 'length-past-end'; readonly length: number; readonly available: number }
  | { readonly reason: 'chunk-header-cut'; readonly at: number }
  | { readonly reason: 'chunk-past-end'; readonly chunk: number; readonly at: number; readonly length: number }
  | { readonly reason: 'inflate'; readonly failure: InflateFailure }
  | { readonly reason: 'stream-ended'; readonly bytes: number };

/** Why a declared SDP body cannot be read. */
export type SdpProblem = { readonly reason: 'no-boundary' | 'not-sdp' } | { readonly reason: 'no-boundary-line'; readonly boundary: TraceText };

/** A diagnostic whose sentence needs no value beyond where it is. */
type NoValues = Record<never, never>;

/** The values of the SIP parser's own diagnostics (src/parse/sip/parse.ts), before the message's place is known. */
export interface SipParseValues {
  'sip.malformed-start-line': NoValues;
  'sip.malformed-header': NoValues;
  'sip.bare-lf': NoValues;
  'sip.invalid-utf8': NoValues;
  'sip.no-header-end': NoValues;
  'sip.content-length-invalid': { readonly absent: boolean };
  'sip.content-length-conflict': NoValues;
  'sip.body-truncated': { readonly announced: number; readonly present: number };
  'sip.trailing-bytes': { readonly bytes: number };
  /** Header names as RFC 3261 writes them. */
  'sip.missing-header': { readonly headers: readonly string[] };
  'sip.bad-header-value': { readonly header: string };
  'sip.too-many-headers': { readonly max: number };
}

export type SipParseCode = keyof SipParseValues;

type AtFrame = { readonly frame: number };

/** The values each diagnostic code carries. */
export type DiagnosticValues = { readonly [C in SipParseCode]: SipParseValues[C] & { readonly at: MessageAt } } & {
  'input.not-found': { readonly input: InputRef };
  'input.is-directory': { readonly input: InputRef };
  'input.unreadable': ReadFailure | ReadStopped;
  'input.empty': { readonly input: InputRef; readonly reason: 'empty-file' | 'stdin-closed' | 'empty-decompressed' };
  /** `magic`: the first bytes in hex; `format`: what they say the input is, when siplens knows. */
  'input.unknown-format': { readonly input: InputRef; readonly magic: string; readonly format: OtherFormat | null };
  'input.interrupted': { readonly input: InputRef; readonly bytes: number };
  'input.gzip-error': ReadFailure | ReadStopped;
  /** `first`: the name the file was read under. */
  'input.duplicate': { readonly input: InputRef; readonly first: InputRef };
  /** `calls`: calls mid-dialog when the input ended. */
  'input.ended-mid-call': { readonly input: InputRef; readonly calls: number };
  /** `calls`: calls mid-dialog when the input was cut; `unresolved`: those of them that were answered and not hung up (shown unresolved); `cut`: a partial record at the end, or a read that failed part-way. */
  'input.cut-mid-call': { readonly input: InputRef; readonly calls: number; readonly unresolved: number; readonly cut: 'partial-record' | 'read-failed' };
  /** `dropped`: by the kernel; `received`: packets its filter took (null when it did not say); `byInterface`: dropped by the interface (0 when it did not say). */
  'input.capture-drops': { readonly input: InputRef; readonly process: string; readonly dropped: number; readonly received: number | null; readonly byInterface: number };
  /** `signal` (SIGKILL...) when a signal ended it, else its exit `status`; `reason`: the last line it wrote on stderr, if any. */
  'input.capture-stopped': { readonly input: InputRef; readonly process: string; readonly signal: string | null; readonly status: number | null; readonly reason: TraceText | null };
  'diagnostics.suppressed': { readonly count: number; readonly code: DiagnosticCode };

  /** `file`: null when the reader was not told the input's name ("the file"). */
  'capture.truncated-header': { readonly file: InputRef | null; readonly have: number } & ({ readonly format: 'pcap'; readonly need: number } | { readonly format: 'pcapng' });
  'capture.truncated-record': { readonly have: number; readonly need: number } & ({ readonly format: 'pcap'; readonly record: number } | { readonly format: 'pcapng'; readonly at: number });
  'capture.no-frames': { readonly input: InputRef; readonly format: 'pcap' | 'pcapng' };
  'capture.record-too-large': { readonly record: number; readonly captured: number; readonly snaplen: number };
  'capture.time-backwards': AtFrame;
  'capture.caplen-exceeds-origlen': AtFrame;
  'pcapng.bad-block-length': { readonly file: InputRef | null; readonly type: number; readonly at: number; readonly length: number; readonly max: number };
  'pcapng.block-length-mismatch': { readonly at: number; readonly leading: number; readonly trailing: number };
  'pcapng.bad-block':
    | { readonly reason: 'short'; readonly block: 'Simple Packet Block' | 'Packet Block' | 'Section Header Block' | 'Interface Description Block'; readonly at: number; readonly length: number }
    | { readonly reason: 'captured-past-block'; readonly at: number; readonly captured: number; readonly holds: number };
  'pcapng.bad-byte-order-magic': { readonly file: InputRef | null; readonly at: number; readonly magic: number };
  'pcapng.unsupported-version': { readonly at: number; readonly major: number; readonly minor: number };
  'pcapng.packet-before-section': { readonly file: InputRef | null };
  'pcapng.unknown-interface': { readonly frame: number; readonly interfaceId: number };
  /** `name`: the block type's name in the pcapng specification, null when it has none. */
  'pcapng.unknown-block': { readonly type: number; readonly name: string | null };
  'pcapng.bad-option': { readonly option: number; readonly at: number };

  /** `name`: the link type's name (tcpdump's LINKTYPE_ table), null when siplens knows none. */
  'link.unsupported-linktype': AtFrame & { readonly linkType: number; readonly name: string | null };
  /** `header`: the header's protocol name ("Ethernet", "VLAN tag", "Linux cooked (SLL)"). */
  'link.truncated': AtFrame & ({ readonly header: string; readonly have: number; readonly need: number } | { readonly header: 'tunnelled Ethernet'; readonly left: number });
  'link.unsupported-ethertype': AtFrame & UnsupportedLinkPayload;
  'link.unsupported-family': AtFrame & { readonly family: number };
  'link.unsupported-erf-type': AtFrame & { readonly recordType: number };
  /** `recordType` 27 is provenance (META), any other padding. */
  'link.erf-no-packet': AtFrame & { readonly recordType: number };
  'link.too-many-tags': AtFrame & { readonly max: number };

  'ip.truncated': AtFrame &
    ({ readonly header: 'IPv4' | 'IPv6'; readonly left: number } | { readonly header: 'IPv4-options'; readonly length: number; readonly left: number } | { readonly header: 'IPv6-extension' });
  'ip.bad-header': AtFrame &
    (
      | { readonly reason: 'ipv4-version'; readonly version: number; readonly headerLength: number }
      | { readonly reason: 'total-below-header'; readonly totalLength: number; readonly headerLength: number }
      | { readonly reason: 'length-past-frame'; readonly version: 4 | 6; readonly claimed: number; readonly present: number }
      | { readonly reason: 'ipv6-version'; readonly version: number }
      | { readonly reason: 'too-many-extensions'; readonly max: number }
    );
  'ip.snaplen-truncated': AtFrame & { readonly version: 4 | 6; readonly claimed: number; readonly present: number };
  'ip.fragment-incomplete': FragmentDrop;
  'ip.fragment-overlap': AtFrame &
    { readonly datagram: Datagram } & (
      | { readonly reason: 'second-last'; readonly claimed: number; readonly first: number }
      | { readonly reason: 'past-end'; readonly total: number }
      | { readonly reason: 'different-bytes'; readonly from: number; readonly to: number }
    );
  'ip.fragment-duplicate': AtFrame;
  'ip.fragment-limit': FragmentDrop | (AtFrame & { readonly reason: 'datagram-size'; readonly datagram: Datagram; readonly end: number; readonly max: number });
  /** `header`: GRE, GRE routing, ERSPAN type II, ERSPAN type III, ERSPAN type III platform, PPP or VXLAN. */
  'tunnel.truncated': AtFrame & { readonly header: string };
  'tunnel.unsupported': AtFrame & UnsupportedTunnel;
  /** `name`: the protocol's name, null when siplens knows none; `protocol` null for IPv6's "no next header". */
  'ip.unsupported-protocol': AtFrame & { readonly protocol: number | null; readonly name: string | null };
  'ip.tunnel-too-deep': AtFrame & { readonly max: number; readonly what: 'ip-in-ip' | 'any' };
  /** `spi` null when the packet is too short to hold one. */
  'ipsec.encrypted': AtFrame & { readonly src: Address; readonly dst: Address; readonly spi: number | null };
  'ip.jumbogram': AtFrame;

  'udp.truncated': AtFrame & { readonly left: number };
  'udp.bad-length': AtFrame & { readonly length: number } & ({ readonly reason: 'below-8' } | { readonly reason: 'past-ip'; readonly available: number });
  'tcp.truncated': AtFrame & ({ readonly left: number } | { readonly headerLength: number; readonly left: number });
  'tcp.bad-header': AtFrame & { readonly dataOffset: number };
  'tcp.gap': { readonly stream: StreamRef; readonly lost: number; readonly before: number; readonly why: TcpGapReason };
  'tcp.retransmission': AtFrame;
  'tcp.midstream': { readonly stream: StreamRef };
  'tcp.limit': { readonly stream: StreamRef; readonly why: TcpLimit };
  'ws.bad-frame': { readonly stream: StreamRef } & (
    | { readonly reason: 'gap'; readonly lost: number; readonly after: number }
    | { readonly reason: 'ended-in-message'; readonly bytes: number }
    | { readonly reason: 'new-message-early' }
    | { readonly reason: 'unreadable'; readonly problem: WebSocketProblem }
  );
  'ws.not-sip': AtFrame;
  'ws.compressed': { readonly stream: StreamRef; readonly failure: InflateFailure; readonly handshakeMissing: boolean };
  'hep.bad-packet': ({ readonly stream: StreamRef } | AtFrame) & { readonly problem: HepProblem };
  /** `type`: the HEP payload type, null for SIP-typed payloads that are not SIP; `name` its name when siplens knows one. */
  'hep.not-sip': AtFrame & { readonly type: number | null; readonly name: string | null };
  'sctp.bad-chunk': AtFrame & ({ readonly left: number } | { readonly chunkType: number; readonly length: number; readonly left: number });
  'sctp.incomplete-message': {
    readonly why: { readonly reason: 'pending-limit'; readonly max: number } | { readonly reason: 'too-long'; readonly max: number } | { readonly reason: 'timeout'; readonly seconds: number } | { readonly reason: 'capture-ended' };
    readonly chunks: number;
    readonly bytes: number;
    readonly frames: readonly number[];
  };
  'sctp.retransmission': AtFrame;
  'sctp.not-sip': AtFrame & { readonly ppid: number };
  'tls.sip-flow': AtFrame & { readonly client: Endpoint; readonly server: Endpoint; readonly serverName: HostName | null; readonly packets: number; readonly bytes: number };
  /**
   * `port` null for the ports beyond those tracked; `servers` and `serverNames` the first few
   * (`moreServers`, `moreNames` when there were more).
   */
  'tls.flow': AtFrame & {
    readonly connections: number;
    readonly port: number | null;
    readonly servers: readonly Endpoint[];
    readonly moreServers: boolean;
    readonly serverNames: readonly HostName[];
    readonly moreNames: boolean;
    readonly packets: number;
    readonly bytes: number;
  };
  'tls.bad-record': { readonly stream: StreamRef } & ({ readonly reason: 'too-long'; readonly length: number; readonly max: number } | { readonly reason: 'not-a-header'; readonly bytes: string });
  'tls.keylog-unreadable': { readonly input: InputRef; readonly error: TraceText };
  /** `sessions`: sessions the file gave; `dropped`: sessions past the bound `max`. */
  'tls.keylog-bad-lines': { readonly input: InputRef; readonly badLines: number; readonly firstBadLine: number | null; readonly sessions: number; readonly dropped: number; readonly max: number };
  /** `sessions`: how many sessions the key logs hold. */
  'tls.keys-missing': AtFrame & { readonly client: Endpoint; readonly server: Endpoint; readonly clientRandom: string; readonly version: '1.2' | '1.3'; readonly rsaKeyExchange: boolean; readonly sessions: number };
  'tls.no-handshake': AtFrame & { readonly client: Endpoint; readonly server: Endpoint };
  'tls.unsupported': AtFrame & { readonly client: Endpoint; readonly server: Endpoint; readonly what: TlsUnsupported };
  /** `opened`: records of the direction opened before this one. */
  'tls.decrypt-failed': AtFrame & { readonly stream: StreamRef; readonly reason: 'lost-bytes' | 'bad-tag' | 'bad-mac' | 'bad-padding' | 'too-short'; readonly opened: number; readonly version: '1.2' | '1.3' };
  'tls.decrypted': AtFrame & { readonly client: Endpoint; readonly server: Endpoint; readonly serverName: HostName | null; readonly version: '1.2' | '1.3'; readonly suite: string; readonly records: number };
  'tls.session-limit': AtFrame & { readonly max: number };

  /** `formats`: the ids of the log formats tried. */
  'text.no-sip': { readonly input: InputRef; readonly formats: readonly string[] };
  'text.line-too-long': { readonly line: number };
  'text.message-too-large': { readonly line: number; readonly kib: number };
  'text.byte-count-mismatch': { readonly line: number; readonly printed: number; readonly logged: number; readonly logEnds: boolean };
  /** `count` null when no message of the log has a time. */
  'text.no-time': { readonly count: number | null };
  /** `date`: YYYY-MM-DD. */
  'text.date-from-file': { readonly input: InputRef; readonly date: string };
  /** `error`: why the file's date could not be read, null for standard input. */
  'text.no-date': { readonly input: InputRef; readonly error: TraceText | null };

  'sip.junk-before-message': AtFrame & { readonly bytes: number };
  'sip.not-sip-on-sip-port': AtFrame;
  'sip.parser-failure': { readonly at: MessageAt; readonly error: TraceText };
  /** `captured`: bytes of the message in the capture; `missing`: bytes of its datagram the snap length left out. */
  'sip.cut-by-capture': AtFrame & { readonly captured: number; readonly missing: number };
  'sip.keepalive': { readonly on: 'udp'; readonly frame: number } | { readonly on: 'stream'; readonly stream: StreamRef } | { readonly on: 'ws'; readonly frame: number };
  'sip.stream-junk': { readonly stream: StreamRef; readonly bytes: number };
  /** `frame`: where the message began, null when unknown; `total` set when its headers were whole. */
  'sip.stream-incomplete': {
    readonly stream: StreamRef;
    readonly why: { readonly reason: 'gap'; readonly lost: number } | { readonly reason: 'ended' };
    readonly held: number;
    readonly total: number | null;
    readonly frame: number | null;
  };
  'sip.no-message-boundary': { readonly stream: StreamRef; readonly max: number };
  'sip.message-too-large': { readonly stream: StreamRef; readonly total: number; readonly max: number };
  'sip.sdp-unparseable': { readonly at: MessageAt; readonly problem: SdpProblem };

  'analysis.open-calls-limit': { readonly max: number; readonly count: number };
  'analysis.call-too-long': { readonly max: number; readonly count: number };
  'analysis.patterns-limit': { readonly max: number; readonly count: number };
  'analysis.main-problems-limit': { readonly max: number; readonly count: number };
  'media.stream-limit': { readonly max: number; readonly count: number };
  'media.announcement-limit': { readonly max: number; readonly count: number };
  'media.rtcp-unreadable': { readonly count: number };
};

/** Formats siplens names from their first bytes but does not read (src/parse/capture/input.ts). */
export type OtherFormat = 'netmon2' | 'netmon1' | 'snoop' | 'netxray' | 'sniffer' | 'iptrace' | 'bzip2' | 'xz' | 'zstd' | 'zip';

/** A datagram given up: a limit, or its fragments never all arrived. */
export interface FragmentDrop {
  readonly datagram: Datagram;
  readonly why:
    | { readonly reason: 'table-full'; readonly max: number }
    | { readonly reason: 'too-many-fragments'; readonly max: number; readonly frame: number }
    | { readonly reason: 'bytes-held'; readonly max: number }
    | { readonly reason: 'timeout'; readonly seconds: number }
    | { readonly reason: 'capture-ended' };
  readonly received: number;
  readonly frames: readonly number[];
  /** Byte ranges not received, inclusive. */
  readonly gaps: readonly { readonly from: number; readonly to: number }[];
  /** Set when the last fragment never came: everything from this byte on is missing. */
  readonly missingFrom: number | null;
  /** Fragments cut by the snaplen. */
  readonly cut: number;
}
