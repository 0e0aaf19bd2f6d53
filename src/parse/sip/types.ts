/** The parsed form of one SIP message (RFC 3261 §7). Parsing is tolerant: nothing is dropped. */
import type { SipParseCode, SipParseValues } from '../../diagnostics.js';

export interface SipHeader {
  /** The name as written in the message (e.g. "v", "CALL-ID"). Empty for a malformed line with no colon. */
  readonly name: string;
  /** Lower-case long form ("v" -> "via", "CALL-ID" -> "call-id"); "" for a malformed line. */
  readonly key: string;
  /** Value with folding (RFC 3261 §7.3.1) replaced by a single space, surrounding whitespace trimmed, decoded as UTF-8. For a malformed line, the whole line. */
  readonly value: string;
  /** Byte offset of the header line's first byte within the message. */
  readonly offset: number;
  /** Byte length of the header line(s), continuation lines included, line terminators excluded. */
  readonly length: number;
  /** True when the line could not be read as `name: value`. */
  readonly malformed: boolean;
}

export interface SipUri {
  /** The URI as written (without angle brackets). */
  readonly raw: string;
  /** "sip", "sips", "tel", ... (lower case), "" if none could be found. */
  readonly scheme: string;
  /** The user part, "" when absent. */
  readonly user: string;
  /** Host (IPv6 without brackets), "" when absent. */
  readonly host: string;
  /** Port, or null when absent. */
  readonly port: number | null;
}

/** From, To, Contact, Route... : `"Display" <uri>;param=value` or `uri;param=value` (RFC 3261 §20.10). */
export interface NameAddr {
  readonly displayName: string | null;
  readonly uri: SipUri;
  /** Header parameters (after the URI), names lower-cased; a flag parameter has value "". */
  readonly params: Readonly<Record<string, string>>;
  /** `tag` parameter, or null. */
  readonly tag: string | null;
}

/** One Via entry (RFC 3261 §20.42); a comma-joined Via header gives several. */
export interface Via {
  /** Protocol name and version, normally "SIP/2.0". */
  readonly protocol: string;
  /** Upper-case transport: "UDP", "TCP", "TLS", "WS", "WSS", "SCTP", ... */
  readonly transport: string;
  /** sent-by host (IPv6 without brackets). */
  readonly host: string;
  readonly port: number | null;
  readonly branch: string | null;
  readonly params: Readonly<Record<string, string>>;
  /** The entry as written. */
  readonly raw: string;
}

/**
 * Bits of `SipMessage.headerBits`: which header lines a message has, by key, noted as the parser
 * reads them (headers.ts `headerBit`). Readers that only ask whether a header is there, or look for
 * one that most messages lack, test a bit instead of making the header list, which would read the
 * whole header section again at hand-over (`mayHaveHeader` in header-values.ts).
 */
export const HEADER_BIT = {
  via: 1,
  from: 2,
  to: 4,
  callId: 8,
  cseq: 16,
  maxForwards: 32,
  contentLength: 64,
  /** A second Content-Length line (or more). */
  contentLengthAgain: 128,
  /** A header that can link a B2BUA's legs (`isLegLinkKey`: Session-ID, P-Charging-Vector, X-…Call-ID). */
  legLink: 256,
  identity: 512,
  require: 1024,
  sessionExpires: 8192,
  reason: 16384,
  /** User-Agent, Contact, Warning and Retry-After: the rules read them at hand-over, and most messages of a call lack one or more. */
  userAgent: 32768,
  contact: 65536,
  warning: 131072,
  retryAfter: 262144,
  /** Referred-By or Replaces (RFC 3892, RFC 3891): the transfer links read them on every call's INVITE at hand-over, and few INVITEs have either. */
  transfer: 524288,
  /**
   * Authorization or Proxy-Authorization (RFC 3261 §22.2, §22.3): the rules ask whether a challenged
   * request carried credentials, and most did not; without the bit each ask read the header lines again.
   */
  credentials: 1048576,
  /** The first From line does not read as a name-addr: `from` is null though the header is there. */
  fromUnreadable: 2048,
  /** The first To line does not read as a name-addr: `to` is null though the header is there. */
  toUnreadable: 4096,
} as const;

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** What the parser noticed about a message, with the values its diagnostic needs. */
export type SipParseDiagnostic = { readonly [C in SipParseCode]: SipParseDiagnosticOf<C> }[SipParseCode];

export interface SipParseDiagnosticOf<C extends SipParseCode> {
  readonly code: C;
  readonly values: SipParseValues[C];
  /** Byte offset within the message. */
  readonly offset: number;
}

export interface SipMessage {
  readonly kind: 'request' | 'response';
  /** Request method, null for responses. */
  readonly method: string | null;
  /** Request-URI as written, null for responses. */
  readonly requestUri: string | null;
  /** Status code, null for requests. */
  readonly status: number | null;
  /** Reason phrase, null for requests. */
  readonly reason: string | null;
  /** "SIP/2.0" normally. */
  readonly version: string;
  /** Every header line in order, malformed ones included. */
  readonly headers: readonly SipHeader[];
  readonly callId: string | null;
  readonly cseq: CSeq | null;
  /**
   * `from?.tag`, `to?.tag`, and the branch and sent-by of `via[0]`, read as the message is
   * parsed: correlation keys on them for every message (RFC 3261 §17.2.3), and the rest of From,
   * To, Via and Contact (and the header objects) is made only when first read
   * (src/parse/sip/parse.ts, CompactSipMessage).
   */
  readonly fromTag: string | null;
  readonly toTag: string | null;
  readonly branch: string | null;
  /** The top Via's sent-by as "host:port", host lower-cased, port "" when absent; "" when no Via can be read. */
  readonly sentBy: string;
  readonly from: NameAddr | null;
  readonly to: NameAddr | null;
  /** All Via entries, top first (comma-joined headers split). */
  readonly via: readonly Via[];
  /** Contact entries; `*` gives an entry whose uri.raw is "*". */
  readonly contact: readonly NameAddr[];
  readonly maxForwards: number | null;
  readonly contentType: string | null;
  /** The Content-Length header value, null when absent or unreadable. */
  readonly contentLength: number | null;
  /** Byte offset of the body within `raw`. */
  readonly bodyOffset: number;
  /** Which header lines the message has (HEADER_BIT), from the same lines as `headers` (malformed ones have no key, so no bit). */
  readonly headerBits: number;
  /** The body's bytes (a view of `raw`'s memory from `bodyOffset`). */
  readonly body: Uint8Array;
  /**
   * The message's bytes (start line to end of body). A parsed message makes the view when this is
   * read (it holds the buffer and offsets, not a view, while its call is open): the same bytes at
   * each reading, not the same object.
   */
  readonly raw: Uint8Array;
}

export interface SipParseResult {
  readonly message: SipMessage;
  readonly diagnostics: readonly SipParseDiagnostic[];
  /** Bytes of the input that belong to this message (for stream framing). */
  readonly consumed: number;
}
