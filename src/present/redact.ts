/**
 * Redaction (`--redact`): user parts, telephone numbers, display names, IP addresses, host
 * names, tags and Call-IDs are replaced by pseudonyms everywhere in the timeline — the
 * fields, the raw messages (headers and SDP), the findings' sentences and data, the
 * diagnostics — so every output format built from it is redacted. The same value always
 * gets the same pseudonym within a run (numbered in order of first appearance); with a
 * key, pseudonyms are derived from HMAC-SHA256(key, value), so they also agree across runs.
 *
 * Values are found two ways: from their place in SIP syntax (URIs, `tag=`, Call-ID, display
 * names, Via sent-by, SDP o= and c=, any IPv4 or IPv6 address) and then wherever else they
 * appear as a whole token. Values shorter than 3 characters, and digit-only user parts
 * shorter than 6 (extensions such as 200), are replaced only in their syntactic place, so
 * "200 OK" stays readable. Pseudonyms cannot be mistaken for real values: 240.0.0.0/4
 * (reserved) and 100::/64 (discard-only) addresses, `.invalid` host names (RFC 2606).
 *
 * Digest credentials lose their user name, their realm when it is a domain, and their
 * response and cnonce (with the nonce, a response allows an offline guess of the password).
 * Ports, methods, status codes, CSeq numbers, branches and times are kept: they carry the
 * diagnosis and identify no one. The raw messages are redacted for display; their
 * Content-Length no longer matches their body.
 */
import type { CallMedia } from '../parse/media/types.js';
import type { Diagnostic, Endpoint } from '../types.js';
import { showFinding } from './findings.js';
import { crypto } from '../parse/lazy-builtins.js';
import type { DataValue, ReportData } from '../annotate/rules/types.js';
import type { Timeline, TimelineCall, TimelineMessage } from './timeline.js';

export interface RedactOptions {
  /** A secret: the same value gets the same pseudonym in every run with this key. */
  readonly key?: string;
}

type Kind = 'user' | 'number' | 'name' | 'ipv4' | 'ipv6' | 'host' | 'tag' | 'callid' | 'path';

// Not after a dot (a longer dotted number), but after a digit or letter yes: an address glued into a branch or a tag is still an address.
const IPV4 = /(?<!\.)(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d])/g;
// IPv6 with "::", or in full (eight groups); a time such as 07:06:45 is neither.
const IPV6 = /(?<![\w:.])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}(?:\d{1,3}(?:\.\d{1,3}){3})?)(?![\w:])/g;
const URI = /\b(sips?|tel):([^\s<>;,?"'@]*)(?:@(\[[0-9A-Fa-f:.]+\]|[^\s<>;,?"':]+))?/gi;
const TAG = /(;\s*tag\s*=\s*)([^;,>\s]+)/gi;
const CALL_ID_LINE = /^((?:call-id|i)[ \t]*:[ \t]*)(.*?)[ \t]*$/gim;
const NAME_LINE = /^((?:from|f|to|t|contact|m|p-asserted-identity|p-preferred-identity|remote-party-id|referred-by|b|diversion|reply-to|p-called-party-id|history-info)[ \t]*:[ \t]*)(.*)$/gim;
const VIA_HOST = /(SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+[ \t]+)(\[[0-9A-Fa-f:.]+\]|[^\s;:,]+)/gi;
const PARAM_HOST = /(;\s*(?:received|maddr)\s*=\s*)([^;,>\s]+)/gi;
const SDP_ORIGIN = /^(o=)(\S+)( \S+ \S+ IN IP[46] )(\S+)/gm;
const SDP_CONNECTION = /^(c=IN IP[46] )([^\s/]+)/gm;
// Digest credentials (RFC 3261 §22.4, RFC 7616): the user name, a realm that names a domain, and the response hash, which
// with the nonce allows an offline guess of the password, so it is blanked.
const DIGEST_USER = /(\busername\s*=\s*")([^"]*)(")/gi;
const DIGEST_REALM = /(\brealm\s*=\s*")([^"]*\.[^"]*)(")/gi;
const DIGEST_RESPONSE = /(\b(?:response|cnonce)\s*=\s*")([^"]*)(")/gi;
const USER_AT = /(?<![\w.~%+=-])([\w.~%+!$'*-]+)@/g;

function isNumber(user: string): boolean {
  return /^\+?[\d\-.() ]*\d[\d\-.() ]*$/.test(user) && /\d{3,}/.test(user.replace(/[\-.() ]/g, ''));
}

function hostKind(host: string): Kind {
  const bare = host.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(bare) && bare.split('.').length === 4) return 'ipv4';
  if (bare.includes(':')) return 'ipv6';
  return 'host';
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pseudonym table of one run. */
export class Redactor {
  /** Key (kind and value) → pseudonym. */
  private readonly map = new Map<string, string>();
  /** Original value (exactly, and lower-cased) → its key; a value seen as several kinds keeps the first that is not a display name. */
  private readonly keyOf = new Map<string, string>();
  private readonly keyOfLower = new Map<string, string>();
  /** Original value → every kind it was seen as. */
  private readonly kinds = new Map<string, Set<Kind>>();
  /** Every pseudonym handed out: never redacted again. */
  private readonly produced = new Set<string>();
  private readonly counters = new Map<Kind, number>();
  private pattern: RegExp | null = null;

  constructor(private readonly key?: string) {}

  private static mapKey(kind: Kind, value: string): string {
    // Host names and IPv6 addresses compare without case; users, tags and Call-IDs exactly.
    return kind === 'host' || kind === 'ipv6' ? `${kind}\u0000${value.toLowerCase()}` : `${kind}\u0000${value}`;
  }

  private make(kind: Kind, value: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const h = this.key === undefined ? null : crypto().createHmac('sha256', this.key).update(Redactor.mapKey(kind, value)).digest();
    const id = h === null ? String(n) : h.subarray(0, 4).toString('hex');
    switch (kind) {
      case 'user':
        return `user-${id}`;
      case 'name':
        return `Person ${id}`;
      case 'tag':
        return `tag-${id}`;
      case 'callid':
        return `callid-${id}`;
      case 'path': {
        // The file's type stays readable; its directories and name (a user's home, a customer's name) do not.
        const extension = /(\.(?:pcapng|pcap|cap|txt|log))?(\.gz)?$/i.exec(value)!;
        return `input-${id}${extension[0]}`;
      }
      case 'host':
        return `host-${id}.invalid`;
      case 'ipv4':
        return h === null ? `240.0.${Math.floor((n - 1) / 250)}.${((n - 1) % 250) + 1}` : `240.${h[0]}.${h[1]}.${h[2]}`;
      case 'ipv6':
        return h === null ? `100::${n.toString(16)}` : `100::${h.subarray(0, 2).toString('hex')}:${h.subarray(2, 4).toString('hex')}`;
      case 'number': {
        // Same length and shape (a leading +), digits only: still reads as a number.
        const digits = value.replace(/\D/g, '');
        const plus = value.trim().startsWith('+') ? '+' : '';
        const body =
          h === null
            ? String(n).padStart(Math.max(digits.length, String(n).length), '0')
            : BigInt(`0x${h.subarray(0, 8).toString('hex')}`).toString().slice(-Math.max(4, digits.length)).padStart(digits.length, '0');
        return `${plus}${body}`;
      }
    }
  }

  /** An input's path ("-" for stdin stays). */
  path(path: string): string {
    return path === '-' ? path : this.pseudonym('path', path);
  }

  /** The pseudonym of a value, made on first sight; a pseudonym stays as it is. */
  pseudonym(kind: Kind, value: string): string {
    if (this.produced.has(value)) return value;
    if (kind === 'user' && isNumber(value)) kind = 'number';
    const key = Redactor.mapKey(kind, value);
    let p = this.map.get(key);
    if (p === undefined) {
      p = this.make(kind, value);
      this.map.set(key, p);
      this.produced.add(p);
      this.pattern = null;
    }
    const kinds = this.kinds.get(value) ?? new Set<Kind>();
    if (!kinds.has(kind)) {
      const replaces = kinds.size === 0 || [...kinds].every((k) => k === 'name');
      kinds.add(kind);
      this.kinds.set(value, kinds);
      if (replaces) {
        this.keyOf.set(value, key);
        this.keyOfLower.set(value.toLowerCase(), key);
      }
      this.pattern = null;
    }
    if (!this.keyOfLower.has(value.toLowerCase())) this.keyOfLower.set(value.toLowerCase(), key);
    return p;
  }

  private known(value: string): string {
    if (this.produced.has(value)) return value;
    const key = this.keyOf.get(value) ?? this.keyOfLower.get(value.toLowerCase());
    return (key === undefined ? undefined : this.map.get(key)) ?? value;
  }

  /** Values that are replaced wherever they appear as a whole token. */
  private globalPattern(): RegExp | null {
    if (this.pattern !== null) return this.pattern;
    const wide = (v: string, kind: Kind): boolean => kind !== 'name' && !((kind === 'number' || kind === 'user') && /^\+?\d+$/.test(v) && v.replace('+', '').length < 6);
    const values = [...this.kinds.entries()]
      .filter(([v, kinds]) => v.length >= 3 && [...kinds].some((k) => wide(v, k)))
      .map(([v]) => v)
      .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    if (values.length === 0) return null;
    this.pattern = new RegExp(`(?<![A-Za-z0-9_~%+-])(?:${values.map(escapeRegExp).join('|')})(?![A-Za-z0-9_~%+-])`, 'gi');
    return this.pattern;
  }

  private endpointHost(host: string): string {
    const bare = host.replace(/^\[|\]$/g, '');
    const p = this.pseudonym(hostKind(host), bare);
    return host.startsWith('[') ? `[${p}]` : p;
  }

  private uriPart(user: string): string {
    // "user:password" keeps neither.
    const colon = user.indexOf(':');
    const name = colon < 0 ? user : user.slice(0, colon);
    return name === '' ? user : this.pseudonym('user', name);
  }

  /** Learns the values in SIP text (a raw message, a URI, "user@host") without changing it. */
  learn(text: string): void {
    this.rewriteSyntax(text);
  }

  /** Replaces the values at their place in SIP syntax. */
  private rewriteSyntax(text: string): string {
    let out = text.replace(CALL_ID_LINE, (_, head: string, value: string) => (value === '' ? head : head + this.pseudonym('callid', value)));
    out = out.replace(NAME_LINE, (_, head: string, value: string) => head + this.rewriteDisplayNames(value));
    out = out.replace(URI, (_, scheme: string, user: string, host: string | undefined) => {
      if (scheme.toLowerCase() === 'tel') return `${scheme}:${user === '' ? '' : this.pseudonym('number', user.split(';')[0]!)}`;
      if (host === undefined) {
        // A URI with no user part: "host" or "host:port" (an IPv6 host is bracketed, RFC 3261 §25.1); the port is no one's.
        const hostPort = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(user);
        if (user === '') return `${scheme}:`;
        return hostPort === null ? `${scheme}:${this.endpointHost(user)}` : `${scheme}:${this.endpointHost(hostPort[1]!)}${hostPort[2] ?? ''}`;
      }
      return `${scheme}:${user === '' ? '' : this.uriPart(user)}@${this.endpointHost(host)}`;
    });
    out = out.replace(USER_AT, (whole, user: string, offset: number, all: string) => {
      // Already a pseudonym, or part of something that is not user@host.
      if (all.slice(offset - 1, offset) === ':') return whole;
      return `${this.pseudonym('user', user)}@`;
    });
    out = out.replace(TAG, (_, head: string, tag: string) => head + this.pseudonym('tag', tag));
    out = out.replace(DIGEST_USER, (_, head: string, user: string, tail: string) => head + (user === '' ? '' : this.pseudonym('user', user)) + tail);
    out = out.replace(DIGEST_REALM, (_, head: string, realm: string, tail: string) => head + this.pseudonym('host', realm) + tail);
    out = out.replace(DIGEST_RESPONSE, (_, head: string, _value: string, tail: string) => `${head}redacted${tail}`);
    out = out.replace(VIA_HOST, (_, head: string, host: string) => head + this.endpointHost(host));
    out = out.replace(PARAM_HOST, (_, head: string, host: string) => head + this.endpointHost(host));
    out = out.replace(SDP_ORIGIN, (_, o: string, user: string, mid: string, addr: string) => `${o}${user === '-' ? user : this.pseudonym('user', user)}${mid}${this.endpointHost(addr)}`);
    out = out.replace(SDP_CONNECTION, (_, head: string, addr: string) => head + this.endpointHost(addr));
    out = out.replace(IPV4, (ip) => this.pseudonym('ipv4', ip));
    out = out.replace(IPV6, (ip) => (/[0-9A-Fa-f]/.test(ip) ? this.pseudonym('ipv6', ip) : ip));
    return out;
  }

  /**
   * `"Alice Smith" <sip:…>, Bob <sip:…>`: the names before each `<`. A hand-written scan, not a
   * regular expression: the obvious pattern backtracks cubically on a header of blanks (a
   * 3,000-space value took 3 s), and header values are attacker-controlled.
   */
  private rewriteDisplayNames(value: string): string {
    let out = '';
    let entryStart = 0;
    let inQuotes = false;
    let angle = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      if (inQuotes) {
        if (c === '\\') i++;
        else if (c === '"') inQuotes = false;
      } else if (c === '\\') {
        // An escape outside a quoted string (`\"arik\" <sip:…>`, sent by some phones): the pair is part of the name, not the start of a quoted string.
        i++;
      } else if (c === '"') {
        inQuotes = true;
      } else if (c === '<') {
        if (angle === 0) {
          const segment = value.slice(entryStart, i);
          const name = segment.trim();
          const bare = name.startsWith('"') && name.endsWith('"') && name.length >= 2 ? name.slice(1, -1) : name;
          if (bare !== '') {
            const lead = segment.slice(0, segment.length - segment.trimStart().length);
            const trail = segment.slice(segment.trimEnd().length);
            const p = this.pseudonym('name', bare);
            out += lead + (name.startsWith('"') ? `"${p}"` : p) + trail;
          } else {
            out += segment;
          }
          entryStart = i;
        }
        angle++;
      } else if (c === '>') {
        if (angle > 0) angle--;
      } else if (c === ',' && angle === 0) {
        out += value.slice(entryStart, i + 1);
        entryStart = i + 1;
      }
    }
    return out + value.slice(entryStart);
  }

  /** Redacts any text: SIP syntax first, then every known value wherever it stands as a whole token. */
  text(text: string): string {
    return this.tokens(this.rewriteSyntax(text));
  }

  /** For siplens's own sentences (and file names): the URIs and addresses in them, then every known value. */
  values(text: string): string {
    const uris = text.replace(URI, (whole, scheme: string, user: string, host: string | undefined) => {
      if (host === undefined || scheme.toLowerCase() === 'tel') return whole;
      return `${scheme}:${user === '' ? '' : this.uriPart(user)}@${this.endpointHost(host)}`;
    });
    return this.tokens(uris.replace(IPV4, (ip) => this.pseudonym('ipv4', ip)));
  }

  /** Only URIs and IP addresses: for siplens's own sentences (notes, outcomes), whose words must stay. */
  addresses(text: string): string {
    const uris = text.replace(URI, (whole, scheme: string, user: string, host: string | undefined) => {
      if (host === undefined || scheme.toLowerCase() === 'tel') return whole;
      return `${scheme}:${user === '' ? '' : this.uriPart(user)}@${this.endpointHost(host)}`;
    });
    return uris.replace(IPV4, (ip) => this.pseudonym('ipv4', ip)).replace(IPV6, (ip) => (/[0-9A-Fa-f]/.test(ip) && ip.includes('::') ? this.pseudonym('ipv6', ip) : ip));
  }

  private tokens(text: string): string {
    const pattern = this.globalPattern();
    return pattern === null ? text : text.replace(pattern, (v) => this.known(v));
  }

  endpoint(e: Endpoint): Endpoint {
    return { ip: this.pseudonym(e.ip.includes(':') ? 'ipv6' : 'ipv4', e.ip), port: e.port };
  }

  /** Every original value seen, with its kind and pseudonym (for tests, or a mapping kept private). */
  originals(): { kind: Kind; value: string; pseudonym: string }[] {
    return [...this.kinds.entries()].flatMap(([value, kinds]) => [...kinds].map((kind) => ({ kind, value, pseudonym: this.map.get(Redactor.mapKey(kind, value))! })));
  }
}

function learnCall(r: Redactor, call: TimelineCall): void {
  if (call.callId) r.pseudonym('callid', call.callId);
  for (const m of call.messages) {
    r.endpoint(m.src);
    r.endpoint(m.dst);
    r.learn(m.raw);
    if (m.requestUri) r.learn(m.requestUri);
  }
  for (const party of [call.from, call.to]) {
    if (!party) continue;
    const at = party.lastIndexOf('@');
    const host = party.slice(at + 1);
    r.learn(at < 0 ? party : `sip:${party.slice(0, at)}@${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}`);
  }
}

/** A finding's data with its trace values redacted: text as any trace text, endpoints by their address; numbers, durations and message references are no one's. */
function redactData(r: Redactor, data: ReportData): ReportData {
  const out: Record<string, DataValue> = {};
  for (const [name, value] of Object.entries(data)) {
    out[name] = typeof value === 'string' ? r.text(value) : typeof value === 'object' && value.kind === 'endpoint' ? { ...value, ip: r.endpoint(value).ip } : value;
  }
  return out;
}

/**
 * A diagnostic's values with every trace value replaced, found by its shape (src/diagnostics.ts):
 * addresses (`ip`), input paths (`path`), host names (`host`) and trace text (`text`); numbers and
 * siplens's own words are no one's.
 */
function redactValues<T>(r: Redactor, value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => redactValues(r, v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') out[name] = redactValues(r, v);
    else if (name === 'ip') out[name] = r.endpoint({ ip: v, port: 0 }).ip;
    else if (name === 'path') out[name] = r.path(v);
    else if (name === 'host') out[name] = r.pseudonym('host', v);
    else if (name === 'text') out[name] = r.values(r.addresses(v));
    else out[name] = v;
  }
  return out as T;
}

function redactMessage(r: Redactor, m: TimelineMessage): TimelineMessage {
  const raw = r.text(m.raw);
  // Member by member: most of a timeline row is getters (timeline.ts), which a spread does not copy.
  return {
    index: m.index,
    file: r.path(m.file),
    frame: m.frame,
    line: m.line,
    frames: m.frames,
    time: m.time,
    offsetMs: m.offsetMs,
    src: r.endpoint(m.src),
    dst: r.endpoint(m.dst),
    transport: m.transport,
    method: m.method,
    requestUri: m.requestUri === null ? null : r.text(m.requestUri),
    status: m.status,
    reason: m.reason === null ? null : r.text(m.reason),
    cseq: m.cseq,
    retransmission: m.retransmission,
    duplicateOf: m.duplicateOf,
    originalFrame: m.originalFrame,
    originalLine: m.originalLine,
    note: r.addresses(m.note),
    findings: m.findings,
    sdp: m.sdp,
    raw,
  };
}

/** A call's media: the stream addresses, the SDP's announced addresses and the input path. */
function redactMedia(r: Redactor, media: CallMedia): CallMedia {
  return {
    ...media,
    announced: media.announced.map((a) => ({ ...a, address: a.address === null ? null : r.endpoint({ ip: a.address, port: a.port }).ip })),
    streams: media.streams.map((s) => ({ ...s, src: r.endpoint(s.src), dst: r.endpoint(s.dst), file: r.path(s.file) })),
  };
}

/** The timeline with every identifying value replaced by its pseudonym. */
export function redactTimeline(timeline: Timeline, options: RedactOptions = {}, redactor = new Redactor(options.key)): Timeline {
  const r = redactor;
  // First learn every value, so that a value is replaced everywhere, even before the message that names it.
  for (const call of timeline.calls) learnCall(r, call);
  // "user@host" as the timeline writes it (an IPv6 host without brackets): redacted as the URI it came from.
  const party = (p: string | null): string | null => {
    if (p === null) return null;
    const at = p.lastIndexOf('@');
    if (at < 0) return r.text(p.includes(':') ? `[${p}]` : p).replace(/^\[(.*)\]$/, '$1');
    const host = p.slice(at + 1);
    const uri = r.text(`sip:${p.slice(0, at)}@${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}`);
    return uri.replace(/^sip:/, '').replace(/@\[([^\]]*)\]$/, host.startsWith('[') ? '@[$1]' : '@$1');
  };
  return {
    lang: timeline.lang,
    inputs: timeline.inputs.map((input) => ({
      ...input,
      path: r.path(input.path),
      // Redaction on data: a diagnostic's sentence is made from its redacted values, so no trace value can stay in it.
      diagnostics: input.diagnostics.map((d) => ({ ...d, values: redactValues(r, d.values), ...(d.file === undefined ? {} : { file: r.path(d.file) }) }) as Diagnostic),
    })),
    calls: timeline.calls.map((call) => ({
      ...call,
      callId: call.callId ? r.pseudonym('callid', call.callId) : call.callId,
      from: party(call.from),
      to: party(call.to),
      outcomeText: r.addresses(call.outcomeText),
      messages: call.messages.map((m) => redactMessage(r, m)),
      // Redaction on data: a finding's sentences are made again from its redacted values, so no trace value can stay in them.
      findings: call.findings.map((f) => showFinding({ ...f, data: redactData(r, f.data) }, timeline.lang)),
      media: call.media === null ? null : redactMedia(r, call.media),
    })),
    // The main problems carry a finding's data each: redacted as the findings' are.
    summary: { ...timeline.summary, mainProblems: timeline.summary.mainProblems.map((p) => ({ ...p, data: redactData(r, p.data) })) },
  };
}
