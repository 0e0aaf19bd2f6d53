/**
 * Readers for SIP header values (RFC 3261 §7.3, §19.1, §20, §25.1), shared by the parser and later layers.
 *
 * Every function works on an already decoded, unfolded string, never throws, and runs in time
 * linear in its input: only indexOf and charCode loops, no regular expressions. Functions that
 * cannot read a value return null; the caller decides what to report. The readers the parser
 * runs on every message (nameAddrTagIn, viaKeyIn, cseqIn) also read a value in place, as the
 * range [start, end) of the message's header text: no slice of it is made, and characters are
 * read from a flat string instead of through a sliced one (BENCHMARKS.md session 16).
 * Parameter objects inherit nothing (see emptyParams), so names such as "__proto__" are plain keys.
 */

import { HEADER_BIT, type CSeq, type NameAddr, type SipUri, type Via } from './types.js';
import { ALPHA, Char, isDigitCode, SCHEME, TOKEN } from './chars.js';

/** Compact header names (RFC 3261 §7.3.3 and the IANA SIP header registry) -> lower-case long form. */
export const COMPACT_FORMS: Readonly<Record<string, string>> = Object.freeze({
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
});

/** The lower-case long form of a header name: "v" -> "via", "CALL-ID" -> "call-id". */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) {
    const long = COMPACT_FORMS[lower];
    if (long !== undefined) return long;
  }
  return lower;
}

/** X-Call-ID, X-CID, X-Original-Call-ID, X-Asterisk-Call-ID... (any `x-…call-id`, `x-…callid`, `x-…cid`), by key. */
const X_CALL_ID_HEADER = /^x-[a-z0-9-]*(call-?id|cid)$/;

/** Whether a header (by key) can link the legs a B2BUA makes of one call (src/annotate/legs.ts). */
export function isLegLinkKey(key: string): boolean {
  // "x-" first: a character test per header instead of a regex run over every header.
  return key === 'session-id' || key === 'p-charging-vector' || (key.charCodeAt(0) === 0x78 && key.charCodeAt(1) === 0x2d && X_CALL_ID_HEADER.test(key));
}

/** The HEADER_BIT a header key sets in `SipMessage.headerBits` (0 for the rest). */
export function headerBit(key: string): number {
  switch (key) {
    case 'via':
      return HEADER_BIT.via;
    case 'from':
      return HEADER_BIT.from;
    case 'to':
      return HEADER_BIT.to;
    case 'call-id':
      return HEADER_BIT.callId;
    case 'cseq':
      return HEADER_BIT.cseq;
    case 'max-forwards':
      return HEADER_BIT.maxForwards;
    case 'content-length':
      return HEADER_BIT.contentLength;
    case 'identity':
      return HEADER_BIT.identity;
    case 'require':
      return HEADER_BIT.require;
    case 'session-expires':
      return HEADER_BIT.sessionExpires;
    case 'reason':
      return HEADER_BIT.reason;
    case 'user-agent':
      return HEADER_BIT.userAgent;
    case 'contact':
      return HEADER_BIT.contact;
    case 'warning':
      return HEADER_BIT.warning;
    case 'retry-after':
      return HEADER_BIT.retryAfter;
    case 'referred-by':
    case 'replaces':
      return HEADER_BIT.transfer;
    case 'authorization':
    case 'proxy-authorization':
      return HEADER_BIT.credentials;
    default:
      return isLegLinkKey(key) ? HEADER_BIT.legLink : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Small string helpers

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Index of the first non-whitespace (SP, HTAB, CR, LF) char at or after i (`end` when there is none before it). */
export function skipWs(s: string, i: number, end: number = s.length): number {
  while (i < end && isWs(s.charCodeAt(i))) i++;
  return i;
}

/** Trims SP, HTAB, CR and LF (not the wider set String.prototype.trim removes). */
export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function tokenEnd(s: string, i: number, end: number): number {
  while (i < end && TOKEN[s.charCodeAt(i)] === 1) i++;
  return i;
}

/**
 * A non-negative decimal number made of s[i..j), or null when the range is empty, holds a
 * non-digit, or is too large to be exact (more than 15 significant digits).
 */
export function parseDecimal(s: string, i: number = 0, j: number = s.length): number | null {
  if (i >= j) return null;
  let v = 0;
  let significant = 0;
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    if (!isDigitCode(c)) return null;
    if (v !== 0 || c !== 0x30) significant++;
    if (significant > 15) return null;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/** A port number (0..65535) made of s[i..j), or null. */
function parsePort(s: string, i: number, j: number): number | null {
  const v = parseDecimal(s, i, j);
  return v !== null && v <= 65535 ? v : null;
}

/**
 * Reads a quoted-string starting at s[i] === '"' (and ending before `end`). Returns the unescaped
 * content (`\x` -> `x`) and the index after the closing quote, or null when the closing quote is missing.
 */
export function readQuoted(s: string, i: number, end: number = s.length): { value: string; end: number } | null {
  const n = end;
  let k = i + 1;
  let chunkStart = k;
  let out = '';
  while (k < n) {
    const c = s.charCodeAt(k);
    if (c === Char.DQUOTE) return { value: out + s.slice(chunkStart, k), end: k + 1 };
    if (c === Char.BACKSLASH) {
      if (k + 1 >= n) return null;
      out += s.slice(chunkStart, k);
      chunkStart = k + 1; // keep the escaped char
      k += 2;
      continue;
    }
    k++;
  }
  return null;
}

/** Removes surrounding double quotes and `\` escapes when s is a whole quoted-string; otherwise returns s. */
export function unquote(s: string): string {
  if (s.length >= 2 && s.charCodeAt(0) === Char.DQUOTE) {
    const q = readQuoted(s, 0);
    if (q !== null && q.end === s.length) return q.value;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Lists and parameters

/**
 * Splits a comma-separated header value (RFC 3261 §7.3.1) into trimmed entries, ignoring commas
 * inside quoted strings and inside <...>. Empty entries are dropped.
 */
export function splitList(value: string): string[] {
  if (value.indexOf(',') < 0) {
    const only = trimWs(value);
    return only.length > 0 ? [only] : [];
  }
  const out: string[] = [];
  const n = value.length;
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === Char.BACKSLASH) i++;
      else if (c === Char.DQUOTE) inQuote = false;
    } else if (inAngle) {
      if (c === Char.GT) inAngle = false;
    } else if (c === Char.DQUOTE) {
      inQuote = true;
    } else if (c === Char.LT) {
      inAngle = true;
    } else if (c === Char.COMMA) {
      const e = trimWs(value.slice(start, i));
      if (e.length > 0) out.push(e);
      start = i + 1;
    }
  }
  const last = trimWs(value.slice(start));
  if (last.length > 0) out.push(last);
  return out;
}

/**
 * Parameter objects: made by a constructor whose prototype is itself an empty object with no
 * prototype, so they inherit nothing (no toString, no __proto__ setter: "__proto__" is a plain
 * key) but, unlike Object.create(null), are not dictionaries: V8 gives them hidden classes, which
 * makes them about four times smaller and faster to fill. Every message holds several.
 */
const Params = function Params(this: Record<string, string>) {} as unknown as new () => Record<string, string>;
Params.prototype = Object.freeze(Object.create(null) as object);

/** A params object that inherits nothing. */
export function emptyParams(): Record<string, string> {
  return new Params();
}

/**
 * s.slice(a, b), as the shared string when it is a parameter name seen in nearly every message
 * (tag, branch, rport, received, transport, lr, expires, q, user, maddr, ttl, method, ob): reusing
 * these strings makes property stores cheaper. Chosen by length, then compared.
 */
function commonName(s: string, a: number, b: number): string {
  switch (b - a) {
    case 1:
      if (s.charCodeAt(a) === 0x71) return 'q';
      break;
    case 2:
      if (s.startsWith('lr', a)) return 'lr';
      if (s.startsWith('ob', a)) return 'ob';
      break;
    case 3:
      if (s.startsWith('tag', a)) return 'tag';
      if (s.startsWith('ttl', a)) return 'ttl';
      break;
    case 4:
      if (s.startsWith('user', a)) return 'user';
      break;
    case 5:
      if (s.startsWith('rport', a)) return 'rport';
      if (s.startsWith('maddr', a)) return 'maddr';
      break;
    case 6:
      if (s.startsWith('branch', a)) return 'branch';
      if (s.startsWith('method', a)) return 'method';
      break;
    case 7:
      if (s.startsWith('expires', a)) return 'expires';
      break;
    case 8:
      if (s.startsWith('received', a)) return 'received';
      break;
    case 9:
      if (s.startsWith('transport', a)) return 'transport';
      break;
  }
  return s.slice(a, b);
}

/** Chars that end a parameter name: "=", ";", ",", SP, HTAB, CR, LF. */
const PARAM_NAME_END = charTable('=;, \t\r\n');
/** Chars that end an unquoted parameter value: ";", ",", SP, HTAB, CR, LF. */
const PARAM_VALUE_END = charTable(';, \t\r\n');

function charTable(chars: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let k = 0; k < chars.length; k++) t[chars.charCodeAt(k)] = 1;
  return t;
}

/**
 * Reads `;name=value;flag...` starting at s[i] (whitespace allowed around ";" and "=").
 * Names are lower-cased; a flag gets ""; a quoted value is unquoted; the first occurrence of a
 * name wins. Stops at the first char that does not continue a parameter list.
 * Returns the parameters and the index where reading stopped.
 */
export function readParams(s: string, i: number): { params: Record<string, string>; end: number } {
  const params = emptyParams();
  const end = readParamsInto(s, i, params);
  return { params, end };
}

/** The parameter nextParam read last (one object, refilled by each call): where its name lies, and its value. */
const param = {
  nameStart: 0,
  nameEnd: 0,
  /** Whether the name has an upper-case letter (names are compared lower-cased). */
  upper: false,
  /** Unquoted, "" for a flag; null when only the range below is known (not made until asked). */
  quoted: null as string | null,
  valueStart: 0,
  valueEnd: 0,
  /** Where reading goes on; when nextParam returns false, where the list stopped. */
  end: 0,
};

/**
 * Reads the `;name[=value]` that starts at s[i] (after whitespace, before `end`) into `param`;
 * false when no parameter starts there. The one reader of a parameter for readParamsInto and findParam.
 */
function nextParam(s: string, i: number, end: number): boolean {
  const n = end;
  let k = i;
  while (k < n && isWs(s.charCodeAt(k))) k++;
  if (k >= n || s.charCodeAt(k) !== Char.SEMI) {
    param.end = k;
    return false;
  }
  let p = k + 1;
  while (p < n && isWs(s.charCodeAt(p))) p++;
  param.nameStart = p;
  let upper = false;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (PARAM_NAME_END[c] === 1) break;
    if (c >= 0x41 && c <= 0x5a) upper = true;
    p++;
  }
  param.nameEnd = p;
  param.upper = upper;
  while (p < n && isWs(s.charCodeAt(p))) p++;
  param.quoted = '';
  if (p < n && s.charCodeAt(p) === Char.EQ) {
    p++;
    while (p < n && isWs(s.charCodeAt(p))) p++;
    if (p < n && s.charCodeAt(p) === Char.DQUOTE) {
      const q = readQuoted(s, p, n);
      if (q === null) {
        param.quoted = s.slice(p + 1, n);
        p = n;
      } else {
        param.quoted = q.value;
        p = q.end;
      }
    } else {
      param.quoted = null;
      param.valueStart = p;
      while (p < n && PARAM_VALUE_END[s.charCodeAt(p)] !== 1) p++;
      param.valueEnd = p;
    }
  }
  param.end = p;
  return true;
}

/** The value of the parameter nextParam read last. */
function paramText(s: string): string {
  return param.quoted ?? s.slice(param.valueStart, param.valueEnd);
}

/** readParams into `params`; returns the index where reading stopped. */
function readParamsInto(s: string, i: number, params: Record<string, string>): number {
  while (nextParam(s, i, s.length)) {
    const name = param.upper ? s.slice(param.nameStart, param.nameEnd).toLowerCase() : commonName(s, param.nameStart, param.nameEnd);
    if (name.length > 0 && !(name in params)) params[name] = paramText(s);
    i = param.end;
  }
  return param.end;
}

/** `parseParams(";a=1;b")` -> { a: "1", b: "" }. See readParams. */
export function parseParams(s: string): Record<string, string> {
  return readParams(s, 0).params;
}

// ---------------------------------------------------------------------------------------------
// Hosts and URIs

/**
 * Splits `host[:port]` or `[v6]:port`. The host comes back without brackets; an unbracketed
 * string with several colons is taken as a bare IPv6 address. Returns null when a port is
 * present but not a number in 0..65535, or the host is empty or an opening bracket is unclosed.
 */
export function parseHostPort(hp: string): { host: string; port: number | null } | null {
  const n = hp.length;
  if (n === 0) return null;
  if (hp.charCodeAt(0) === Char.LBRACKET) {
    const close = hp.indexOf(']');
    if (close < 0) return null;
    const host = hp.slice(1, close);
    if (host.length === 0) return null;
    if (close + 1 === n) return { host, port: null };
    if (hp.charCodeAt(close + 1) !== Char.COLON) return null;
    const port = parsePort(hp, close + 2, n);
    return port === null ? null : { host, port };
  }
  const colon = hp.indexOf(':');
  if (colon < 0) return { host: hp, port: null };
  if (hp.indexOf(':', colon + 1) >= 0) return { host: hp, port: null }; // bare IPv6
  if (colon === 0) return null;
  const port = parsePort(hp, colon + 1, n);
  return port === null ? null : { host: hp.slice(0, colon), port };
}

const EMPTY_URI_PARTS = { user: '', host: '', port: null } as const;

/**
 * The "@" that ends a SIP URI's user part in text[from, to), or -1 when the URI has no user part:
 * the user part never holds "@" (RFC 3261 §25.1, `user`), and a "?" before any "@" starts the
 * URI's headers.
 */
export function userPartEnd(text: string, from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === Char.AT) return k;
    if (c === Char.QMARK) return -1;
  }
  return -1;
}

/**
 * Reads a URI (RFC 3261 §19.1 for sip/sips; tel numbers; `//authority` for other schemes).
 * Never fails: parts that cannot be found are "" / null. `scheme` is "" when the text does
 * not start with `scheme:`.
 * - sip/sips: user is the part before "@" (password removed), host/port from hostport
 *   (IPv6 without brackets), URI parameters and headers ignored.
 * - tel: user is the number (before any ";"), host "".
 */
export function parseUri(raw: string): SipUri {
  const n = raw.length;
  let i = 0;
  if (n === 0 || ALPHA[raw.charCodeAt(0)] !== 1) return { raw, scheme: '', ...EMPTY_URI_PARTS };
  i = 1;
  while (i < n && SCHEME[raw.charCodeAt(i)] === 1) i++;
  if (i >= n || raw.charCodeAt(i) !== Char.COLON) return { raw, scheme: '', ...EMPTY_URI_PARTS };
  const scheme = i === 3 && raw.startsWith('sip') ? 'sip' : raw.slice(0, i).toLowerCase();
  const restStart = i + 1;

  if (scheme === 'sip' || scheme === 'sips') {
    const at = userPartEnd(raw, restStart, n);
    let user = '';
    let hpStart = restStart;
    if (at >= 0) {
      const colon = raw.indexOf(':', restStart);
      user = raw.slice(restStart, colon >= 0 && colon < at ? colon : at);
      hpStart = at + 1;
    }
    let hpEnd = hpStart;
    while (hpEnd < n) {
      const c = raw.charCodeAt(hpEnd);
      if (c === Char.SEMI || c === Char.QMARK) break;
      hpEnd++;
    }
    const hp = parseHostPort(raw.slice(hpStart, hpEnd));
    if (hp === null) {
      // Keep what can be read: the host before a broken port.
      const hostOnly = raw.slice(hpStart, hpEnd);
      const c = hostOnly.indexOf(':');
      return { raw, scheme, user, host: c >= 0 ? hostOnly.slice(0, c) : hostOnly, port: null };
    }
    return { raw, scheme, user, host: hp.host, port: hp.port };
  }

  if (scheme === 'tel') {
    const semi = raw.indexOf(';', restStart);
    return { raw, scheme, user: raw.slice(restStart, semi >= 0 ? semi : n), host: '', port: null };
  }

  // Generic hierarchical URI: scheme://[user@]host[:port]/...
  if (raw.charCodeAt(restStart) === Char.SLASH && raw.charCodeAt(restStart + 1) === Char.SLASH) {
    const aStart = restStart + 2;
    let aEnd = aStart;
    while (aEnd < n) {
      const c = raw.charCodeAt(aEnd);
      if (c === Char.SLASH || c === Char.QMARK || c === 0x23 /* # */) break;
      aEnd++;
    }
    const authority = raw.slice(aStart, aEnd);
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at) : '';
    const colon = userinfo.indexOf(':');
    const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    const hp = parseHostPort(authority.slice(at + 1));
    return { raw, scheme, user, host: hp?.host ?? '', port: hp?.port ?? null };
  }
  return { raw, scheme, ...EMPTY_URI_PARTS };
}

// ---------------------------------------------------------------------------------------------
// name-addr / addr-spec (From, To, Contact, Route, Record-Route, Refer-To, ...)

function makeNameAddr(displayName: string | null, uriText: string, params: Record<string, string>): NameAddr | null {
  if (uriText.length === 0) return null;
  const uri = parseUri(uriText);
  if (uri.scheme === '') return null;
  return { displayName, uri, params, tag: params['tag'] ?? null };
}

/**
 * Reads one `"Display" <uri>;params`, `Display <uri>;params`, `<uri>;params` or
 * `uri;params` (RFC 3261 §20.10, §25.1 name-addr / addr-spec). In the last form the URI ends at
 * the first ";", so everything after it is a header parameter. Returns null when a quoted
 * display name or "<" is not closed, the URI is empty, or it has no scheme.
 */
export function parseNameAddr(entry: string): NameAddr | null {
  const s = entry;
  const n = s.length;
  let i = skipWs(s, 0);
  if (i >= n) return null;
  let displayName: string | null = null;
  let lt: number;
  if (s.charCodeAt(i) === Char.DQUOTE) {
    const q = readQuoted(s, i);
    if (q === null) return null;
    displayName = q.value;
    lt = skipWs(s, q.end);
    if (lt >= n || s.charCodeAt(lt) !== Char.LT) return null;
  } else {
    lt = s.indexOf('<', i);
    if (lt < 0) {
      // addr-spec
      let e = s.indexOf(';', i);
      if (e < 0) e = n;
      const params = emptyParams();
      readParamsInto(s, e, params);
      return makeNameAddr(null, trimWs(s.slice(i, e)), params);
    }
    const dn = trimWs(s.slice(i, lt));
    displayName = dn.length > 0 ? dn : null;
  }
  const gt = s.indexOf('>', lt + 1);
  if (gt < 0) return null;
  const params = emptyParams();
  readParamsInto(s, gt + 1, params);
  return makeNameAddr(displayName, trimWs(s.slice(lt + 1, gt)), params);
}

/** Index after the quoted-string that starts at s[i] === '"' (as readQuoted reads it, up to `end`), or -1 when it is not closed. */
function quotedEnd(s: string, i: number, end: number): number {
  const n = end;
  let k = i + 1;
  while (k < n) {
    const c = s.charCodeAt(k);
    if (c === Char.DQUOTE) return k + 1;
    if (c === Char.BACKSLASH) {
      if (k + 1 >= n) return -1;
      k += 2;
      continue;
    }
    k++;
  }
  return -1;
}

/** Whether s[a, b), trimmed, is a URI parseUri finds a scheme in (what makeNameAddr requires). */
function isUriWithScheme(s: string, a: number, b: number): boolean {
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  if (a >= b || ALPHA[s.charCodeAt(a)] !== 1) return false;
  let k = a + 1;
  while (k < b && SCHEME[s.charCodeAt(k)] === 1) k++;
  return k < b && s.charCodeAt(k) === Char.COLON;
}

/**
 * Whether a parameter named `wanted` (lower case) is in `;name=value...` from s[i] up to `end`, as
 * readParams reads it; the first one's value is then in foundParam.
 */
function findParam(s: string, i: number, end: number, wanted: string): boolean {
  while (nextParam(s, i, end)) {
    const { nameStart, nameEnd } = param;
    const matches = param.upper ? s.slice(nameStart, nameEnd).toLowerCase() === wanted : nameEnd - nameStart === wanted.length && s.startsWith(wanted, nameStart);
    if (matches) return true;
    i = param.end;
  }
  return false;
}

/**
 * The value of the tag or branch that nameAddrTagIn or viaKeyIn found last: its unquoted text
 * when it was a quoted string or a flag (""), or else null and its range [valueStart, valueEnd)
 * in the string they read (offsets of that string, also when they read a range of it). A caller that knows where that string lies in the message's bytes
 * decodes the value from there as a string of its own instead of slicing it (parse.ts keptParam).
 */
export const foundParam: { readonly quoted: string | null; readonly valueStart: number; readonly valueEnd: number } = param;

/** nameAddrTagIn's answers: the entry does not read as a name-addr, it has no tag, it has one (in foundParam). */
export const enum TagRead {
  UNREADABLE = -1,
  NO_TAG = 0,
  TAG_FOUND = 1,
}

/**
 * The first index of char code `c` in s[from, end), or -1. A loop, not indexOf: indexOf would read
 * on past `end` to the end of the header text, for every value of the message (quadratic).
 */
export function indexBefore(s: string, c: number, from: number, end: number): number {
  for (let k = from; k < end; k++) if (s.charCodeAt(k) === c) return k;
  return -1;
}

/**
 * Reads a From, To or Contact entry, s[start, end) (the whole string by default), as parseNameAddr
 * reads s.slice(start, end), without making the URI and parameter objects nor the tag's string:
 * UNREADABLE when parseNameAddr gives null, NO_TAG, or TAG_FOUND (the tag in foundParam). The
 * parser checks every From, To and Contact of every message and keeps only the tags; the objects
 * are made when a rule reads them. A property test holds it to parseNameAddr.
 */
export function nameAddrTagIn(s: string, start: number = 0, end: number = s.length): TagRead {
  const n = end;
  const i = skipWs(s, start, n);
  if (i >= n) return TagRead.UNREADABLE;
  let lt: number;
  if (s.charCodeAt(i) === Char.DQUOTE) {
    const closed = quotedEnd(s, i, n);
    if (closed < 0) return TagRead.UNREADABLE;
    lt = skipWs(s, closed, n);
    if (lt >= n || s.charCodeAt(lt) !== Char.LT) return TagRead.UNREADABLE;
  } else {
    lt = indexBefore(s, Char.LT, i, n);
    if (lt < 0) {
      // addr-spec: the URI ends at the first ";".
      let e = indexBefore(s, Char.SEMI, i, n);
      if (e < 0) e = n;
      if (!isUriWithScheme(s, i, e)) return TagRead.UNREADABLE;
      return findParam(s, e, n, 'tag') ? TagRead.TAG_FOUND : TagRead.NO_TAG;
    }
  }
  const gt = indexBefore(s, Char.GT, lt + 1, n);
  if (gt < 0 || !isUriWithScheme(s, lt + 1, gt)) return TagRead.UNREADABLE;
  return findParam(s, gt + 1, n, 'tag') ? TagRead.TAG_FOUND : TagRead.NO_TAG;
}

/** `parseNameAddr(entry)?.tag` (nameAddrTagIn): the tag, null when there is none, undefined when the entry is unreadable. */
export function nameAddrTag(entry: string): string | null | undefined {
  const read = nameAddrTagIn(entry);
  return read === TagRead.UNREADABLE ? undefined : read === TagRead.NO_TAG ? null : paramText(entry);
}

/** The Contact entry for `Contact: *` (RFC 3261 §10.2.2). */
export function starContact(): NameAddr {
  return { displayName: null, uri: { raw: '*', scheme: '', user: '', host: '', port: null }, params: emptyParams(), tag: null };
}

/**
 * Reads a whole Contact (or Route, Record-Route, Path...) header value into entries.
 * `*` gives one entry whose uri.raw is "*". Unreadable entries come back as null in their place.
 */
export function parseNameAddrList(value: string): (NameAddr | null)[] {
  const out: (NameAddr | null)[] = [];
  for (const entry of splitList(value)) {
    out.push(entry === '*' ? starContact() : parseNameAddr(entry));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Via, CSeq, numbers

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP', 'TLS-SCTP'];

/** s.slice(a, b) upper-cased, as a shared string for the usual transports. */
function upperToken(s: string, a: number, b: number): string {
  const len = b - a;
  if (len === 3) {
    if (s.startsWith('UDP', a)) return 'UDP';
    if (s.startsWith('TCP', a)) return 'TCP';
    if (s.startsWith('TLS', a)) return 'TLS';
  }
  for (const t of TRANSPORTS) {
    if (t.length === len && s.startsWith(t, a)) return t;
  }
  return s.slice(a, b).toUpperCase();
}

/** Where the parts of a Via entry lie, as readViaParts found them (one object, refilled by each call). */
const viaParts = {
  /** The protocol name and version, or -1 for the usual "SIP/2.0/" written without blanks. */
  nameStart: -1,
  nameEnd: -1,
  versionStart: -1,
  versionEnd: -1,
  transportStart: 0,
  transportEnd: 0,
  hostStart: 0,
  hostEnd: 0,
  port: null as number | null,
  /** Where the port's digits lie when there is one. */
  portStart: 0,
  portEnd: 0,
  /** Where the parameters begin. */
  paramsAt: 0,
  /** Whether viaKeyIn found a branch parameter. */
  hasBranch: false,
};

/**
 * Reads one Via entry, s[start, end), up to its parameters into viaParts: `SIP / 2.0 / UDP
 * host[:port]` (RFC 3261 §20.42, LWS allowed around "/" and ":"). False when the protocol,
 * transport or host is missing or the port is not a number.
 */
function readViaParts(s: string, start: number, end: number): boolean {
  const n = end;
  const v = viaParts;
  let i = skipWs(s, start, n);
  let j: number;
  if (i + 8 < n && s.startsWith('SIP/2.0/', i) && TOKEN[s.charCodeAt(i + 8)] === 1) {
    // As nearly every sender writes it: no blanks around the slashes.
    v.nameStart = -1;
    i += 8;
  } else {
    j = tokenEnd(s, i, n);
    if (j === i) return false;
    v.nameStart = i;
    v.nameEnd = j;
    i = skipWs(s, j, n);
    if (i >= n || s.charCodeAt(i) !== Char.SLASH) return false;
    i = skipWs(s, i + 1, n);
    j = tokenEnd(s, i, n);
    if (j === i) return false;
    v.versionStart = i;
    v.versionEnd = j;
    i = skipWs(s, j, n);
    if (i >= n || s.charCodeAt(i) !== Char.SLASH) return false;
    i = skipWs(s, i + 1, n);
  }
  j = tokenEnd(s, i, n);
  if (j === i) return false;
  v.transportStart = i;
  v.transportEnd = j;
  i = skipWs(s, j, n);
  if (i === j || i >= n) return false; // whitespace required before sent-by

  if (s.charCodeAt(i) === Char.LBRACKET) {
    const close = indexBefore(s, Char.RBRACKET, i + 1, n);
    if (close < 0) return false;
    v.hostStart = i + 1;
    v.hostEnd = close;
    j = close + 1;
  } else {
    j = i;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c === Char.COLON || c === Char.SEMI || c === Char.COMMA || isWs(c) || c === Char.RBRACKET) break;
      j++;
    }
    // An unbracketed IPv6 address (invalid, but sent by some devices): several colons in sent-by.
    if (j < n && s.charCodeAt(j) === Char.COLON) {
      let k = j + 1;
      let colons = 1;
      while (k < n) {
        const c = s.charCodeAt(k);
        if (c === Char.SEMI || c === Char.COMMA || isWs(c)) break;
        if (c === Char.COLON) colons++;
        k++;
      }
      if (colons >= 2) j = k;
    }
    v.hostStart = i;
    v.hostEnd = j;
  }
  if (v.hostEnd === v.hostStart) return false;
  i = skipWs(s, j, n);
  v.port = null;
  if (i < n && s.charCodeAt(i) === Char.COLON) {
    i = skipWs(s, i + 1, n);
    j = i;
    while (j < n && isDigitCode(s.charCodeAt(j))) j++;
    v.port = parsePort(s, i, j);
    if (v.port === null) return false;
    v.portStart = i;
    v.portEnd = j;
    i = j;
  }
  v.paramsAt = i;
  return true;
}

/**
 * Reads one Via entry: `SIP / 2.0 / UDP host[:port] ;params` (RFC 3261 §20.42, LWS allowed
 * around "/" and ":"). Transport is upper-cased, IPv6 hosts lose their brackets. Returns null
 * when the protocol, transport or host is missing or the port is not a number.
 */
export function parseVia(entry: string): Via | null {
  if (!readViaParts(entry, 0, entry.length)) return null;
  const s = entry;
  const v = viaParts;
  let protocol = 'SIP/2.0';
  if (v.nameStart >= 0) {
    const name = s.slice(v.nameStart, v.nameEnd);
    const version = s.slice(v.versionStart, v.versionEnd);
    if (name !== 'SIP' || version !== '2.0') protocol = `${name}/${version}`;
  }
  const params = emptyParams();
  readParamsInto(s, v.paramsAt, params);
  return {
    protocol,
    transport: upperToken(s, v.transportStart, v.transportEnd),
    host: s.slice(v.hostStart, v.hostEnd),
    port: v.port,
    branch: params['branch'] ?? null,
    params,
    raw: trimWs(entry),
  };
}

/** Whether parseVia reads the entry, s[start, end) (the whole string by default), without making its object. */
export function isVia(s: string, start: number = 0, end: number = s.length): boolean {
  return readViaParts(s, start, end);
}

/**
 * What correlation keys on in a Via entry (RFC 3261 §17.2.3), as parseVia reads it, without
 * making the rest: its sent-by host and port and its branch; null when parseVia gives null.
 */
export function viaKey(entry: string): { readonly host: string; readonly port: number | null; readonly branch: string | null } | null {
  if (!viaKeyIn(entry)) return null;
  const v = viaParts;
  return { host: entry.slice(v.hostStart, v.hostEnd), port: v.port, branch: foundVia.hasBranch ? paramText(entry) : null };
}

/**
 * Where viaKeyIn found the parts of a Via entry: the sent-by host [hostStart, hostEnd), the port
 * (null when absent) and its digits [portStart, portEnd), and whether there is a branch (in
 * foundParam).
 */
export const foundVia: {
  readonly hostStart: number;
  readonly hostEnd: number;
  readonly port: number | null;
  readonly portStart: number;
  readonly portEnd: number;
  readonly hasBranch: boolean;
} = viaParts;

/**
 * viaKey of s[start, end) (the whole string by default) without making its object or its strings:
 * false when parseVia gives null, else the parts are in foundVia (offsets of s).
 */
export function viaKeyIn(s: string, start: number = 0, end: number = s.length): boolean {
  if (!readViaParts(s, start, end)) return false;
  viaParts.hasBranch = findParam(s, viaParts.paramsAt, end, 'branch');
  return true;
}

/** Reads `123 INVITE` (RFC 3261 §20.16), or null. */
export function parseCSeq(value: string): CSeq | null {
  return cseqIn(value) ? { seq: foundCSeq.seq, method: value.slice(foundCSeq.methodStart, foundCSeq.methodEnd) } : null;
}

/** What cseqIn read: the number, and where the method lies in the value. */
export const foundCSeq = { seq: 0, methodStart: 0, methodEnd: 0 };

/**
 * parseCSeq of s[start, end) (the whole string by default) without making its object or the
 * method's string: false when it gives null, else the parts are in foundCSeq (offsets of s).
 */
export function cseqIn(s: string, start: number = 0, end: number = s.length): boolean {
  const n = end;
  let i = skipWs(s, start, n);
  let j = i;
  while (j < n && isDigitCode(s.charCodeAt(j))) j++;
  const seq = parseDecimal(s, i, j);
  if (seq === null) return false;
  i = skipWs(s, j, n);
  if (i === j) return false;
  j = tokenEnd(s, i, n);
  if (j === i) return false;
  if (skipWs(s, j, n) !== n) return false;
  foundCSeq.seq = seq;
  foundCSeq.methodStart = i;
  foundCSeq.methodEnd = j;
  return true;
}

/** Reads a header value that must be a whole non-negative decimal number (Content-Length, Max-Forwards, Expires), or null. */
export function parseNumberValue(value: string): number | null {
  const s = trimWs(value);
  return parseDecimal(s, 0, s.length);
}
