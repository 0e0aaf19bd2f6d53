/**
 * The log formats siplens recognises, as one table (Wireshark's heuristic dissector list,
 * gopacket's port table: dispatch is data). Each entry says how a banner line looks (literal
 * anchors found with indexOf, then a hand-written scanner: linear time, no regular
 * expressions), what the banner tells (direction, addresses, transport, time, byte count),
 * which lines between banner and message carry more metadata, and how a message ends.
 * Everything else — finding start lines, stripping indentation, ending at Content-Length —
 * is shared by all formats (extract.ts).
 */
import type { Endpoint, Transport } from '../../types.js';
import { scanTime, type TimeParts } from './time.js';

export type Direction = 'sent' | 'received';

/** What a banner (and the lines after it) tell about one message. */
export interface Meta {
  direction: Direction | null;
  /** Both ends, when the log names them. */
  src: Endpoint | null;
  dst: Endpoint | null;
  /** The peer, when the log names only that side (src for received, dst for sent). */
  remote: Endpoint | null;
  transport: Transport | null;
  time: TimeParts | null;
  /** Message size the log printed. */
  bytes: number | null;
}

export function emptyMeta(): Meta {
  return { direction: null, src: null, dst: null, remote: null, transport: null, time: null, bytes: null };
}

export interface LogFormat {
  /** Stable id, used in JSON (`inputs[].logFormats`) and tests. */
  readonly id: string;
  /** What it is, for people. */
  readonly name: string;
  /** One banner as the tool prints it (documentation; the tests feed it back). */
  readonly example: string;
  /** A banner line contains one of these (checked with indexOf before `match`). */
  readonly anchors: readonly string[];
  /** The banner's metadata, or null when the line is not a banner of this format. */
  match(line: string): Meta | null;
  /** A line between banner and start line that carries metadata (returns true when it was one). */
  preamble?(line: string, meta: Meta): boolean;
  /** A line that closes the message. */
  isEnd?(line: string): boolean;
  /** A marker that closes the message even when glued to its last line. */
  readonly endSuffix?: string;
  /** Lines end in `.` standing for the CR (ngrep -W byline). */
  readonly crDots?: boolean;
  /** The start line may follow other bytes on its line (tcpdump -A prints header bytes first). */
  readonly midLineStart?: boolean;
  /** Take the time of the nearest timestamped line before the banner (sipp prints it one line up). */
  readonly timeFromContext?: boolean;
}

// --- Small scanners ------------------------------------------------------------------------

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Decimal number of 1-10 digits at i; -1 when none. */
export function numberAt(s: string, i: number): { value: number; end: number } | null {
  let p = i;
  let v = 0;
  while (p < s.length && p - i < 10 && isDigit(s.charCodeAt(p))) v = v * 10 + (s.charCodeAt(p++) - 0x30);
  return p === i ? null : { value: v, end: p };
}

const TRANSPORTS: Readonly<Record<string, Transport>> = { udp: 'UDP', tcp: 'TCP', tls: 'TLS', ws: 'WS', wss: 'WSS', sctp: 'SCTP' };

export function transportOf(word: string): Transport | null {
  return TRANSPORTS[word.toLowerCase()] ?? null;
}

/**
 * `host:port`, `[v6]:port`, `[v4]:port` (FreeSWITCH), or a bare IPv6 address whose last colon
 * starts the port (ngrep). The host is kept as printed (anonymised logs print names), brackets
 * removed, lower-cased.
 */
export function parseEndpoint(text: string): Endpoint | null {
  let host: string;
  let portText: string;
  if (text.charCodeAt(0) === 0x5b) {
    const close = text.indexOf(']');
    if (close < 2 || text.charCodeAt(close + 1) !== 0x3a) return null;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 1) return null;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (portText.length === 0 || portText.length > 5) return null;
  let port = 0;
  for (let i = 0; i < portText.length; i++) {
    const c = portText.charCodeAt(i);
    if (!isDigit(c)) return null;
    port = port * 10 + (c - 0x30);
  }
  if (port > 65535) return null;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x2f || c === 0x3c || c === 0x3e || c === 0x40) return null;
  }
  return { ip: host.toLowerCase(), port };
}

/** The word (run of non-space characters) starting at i. */
function wordAt(s: string, i: number): string {
  let e = i;
  while (e < s.length && s.charCodeAt(e) !== 0x20 && s.charCodeAt(e) !== 0x09) e++;
  return s.slice(i, e);
}

/** Space-separated words of a line (for the short banner lines only). */
function words(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length && out.length < 16) {
    while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
    if (i >= s.length) break;
    const w = wordAt(s, i);
    out.push(w);
    i += w.length;
  }
  return out;
}

function dropSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
}

function meta(fields: Partial<Meta>): Meta {
  return { ...emptyMeta(), ...fields };
}

/** A line made of one character repeated at least `min` times (dashed rules), spaces around allowed. */
function isRule(line: string, ch: number, min: number): boolean {
  let s = 0;
  let e = line.length;
  while (s < e && line.charCodeAt(s) === 0x20) s++;
  while (e > s && line.charCodeAt(e - 1) === 0x20) e--;
  if (e - s < min) return false;
  for (let i = s; i < e; i++) if (line.charCodeAt(i) !== ch) return false;
  return true;
}

/** The time a line starts with, skipping a Cisco sequence number (`000123: `). */
export function leadingTime(line: string): TimeParts | null {
  let p = 0;
  while (p < line.length && line.charCodeAt(p) === 0x20) p++;
  const t = scanTime(line, p);
  if (t !== null) return t.parts;
  const n = numberAt(line, p);
  if (n !== null && line.charCodeAt(n.end) === 0x3a && line.charCodeAt(n.end + 1) === 0x20) return scanTime(line, n.end + 2)?.parts ?? null;
  return null;
}

// --- Shared banner shapes ------------------------------------------------------------------

/** `PROTO:addr` (Asterisk). */
function protoAddr(text: string): { transport: Transport | null; endpoint: Endpoint | null } {
  const colon = text.indexOf(':');
  if (colon > 0) {
    const t = transportOf(text.slice(0, colon));
    if (t !== null) return { transport: t, endpoint: parseEndpoint(text.slice(colon + 1)) };
  }
  return { transport: null, endpoint: parseEndpoint(text) };
}

interface Arrow {
  before: string[];
  src: Endpoint;
  dst: Endpoint;
  after: string[];
}

/** `... SRC -> DST ...`: the words around an arrow, both ends parsed. */
function arrow(line: string): Arrow | null {
  const w = words(line);
  const k = w.indexOf('->');
  if (k < 1 || k + 1 >= w.length) return null;
  const src = parseEndpoint(w[k - 1]!);
  const dst = parseEndpoint(w[k + 1]!);
  if (src === null || dst === null) return null;
  return { before: w.slice(0, k - 1), src, dst, after: w.slice(k + 2) };
}

/** The time printed in the words before an arrow (`2024/11/19 16:01:35.861404`, `+1.1`, epoch). */
function timeOfWords(before: readonly string[]): TimeParts | null {
  if (before.length === 0) return null;
  return scanTime(before.join(' '))?.parts ?? null;
}

// --- The formats ---------------------------------------------------------------------------

const asteriskPjsip: LogFormat = {
  id: 'asterisk-pjsip',
  name: 'Asterisk chan_pjsip logger (pjsip set logger on)',
  example: '<--- Received SIP request (883 bytes) from UDP:192.0.2.10:5060 --->',
  anchors: ['<--- Received SIP ', '<--- Transmitting SIP '],
  match(line) {
    let i = line.indexOf('<--- Received SIP ');
    const received = i >= 0;
    if (!received) i = line.indexOf('<--- Transmitting SIP ');
    if (i < 0) return null;
    const rest = line.slice(i);
    const open = rest.indexOf('(');
    const n = open < 0 ? null : numberAt(rest, open + 1);
    const word = received ? ' from ' : ' to ';
    const w = rest.indexOf(word);
    if (w < 0) return null;
    const { transport, endpoint } = protoAddr(wordAt(rest, w + word.length));
    if (endpoint === null) return null;
    return meta({ direction: received ? 'received' : 'sent', remote: endpoint, transport, bytes: n?.value ?? null, time: leadingTime(line) });
  },
};

const asteriskChanSip: LogFormat = {
  id: 'asterisk-chan-sip',
  name: 'Asterisk chan_sip debug (sip set debug on)',
  example: '<--- SIP read from UDP:192.0.2.10:5060 --->',
  anchors: ['SIP read from ', 'Transmitting (', 'Retransmitting #'],
  match(line) {
    const r = line.indexOf('SIP read from ');
    if (r >= 0) {
      const { transport, endpoint } = protoAddr(dropSuffix(wordAt(line, r + 14), ':'));
      if (endpoint === null) return null;
      return meta({ direction: 'received', remote: endpoint, transport, time: leadingTime(line) });
    }
    // "<--- Transmitting (no NAT) to 192.0.2.10:5060 --->", "Reliably Transmitting (NAT) to 192.0.2.10:5060:",
    // "Retransmitting #1 (no NAT) to 192.0.2.10:5060:"
    const t = line.indexOf('ransmitting ');
    if (t < 0) return null;
    const to = line.indexOf(') to ', t);
    if (to < 0) return null;
    const endpoint = parseEndpoint(dropSuffix(wordAt(line, to + 5), ':'));
    if (endpoint === null) return null;
    return meta({ direction: 'sent', remote: endpoint, time: leadingTime(line) });
  },
  isEnd(line) {
    const t = line.trim();
    if (t === '---') return true;
    if (t.length >= 4 && t.charCodeAt(0) === 0x3c && t.charCodeAt(t.length - 1) === 0x3e) return isRule(t.slice(1, -1), 0x2d, 2);
    return false;
  },
};

const freeswitch: LogFormat = {
  id: 'freeswitch-sofia',
  name: 'FreeSWITCH / sofia-sip siptrace (sofia global siptrace on)',
  example: 'recv 1003 bytes from udp/[192.0.2.10]:5060 at 07:36:14.784706:',
  anchors: [' bytes from ', ' bytes to '],
  match(line) {
    let i = line.indexOf(' bytes from ');
    const received = i >= 0;
    if (!received) i = line.indexOf(' bytes to ');
    if (i < 0) return null;
    // "recv N" / "send N" just before
    let d = i;
    while (d > 0 && isDigit(line.charCodeAt(d - 1))) d--;
    if (d === i || d < 5) return null;
    const verb = line.slice(d - 5, d);
    if (verb !== (received ? 'recv ' : 'send ')) return null;
    const bytes = numberAt(line, d)!.value;
    const addr = wordAt(line, i + (received ? 12 : 10));
    const slash = addr.indexOf('/');
    if (slash < 1) return null;
    const transport = transportOf(addr.slice(0, slash));
    const endpoint = parseEndpoint(addr.slice(slash + 1));
    if (endpoint === null) return null;
    const at = line.indexOf(' at ', i);
    const time = at >= 0 ? (scanTime(line, at + 4)?.parts ?? null) : null;
    return meta({ direction: received ? 'received' : 'sent', remote: endpoint, transport, bytes, time: time ?? leadingTime(line) });
  },
  isEnd: (line) => isRule(line, 0x2d, 20),
};

const sippTraceMsg: LogFormat = {
  id: 'sipp-trace-msg',
  name: 'SIPp -trace_msg log',
  example: 'UDP message sent (497 bytes):',
  anchors: [' message sent (', ' message received [', ' message sent:', ' message received:'],
  timeFromContext: true,
  match(line) {
    const sp = line.indexOf(' message ');
    if (sp < 2) return null;
    const transport = transportOf(line.slice(0, sp));
    if (transport === null) return null;
    const rest = line.slice(sp + 9);
    const received = rest.startsWith('received');
    if (!received && !rest.startsWith('sent')) return null;
    const open = rest.search(/[([]/);
    const n = open < 0 ? null : numberAt(rest, open + 1);
    return meta({ direction: received ? 'received' : 'sent', transport, bytes: n?.value ?? null });
  },
};

const ngrep: LogFormat = {
  id: 'ngrep',
  name: 'ngrep / sipgrep -W byline',
  example: 'U 2024/11/19 16:01:35.861404 192.0.2.10:5060 -> 192.0.2.20:5060 #1',
  anchors: [' -> '],
  crDots: true,
  match(line) {
    const a = arrow(line);
    if (a === null || a.before.length === 0) return null;
    const proto = a.before[0]!;
    const transport = proto === 'U' ? 'UDP' : proto === 'T' ? 'TCP' : proto === 'S' ? 'SCTP' : null;
    if (transport === null) return null;
    if (a.after.some((w) => !(w.startsWith('#') || w.startsWith('[')))) return null;
    return meta({ src: a.src, dst: a.dst, transport, time: timeOfWords(a.before.slice(1)) });
  },
};

const sngrep: LogFormat = {
  id: 'sngrep',
  name: 'sngrep "save as .txt" export',
  example: '2024/11/19 16:01:35.861404 192.0.2.10:5060 -> 192.0.2.20:5060',
  anchors: [' -> '],
  match(line) {
    const a = arrow(line);
    if (a === null || a.before.length !== 2 || a.after.length !== 0) return null;
    const t = scanTime(a.before.join(' '));
    if (t === null || t.parts.kind !== 'full') return null;
    return meta({ src: a.src, dst: a.dst, time: t.parts });
  },
};

const opensipsTrace: LogFormat = {
  id: 'opensips-trace',
  name: 'opensips-cli trace',
  example: '1559123758.904466 UDP/SIP 192.0.2.10:5075 -> 192.0.2.20:5060',
  anchors: ['/SIP '],
  match(line) {
    const a = arrow(line);
    if (a === null || a.before.length !== 2 || !a.before[1]!.endsWith('/SIP')) return null;
    const t = scanTime(a.before[0]!);
    if (t === null) return null;
    return meta({ src: a.src, dst: a.dst, transport: transportOf(a.before[1]!.slice(0, -4)), time: t.parts });
  },
};

/** `[time] PROTO src -> dst`: baresip (-s), and any tool that prints the same shape. */
const srcDst: LogFormat = {
  id: 'src-dst',
  name: 'generic "PROTO src -> dst" banner (baresip and others)',
  example: 'UDP 192.0.2.10:37472 -> 192.0.2.20:5060',
  anchors: [' -> '],
  timeFromContext: true,
  match(line) {
    const a = arrow(line);
    if (a === null || a.before.length === 0 || a.after.length !== 0) return null;
    const transport = transportOf(a.before[a.before.length - 1]!);
    if (transport === null) return null;
    return meta({ src: a.src, dst: a.dst, transport, time: timeOfWords(a.before.slice(0, -1)) });
  },
};

const SIPDUMP_FIELDS = ['tag:', 'pid:', 'process:', 'time:', 'date:', 'proto:', 'srcip:', 'srcport:', 'dstip:', 'dstport:'];

const kamailioSipdump: LogFormat = {
  id: 'kamailio-sipdump',
  name: 'Kamailio sipdump text file',
  example: '====================',
  anchors: ['===================='],
  endSuffix: '||||||||||||||||||||',
  match: (line) => (line === '====================' ? meta({}) : null),
  preamble(line, m) {
    if (line === '~~~~~~~~~~~~~~~~~~~~') return true;
    const field = SIPDUMP_FIELDS.find((f) => line.startsWith(f));
    if (field === undefined) return false;
    const value = line.slice(field.length).trim();
    switch (field) {
      case 'tag:':
        m.direction = value === 'rcv' ? 'received' : value === 'snd' ? 'sent' : m.direction;
        break;
      case 'time:':
        m.time = scanTime(value)?.parts ?? m.time;
        break;
      case 'proto:':
        m.transport = transportOf(wordAt(value, 0));
        break;
      case 'srcip:':
        m.src = { ip: value.toLowerCase(), port: m.src?.port ?? 0 };
        break;
      case 'srcport:':
        m.src = { ip: m.src?.ip ?? '', port: numberAt(value, 0)?.value ?? 0 };
        break;
      case 'dstip:':
        m.dst = { ip: value.toLowerCase(), port: m.dst?.port ?? 0 };
        break;
      case 'dstport:':
        m.dst = { ip: m.dst?.ip ?? '', port: numberAt(value, 0)?.value ?? 0 };
        break;
      default:
        break;
    }
    return true;
  },
  isEnd: (line) => line === '||||||||||||||||||||',
};

const ciscoCcsip: LogFormat = {
  id: 'cisco-ccsip',
  name: 'Cisco IOS / CUBE debug ccsip messages',
  example: '*Mar  1 00:10:28.123: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:',
  anchors: ['ccsipDisplayMsg:'],
  match: (line) => meta({ time: leadingTime(line) }),
  preamble(line, m) {
    const t = line.trim();
    if (t === 'Sent:') m.direction = 'sent';
    else if (t === 'Received:') m.direction = 'received';
    else return false;
    return true;
  },
};

const pjsip: LogFormat = {
  id: 'pjsip',
  name: 'PJSIP / pjsua log (TX/RX ... msg)',
  example: '10:01:02.123 pjsua_core.c  .TX 2970 bytes Request msg INVITE/cseq=28996 (tdta0x7c07a650a8) to TLS 192.0.2.90:5061:',
  anchors: [' bytes Request msg ', ' bytes Response msg '],
  match(line) {
    let i = line.indexOf(' bytes Request msg ');
    if (i < 0) i = line.indexOf(' bytes Response msg ');
    let d = i;
    while (d > 0 && isDigit(line.charCodeAt(d - 1))) d--;
    if (d === i || d < 3) return null;
    const verb = line.slice(d - 3, d);
    if (verb !== 'TX ' && verb !== 'RX ') return null;
    const received = verb === 'RX ';
    const word = received ? ' from ' : ' to ';
    const w = line.lastIndexOf(word);
    if (w < i) return null;
    const transport = transportOf(wordAt(line, w + word.length));
    const endpoint = parseEndpoint(dropSuffix(wordAt(line, w + word.length + 1 + wordAt(line, w + word.length).length), ':'));
    return meta({ direction: received ? 'received' : 'sent', remote: endpoint, transport, bytes: numberAt(line, d)!.value, time: leadingTime(line) });
  },
  isEnd: (line) => line.trim() === '--end msg--',
};

const sipgo: LogFormat = {
  id: 'sipgo',
  name: 'sipgo / diago debug log',
  example: '--- 13:46:22.716 SIP recv ---',
  anchors: [' SIP recv ---', ' SIP send ---'],
  match(line) {
    if (!line.startsWith('--- ')) return null;
    const received = line.indexOf(' SIP recv ---') >= 0;
    return meta({ direction: received ? 'received' : 'sent', time: scanTime(line, 4)?.parts ?? null });
  },
};

const tcpdumpAscii: LogFormat = {
  id: 'tcpdump-ascii',
  name: 'tcpdump -A',
  example: '17:25:36.981066 IP 192.0.2.3.5060 > 192.0.2.1.5060: SIP: INVITE sip:1101@192.0.2.3:5060 SIP/2.0',
  anchors: [' IP ', ' IP6 '],
  midLineStart: true,
  match(line) {
    const t = scanTime(line, 0);
    if (t === null) return null;
    const w = words(line.slice(t.end));
    if (w.length < 4 || (w[0] !== 'IP' && w[0] !== 'IP6') || w[2] !== '>') return null;
    const dotted = (x: string): Endpoint | null => {
      const dot = x.lastIndexOf('.');
      return dot < 1 ? null : parseEndpoint(`${x.slice(0, dot)}:${x.slice(dot + 1)}`);
    };
    const src = dotted(w[1]!);
    const dst = dotted(dropSuffix(w[3]!, ':'));
    if (src === null || dst === null) return null;
    return meta({ src, dst, transport: w[4] === 'Flags' ? 'TCP' : 'UDP', time: t.parts });
  },
};

/**
 * Every format with a banner, in the order banners are tried (more specific shapes first: an
 * ngrep or sngrep banner is also a generic "src -> dst" one).
 */
export const LOG_FORMATS: readonly LogFormat[] = [
  asteriskPjsip,
  asteriskChanSip,
  freeswitch,
  sippTraceMsg,
  ngrep,
  sngrep,
  opensipsTrace,
  kamailioSipdump,
  ciscoCcsip,
  pjsip,
  sipgo,
  tcpdumpAscii,
  srcDst,
];

/** Raw SIP messages with no banner (pasted, or printed inside other log lines). */
export const RAW_SIP_ID = 'raw-sip';

/** The banner format a line starts, or null. */
export function matchBanner(line: string): { format: LogFormat; meta: Meta } | null {
  for (const format of LOG_FORMATS) {
    let hit = false;
    for (const a of format.anchors) {
      if (line.indexOf(a) >= 0) {
        hit = true;
        break;
      }
    }
    if (!hit) continue;
    const m = format.match(line);
    if (m !== null) return { format, meta: m };
  }
  return null;
}
