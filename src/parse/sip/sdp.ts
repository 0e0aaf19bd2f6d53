/**
 * SDP (RFC 4566) as far as call analysis needs it: connection addresses, media ports,
 * codecs and directions, as plain data; never throws. The lines read are read exactly as
 * sdp-transform reads them (same patterns, same "last one wins"), which a differential test
 * checks; only c=, m=, a=rtpmap and direction lines are read in full, and v=, o=, s=, t= for
 * their presence (the defects RFC 4566 names), their patterns matched by hand in the text: a
 * typical offer in 1.4 µs, 3.9x less than with the patterns as regular expressions (docs/decisions.md).
 */

import type { SdpProblem } from '../../diagnostics.js';
import { detached } from './chars.js';
import { utf8 } from './decode.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface Codec {
  readonly payload: number;
  /** Encoding name as written, or from the RFC 3551 static table ("PCMU"); "" when unknown. */
  readonly name: string;
  readonly rate: number | null;
}

export interface MediaDescription {
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  /** Connection address of the media (its own c= line, else the session's). */
  readonly address: string | null;
  readonly codecs: readonly Codec[];
  readonly direction: Direction;
  /**
   * T.38 fax over UDPTL: `a=T38FaxRateManagement` (ITU-T T.38 Annex D.2.3: `localTCF` or
   * `transferredTCF`, how the training check is done), as written; null when absent.
   */
  readonly t38RateManagement: string | null;
}

export interface SessionDescription {
  readonly address: string | null;
  readonly media: readonly MediaDescription[];
  /** What RFC 4566 requires and this description lacks or breaks; empty for a sound one. */
  readonly defects: readonly SdpDefect[];
}

/**
 * A breach of RFC 4566 that a strict receiver answers with 400 or 488 (media: 1-based m= line).
 * Lines siplens does not read (b=, k=, attributes other than rtpmap and direction) are not judged.
 */
export type SdpDefect =
  /** §5.1: v=0 is the only version; `version` is what the line says ("" when it is not a number). */
  | { readonly kind: 'version'; readonly version: string }
  /** §5.2: the o= line (username, session id and version, network type, address type, address) is mandatory. */
  | { readonly kind: 'no-origin' }
  /** §5.3: the s= line is mandatory. */
  | { readonly kind: 'no-session-name' }
  /** §5.9: at least one t= line is mandatory ("t=0 0" for an unbounded session). */
  | { readonly kind: 'no-timing' }
  /** §5.7: a c= line in every media description or one at session level; without it the media has nowhere to go. */
  | { readonly kind: 'no-connection'; readonly media: number }
  /** §6 (rtpmap): a dynamic payload type (96-127) means nothing without its a=rtpmap line. */
  | { readonly kind: 'no-rtpmap'; readonly media: number; readonly payloads: readonly number[] };

/** RFC 3551 §6 static payload types (audio and video) that need no rtpmap. */
export const STATIC_PAYLOADS: Readonly<Record<number, readonly [string, number]>> = {
  0: ['PCMU', 8000],
  3: ['GSM', 8000],
  4: ['G723', 8000],
  5: ['DVI4', 8000],
  6: ['DVI4', 16000],
  7: ['LPC', 8000],
  8: ['PCMA', 8000],
  9: ['G722', 8000],
  10: ['L16', 44100],
  11: ['L16', 44100],
  12: ['QCELP', 8000],
  13: ['CN', 8000],
  14: ['MPA', 90000],
  15: ['G728', 8000],
  16: ['DVI4', 11025],
  17: ['DVI4', 22050],
  18: ['G729', 8000],
  25: ['CelB', 90000],
  26: ['JPEG', 90000],
  28: ['nv', 90000],
  31: ['H261', 90000],
  32: ['MPV', 90000],
  33: ['MP2T', 90000],
  34: ['H263', 90000],
};

/**
 * Codec lists by the format list and rtpmap lines they were read from: a trunk's offers and
 * answers announce a handful of lists over and over, and each parsed SDP is kept while its
 * message's call is open (sdpOfMessage reads it once), so they share one read-only list each instead
 * of holding their own (BENCHMARKS.md session 11, `retain`). The lines come from the sender, so
 * only the first MAX_CODEC_LISTS distinct ones are remembered.
 */
const CODEC_LISTS = new Map<string, readonly Codec[]>();
const MAX_CODEC_LISTS = 1024;
/**
 * The longest key remembered, in chars: a WebRTC offer's 40 formats and their rtpmap lines make
 * about 1,300; a sender's 1 MB format list would otherwise stay in the table for good, with its codecs.
 */
const MAX_CODEC_LIST_KEY = 2048;

/** The defects of a sound description: one shared empty list. */
const NO_DEFECTS: readonly SdpDefect[] = [];

/** Media types and transport protocols nearly every description repeats (RFC 4566 §5.14, RFC 3551, RFC 5124, RFC 5764). */
const USUAL_WORDS = ['audio', 'video', 'image', 'application', 'RTP/AVP', 'RTP/SAVP', 'RTP/AVPF', 'RTP/SAVPF', 'udptl', 'UDP/TLS/RTP/SAVPF'];

/** One shared copy of a usual media type or protocol (kept per description, while its message is open); any other, detached. */
function usual(word: string): string {
  for (const known of USUAL_WORDS) if (word === known) return known;
  return detached(word);
}

/** True when a text can be SDP: it begins with a v= line (RFC 4566 §5). */
function looksLikeSdp(text: string): boolean {
  return text.trimStart().startsWith('v=');
}

/**
 * looksLikeSdp of a UTF-8 body read from its bytes: past ASCII white space, whether "v=" comes
 * next; null when a byte past 0x7F comes first (it may begin a white space of trimStart's, such as
 * U+00A0 or a BOM: the decoded text decides then).
 */
function beginsWithVersionLine(body: Uint8Array): boolean | null {
  let i = 0;
  while (i < body.length && (body[i] === 0x20 || (body[i]! >= 0x09 && body[i]! <= 0x0d))) i++;
  if (i === body.length) return false;
  if (body[i]! > 0x7f) return null;
  return body[i] === 0x76 && body[i + 1] === 0x3d;
}

/** Parses an SDP body; null when the text is not SDP (it does not begin with a v= line). */
export function parseSdp(body: Uint8Array | string): SessionDescription | null {
  const text = typeof body === 'string' ? body : bodyText(body);
  if (!looksLikeSdp(text)) return null;
  return readSession(text);
}

/*
 * The lines are read as sdp-transform 3 reads them with its patterns (lib/grammar.js), which the
 * differential test holds this reader to: lines split at CR, LF or CRLF; a line is `x=...` with x
 * a lower-case letter; a line that does not match its pattern is skipped; the last line of a kind
 * wins; lines before the first m= are the session's. The patterns, matched here by hand on the
 * text in place (no line, match or field objects per line; each is linear and needs no backtracking):
 *   c=  ^IN IP(\d) (\S*)                       address: the second group
 *   m=  ^(\w*) (\d*) ([\w/]*)(?: (.*))?        type, port, protocol, formats
 *   a=  ^rtpmap:(\d*) ([\w\-.]*)(?:\s*\/(\d*)(?:\s*\/(\S*))?)?   payload, name, clock rate
 *   a=  ^(sendrecv|recvonly|sendonly|inactive)  (a prefix: `a=sendrecvX` is sendrecv)
 *   a=(.*)            an attribute no pattern reads, kept as written: only T38FaxRateManagement's
 *   v=  ^(\d*)$       o=  ^(\S*) (\d*) (\d*) (\S*) IP(\d) (\S*)       s=  anything   t=  ^(\d*) (\d*)
 * A field that reads back as the same number became a number (sdp-transform's toIntIfInt), and
 * the session description coerced it back to text or read it as a number: the numbers below are
 * JavaScript's Number() of the digits, as they were.
 */

/** The attribute prefix of T.38's rate management (ITU-T T.38 Annex D.2.3); SDP attribute names are case-sensitive. */
const T38_RATE_MANAGEMENT = 'T38FaxRateManagement:';
const RTPMAP = 'rtpmap:';

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** \w */
const isWordChar = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/** \s: JavaScript's white space and line terminators. */
function isSpace(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function skipDigits(text: string, i: number, end: number): number {
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

function skipNonSpace(text: string, i: number, end: number): number {
  while (i < end && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Number() of the digits text[start, end) (0 for none; Infinity past the largest double). */
function digitsValue(text: string, start: number, end: number): number {
  if (end - start > 15) return Number(text.slice(start, end));
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + text.charCodeAt(i) - 0x30;
  return n;
}

/** The digits text[start, end) as a number when they read back as the same text (toIntIfInt), else null. */
function canonicalDigits(text: string, start: number, end: number): number | null {
  if (end === start || (end - start > 1 && text.charCodeAt(start) === 0x30)) return null;
  if (end - start <= 15) return digitsValue(text, start, end);
  const digits = text.slice(start, end);
  const n = Number(digits);
  return String(n) === digits ? n : null;
}

/** An m= section as its lines are read (the session's, before the first m=, are readSession's own variables). */
class MediaLines {
  type = '';
  port = 0;
  protocol = '';
  /** The m= line's format list (its fourth field), or null when it has none. */
  formats: string | null = null;
  address: string | null = null;
  direction: Direction | null = null;
  /** The a=rtpmap lines, in order: payload type (Number() of its digits), encoding name, clock rate. */
  readonly rtpmapPayloads: number[] = [];
  readonly rtpmapNames: string[] = [];
  readonly rtpmapRates: (number | null)[] = [];
  /** The value of the last a=T38FaxRateManagement line, as written. */
  t38: string | null = null;
}

function readSession(text: string): SessionDescription {
  const media: MediaLines[] = [];
  let current: MediaLines | null = null;
  let version = '';
  let origin = false;
  let name = false;
  let timing = false;
  let sessionAddress: string | null = null;
  let sessionDirection: Direction | null = null;
  const length = text.length;
  // The next LF and CR at or after the line's start (length when none): indexOf finds them faster than a loop over the characters.
  let lf = -1;
  let cr = -1;
  let start = 0;
  while (start <= length) {
    if (lf < start) lf = indexOrEnd(text, '\n', start);
    if (cr < start) cr = indexOrEnd(text, '\r', start);
    const end = lf < cr ? lf : cr;
    // Characters are read only inside the text: a read past its end (NaN) at the last line made V8
    // drop the reader's optimized code twice per process (deopt "out of bounds") and compile it again.
    const type = end - start >= 2 ? text.charCodeAt(start) : 0;
    if (type >= 0x61 && type <= 0x7a && text.charCodeAt(start + 1) === 0x3d) {
      const at = start + 2;
      if (type === 0x6d /* m */) {
        current = new MediaLines();
        media.push(current);
        readMediaLine(text, at, end, current);
      } else if (type === 0x63 /* c */) {
        const address = connectionAddress(text, at, end);
        if (address !== null) {
          if (current === null) sessionAddress = address;
          else current.address = address;
        }
      } else if (type === 0x61 /* a */) {
        if (text.startsWith(RTPMAP, at)) {
          if (current !== null) readRtpmap(text, at + RTPMAP.length, end, current);
        } else if (text.startsWith(T38_RATE_MANAGEMENT, at)) {
          if (current !== null) current.t38 = text.slice(at + T38_RATE_MANAGEMENT.length, anyCharsEnd(text, at, end));
        } else {
          const direction = directionAt(text, at, end);
          if (direction !== null) {
            if (current === null) sessionDirection = direction;
            else current.direction = direction;
          }
        }
      } else if (current === null) {
        // v=, o=, s= and t= count at session level only: after the first m= they belong to that media.
        if (type === 0x76 /* v */) {
          if (skipDigits(text, at, end) === end) version = text.slice(at, end);
        } else if (type === 0x6f /* o */) {
          origin ||= isOriginLine(text, at, end);
        } else if (type === 0x73 /* s */) {
          name = true;
        } else if (type === 0x74 /* t */) {
          const digitsEnd = skipDigits(text, at, end);
          timing ||= digitsEnd < end && text.charCodeAt(digitsEnd) === 0x20;
        }
      }
    }
    // CRLF is one line end; a lone CR or LF is one too.
    start = end + (end + 1 < length && text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
  }
  const defects: SdpDefect[] = [];
  if (version !== '0') defects.push({ kind: 'version', version });
  if (!origin) defects.push({ kind: 'no-origin' });
  if (!name) defects.push({ kind: 'no-session-name' });
  if (!timing) defects.push({ kind: 'no-timing' });
  // Strings kept are detached from the SDP text (chars.ts): a parsed SDP lives as long as its message's call is open.
  const address = sessionAddress === null ? null : detached(sessionAddress);
  const descriptions: MediaDescription[] = new Array(media.length);
  for (let i = 0; i < media.length; i++) descriptions[i] = mediaDescription(media[i]!, i + 1, address, sessionDirection, defects);
  return { address, media: descriptions, defects: defects.length === 0 ? NO_DEFECTS : defects };
}

/** `^(\w*) (\d*) ([\w/]*)(?: (.*))?` on text[at, end): a line that does not match leaves the media's fields empty. */
function readMediaLine(text: string, at: number, end: number, media: MediaLines): void {
  let i = at;
  while (i < end && isWordChar(text.charCodeAt(i))) i++;
  if (i === end || text.charCodeAt(i) !== 0x20) return;
  const typeEnd = i;
  const portStart = ++i;
  i = skipDigits(text, i, end);
  if (i === end || text.charCodeAt(i) !== 0x20) return;
  const portEnd = i;
  const protocolStart = ++i;
  for (let c: number; i < end && (isWordChar((c = text.charCodeAt(i))) || c === 0x2f); ) i++;
  media.type = text.slice(at, typeEnd);
  const port = digitsValue(text, portStart, portEnd);
  media.port = Number.isFinite(port) ? port : 0;
  media.protocol = text.slice(protocolStart, i);
  if (i < end && text.charCodeAt(i) === 0x20) media.formats = text.slice(i + 1, anyCharsEnd(text, i + 1, end));
}

/** Where `.*` from text[at] stops: at a line terminator, and the only ones a line can hold are U+2028 and U+2029. */
function anyCharsEnd(text: string, at: number, end: number): number {
  let i = at;
  for (let c: number; i < end && (c = text.charCodeAt(i)) !== 0x2028 && c !== 0x2029; ) i++;
  return i;
}

/** `^IN IP(\d) (\S*)` on text[at, end): the address, or null when the line does not match. */
function connectionAddress(text: string, at: number, end: number): string | null {
  if (end - at < 7 || !text.startsWith('IN IP', at) || !isDigit(text.charCodeAt(at + 5)) || text.charCodeAt(at + 6) !== 0x20) return null;
  return text.slice(at + 7, skipNonSpace(text, at + 7, end));
}

/** `(\d*) ([\w\-.]*)(?:\s*\/(\d*)(?:\s*\/(\S*))?)?` after `rtpmap:`; a line that does not match is skipped. */
function readRtpmap(text: string, at: number, end: number, media: MediaLines): void {
  const payloadEnd = skipDigits(text, at, end);
  if (payloadEnd === end || text.charCodeAt(payloadEnd) !== 0x20) return;
  let i = payloadEnd + 1;
  for (let c: number; i < end && (isWordChar((c = text.charCodeAt(i))) || c === 0x2d || c === 0x2e); ) i++;
  const nameEnd = i;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  let rate: number | null = null;
  if (i < end && text.charCodeAt(i) === 0x2f) rate = canonicalDigits(text, i + 1, skipDigits(text, i + 1, end));
  media.rtpmapPayloads.push(digitsValue(text, at, payloadEnd));
  media.rtpmapNames.push(text.slice(payloadEnd + 1, nameEnd));
  media.rtpmapRates.push(rate);
}

/** `^(sendrecv|recvonly|sendonly|inactive)` at text[at, end): most attribute lines are other ones, told apart by their first letter. */
function directionAt(text: string, at: number, end: number): Direction | null {
  if (end - at < 8) return null;
  const first = text.charCodeAt(at);
  if (first === 0x73 /* s */) return text.startsWith('sendrecv', at) ? 'sendrecv' : text.startsWith('sendonly', at) ? 'sendonly' : null;
  if (first === 0x72 /* r */) return text.startsWith('recvonly', at) ? 'recvonly' : null;
  if (first === 0x69 /* i */) return text.startsWith('inactive', at) ? 'inactive' : null;
  return null;
}

/** text.indexOf(search, from), or the text's length when it is not found. */
function indexOrEnd(text: string, search: string, from: number): number {
  const i = text.indexOf(search, from);
  return i < 0 ? text.length : i;
}

/** `^(\S*) (\d*) (\d*) (\S*) IP(\d) (\S*)` on text[at, end). */
function isOriginLine(text: string, at: number, end: number): boolean {
  let i = skipNonSpace(text, at, end);
  for (let field = 0; field < 2; field++) {
    if (i === end || text.charCodeAt(i) !== 0x20) return false;
    i = skipDigits(text, i + 1, end);
  }
  if (i === end || text.charCodeAt(i) !== 0x20) return false;
  i = skipNonSpace(text, i + 1, end);
  return end - i >= 5 && text.startsWith(' IP', i) && isDigit(text.charCodeAt(i + 3)) && text.charCodeAt(i + 4) === 0x20;
}

/** The payload types of an m= line's format list: Number() of each field between spaces, the integers. */
function formatPayloads(formats: string | null): number[] {
  const payloads: number[] = [];
  if (formats === null) return payloads;
  const end = formats.length;
  let start = 0;
  while (start < end) {
    let i = start;
    let digits = true;
    for (let c: number; i < end && (c = formats.charCodeAt(i)) !== 0x20; i++) if (c < 0x30 || c > 0x39) digits = false;
    if (i > start) {
      const n = digits ? digitsValue(formats, start, i) : Number(formats.slice(start, i));
      if (Number.isInteger(n)) payloads.push(n);
    }
    start = i + 1;
  }
  return payloads;
}

/** Rtpmap lines an m= section may have and still be looked up by a scan per format (codecsOf). */
const RTPMAP_SCAN_MAX = 16;

/** The index of the last rtpmap line of each payload type. */
function lastIndexByPayload(rtpmapPayloads: readonly number[]): Map<number, number> {
  const last = new Map<number, number>();
  for (let i = 0; i < rtpmapPayloads.length; i++) last.set(rtpmapPayloads[i]!, i);
  return last;
}

/** An m= section's format list and rtpmap lines (what CODEC_LISTS's key is made of), copied out of its SDP text, and its codec list. */
interface RecentCodecList {
  readonly formats: string | null;
  readonly rtpmapPayloads: readonly number[];
  readonly rtpmapNames: readonly string[];
  readonly rtpmapRates: readonly (number | null)[];
  readonly codecs: readonly Codec[];
}

/**
 * The last few m= sections whose codec list CODEC_LISTS holds: a section that reads as one of
 * them (the same format list and rtpmap lines) gets its list by comparing the fields, without the
 * key CODEC_LISTS is looked up by (a string made and hashed for every m= line: about a fortieth of
 * the bytes a SIP-heavy analysis allocated, BENCHMARKS.md session 16). Newest first; their
 * strings are copies, so they keep no SDP text alive.
 */
const RECENT_CODEC_LISTS = 8;
const recentCodecLists: RecentCodecList[] = [];

/** Whether an m= section has the format list and rtpmap lines of a recent one. */
function sameCodecLines(recent: RecentCodecList, m: MediaLines): boolean {
  const n = recent.rtpmapPayloads.length;
  if (recent.formats !== m.formats || m.rtpmapPayloads.length !== n) return false;
  for (let i = 0; i < n; i++) {
    if (recent.rtpmapPayloads[i] !== m.rtpmapPayloads[i] || recent.rtpmapNames[i] !== m.rtpmapNames[i] || recent.rtpmapRates[i] !== m.rtpmapRates[i]) return false;
  }
  return true;
}

/** The codecs of an m= line, from its format list and rtpmap lines: one shared list per distinct pair (CODEC_LISTS). */
function codecsOf(m: MediaLines): readonly Codec[] {
  for (let i = 0; i < recentCodecLists.length; i++) {
    const recent = recentCodecLists[i]!;
    if (sameCodecLines(recent, m)) return recent.codecs;
  }
  // The key's fields are parted by NUL, which no rtpmap field holds; a format list with one (the
  // sender's bytes) is read without the table, so that no key can pass for another's.
  const shared = m.formats === null || !m.formats.includes('\u0000');
  let key = m.formats ?? '\u0000';
  if (shared) for (let i = 0; i < m.rtpmapPayloads.length; i++) key += `\u0000${m.rtpmapPayloads[i]}\u0000${m.rtpmapNames[i]}\u0000${m.rtpmapRates[i] ?? ''}`;
  const known = shared ? CODEC_LISTS.get(key) : undefined;
  if (known !== undefined) {
    rememberCodecList(m, known);
    return known;
  }
  const payloads = formatPayloads(m.formats);
  const codecs: Codec[] = new Array(payloads.length);
  // The last rtpmap line of a payload type is the one that counts. A few lines are scanned; past
  // that, a table (a scan per format was quadratic: 13 s for a 1 MB message of 50,000 each).
  const lastRtpmap = m.rtpmapPayloads.length > RTPMAP_SCAN_MAX ? lastIndexByPayload(m.rtpmapPayloads) : null;
  for (let i = 0; i < payloads.length; i++) {
    const payload = payloads[i]!;
    const mapped = lastRtpmap === null ? m.rtpmapPayloads.lastIndexOf(payload) : (lastRtpmap.get(payload) ?? -1);
    if (mapped >= 0) {
      codecs[i] = { payload, name: detached(m.rtpmapNames[mapped]!), rate: m.rtpmapRates[mapped]! };
    } else {
      const known = STATIC_PAYLOADS[payload];
      codecs[i] = { payload, name: known?.[0] ?? '', rate: known?.[1] ?? null };
    }
  }
  if (shared && CODEC_LISTS.size < MAX_CODEC_LISTS && key.length <= MAX_CODEC_LIST_KEY) {
    CODEC_LISTS.set(key, codecs);
    rememberCodecList(m, codecs);
  }
  return codecs;
}

/** Puts a section whose list CODEC_LISTS holds first among recentCodecLists (the oldest goes past RECENT_CODEC_LISTS). */
function rememberCodecList(m: MediaLines, codecs: readonly Codec[]): void {
  recentCodecLists.unshift({
    formats: m.formats === null ? null : detached(m.formats),
    rtpmapPayloads: m.rtpmapPayloads.slice(),
    rtpmapNames: m.rtpmapNames.map(detached),
    rtpmapRates: m.rtpmapRates.slice(),
    codecs,
  });
  if (recentCodecLists.length > RECENT_CODEC_LISTS) recentCodecLists.pop();
}

function mediaDescription(m: MediaLines, number: number, sessionAddress: string | null, sessionDirection: Direction | null, defects: SdpDefect[]): MediaDescription {
  const codecs = codecsOf(m);
  let unmapped: number[] | null = null;
  // RTP/AVP and its kin are written in capitals nearly always: the upper-case copy only for the others.
  const rtp = m.protocol.includes('RTP/') || m.protocol.toUpperCase().includes('RTP/');
  if (rtp) for (const codec of codecs) if (codec.payload >= 96 && codec.payload <= 127 && codec.name === '') (unmapped ??= []).push(codec.payload);
  const address = m.address === null ? sessionAddress : detached(m.address);
  if (m.port !== 0) {
    if (address === null) defects.push({ kind: 'no-connection', media: number });
    if (unmapped !== null) defects.push({ kind: 'no-rtpmap', media: number, payloads: unmapped });
  }
  return {
    type: usual(m.type),
    port: m.port,
    protocol: usual(m.protocol),
    address,
    codecs,
    direction: m.direction ?? sessionDirection ?? 'sendrecv',
    t38RateManagement: m.t38 === null ? null : detached(m.t38.trim()),
  };
}

/** Where an SDP body is in a message: its text, why it cannot be found, or null when none is declared. */
type SdpLookup = { readonly text: string } | { readonly problem: SdpProblem } | null;

/** Nested multipart bodies followed (multipart/mixed holding multipart/alternative holding SDP). */
const MAX_MULTIPART_DEPTH = 3;

/**
 * The Content-Type mediaType read last, and its answer: the parser gives the messages of a capture
 * one shared string per distinct Content-Type (parse.ts, common), so nearly every message with a
 * body asks about the string asked about before, twice (sdpProblem, then sdpOfBody).
 */
let lastContentType = '';
let lastMediaType = '';

/** The media type of a Content-Type value, lower-cased, without parameters. */
function mediaType(contentType: string): string {
  if (contentType === lastContentType) return lastMediaType;
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  lastContentType = contentType;
  lastMediaType = type;
  return type;
}

/**
 * A parameter of a Content-Type value (RFC 2045 §5.1: names are case-insensitive; the value
 * is a token or a quoted-string, and keeps its case). A linear scan, no regular expression.
 */
export function contentTypeParam(contentType: string, name: string): string | null {
  const wanted = name.toLowerCase();
  let i = contentType.indexOf(';');
  while (i >= 0 && i < contentType.length) {
    i++;
    while (contentType[i] === ' ' || contentType[i] === '\t') i++;
    const eq = contentType.indexOf('=', i);
    if (eq < 0) return null;
    const key = contentType.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (contentType[j] === ' ' || contentType[j] === '\t') j++;
    let value = '';
    if (contentType[j] === '"') {
      j++;
      while (j < contentType.length && contentType[j] !== '"') {
        if (contentType[j] === '\\' && j + 1 < contentType.length) j++;
        value += contentType[j];
        j++;
      }
      j = contentType.indexOf(';', j);
    } else {
      const end = contentType.indexOf(';', j);
      value = contentType.slice(j, end < 0 ? undefined : end).trim();
      j = end;
    }
    if (key === wanted) return value;
    i = j;
  }
  return null;
}

interface BodyPart {
  readonly headers: string;
  readonly content: string;
}

/**
 * The body parts of a multipart body (RFC 2046 §5.1.1): a delimiter is "--" + boundary at the
 * start of a line, followed only by transport padding (spaces, tabs) or by "--" for the close
 * delimiter; the line break before a delimiter belongs to it, not to the part. LF alone is
 * accepted as a line break (logs). Text that only contains the boundary inside a line is content.
 */
export function multipartParts(body: string, boundary: string): BodyPart[] {
  const dash = `--${boundary}`;
  const parts: BodyPart[] = [];
  let partStart = -1;
  let from = 0;
  for (;;) {
    const at = body.indexOf(dash, from);
    if (at < 0) break;
    from = at + dash.length;
    if (at > 0 && body[at - 1] !== '\n') continue;
    let p = at + dash.length;
    const close = body.startsWith('--', p);
    if (close) p += 2;
    while (body[p] === ' ' || body[p] === '\t') p++;
    if (p < body.length && body[p] !== '\r' && body[p] !== '\n') continue;
    if (partStart >= 0) {
      const end = at === 0 ? 0 : body[at - 2] === '\r' ? at - 2 : at - 1;
      parts.push(splitPart(body.slice(partStart, Math.max(partStart, end))));
    }
    if (close) return parts;
    partStart = body[p] === '\r' && body[p + 1] === '\n' ? p + 2 : p + 1;
    from = partStart;
  }
  // No close delimiter (a body cut short): the last part runs to the end.
  if (partStart >= 0 && partStart <= body.length) parts.push(splitPart(body.slice(partStart)));
  return parts;
}

function splitPart(part: string): BodyPart {
  if (part.startsWith('\r\n')) return { headers: '', content: part.slice(2) };
  if (part.startsWith('\n')) return { headers: '', content: part.slice(1) };
  const crlf = part.indexOf('\r\n\r\n');
  const lf = part.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { headers: part.slice(0, crlf), content: part.slice(crlf + 4) };
  if (lf >= 0) return { headers: part.slice(0, lf), content: part.slice(lf + 2) };
  return { headers: part, content: '' };
}

/** The Content-Type of a body part's MIME headers (default text/plain, RFC 2046 §5.1.1). */
function partContentType(headers: string): string {
  for (const line of headers.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'content-type') return line.slice(colon + 1).trim();
  }
  return 'text/plain';
}

function findSdp(contentType: string, body: string, depth: number): SdpLookup {
  const type = mediaType(contentType);
  if (type === 'application/sdp') return { text: body };
  if (!type.startsWith('multipart/')) return null;
  const boundary = contentTypeParam(contentType, 'boundary');
  if (boundary === null || boundary === '') {
    return body.toLowerCase().includes('application/sdp') ? { problem: { reason: 'no-boundary' } } : null;
  }
  const parts = multipartParts(body, boundary);
  if (parts.length === 0) {
    return body.toLowerCase().includes('application/sdp') ? { problem: { reason: 'no-boundary-line', boundary: { text: boundary } } } : null;
  }
  for (const part of parts) {
    const partType = partContentType(part.headers);
    if (mediaType(partType) === 'application/sdp') return { text: part.content };
    if (depth < MAX_MULTIPART_DEPTH && mediaType(partType).startsWith('multipart/')) {
      const inner = findSdp(partType, part.content, depth + 1);
      if (inner !== null) return inner;
    }
  }
  return null;
}

/** A body as UTF-8 text. */
function bodyText(body: Uint8Array): string {
  return utf8(body instanceof Buffer ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength), 0, body.length);
}

/**
 * The SDP of a SIP message's body, when its Content-Type says so (multipart bodies are split on
 * their boundary, RFC 2046); parsed at each call: sdpOfMessage (parse.ts) reads a message's once.
 */
export function sdpOfBody(contentType: string | null, body: Uint8Array): SessionDescription | null {
  if (body.length === 0 || contentType === null) return null;
  const found = findSdp(contentType, bodyText(body), 0);
  return found !== null && 'text' in found ? parseSdp(found.text) : null;
}

/**
 * Why a message that declares SDP (Content-Type application/sdp, or an SDP part in a multipart
 * body) has none that siplens can read, as data; null when it has, or declares none.
 * The pipeline reports it as `sip.sdp-unparseable`: the media rules see such a message as
 * having no SDP, and the reader must know why. Linear, no SDP parse.
 */
export function sdpProblem(contentType: string | null, body: Uint8Array): SdpProblem | null {
  if (contentType === null) return null;
  const type = mediaType(contentType);
  if (type !== 'application/sdp' && !type.startsWith('multipart/')) return null;
  // An empty body with a Content-Type is common (a re-INVITE without an offer) and says nothing is missing.
  if (body.length === 0) return null;
  if (type === 'application/sdp') {
    // Nearly every SDP body begins with ASCII: told from its first bytes, without decoding the body (sdpOfMessage decodes it once more).
    const begins = beginsWithVersionLine(body);
    if (begins !== null) return begins ? null : { reason: 'not-sdp' };
  }
  const found = findSdp(contentType, bodyText(body), 0);
  if (found === null) return null;
  if ('problem' in found) return found.problem;
  return looksLikeSdp(found.text) ? null : { reason: 'not-sdp' };
}
