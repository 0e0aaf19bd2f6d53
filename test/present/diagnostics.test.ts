/**
 * The diagnostics' sentences (src/present/diagnostics.ts): every code has a template in every
 * language, each language writes every value the diagnostic carries (no placeholder dropped or
 * invented), Spanish is not English, and a diagnostic reads the same in a report as it did when
 * its sentence was made in the parser (the English golden files pin that).
 */
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../src/annotate/i18n.js';
import { DIAGNOSTICS, type DiagnosticCode, type DiagnosticValues, type StreamRef } from '../../src/diagnostics.js';
import { DIAGNOSTIC_TEXTS, diagnosticText } from '../../src/present/diagnostics.js';
import { redactTimeline } from '../../src/present/redact.js';
import { renderJson } from '../../src/present/render/json.js';
import { diagnosticLine } from '../../src/present/render/messages.js';
import { renderText } from '../../src/present/render/text.js';
import type { Timeline } from '../../src/present/timeline.js';
import type { Diagnostic } from '../../src/types.js';

const tcp: StreamRef = { protocol: 'TCP', src: { ip: '10.0.0.1', port: 40100 }, dst: { ip: '10.0.0.2', port: 5060 } };
const ws: StreamRef = { ...tcp, protocol: 'WebSocket' };
const hep: StreamRef = { ...tcp, protocol: 'HEP' };
const tls: StreamRef = { protocol: 'TLS', src: { ip: '2001:db8::1', port: 40200 }, dst: { ip: '2001:db8::2', port: 5061 } };
const input = { path: '/captures/site-a.pcap' };
const datagram = { version: 4, src: { ip: '192.0.2.1' }, dst: { ip: '192.0.2.2' }, id: 0x4242 } as const;
const detail = { text: 'EIO: i/o error, read' };
const drop = { datagram, received: 1480, frames: [31, 32], gaps: [{ from: 1480, to: 2959 }], missingFrom: null, cut: 2 } as const;

/** At least one sample of every shape of every code's values (TypeScript asks for every code). */
const SAMPLES: { readonly [C in DiagnosticCode]: readonly DiagnosticValues[C][] } = {
  'input.not-found': [{ input }],
  'input.is-directory': [{ input }],
  'input.unreadable': [
    { input, reason: 'permission' },
    { input, reason: 'directory' },
    { input, reason: 'vanished' },
    { input, reason: 'system', detail },
    { input, reason: 'bug', detail },
    { input, reason: 'system-partway', bytesRead: 65536, detail },
    { input, reason: 'bug-partway', bytesRead: 65537, detail },
  ],
  'input.empty': [
    { input, reason: 'empty-file' },
    { input: { path: '-' }, reason: 'stdin-closed' },
    { input, reason: 'empty-decompressed' },
  ],
  'input.duplicate': [{ input, first: { path: '-' } }, { input: { path: 'b.pcap' }, first: input }],
  'input.ended-mid-call': [{ input, calls: 1 }, { input, calls: 3 }],
  'input.cut-mid-call': [
    { input: { path: '-' }, calls: 1, unresolved: 1, cut: 'partial-record' },
    { input, calls: 200, unresolved: 150, cut: 'read-failed' },
    { input, calls: 2, unresolved: 0, cut: 'partial-record' },
  ],
  'input.capture-drops': [
    { input: { path: 'eth0' }, process: 'tcpdump', dropped: 1, received: null, byInterface: 0 },
    { input: { path: 'eth0' }, process: 'tcpdump', dropped: 1520, received: 98211, byInterface: 7 },
  ],
  'input.capture-stopped': [
    { input: { path: 'eth0' }, process: 'tcpdump', signal: 'SIGKILL', status: null, reason: null },
    { input: { path: 'eth0' }, process: 'tcpdump', signal: null, status: 1, reason: { text: 'pcap_loop: The interface disappeared' } },
  ],
  'input.unknown-format': [
    { input, magic: '1f2e3d4c', format: null },
    { input, magic: '47424d55', format: 'netmon2' },
    { input, magic: '425a6839', format: 'bzip2' },
  ],
  'input.interrupted': [{ input, bytes: 123456 }],
  'input.gzip-error': [
    { input, reason: 'gzip', detail: { text: 'incorrect header check' } },
    { input, reason: 'gzip-partway', bytesRead: 4096, detail: { text: 'unexpected end of file' } },
  ],
  'diagnostics.suppressed': [{ count: 17, code: 'tcp.gap' }],
  'capture.truncated-header': [
    { file: input, format: 'pcap', have: 13, need: 24 },
    { file: null, format: 'pcapng', have: 14 },
  ],
  'capture.truncated-record': [
    { format: 'pcap', record: 21, have: 22, need: 23 },
    { format: 'pcapng', at: 2400, have: 25, need: 26 },
  ],
  'capture.no-frames': [{ input, format: 'pcapng' }],
  'capture.record-too-large': [{ record: 27, captured: 300000, snaplen: 262144 }],
  'capture.time-backwards': [{ frame: 28 }],
  'capture.caplen-exceeds-origlen': [{ frame: 29 }],
  'pcapng.bad-block-length': [{ file: input, type: 6, at: 3000, length: 13, max: 16777216 }],
  'pcapng.block-length-mismatch': [{ at: 3100, leading: 32, trailing: 36 }],
  'pcapng.bad-block': [
    { reason: 'short', block: 'Simple Packet Block', at: 3200, length: 12 },
    { reason: 'captured-past-block', at: 3300, captured: 1500, holds: 1400 },
  ],
  'pcapng.bad-byte-order-magic': [{ file: input, at: 3400, magic: 0xdeadbeef }],
  'pcapng.unsupported-version': [{ at: 3500, major: 2, minor: 7 }],
  'pcapng.packet-before-section': [{ file: null }],
  'pcapng.unknown-interface': [{ frame: 35, interfaceId: 9 }],
  'pcapng.unknown-block': [
    { type: 4, name: 'Name Resolution' },
    { type: 0xbad, name: null },
  ],
  'pcapng.bad-option': [{ option: 14, at: 3600 }],
  'link.unsupported-linktype': [
    { frame: 41, linkType: 147, name: null },
    { frame: 41, linkType: 105, name: 'IEEE 802.11' },
  ],
  'link.truncated': [
    { frame: 42, header: 'Ethernet', have: 10, need: 14 },
    { frame: 42, header: 'tunnelled Ethernet', left: 9 },
  ],
  'link.unsupported-ethertype': [
    { frame: 43, kind: 'ethertype', etherType: 0x0806, name: 'ARP' },
    { frame: 43, kind: 'ethertype', etherType: 0x88cc, name: null },
    { frame: 43, kind: 'llc' },
    { frame: 43, kind: 'ppp', protocol: 0xc021 },
    { frame: 43, kind: 'mpls-pseudowire' },
    { frame: 43, kind: 'raw-ip', version: 5 },
  ],
  'link.unsupported-family': [{ frame: 44, family: 7 }],
  'link.unsupported-erf-type': [{ frame: 45, recordType: 3 }],
  'link.erf-no-packet': [
    { frame: 46, recordType: 27 },
    { frame: 46, recordType: 48 },
  ],
  'link.too-many-tags': [{ frame: 47, max: 8 }],
  'ip.truncated': [
    { frame: 51, header: 'IPv4', left: 19 },
    { frame: 51, header: 'IPv4-options', length: 60, left: 33 },
    { frame: 51, header: 'IPv6', left: 39 },
    { frame: 51, header: 'IPv6-extension' },
  ],
  'ip.bad-header': [
    { frame: 52, reason: 'ipv4-version', version: 5, headerLength: 20 },
    { frame: 52, reason: 'total-below-header', totalLength: 18, headerLength: 20 },
    { frame: 52, reason: 'length-past-frame', version: 6, claimed: 1500, present: 900 },
    { frame: 52, reason: 'ipv6-version', version: 7 },
    { frame: 52, reason: 'too-many-extensions', max: 16 },
  ],
  'ip.snaplen-truncated': [{ frame: 53, version: 4, claimed: 1500, present: 96 }],
  'ip.fragment-incomplete': [
    { ...drop, why: { reason: 'timeout', seconds: 30 } },
    { ...drop, frames: [33], gaps: [], missingFrom: 1480, cut: 0, why: { reason: 'capture-ended' } },
  ],
  'ip.fragment-overlap': [
    { frame: 54, datagram, reason: 'second-last', claimed: 3000, first: 2960 },
    { frame: 54, datagram, reason: 'past-end', total: 2960 },
    { frame: 54, datagram, reason: 'different-bytes', from: 1480, to: 1999 },
  ],
  'ip.fragment-duplicate': [{ frame: 55 }],
  'ip.fragment-limit': [
    { ...drop, why: { reason: 'table-full', max: 1024 } },
    { ...drop, why: { reason: 'too-many-fragments', max: 64, frame: 56 } },
    { ...drop, why: { reason: 'bytes-held', max: 8388608 } },
    { frame: 57, reason: 'datagram-size', datagram, end: 65600, max: 65515 },
  ],
  'tunnel.truncated': [{ frame: 58, header: 'GRE' }],
  'tunnel.unsupported': [
    { frame: 59, kind: 'gre-version', version: 3 },
    { frame: 59, kind: 'erspan-version', version: 4, protocol: 0x88be },
    { frame: 59, kind: 'erspan-frame-type', frameType: 6 },
    { frame: 59, kind: 'gre-protocol', protocol: 0x880b },
    { frame: 59, kind: 'ppp-protocol', protocol: 0x80fd },
    { frame: 59, kind: 'vxlan-no-vni' },
  ],
  'ip.unsupported-protocol': [
    { frame: 61, protocol: 1, name: 'ICMP' },
    { frame: 61, protocol: 143, name: null },
    { frame: 61, protocol: null, name: null },
  ],
  'ip.tunnel-too-deep': [
    { frame: 62, max: 4, what: 'ip-in-ip' },
    { frame: 62, max: 8, what: 'any' },
  ],
  'ipsec.encrypted': [
    { frame: 63, src: { ip: '198.51.100.1' }, dst: { ip: '198.51.100.2' }, spi: 0x1234 },
    { frame: 63, src: { ip: '198.51.100.1' }, dst: { ip: '198.51.100.2' }, spi: null },
  ],
  'ip.jumbogram': [{ frame: 64 }],
  'udp.truncated': [{ frame: 71, left: 7 }],
  'udp.bad-length': [
    { frame: 72, length: 6, reason: 'below-8' },
    { frame: 72, length: 900, reason: 'past-ip', available: 800 },
  ],
  'tcp.truncated': [
    { frame: 73, left: 19 },
    { frame: 73, headerLength: 40, left: 30 },
  ],
  'tcp.bad-header': [{ frame: 74, dataOffset: 3 }],
  'tcp.gap': [
    { stream: tcp, lost: 400, before: 75, why: { reason: 'acknowledged', frame: 76 } },
    { stream: tcp, lost: 401, before: 75, why: { reason: 'no-retransmission', seconds: 9 } },
    { stream: tcp, lost: 402, before: 75, why: { reason: 'far-ahead' } },
    { stream: tcp, lost: 403, before: 75, why: { reason: 'snaplen' } },
    { stream: tcp, lost: 404, before: 75, why: { reason: 'held-limit', bytes: 1048576, segments: 512 } },
    { stream: tcp, lost: 405, before: 75, why: { reason: 'ended', end: { reason: 'reset', frame: 77 } } },
    { stream: tcp, lost: 406, before: 75, why: { reason: 'ended', end: { reason: 'idle', seconds: 120 } } },
    { stream: tcp, lost: 407, before: 75, why: { reason: 'ended', end: { reason: 'capture-ended' } } },
    { stream: tcp, lost: 408, before: 75, why: { reason: 'ended', end: { reason: 'ports-reused' } } },
    { stream: tcp, lost: 409, before: 75, why: { reason: 'ended', end: { reason: 'connections', max: 4096 } } },
    { stream: tcp, lost: 410, before: 75, why: { reason: 'ended', end: { reason: 'budget', bytes: 268435456 } } },
  ],
  'tcp.retransmission': [{ frame: 78 }],
  'tcp.midstream': [{ stream: tcp }],
  'tcp.limit': [
    { stream: tcp, why: { reason: 'connections', max: 4097 } },
    { stream: tcp, why: { reason: 'budget', bytes: 268435457 } },
  ],
  'ws.bad-frame': [
    { stream: ws, reason: 'gap', lost: 81, after: 82 },
    { stream: ws, reason: 'ended-in-message', bytes: 83 },
    { stream: ws, reason: 'new-message-early' },
    { stream: ws, reason: 'unreadable', problem: { reason: 'reserved-bits', bits: 0x30 } },
    { stream: ws, reason: 'unreadable', problem: { reason: 'reserved-opcode', opcode: 3 } },
    { stream: ws, reason: 'unreadable', problem: { reason: 'control-frame' } },
    { stream: ws, reason: 'unreadable', problem: { reason: 'orphan-continuation' } },
    { stream: ws, reason: 'unreadable', problem: { reason: 'too-long', max: 1048576 } },
    { stream: ws, reason: 'unreadable', problem: { reason: 'no-handshake-end', max: 16384 } },
  ],
  'ws.not-sip': [{ frame: 84 }],
  'ws.compressed': [
    { stream: ws, failure: { reason: 'zlib', detail: { text: 'invalid stored block lengths' } }, handshakeMissing: true },
    { stream: ws, failure: { reason: 'too-large', kib: 1024 }, handshakeMissing: false },
  ],
  'hep.bad-packet': [
    { stream: hep, problem: { reason: 'not-hep' } },
    { stream: hep, problem: { reason: 'no-payload' } },
    { stream: hep, problem: { reason: 'junk' } },
    { stream: hep, problem: { reason: 'length-below-header', length: 5 } },
    { stream: hep, problem: { reason: 'length-past-end', length: 300, available: 200 } },
    { stream: hep, problem: { reason: 'chunk-header-cut', at: 85 } },
    { stream: hep, problem: { reason: 'chunk-past-end', chunk: 0x000f, at: 86, length: 3 } },
    { frame: 87, problem: { reason: 'inflate', failure: { reason: 'zlib', detail: { text: 'unexpected end of file' } } } },
    { frame: 87, problem: { reason: 'stream-ended', bytes: 88 } },
  ],
  'hep.not-sip': [
    { frame: 89, type: 5, name: 'RTCP (JSON)' },
    { frame: 89, type: 250, name: null },
    { frame: 89, type: null, name: null },
  ],
  'sctp.bad-chunk': [
    { frame: 91, left: 11 },
    { frame: 91, chunkType: 0, length: 500, left: 92 },
  ],
  'sctp.incomplete-message': [
    { why: { reason: 'pending-limit', max: 256 }, chunks: 3, bytes: 2900, frames: [93, 94] },
    { why: { reason: 'too-long', max: 1048576 }, chunks: 1, bytes: 2901, frames: [95] },
    { why: { reason: 'timeout', seconds: 31 }, chunks: 2, bytes: 2902, frames: [96] },
    { why: { reason: 'capture-ended' }, chunks: 2, bytes: 2903, frames: [97] },
  ],
  'sctp.retransmission': [{ frame: 98 }],
  'sctp.not-sip': [{ frame: 99, ppid: 46 }],
  'tls.sip-flow': [
    { frame: 101, client: { ip: '203.0.113.5', port: 40123 }, server: { ip: '203.0.113.6', port: 5061 }, serverName: { host: 'pbx.example.com' }, packets: 4, bytes: 1234 },
    { frame: 101, client: { ip: '203.0.113.5', port: 40124 }, server: { ip: '203.0.113.6', port: 5061 }, serverName: null, packets: 1, bytes: 1235 },
  ],
  'tls.flow': [
    {
      frame: 102,
      connections: 3,
      port: 443,
      servers: [{ ip: '192.0.2.80', port: 443 }],
      moreServers: true,
      serverNames: [{ host: 'www.example.com' }],
      moreNames: false,
      packets: 30,
      bytes: 40960,
    },
    { frame: 102, connections: 1, port: null, servers: [{ ip: '192.0.2.81', port: 8443 }], moreServers: false, serverNames: [], moreNames: false, packets: 31, bytes: 40961 },
  ],
  'tls.bad-record': [
    { stream: tls, reason: 'too-long', length: 20000, max: 18432 },
    { stream: tls, reason: 'not-a-header', bytes: '6760610a0d' },
  ],
  'tls.keylog-unreadable': [{ input: { path: '/tmp/keys.log' }, error: { text: 'ENOENT: no such file or directory' } }],
  'tls.keylog-bad-lines': [
    { input: { path: 'keys.log' }, badLines: 2, firstBadLine: 7, sessions: 3, dropped: 0, max: 200000 },
    { input: { path: 'keys.log' }, badLines: 0, firstBadLine: null, sessions: 0, dropped: 0, max: 200000 },
    { input: { path: 'keys.log' }, badLines: 0, firstBadLine: null, sessions: 200000, dropped: 12, max: 200000 },
  ],
  'tls.keys-missing': [
    { frame: 4, client: tls.src, server: tls.dst, clientRandom: 'ab'.repeat(32), version: '1.3', rsaKeyExchange: false, sessions: 2 },
    { frame: 4, client: tls.src, server: tls.dst, clientRandom: 'cd'.repeat(32), version: '1.2', rsaKeyExchange: true, sessions: 1 },
  ],
  'tls.no-handshake': [{ frame: 9, client: tls.src, server: tls.dst }],
  'tls.unsupported': [
    { frame: 5, client: tls.src, server: tls.dst, what: { kind: 'suite', suite: 0xc0ac } },
    { frame: 5, client: tls.src, server: tls.dst, what: { kind: 'version', version: 0x0301 } },
    { frame: 5, client: tls.src, server: tls.dst, what: { kind: 'compression', method: 1 } },
    { frame: 5, client: tls.src, server: tls.dst, what: { kind: 'early-data' } },
    { frame: 5, client: tls.src, server: tls.dst, what: { kind: 'renegotiation' } },
    { frame: 5, client: tls.src, server: tls.dst, what: { kind: 'hello-too-long', max: 65536 } },
  ],
  'tls.decrypt-failed': [
    { frame: 12, stream: tls, reason: 'bad-tag', opened: 3, version: '1.3' },
    { frame: 12, stream: tls, reason: 'bad-mac', opened: 0, version: '1.2' },
    { frame: 12, stream: tls, reason: 'bad-padding', opened: 1, version: '1.2' },
    { frame: 12, stream: tls, reason: 'too-short', opened: 1, version: '1.2' },
    { frame: 12, stream: tls, reason: 'lost-bytes', opened: 5, version: '1.3' },
  ],
  'tls.decrypted': [
    { frame: 1, client: tls.src, server: tls.dst, serverName: { host: 'sip.example.test' }, version: '1.3', suite: 'TLS_AES_128_GCM_SHA256', records: 6 },
    { frame: 1, client: tls.src, server: tls.dst, serverName: null, version: '1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', records: 1 },
  ],
  'tls.session-limit': [{ frame: 100, max: 4096 }],
  'text.no-sip': [{ input, formats: ['asterisk-pjsip', 'raw-sip'] }],
  'text.line-too-long': [{ line: 111 }],
  'text.message-too-large': [{ line: 112, kib: 1024 }],
  'text.byte-count-mismatch': [
    { line: 113, printed: 900, logged: 899, logEnds: true },
    { line: 113, printed: 901, logged: 898, logEnds: false },
  ],
  'text.no-time': [{ count: null }, { count: 1 }, { count: 114 }],
  'text.date-from-file': [{ input, date: '2024-11-19' }],
  'text.no-date': [
    { input: { path: '-' }, error: null },
    { input, error: { text: 'EACCES: permission denied' } },
  ],
  'sip.malformed-start-line': [{ at: { frame: 121 } }],
  'sip.malformed-header': [{ at: { line: 122 } }],
  'sip.bare-lf': [{ at: { frame: 123 } }],
  'sip.invalid-utf8': [{ at: { frame: 124 } }],
  'sip.no-header-end': [{ at: { frame: 125 } }],
  'sip.content-length-invalid': [
    { at: { frame: 126 }, absent: false },
    { at: { frame: 126 }, absent: true },
  ],
  'sip.content-length-conflict': [{ at: { frame: 127 } }],
  'sip.body-truncated': [{ at: { frame: 128 }, announced: 900, present: 111 }],
  'sip.cut-by-capture': [{ frame: 15, captured: 52, missing: 149 }],
  'sip.trailing-bytes': [{ at: { frame: 129 }, bytes: 1600 }],
  'sip.missing-header': [
    { at: { frame: 131 }, headers: ['Call-ID', 'CSeq'] },
    { at: { frame: 131 }, headers: ['Via'] },
  ],
  'sip.bad-header-value': [{ at: { frame: 132 }, header: 'Max-Forwards' }],
  'sip.too-many-headers': [{ at: { frame: 133 }, max: 512 }],
  'sip.junk-before-message': [{ frame: 134, bytes: 4 }],
  'sip.not-sip-on-sip-port': [{ frame: 135 }],
  'sip.parser-failure': [{ at: { frame: 136 }, error: { text: 'Maximum call stack size exceeded' } }],
  'sip.keepalive': [
    { on: 'udp', frame: 137 },
    { on: 'ws', frame: 138 },
    { on: 'stream', stream: tcp },
  ],
  'sip.stream-junk': [{ stream: tcp, bytes: 139 }],
  'sip.stream-incomplete': [
    { stream: tcp, why: { reason: 'gap', lost: 141 }, held: 142, total: 1189, frame: 143 },
    { stream: tcp, why: { reason: 'ended' }, held: 144, total: null, frame: null },
  ],
  'sip.no-message-boundary': [{ stream: tcp, max: 65536 }],
  'sip.message-too-large': [{ stream: tcp, total: 2000000, max: 1048576 }],
  'sip.sdp-unparseable': [
    { at: { frame: 145 }, problem: { reason: 'no-boundary' } },
    { at: { line: 146 }, problem: { reason: 'no-boundary-line', boundary: { text: 'unique-boundary-1' } } },
    { at: { frame: 147 }, problem: { reason: 'not-sdp' } },
  ],
  'analysis.open-calls-limit': [
    { max: 10, count: 1 },
    { max: 11, count: 151 },
  ],
  'analysis.call-too-long': [
    { max: 5000, count: 1 },
    { max: 5001, count: 152 },
  ],
  'analysis.patterns-limit': [
    { max: 10000, count: 1 },
    { max: 10001, count: 154 },
  ],
  'analysis.main-problems-limit': [
    { max: 1024, count: 1 },
    { max: 1025, count: 3 },
  ],
  'media.stream-limit': [
    { max: 10000, count: 1 },
    { max: 10001, count: 153 },
  ],
  'media.announcement-limit': [
    { max: 100000, count: 1 },
    { max: 100001, count: 154 },
  ],
  'media.rtcp-unreadable': [{ count: 1 }, { count: 155 }],
};

/** Names of values that choose a sentence rather than appear in it. */
const CHOOSERS = new Set(['reason', 'kind', 'on', 'what', 'format', 'absent', 'logEnds', 'handshakeMissing', 'moreServers', 'moreNames', 'protocol', 'version']);

/** Values that choose a sentence for one code: the ERF record type (27 is provenance), the header that names the kind of cut. */
const CHOSEN: Partial<Record<DiagnosticCode, readonly string[]>> = { 'link.erf-no-packet': ['recordType'], 'link.truncated': ['header'], 'ip.truncated': ['header'], 'input.cut-mid-call': ['cut', 'unresolved'], 'input.capture-drops': ['byInterface'], 'input.capture-stopped': ['signal', 'status'], 'tls.keylog-bad-lines': ['badLines', 'dropped', 'max'] };

/**
 * Every value a sentence must show, as it may be written: numbers in decimal or hex, text as it
 * is. A protocol number beside its name is shown by the name.
 */
function shownValues(values: unknown, skip: ReadonlySet<string>, name = ''): string[][] {
  if (values === null || values === undefined || typeof values === 'boolean' || CHOOSERS.has(name) || skip.has(name)) return [];
  if (typeof values === 'number') return [[String(values), values.toString(16)]];
  if (typeof values === 'string') return [[values]];
  if (Array.isArray(values)) return values.flatMap((v) => shownValues(v, skip));
  const named = typeof (values as { name?: unknown }).name === 'string';
  return Object.entries(values as object).flatMap(([k, v]) => (named && typeof v === 'number' ? [] : shownValues(v, skip, k)));
}

function diagnostic<C extends DiagnosticCode>(code: C, values: DiagnosticValues[C]): Diagnostic {
  return { code, severity: DIAGNOSTICS[code].severity, values, file: 'x.pcap' } as Diagnostic;
}

describe('diagnostic templates', () => {
  it('every code of DIAGNOSTICS has a template in every language, and no template is for an unknown code', () => {
    for (const lang of LANGS) expect(Object.keys(DIAGNOSTIC_TEXTS[lang]).sort(), lang).toEqual(Object.keys(DIAGNOSTICS).sort());
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(DIAGNOSTICS).sort());
  });

  for (const code of Object.keys(SAMPLES) as DiagnosticCode[]) {
    it(`${code}: every language writes every value, and Spanish is not English`, () => {
      for (const values of SAMPLES[code] as readonly DiagnosticValues[DiagnosticCode][]) {
        const texts = Object.fromEntries(LANGS.map((lang) => [lang, diagnosticText(diagnostic(code, values as never), lang)]));
        for (const [lang, text] of Object.entries(texts)) {
          expect(text, `${lang}: ${JSON.stringify(values)}`).not.toMatch(/undefined|\[object Object\]|NaN|\{[A-Za-z][\w.-]*\}/);
          for (const forms of shownValues(values, new Set(CHOSEN[code] ?? []))) expect(forms.some((f) => text.includes(f)), `${lang} misses ${forms[0]} in "${text}"`).toBe(true);
        }
        expect(texts.es, JSON.stringify(values)).not.toBe(texts.en);
      }
    });
  }
});

describe('a diagnostic in a report', () => {
  const gap = diagnostic('tcp.gap', { stream: tcp, lost: 400, before: 21, why: { reason: 'acknowledged', frame: 22 } });

  it('reads in English exactly as the parser used to write it', () => {
    expect(diagnosticText(gap)).toBe(
      'TCP 10.0.0.1:40100 → 10.0.0.2:5060: 400 bytes were never captured before frame 21 (the receiver acknowledged them (frame 22)); messages in them are lost and SIP framing resumes at the next start line',
    );
  });

  it('reads in Spanish in a Spanish report', () => {
    expect(diagnosticText(gap, 'es')).toBe(
      'TCP 10.0.0.1:40100 → 10.0.0.2:5060: 400 bytes nunca se capturaron antes de la trama 21 (el receptor acusó su recibo (trama 22)); se pierden los mensajes que contenían y el entramado SIP se reanuda en la siguiente línea de inicio',
    );
    const bareLf = { ...diagnostic('sip.bare-lf', { at: { frame: 2 } }), frame: 2, offset: 410 } as Diagnostic;
    expect(diagnosticLine(bareLf, 'es')).toBe('  informativo sip.bare-lf [trama 2, byte 410]: trama 2: Las líneas terminan solo en LF en lugar de CRLF.');
  });
});

describe('a redacted diagnostic', () => {
  it('shows no address, path, host name or trace text of the original, in any language', () => {
    const path = '/home/alice/customer-acme.pcap';
    const diagnostics = [
      diagnostic('tls.sip-flow', { frame: 3, client: { ip: '203.0.113.5', port: 40123 }, server: { ip: '2001:db8::9', port: 5061 }, serverName: { host: 'pbx.acme.example' }, packets: 4, bytes: 900 }),
      diagnostic('input.unreadable', { input: { path }, reason: 'system-partway', bytesRead: 10, detail: { text: `EIO: i/o error, read '${path}' from 198.51.100.7` } }),
      diagnostic('ipsec.encrypted', { frame: 4, src: { ip: '192.0.2.44' }, dst: { ip: '192.0.2.45' }, spi: 7 }),
      diagnostic('sip.sdp-unparseable', { at: { frame: 5 }, problem: { reason: 'no-boundary-line', boundary: { text: 'sip:bob@192.0.2.46' } } }),
    ];
    const timeline: Timeline = {
      lang: 'en',
      inputs: [{ path, format: 'pcap', readable: true, bytes: 10, frames: 5, sipMessages: 0, firstTime: null, lastTime: null, linkTypes: [1], diagnostics: diagnostics.map((d) => ({ ...d, file: path })) }],
      calls: [],
      summary: { calls: 0, messages: 0, retransmissions: 0, outcomes: {}, findings: { error: 0, warning: 0, info: 0 }, diagnostics: { error: 0, warning: 2, info: 2 }, mainProblems: [] },
    } as unknown as Timeline;
    for (const lang of LANGS) {
      const redacted = redactTimeline({ ...timeline, lang });
      const out = renderText(redacted, { color: false }) + renderJson(redacted);
      expect(out).toContain('tls.sip-flow');
      for (const original of ['alice', 'acme', '203.0.113.5', '2001:db8::9', '198.51.100.7', '192.0.2.44', '192.0.2.45', 'bob', '192.0.2.46']) expect(out, `${lang}: ${original}`).not.toContain(original);
    }
  });
});
