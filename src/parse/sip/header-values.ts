/**
 * Readers for header values by name, and the grammar of the values the analysis looks at
 * (credentials and challenges, Reason, Warning, Session-Expires, Min-SE, Expires, RAck, RSeq,
 * Record-Route, Retry-After). Linear, never throw. The message-level grammar (URIs, name-addr,
 * Via, CSeq, parameters) is headers.ts.
 */
import { headerBit, parseNumberValue, parseParams, splitList, trimWs, unquote } from './headers.js';
import { firstHeaderValueOf, headerValuesOf } from './parse.js';
import type { SipMessage } from './types.js';

/**
 * False when the parser noted that the message has no such header (`headerBits`), so its header
 * lines need not be read again to look; true when it may have one.
 */
export function mayHaveHeader(msg: SipMessage, key: string): boolean {
  const bit = headerBit(key);
  return bit === 0 || (msg.headerBits & bit) !== 0;
}

/** Every value of a header (by lower-case long name), in order. */
export function headerValues(msg: SipMessage, key: string): string[] {
  if (!mayHaveHeader(msg, key)) return [];
  return headerValuesOf(msg, key);
}

/** The first value of a header, or null. */
export function headerValue(msg: SipMessage, key: string): string | null {
  if (!mayHaveHeader(msg, key)) return null;
  return firstHeaderValueOf(msg, key);
}

/** Entries of a comma-separated header, over every occurrence of it. */
export function headerList(msg: SipMessage, key: string): string[] {
  const out: string[] = [];
  if (!mayHaveHeader(msg, key)) return out;
  // The values alone: the header list (an object per line, kept on the message) is not made for them.
  for (const value of headerValuesOf(msg, key)) for (const entry of splitList(value)) out.push(entry);
  return out;
}

/** True when a comma-separated option-tag header (Require, Supported) lists the tag. */
export function hasOptionTag(msg: SipMessage, key: string, tag: string): boolean {
  return headerList(msg, key).some((t) => t.toLowerCase() === tag);
}

/** The leading decimal number of a header value ("120 (busy)", "1800;refresher=uac"), or null. */
export function leadingNumber(value: string | null): number | null {
  if (value === null) return null;
  const s = value.trim();
  let end = 0;
  while (end < s.length && s.charCodeAt(end) >= 0x30 && s.charCodeAt(end) <= 0x39) end++;
  return end === 0 ? null : parseNumberValue(s.slice(0, end));
}

/** Retry-After in seconds (RFC 3261 §20.33), or null. */
export function retryAfterSeconds(msg: SipMessage): number | null {
  return leadingNumber(headerValue(msg, 'retry-after'));
}

/** `Digest realm="x", nonce="y", stale=TRUE` (RFC 3261 §20.27, §20.44, RFC 7616). */
export interface AuthValue {
  readonly scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

export function parseAuth(value: string): AuthValue {
  const s = trimWs(value);
  let i = 0;
  while (i < s.length && s.charCodeAt(i) !== 0x20 && s.charCodeAt(i) !== 0x09) i++;
  const scheme = s.slice(0, i);
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of splitList(s.slice(i))) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = trimWs(part.slice(0, eq)).toLowerCase();
    if (!(name in params)) params[name] = unquote(trimWs(part.slice(eq + 1)));
  }
  return { scheme, params };
}

/** Credentials a request carries (Authorization or Proxy-Authorization), or null. */
export function credentialsOf(msg: SipMessage): AuthValue | null {
  const value = headerValue(msg, 'authorization') ?? headerValue(msg, 'proxy-authorization');
  return value === null ? null : parseAuth(value);
}

/**
 * Whether a request answers a challenge (RFC 3261 §22.2, §22.3): it has an Authorization or
 * Proxy-Authorization header. `credentialsOf(msg) !== null` without parsing the credentials.
 */
export function carriesCredentials(msg: SipMessage): boolean {
  return headerValue(msg, 'authorization') !== null || headerValue(msg, 'proxy-authorization') !== null;
}

/** The challenge of a 401/407 (WWW-Authenticate or Proxy-Authenticate), or null. */
export function challengeOf(msg: SipMessage): AuthValue | null {
  const value = headerValue(msg, 'www-authenticate') ?? headerValue(msg, 'proxy-authenticate');
  return value === null ? null : parseAuth(value);
}

/** `Q.850;cause=16;text="Normal call clearing"` (RFC 3326). */
export interface ReasonValue {
  readonly protocol: string;
  readonly cause: number | null;
  readonly text: string;
  readonly raw: string;
}

export function reasonsOf(msg: SipMessage): ReasonValue[] {
  return headerList(msg, 'reason').map((raw) => {
    const semi = raw.indexOf(';');
    const protocol = trimWs(semi < 0 ? raw : raw.slice(0, semi));
    const params = semi < 0 ? {} : parseParams(raw.slice(semi));
    const cause = params['cause'] === undefined ? null : leadingNumber(params['cause']);
    return { protocol, cause, text: params['text'] ?? params['description'] ?? '', raw };
  });
}

/** `399 pbx.example.com "Codec negotiation failed"` (RFC 3261 §20.43). */
export interface WarningValue {
  readonly code: number | null;
  readonly agent: string;
  readonly text: string;
  readonly raw: string;
}

export function warningsOf(msg: SipMessage): WarningValue[] {
  return headerList(msg, 'warning').map((raw) => {
    const s = trimWs(raw);
    const sp1 = s.indexOf(' ');
    const code = leadingNumber(sp1 < 0 ? s : s.slice(0, sp1));
    const rest = sp1 < 0 ? '' : trimWs(s.slice(sp1 + 1));
    const quote = rest.indexOf('"');
    const agent = trimWs(quote < 0 ? rest : rest.slice(0, quote));
    const text = quote < 0 ? '' : unquote(trimWs(rest.slice(quote)));
    return { code, agent, text, raw };
  });
}

/** `Session-Expires: 1800;refresher=uac` (RFC 4028 §4), or null. */
export interface SessionExpires {
  readonly seconds: number;
  readonly refresher: string | null;
}

export function sessionExpiresOf(msg: SipMessage): SessionExpires | null {
  const value = headerValue(msg, 'session-expires');
  const seconds = leadingNumber(value);
  if (value === null || seconds === null) return null;
  const semi = value.indexOf(';');
  const refresher = semi < 0 ? null : (parseParams(value.slice(semi))['refresher'] ?? null);
  return { seconds, refresher: refresher === null ? null : refresher.toLowerCase() };
}

/** Min-SE (RFC 4028 §5) in seconds, or null. */
export function minSeOf(msg: SipMessage): number | null {
  return leadingNumber(headerValue(msg, 'min-se'));
}

/** The Expires header (RFC 3261 §20.19) in seconds, or null. */
export function expiresOf(msg: SipMessage): number | null {
  return leadingNumber(headerValue(msg, 'expires'));
}

/** RAck (RFC 3262 §7.2): `rseq cseq method`. */
export interface RAck {
  readonly rseq: number;
  readonly cseq: number;
  readonly method: string;
}

export function rackOf(msg: SipMessage): RAck | null {
  const value = headerValue(msg, 'rack');
  if (value === null) return null;
  const parts = trimWs(value).split(/\s+/);
  const rseq = leadingNumber(parts[0] ?? null);
  const cseq = leadingNumber(parts[1] ?? null);
  if (rseq === null || cseq === null || parts[2] === undefined) return null;
  return { rseq, cseq, method: parts[2] };
}

export function rseqOf(msg: SipMessage): number | null {
  return leadingNumber(headerValue(msg, 'rseq'));
}

/** Every Record-Route entry, as written. */
export function recordRoutes(msg: SipMessage): string[] {
  return headerValues(msg, 'record-route').flatMap(splitList);
}
