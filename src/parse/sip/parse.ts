/**
 * Tolerant SIP message parser (RFC 3261 §7). It never throws, runs in time linear in the input
 * (indexOf and charCode loops only, no regular expressions), and keeps every header line,
 * malformed ones included, reporting problems as diagnostics with their byte offsets.
 *
 * Speed: the header section is decoded as latin1 (one char per byte, so char indices are byte
 * offsets) and scanned with String.indexOf / charCodeAt; when it is all ASCII (the usual case)
 * names and values are slices of that string, otherwise values are decoded as UTF-8. It is
 * decoded and scanned again when the message's headers are first read (CompactSipMessage).
 *
 * Offsets (headers, diagnostics, bodyOffset) are relative to the message's first byte, which is
 * `raw[0]`. CR/LF bytes before the start line (RFC 3261 §7.5) are skipped: they are counted in
 * `consumed` but are not part of `raw`; `raw.byteOffset - bytes.byteOffset` gives their number.
 */

import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import type { SipParseCode, SipParseValues } from '../../diagnostics.js';
import { HEADER_BIT, type CSeq, type NameAddr, type SipHeader, type SipMessage, type SipParseDiagnostic, type SipParseDiagnosticOf, type SipParseResult, type Via } from './types.js';
import { Char, detached, isDigitCode, isWsp, TOKEN } from './chars.js';
import { latin1, utf8 } from './decode.js';
import { sdpOfBody, type SessionDescription } from './sdp.js';
import { cseqIn, foundCSeq, foundParam, foundVia, headerBit, headerKey, indexBefore, isVia, nameAddrTagIn, parseDecimal, parseNameAddr, parseNumberValue, parseVia, splitList, starContact, TagRead, viaKeyIn } from './headers.js';
import { inSlab, movedCopy, type SlabWalk } from './message-bytes.js';

export interface SipParseOptions {
  /**
   * true (default): the bytes are one datagram (UDP, RFC 3261 §18.3): without Content-Length the
   * body runs to the end; bytes after the announced body are discarded (`sip.trailing-bytes`);
   * `consumed` is the whole input.
   * false: stream framing (TCP, TLS): without Content-Length the body is empty, and `consumed`
   * ends at the end of the body so the caller can read the next message from there.
   */
  readonly datagram?: boolean;
}

/**
 * The bounds read per message or per header line: a const enum, so that the bundler writes each
 * into the code as a number (docs/decisions.md "Offsets read per packet as const enums").
 */
const enum ParseBound {
  /** Header lines kept per message; the rest are skipped with `sip.too-many-headers`. */
  HEADERS = 2000,
  /** Slots of NAME_SLOTS and COMMON_SLOTS (a power of two). */
  SLOTS = 512,
  /** Characters of the input decoded at first to look for the end of the headers; doubled as needed. */
  FIRST_CHUNK = 4096,
}

/** Header lines kept per message; the rest are skipped with `sip.too-many-headers`. */
export const MAX_HEADERS: number = ParseBound.HEADERS;

const MANDATORY = ['Call-ID', 'CSeq', 'From', 'To', 'Via'] as const;

/** Offset of the first byte that starts an invalid UTF-8 sequence in [s, e), or -1. */
export function firstInvalidUtf8(b: Uint8Array, s: number, e: number): number {
  let i = s;
  while (i < e) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= e) return i;
    const c1 = b[i + 1] as number;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      const ck = b[i + k] as number;
      if (ck < 0x80 || ck > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

function isSipVersion(v: string): boolean {
  // "SIP/" 1*DIGIT "." 1*DIGIT, "SIP" in any case.
  // The char test answers for ASCII without making strings; toUpperCase decides the rest (it makes "ſIP" "SIP").
  if (v.length < 7 || v.charCodeAt(3) !== 0x2f || (!isSipWord(v, 0) && v.slice(0, 3).toUpperCase() !== 'SIP')) return false;
  let i = 4;
  const n = v.length;
  const a = i;
  while (i < n && isDigitCode(v.charCodeAt(i))) i++;
  if (i === a || i >= n || v.charCodeAt(i) !== 0x2e) return false;
  i++;
  const b = i;
  while (i < n && isDigitCode(v.charCodeAt(i))) i++;
  return i > b && i === n;
}

/** Whether s[i, i + 3) is "SIP" in any case (ASCII letters only, as toUpperCase would compare them). */
function isSipWord(s: string, i: number): boolean {
  return (s.charCodeAt(i) | 0x20) === 0x73 && (s.charCodeAt(i + 1) | 0x20) === 0x69 && (s.charCodeAt(i + 2) | 0x20) === 0x70;
}

function isWspOrCr(c: number): boolean {
  return c === Char.SP || c === Char.HTAB || c === Char.CR;
}

/** A header name as written, its key (headerKey), the key's HEADER_BIT (headerBit) and what the parser reads in it (roleOf). */
interface HeaderName {
  readonly name: string;
  readonly key: string;
  readonly bit: number;
  readonly role: Role;
}

/**
 * The headers whose values the parser reads, by a number of their own: the parse switches on it
 * for every header line, and comparing small integers costs less than comparing the key strings
 * (they are lower-cased copies, not the literals). NONE for the rest. A const enum, so that the
 * bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as
 * const enums").
 */
const enum Role {
  NONE = 0,
  CALL_ID = 1,
  CSEQ = 2,
  FROM = 3,
  TO = 4,
  VIA = 5,
  CONTACT = 6,
  MAX_FORWARDS = 7,
  CONTENT_TYPE = 8,
  CONTENT_LENGTH = 9,
}

function roleOf(key: string): Role {
  switch (key) {
    case 'call-id':
      return Role.CALL_ID;
    case 'cseq':
      return Role.CSEQ;
    case 'from':
      return Role.FROM;
    case 'to':
      return Role.TO;
    case 'via':
      return Role.VIA;
    case 'contact':
      return Role.CONTACT;
    case 'max-forwards':
      return Role.MAX_FORWARDS;
    case 'content-type':
      return Role.CONTENT_TYPE;
    case 'content-length':
      return Role.CONTENT_LENGTH;
    default:
      return Role.NONE;
  }
}

/**
 * Header names already seen, as written, with their keys: every header line read then shares the
 * same two strings for "Via"/"via", "Call-ID"/"call-id"... instead of making its own copies, and
 * no key is lower-cased again. Names come from the sender, so only the first MAX_HEADER_NAMES
 * distinct ones are remembered.
 */
const HEADER_NAMES = new Map<string, HeaderName>();
const MAX_HEADER_NAMES = 1024;

function nameOf(name: string): HeaderName {
  const key = headerKey(name);
  return { name, key, bit: headerBit(key), role: roleOf(key) };
}

function knownName(name: string): HeaderName {
  let known = HEADER_NAMES.get(name);
  if (known === undefined) {
    if (HEADER_NAMES.size >= MAX_HEADER_NAMES) return nameOf(name);
    // A copy of its own: the slice would keep the whole message text it was cut from alive.
    known = nameOf(Buffer.from(name, 'latin1').toString('latin1'));
    HEADER_NAMES.set(known.name, known);
  }
  return known;
}

// Direct-mapped tables of the last shared string (or header name) seen in each slot
// (NAME_SLOTS, COMMON_SLOTS; ParseBound.SLOTS each), a slot chosen by a hash of the characters: a
// string of the text is found by comparing its characters with the slot's, without slicing it from
// the text nor hashing a new string for the Map (BENCHMARKS.md session 12). They hold entries of
// the Maps only (bounded), never a message's text.

/** The hash of a string's characters so far, `hash`, with char code `c` after them. */
function hashStep(hash: number, c: number): number {
  return (Math.imul(hash, 31) + c) | 0;
}

/** The slot of a string by the hash of its characters (hashStep). */
function slotOf(hash: number): number {
  return (hash ^ (hash >>> 9)) & (ParseBound.SLOTS - 1);
}

/** Whether t[s, e) is `name`. */
function sameText(name: string, t: string, s: number, e: number): boolean {
  if (name.length !== e - s) return false;
  for (let k = 0; k < name.length; k++) if (name.charCodeAt(k) !== t.charCodeAt(s + k)) return false;
  return true;
}

const NAME_SLOTS: (HeaderName | undefined)[] = new Array<HeaderName | undefined>(ParseBound.SLOTS).fill(undefined);

/** knownName(t.slice(s, e)), given the hash of its characters (hashStep). */
function nameAt(t: string, s: number, e: number, hash: number): HeaderName {
  const slot = slotOf(hash);
  const cached = NAME_SLOTS[slot];
  if (cached !== undefined && sameText(cached.name, t, s, e)) return cached;
  const known = knownName(t.slice(s, e));
  if (HEADER_NAMES.get(known.name) === known) NAME_SLOTS[slot] = known;
  return known;
}

/**
 * Strings that nearly every message repeats (methods, the version, reason phrases, content
 * types): one shared copy each instead of one per message kept. They come from the sender, so
 * only the first MAX_COMMON_STRINGS distinct ones are remembered.
 */
const COMMON_STRINGS = new Map<string, string>();
const MAX_COMMON_STRINGS = 1024;

function common(s: string): string {
  let known = COMMON_STRINGS.get(s);
  if (known === undefined) {
    known = detached(s);
    if (COMMON_STRINGS.size < MAX_COMMON_STRINGS) COMMON_STRINGS.set(known, known);
  }
  return known;
}

const COMMON_SLOTS: (string | undefined)[] = new Array<string | undefined>(ParseBound.SLOTS).fill(undefined);

/** common(t.slice(s, e)), for ASCII text. */
function commonAt(t: string, s: number, e: number): string {
  let hash = 0;
  for (let k = s; k < e; k++) hash = hashStep(hash, t.charCodeAt(k));
  const slot = slotOf(hash);
  const cached = COMMON_SLOTS[slot];
  if (cached !== undefined && sameText(cached, t, s, e)) return cached;
  const known = common(t.slice(s, e));
  if (COMMON_STRINGS.get(known) === known) COMMON_SLOTS[slot] = known;
  return known;
}

/**
 * The header section of a message as text: latin1 (one char per byte, so char indices are byte
 * offsets, and String.indexOf and charCodeAt are fast on it); values are slices of it when the
 * section is ASCII (the usual case), otherwise decoded from the bytes as UTF-8.
 */
class HeaderText {
  constructor(
    public t: string,
    private buf: Buffer,
    /** Where the message starts in `buf`: offsets into `t` are offsets from there. */
    private base: number,
    public ascii: boolean,
  ) {}

  /** This object, made to read another message's text (as the constructor does). */
  reset(t: string, buf: Buffer, base: number, ascii: boolean): this {
    this.t = t;
    this.buf = buf;
    this.base = base;
    this.ascii = ascii;
    return this;
  }

  /** The text of [s, e). */
  str(s: number, e: number): string {
    return this.ascii ? this.t.slice(s, e) : utf8(this.buf, this.base + s, this.base + e);
  }

  /**
   * The text of [s, e) as a string of its own, for a value kept while the call is open: V8 makes
   * a slice of 13 chars or more a view that keeps the whole header text alive. Decoded again
   * from the bytes, it is a flat string that keeps nothing else alive, and that a Map compares
   * with its keys without a runtime call: a lookup by a sliced Call-ID took 600 ns when the Map's
   * keys were slices too, 375 ns when they were sequential (min of 15 runs over 10,000 keys,
   * session 11).
   */
  own(s: number, e: number): string {
    if (e - s < 13) return this.str(s, e);
    return this.ascii ? latin1(this.buf, this.base + s, this.base + e) : utf8(this.buf, this.base + s, this.base + e);
  }

  /** The text of [s, e) with surrounding SP, HTAB and CR trimmed. */
  trimmed(s: number, e: number): string {
    const t = this.t;
    while (s < e && isWspOrCr(t.charCodeAt(s))) s++;
    while (e > s && isWspOrCr(t.charCodeAt(e - 1))) e--;
    return s < e ? this.str(s, e) : '';
  }

  /** The text of [s, e) as a shared string of COMMON_STRINGS (common). */
  common(s: number, e: number): string {
    return this.ascii ? commonAt(this.t, s, e) : common(this.str(s, e));
  }

  /** trimmed(s, e) as a shared string (common). */
  commonTrimmed(s: number, e: number): string {
    const t = this.t;
    while (s < e && isWspOrCr(t.charCodeAt(s))) s++;
    while (e > s && isWspOrCr(t.charCodeAt(e - 1))) e--;
    return this.common(s, e);
  }
}

/** Index of the LF ending the line that starts at p, or `limit` when there is none before it. */
function lineEnd(t: string, p: number, limit: number): number {
  const lf = t.indexOf('\n', p);
  return lf < 0 || lf > limit ? limit : lf;
}

/**
 * The header lines of a message, one at a time (RFC 3261 §7.3): `name *(SP / HTAB) ":" value`,
 * continuation lines (§7.3.1) joined to the line they continue. The parser reads them once to
 * check them and to keep what correlation needs; a parsed message reads them again when its
 * headers are first asked for, so it never holds them while its call is open.
 */
class HeaderLines {
  /** The current line's name (key "" when it is malformed). */
  name: HeaderName = NO_NAME;
  /** Whether the current line reads as `name: value`. */
  wellFormed = false;
  /** Offset of the current line and its length (continuation lines included, line terminators excluded). */
  start = 0;
  length = 0;
  /** The current value's range in the text, surrounding whitespace trimmed... */
  valueStart = 0;
  valueEnd = 0;
  /** ...or, for a folded line, its parts joined by one space. */
  joined: string | null = null;
  /** Where the first line beyond ParseBound.HEADERS starts, or -1: those lines are not read. */
  tooManyAt = -1;
  /** The current value as the range [readStart, readEnd) of readText, once locate() has been asked. */
  readText = '';
  readStart = 0;
  readEnd = 0;
  private lines = 0;

  constructor(
    private text: HeaderText,
    /** Where the next line starts. */
    private p: number,
    /** Where the header section ends (its empty line, or the end of the data). */
    private end: number,
    /** Bytes in the message. */
    private len: number,
  ) {}

  /** This object, made to read other lines from their first (as the constructor does). */
  reset(text: HeaderText, p: number, end: number, len: number): this {
    this.text = text;
    this.p = p;
    this.end = end;
    this.len = len;
    this.name = NO_NAME;
    this.wellFormed = false;
    this.start = 0;
    this.length = 0;
    this.valueStart = 0;
    this.valueEnd = 0;
    this.joined = null;
    this.tooManyAt = -1;
    this.readText = '';
    this.readStart = 0;
    this.readEnd = 0;
    this.lines = 0;
    return this;
  }

  /** The current value as text. */
  value(): string {
    return this.joined ?? (this.valueStart < this.valueEnd ? this.text.str(this.valueStart, this.valueEnd) : '');
  }

  /** The current value as a shared string (common). */
  commonValue(): string {
    return this.joined !== null ? common(this.joined) : this.text.common(this.valueStart, this.valueEnd);
  }

  /** The current value as a string of its own (HeaderText.own), to keep. */
  ownValue(): string {
    return this.joined !== null ? detached(this.joined) : this.text.own(this.valueStart, this.valueEnd);
  }

  /**
   * Sets readText to the string the current value is read in, its range [readStart, readEnd):
   * the header text itself when value() would be a slice of it (an ASCII section, an unfolded
   * line), so that a reader finds the value in place, without a slice, reading a flat string's
   * characters instead of a sliced string's (about twice as fast, BENCHMARKS.md session 16); else
   * value(), whole. Returns whether the value is read in place (offsets found in it are then
   * offsets of the text, and of the bytes: HeaderText.own decodes a part found there).
   */
  locate(): boolean {
    if (this.joined === null && this.text.ascii) {
      this.readText = this.text.t;
      this.readStart = this.valueStart;
      this.readEnd = this.valueEnd;
      return true;
    }
    const value = this.value();
    this.readText = value;
    this.readStart = 0;
    this.readEnd = value.length;
    return false;
  }

  /** parseNumberValue(value()), read in the text without slicing the value (already trimmed as parseNumberValue trims it). */
  numberValue(): number | null {
    return this.joined === null ? parseDecimal(this.text.t, this.valueStart, this.valueEnd) : parseNumberValue(this.joined);
  }

  /** Moves to the next line; false at the end of the header section. */
  next(): boolean {
    const { text, end } = this;
    const t = text.t;
    const hStart = this.p;
    if (hStart >= end) return false;
    let lf = lineEnd(t, hStart, end);
    const ce = lf > hStart && t.charCodeAt(lf - 1) === Char.CR ? lf - 1 : lf;
    if (ce === hStart && lf >= this.len) return false; // the data ends inside the empty line (a lone CR)
    if (this.lines >= ParseBound.HEADERS) {
      this.tooManyAt = hStart;
      return false;
    }
    this.lines++;
    let q = lf + 1;
    let lastCe = ce;
    // Continuation lines start with SP or HTAB.
    let parts: string[] | null = null;
    while (q < end && isWsp(t.charCodeAt(q))) {
      lf = lineEnd(t, q, end);
      lastCe = lf > q && t.charCodeAt(lf - 1) === Char.CR ? lf - 1 : lf;
      const part = text.trimmed(q, lastCe);
      if (part.length > 0) (parts ??= []).push(part);
      else parts ??= [];
      q = lf + 1;
    }
    this.p = q;
    this.start = hStart;
    this.length = lastCe - hStart;

    let i = hStart;
    // The name's hash (for nameAt) is made as its characters are read: a second loop over them costs more.
    let hash = 0;
    for (; i < ce; i++) {
      const c = t.charCodeAt(i);
      if (TOKEN[c] !== 1) break;
      hash = hashStep(hash, c);
    }
    const nameEnd = i;
    while (i < ce && isWsp(t.charCodeAt(i))) i++;
    this.wellFormed = nameEnd > hStart && i < ce && t.charCodeAt(i) === Char.COLON;
    let valueStart: number;
    if (this.wellFormed) {
      this.name = nameAt(t, hStart, nameEnd, hash);
      valueStart = i + 1;
    } else {
      let colon = hStart;
      while (colon < ce && t.charCodeAt(colon) !== Char.COLON) colon++;
      this.name = { name: colon < ce ? text.trimmed(hStart, colon) : '', key: '', bit: 0, role: Role.NONE };
      valueStart = hStart;
    }
    let vs = valueStart;
    let ve = ce;
    while (vs < ve && isWspOrCr(t.charCodeAt(vs))) vs++;
    while (ve > vs && isWspOrCr(t.charCodeAt(ve - 1))) ve--;
    this.valueStart = vs;
    this.valueEnd = ve;
    if (parts === null) {
      this.joined = null;
    } else {
      if (vs < ve) parts.unshift(text.str(vs, ve));
      this.joined = parts.join(' ');
    }
    return true;
  }
}

const NO_NAME: HeaderName = { name: '', key: '', bit: 0, role: Role.NONE };

/** The body of a message without one, of the class of its bytes: shared, so such a message holds no view. */
const NO_BODY = new Uint8Array(0);
const NO_BODY_BUFFER = Buffer.alloc(0);

/**
 * The headers whose value a message records where it starts, as it is parsed: the rules and the
 * timeline read these on most messages at hand-over (BENCHMARKS.md session 13), and a recorded
 * start lets the value be decoded from the message's bytes alone, without decoding its header
 * section and reading every line again. The slot of each, by its HEADER_BIT (their bits are theirs
 * alone), or -1.
 */
function recordedSlot(bit: number): number {
  switch (bit) {
    case HEADER_BIT.from:
      return 0;
    case HEADER_BIT.to:
      return 1;
    case HEADER_BIT.contact:
      return 2;
    case HEADER_BIT.userAgent:
      return 3;
    case HEADER_BIT.reason:
      return 4;
    case HEADER_BIT.sessionExpires:
      return 5;
    default:
      return -1;
  }
}

const RECORDED_BITS = HEADER_BIT.from | HEADER_BIT.to | HEADER_BIT.contact | HEADER_BIT.userAgent | HEADER_BIT.reason | HEADER_BIT.sessionExpires;

/**
 * A recorded value start takes 15 bits, two to a field of the message (a small integer on any
 * V8 build); a value that starts beyond is not recorded, and is found by reading the lines.
 */
const enum RecordedStart {
  BITS = 15,
  MAX = (1 << BITS) - 1,
}

/**
 * The value starts the parse of one message records, by slot (recordedSlot); 0 for none: the
 * header is absent, has more than one line, is folded, or starts beyond RecordedStart.MAX (offset
 * 0 is the start line's, never a value's). Reset for each message.
 */
const recordedStarts = new Uint16Array(6);

/** The parts of a CompactSipMessage made when first read and kept (its header list, From, To, Via, Contact, SDP); its bytes and body are views made at each reading. */
class MadeParts {
  sdp: SessionDescription | null | undefined = undefined;
  headers: SipHeader[] | null = null;
  from: NameAddr | null | undefined = undefined;
  to: NameAddr | null | undefined = undefined;
  via: Via[] | null = null;
  contact: NameAddr[] | null = null;
}

/**
 * A parsed message in compact form. The start line and the fields correlation reads (Call-ID,
 * CSeq, the tags, the top Via's branch and sent-by) are kept as read, as strings of their own;
 * the header lines are read again from `raw` when first asked for, and the header objects, From,
 * To, Via and Contact are made then, by the rules when the call is handed over. A message is
 * kept while its call is open, so it holds its bytes and a handful of fields, not the header
 * text nor a table of its lines: less to copy at every young-generation collection, and a
 * smaller heap (BENCHMARKS.md, issue 16). What is made is the parser's own reading of the same
 * lines (HeaderLines), so it is what an eager parse gives. The values read on most messages
 * (recordedSlot) are decoded from where the parse saw them start, in three small-integer fields
 * (24 bytes a message).
 */
class CompactSipMessage implements SipMessage {
  /** What was made when first read; most messages of an open call have nothing made yet, so they hold one empty field, not six. */
  private made: MadeParts | null = null;
  /** The parse's recordedStarts, two to a field: slots 0 and 1, 2 and 3, 4 and 5. */
  private readonly recordedStarts01: number;
  private readonly recordedStarts23: number;
  private readonly recordedStarts45: number;

  /**
   * The fields come as arguments, not as one object literal to copy from: V8 removed the literal
   * (168 B a message) only when it inlined this constructor into parseSipMessage, which it did in
   * some runs and not in others (BENCHMARKS.md session 17). Parameter properties, in the order the
   * message's own properties have always had.
   */
  constructor(
    /** Where the header section ends in `raw` (its empty line, or the end of the data). */
    private readonly headerEnd: number,
    /** Whether the header section is ASCII; otherwise values are decoded from `raw` as UTF-8. */
    private readonly ascii: boolean,
    readonly kind: SipMessage['kind'],
    readonly method: string | null,
    readonly requestUri: string | null,
    readonly status: number | null,
    readonly reason: string | null,
    readonly version: string,
    // Not readonly: shareFieldsWith swaps them for an earlier message's equal ones.
    public callId: string | null,
    public cseq: CSeq | null,
    public fromTag: string | null,
    public toTag: string | null,
    public branch: string | null,
    public sentBy: string,
    readonly maxForwards: number | null,
    readonly contentType: string | null,
    readonly contentLength: number | null,
    readonly bodyOffset: number,
    readonly headerBits: number,
    /**
     * The message's bytes: the ArrayBuffer they lie in (a slab shared with other messages,
     * message-bytes.ts) at rawOffset, or, for bytes a library caller gave as a plain Uint8Array,
     * that view itself. Not a view of its own: a Buffer is an object of 96 bytes, and an open
     * call's messages are copied by every young-generation collection and promoted with their
     * call (BENCHMARKS.md session 20). `raw` makes the view when read. Not readonly: ownBytes
     * gives the message a buffer of its own.
     */
    private store: ArrayBufferLike | Uint8Array,
    private rawOffset: number,
    private readonly rawLength: number,
    starts: Uint16Array,
  ) {
    this.recordedStarts01 = (starts[0] as number) | ((starts[1] as number) << RecordedStart.BITS);
    this.recordedStarts23 = (starts[2] as number) | ((starts[3] as number) << RecordedStart.BITS);
    this.recordedStarts45 = (starts[4] as number) | ((starts[5] as number) << RecordedStart.BITS);
  }

  /**
   * The message's bytes moved to a buffer of their own, out of the slab they share with other
   * messages (message-bytes.ts); the body view made from them follows. Everything else the
   * message holds is strings and offsets into `raw`, which stay valid.
   */
  ownBytes(): void {
    const raw = movedCopy(this.raw);
    this.store = raw.buffer;
    this.rawOffset = raw.byteOffset;
  }

  /**
   * The message's bytes (start line to end of body): a view made when read, over the same
   * memory each time (a Buffer when the parse was given one), not the same object.
   */
  get raw(): Uint8Array {
    const store = this.store;
    return ArrayBuffer.isView(store) ? store : Buffer.from(store, this.rawOffset, this.rawLength);
  }

  /** raw.length, without the view. */
  byteLength(): number {
    return this.rawLength;
  }

  /** The ArrayBuffer the message's bytes lie in (the slab walk's test of their age, without a view). */
  backing(): ArrayBufferLike {
    const store = this.store;
    return ArrayBuffer.isView(store) ? store.buffer : store;
  }

  /** The message's bytes as a Buffer over the same memory, for the decoders. */
  private rawBuffer(): Buffer {
    const store = this.store;
    return ArrayBuffer.isView(store) ? Buffer.from(store.buffer, store.byteOffset, store.byteLength) : Buffer.from(store, this.rawOffset, this.rawLength);
  }

  /** Whether an empty line ends the header section: the parse found one exactly when the section ends before the message does. */
  headerSectionEnded(): boolean {
    return this.headerEnd < this.rawLength;
  }

  /** A view made when read, as `raw` is (a message with SDP is read for its description, kept below, not for its bytes). */
  get body(): Uint8Array {
    const store = this.store;
    if (ArrayBuffer.isView(store)) return this.bodyOffset === this.rawLength ? (store instanceof Buffer ? NO_BODY_BUFFER : NO_BODY) : store.subarray(this.bodyOffset);
    return this.bodyOffset === this.rawLength ? NO_BODY_BUFFER : Buffer.from(store, this.rawOffset + this.bodyOffset, this.rawLength - this.bodyOffset);
  }

  /** sdpOfBody of this message, read when first asked for and kept with the message. */
  sessionDescription(): SessionDescription | null {
    if (this.contentType === null || this.bodyOffset === this.rawLength) return null;
    const made = (this.made ??= new MadeParts());
    if (made.sdp === undefined) made.sdp = sdpOfBody(this.contentType, this.body);
    return made.sdp;
  }

  /** The header lines, read again from `raw`. */
  private headerLines(): HeaderLines {
    const buf = this.rawBuffer();
    const text = new HeaderText(latin1(buf, 0, this.headerEnd), buf, 0, this.ascii);
    return new HeaderLines(text, lineEnd(text.t, 0, this.headerEnd) + 1, this.headerEnd, this.rawLength);
  }

  get headers(): readonly SipHeader[] {
    const made = (this.made ??= new MadeParts());
    if (made.headers === null) {
      const lines = this.headerLines();
      const list: SipHeader[] = [];
      while (lines.next()) {
        const { name, key } = lines.name;
        list.push({ name, key, value: lines.value(), offset: lines.start, length: lines.length, malformed: key === '' });
      }
      made.headers = list;
    }
    return made.headers;
  }

  /**
   * The values of the lines with this key, in order. Once the header list is made they come from
   * it; until then from where the parse recorded the value's start (recordedSlot), or from the
   * lines read again without making the list, and the values are strings of their own. Most
   * messages are read at hand-over for one or two headers (User-Agent, Session-Expires, the first
   * INVITE's From): the list, its objects and the header text its values are slices of lived as
   * long as the batch of calls being handed over, and were copied by the young-generation
   * collections meanwhile (BENCHMARKS.md session 11).
   */
  valuesOf(key: string): string[] {
    const values: string[] = [];
    const list = this.made?.headers ?? null;
    if (list !== null) {
      for (const h of list) if (h.key === key) values.push(h.value);
      return values;
    }
    const start = this.recordedStart(key);
    if (start !== 0) {
      values.push(this.valueFrom(start));
      return values;
    }
    const lines = this.headerLines();
    while (lines.next()) if (lines.name.key === key) values.push(lines.ownValue());
    return values;
  }

  /** The first value of the lines with this key, or null: valuesOf(key)[0], without the array. */
  firstValueOf(key: string): string | null {
    const list = this.made?.headers ?? null;
    if (list !== null) {
      for (const h of list) if (h.key === key) return h.value;
      return null;
    }
    const start = this.recordedStart(key);
    if (start !== 0) return this.valueFrom(start);
    const lines = this.headerLines();
    while (lines.next()) if (lines.name.key === key) return lines.ownValue();
    return null;
  }

  /** Where the value of this key's only line starts in `raw` (recordedSlot), or 0 when the parse did not record it. */
  private recordedStart(key: string): number {
    const slot = recordedSlot(headerBit(key));
    if (slot < 0) return 0;
    const pair = slot < 2 ? this.recordedStarts01 : slot < 4 ? this.recordedStarts23 : this.recordedStarts45;
    return (slot & 1) === 0 ? pair & RecordedStart.MAX : pair >>> RecordedStart.BITS;
  }

  /**
   * The value that starts at `s` (a recorded start, past the blanks after the colon) as a string
   * of its own: to the end of its line (an unfolded line: a folded one is not recorded), trailing
   * blanks and CR trimmed, as HeaderLines reads it.
   */
  private valueFrom(s: number): string {
    const buf = this.rawBuffer();
    const lf = buf.indexOf(Char.LF, s);
    let e = lf < 0 || lf > this.headerEnd ? this.headerEnd : lf;
    while (e > s && isWspOrCr(buf[e - 1] as number)) e--;
    return this.ascii ? latin1(buf, s, e) : utf8(buf, s, e);
  }

  /** The first From (or To) line read as a name-addr: null when it cannot be, or there is none. */
  private firstNameAddr(key: 'from' | 'to'): NameAddr | null {
    const value = this.firstValueOf(key);
    return value === null ? null : parseNameAddr(value);
  }

  get from(): NameAddr | null {
    const made = (this.made ??= new MadeParts());
    if (made.from === undefined) made.from = this.firstNameAddr('from');
    return made.from;
  }

  get to(): NameAddr | null {
    const made = (this.made ??= new MadeParts());
    if (made.to === undefined) made.to = this.firstNameAddr('to');
    return made.to;
  }

  get via(): readonly Via[] {
    const made = (this.made ??= new MadeParts());
    if (made.via === null) {
      const list: Via[] = [];
      for (const h of this.headers) {
        if (h.key !== 'via') continue;
        for (const entry of splitList(h.value)) {
          const v = parseVia(entry);
          if (v !== null) list.push(v);
        }
      }
      made.via = list;
    }
    return made.via;
  }

  get contact(): readonly NameAddr[] {
    const made = (this.made ??= new MadeParts());
    if (made.contact === null) {
      const list: NameAddr[] = [];
      for (const value of this.valuesOf('contact')) {
        for (const entry of splitList(value)) {
          const a = entry === '*' ? starContact() : parseNameAddr(entry);
          if (a !== null) list.push(a);
        }
      }
      made.contact = list;
    }
    return made.contact;
  }
}

/**
 * The values of a message's header lines with this key (lower-case long form), in order. A
 * message of this parser reads them without making its header list (CompactSipMessage.valuesOf).
 */
export function headerValuesOf(msg: SipMessage, key: string): string[] {
  if (msg instanceof CompactSipMessage) return msg.valuesOf(key);
  const values: string[] = [];
  for (const h of msg.headers) if (h.key === key) values.push(h.value);
  return values;
}

/**
 * The SDP of a message's body, when its Content-Type says so (sdpOfBody). The join asks for it
 * when the message comes and again when its call ends, the media rules and the timeline at
 * hand-over (6.6 asks a body in the SIP-heavy file): a message of this parser reads it once and
 * keeps it with its parts made when first read, with no table beside it (BENCHMARKS.md session 15:
 * a WeakMap by the body cost the collector an ephemeron per message). Others are read at each ask.
 */
export function sdpOfMessage(msg: SipMessage): SessionDescription | null {
  return msg instanceof CompactSipMessage ? msg.sessionDescription() : sdpOfBody(msg.contentType, msg.body);
}

/**
 * Whether an empty line ends the message's header section (RFC 3261 §7: CRLF CRLF, or LF LF as
 * tolerant peers send); false for a message cut inside its headers. A message of this parser
 * answers from its parse, without reading its bytes. Others are read from the bytes before the
 * body: it starts right after that empty line, and without one at the end of the message, where
 * no empty line precedes it.
 */
export function headerSectionEnded(msg: SipMessage): boolean {
  if (msg instanceof CompactSipMessage) return msg.headerSectionEnded();
  const raw = msg.raw;
  const o = msg.bodyOffset;
  if (o < 2 || o > raw.length || raw[o - 1] !== Char.LF) return false;
  return raw[o - 2] === Char.LF || (raw[o - 2] === Char.CR && o >= 3 && raw[o - 3] === Char.LF);
}

/** `msg.raw.length` without making the view (a message of this parser knows its length). */
export function rawLengthOf(msg: SipMessage): number {
  return msg instanceof CompactSipMessage ? msg.byteLength() : msg.raw.length;
}

/** The first value of a message's header lines with this key, or null (headerValuesOf). */
export function firstHeaderValueOf(msg: SipMessage, key: string): string | null {
  if (msg instanceof CompactSipMessage) return msg.firstValueOf(key);
  for (const h of msg.headers) if (h.key === key) return h.value;
  return null;
}

/**
 * Makes `msg` hold `earlier`'s Call-ID, CSeq, tags, branch and sent-by wherever they are equal
 * (a tag may match either of `earlier`'s: a request from the callee has them swapped). The
 * messages of a call repeat these values, and each message parsed them into strings of its own:
 * once the correlator has found the message's call, transaction or dialog, an earlier message of
 * it holds the same values, and the message's own copies die young instead of being promoted
 * and kept while the call is open (two strings each, BENCHMARKS.md session 11). Values only
 * change hands when equal, so what every reader sees is the same. Messages not made by this
 * parser are left as they are.
 */
export function shareFieldsWith(msg: SipMessage, earlier: SipMessage): void {
  if (!(msg instanceof CompactSipMessage) || msg === earlier) return;
  if (msg.callId !== null && msg.callId === earlier.callId) msg.callId = earlier.callId;
  const cseq = msg.cseq;
  const earlierCseq = earlier.cseq;
  if (cseq !== null && earlierCseq !== null && cseq.seq === earlierCseq.seq && cseq.method === earlierCseq.method) msg.cseq = earlierCseq;
  if (msg.branch !== null && msg.branch === earlier.branch) msg.branch = earlier.branch;
  if (msg.sentBy === earlier.sentBy) msg.sentBy = earlier.sentBy;
  msg.fromTag = sameTag(msg.fromTag, earlier);
  msg.toTag = sameTag(msg.toTag, earlier);
}

/**
 * Makes `msg` hold `callId`, a string equal to its own Call-ID: the key the correlator keeps its
 * call under, whose hash is already known. Every later lookup by it (the media join's, the source
 * tracker's) and shareFieldsWith's comparisons then meet the same string, and the message's own
 * copy is not kept while the call is open. The caller vouches that the two are equal. Messages
 * not made by this parser are left as they are.
 */
export function useCallId(msg: SipMessage, callId: string): void {
  // Not compared again: the caller found its call by this Call-ID (comparing is what this spares).
  if (msg instanceof CompactSipMessage && msg.callId !== null) msg.callId = callId;
}

/** `tag`, or the equal tag of `earlier`'s From or To. */
function sameTag(tag: string | null, earlier: SipMessage): string | null {
  if (tag === null) return null;
  if (tag === earlier.fromTag) return earlier.fromTag;
  if (tag === earlier.toTag) return earlier.toTag;
  return tag;
}

function byOffset(a: SipParseDiagnostic, b: SipParseDiagnostic): number {
  return a.offset - b.offset;
}

function report<C extends SipParseCode>(diagnostics: SipParseDiagnostic[], code: C, values: SipParseValues[C], at: number): void {
  diagnostics.push({ code, values, offset: at } as SipParseDiagnosticOf<C> as SipParseDiagnostic);
}

function reportBadValue(diagnostics: SipParseDiagnostic[], header: string, at: number): void {
  report(diagnostics, 'sip.bad-header-value', { header }, at);
}

/**
 * The value of foundParam (a tag or a branch), found in `s`, as a string to keep: decoded from
 * the bytes when `s` is the text itself (read in place, HeaderLines.locate), one flat string
 * instead of detached's copy and slice of it.
 */
function keptParam(text: HeaderText, s: string, inPlace: boolean): string {
  const found = foundParam;
  if (found.quoted !== null) return detached(found.quoted);
  return inPlace ? text.own(found.valueStart, found.valueEnd) : detached(s.slice(found.valueStart, found.valueEnd));
}

/**
 * Whether the sent-by foundVia read in `s` is written as it is kept, `host:port` (host
 * lower-cased, the port's decimal form): then it is decoded from the bytes as it stands.
 */
function sentByAsWritten(s: string): boolean {
  const v = foundVia;
  if (v.port === null || v.portStart !== v.hostEnd + 1 || s.charCodeAt(v.hostEnd) !== Char.COLON) return false;
  if (v.portEnd - v.portStart > 1 && s.charCodeAt(v.portStart) === 0x30) return false;
  for (let k = v.hostStart; k < v.hostEnd; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x41 && c <= 0x5a) return false;
  }
  return true;
}

/** The top Via's branch and sent-by as kept (RFC 3261 §17.2.3), read by viaEntry; reset for each message. */
const topVia = { seen: false, branch: null as string | null, sentBy: '' };

/**
 * Checks one Via entry, s[start, end) (in the text itself when `inPlace`, HeaderLines.locate), and
 * keeps the branch and sent-by of the first readable one in topVia; false when the entry is unreadable.
 */
function viaEntry(text: HeaderText, s: string, start: number, end: number, inPlace: boolean): boolean {
  if (topVia.seen) return isVia(s, start, end);
  if (!viaKeyIn(s, start, end)) return false;
  topVia.seen = true;
  topVia.branch = foundVia.hasBranch ? keptParam(text, s, inPlace) : null;
  const v = foundVia;
  topVia.sentBy = inPlace && sentByAsWritten(s) ? text.own(v.hostStart, v.portEnd) : detached(`${s.slice(v.hostStart, v.hostEnd).toLowerCase()}:${v.port ?? ''}`);
  return true;
}

/**
 * The text and line reader of the message being parsed, made again for each (reset): the parse
 * never runs inside another, and two objects fewer per message are two fewer for the collector
 * (BENCHMARKS.md session 15). A message's own reads make theirs (CompactSipMessage.headerLines).
 */
const NO_BYTES = Buffer.alloc(0);
const PARSE_TEXT = new HeaderText('', NO_BYTES, 0, true);
const PARSE_LINES = new HeaderLines(PARSE_TEXT, 0, 0, 0);

/**
 * The parse's text and line reader let go of the message read last: being module-wide, they would
 * otherwise keep its bytes (and the header text) reachable after the caller dropped every message.
 */
function releaseParseReaders(): void {
  PARSE_TEXT.reset('', NO_BYTES, 0, true);
  PARSE_LINES.reset(PARSE_TEXT, 0, 0, 0);
}

/**
 * For the holders of open calls' messages, at a walk (message-bytes.ts SlabWalk): the
 * message's bytes get a buffer of their own when they lie in an old slab, so that the message
 * no longer keeps the slab alive. True when they stay in a slab, a recent one.
 */
export function ownBytesOfOld(msg: SipMessage, walk: SlabWalk): boolean {
  if (!(msg instanceof CompactSipMessage)) return false;
  const met = walk.meets(msg.backing());
  if (met === 'old') msg.ownBytes();
  return met === 'young';
}

/** The message's bytes in a buffer of their own if they share a slab: for a holder that keeps messages after their call was handed over (the live view's ended calls). */
export function ownBytesOf(msg: SipMessage): void {
  if (msg instanceof CompactSipMessage && inSlab(msg.backing())) msg.ownBytes();
}

/** Parses one SIP message. Never throws. */
export function parseSipMessage(bytes: Uint8Array, opts?: SipParseOptions): SipParseResult {
  const datagram = opts?.datagram !== false;
  const n = bytes.length;
  const diagnostics: SipParseDiagnostic[] = [];

  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  let base = 0;
  while (base < n && (bytes[base] === Char.CR || bytes[base] === Char.LF)) base++;
  const len = n - base;

  // From here on, positions are relative to the message start (bytes[base]), which is also
  // what diagnostics and header offsets report. `t` holds the bytes as latin1 text, one char
  // per byte, so char indices are byte offsets; String.indexOf and charCodeAt are fast on it.
  const buf = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  // --- Pass 1: find the empty line that ends the headers. ---------------------------------
  // Decode in growing chunks so that a large stream buffer is not decoded past the headers.
  let chunk = Math.min(len, ParseBound.FIRST_CHUNK);
  let t = latin1(buf, base, base + chunk);
  let hdrEnd = -1; // start of the empty line
  let bodyStart = len;
  let bareLf = -1;
  {
    let p = 0;
    for (;;) {
      const lf = t.indexOf('\n', p);
      if (lf < 0) {
        if (chunk >= len) break;
        chunk = Math.min(len, chunk * 2);
        t = latin1(buf, base, base + chunk);
        continue;
      }
      let ce = lf;
      if (lf > p && t.charCodeAt(lf - 1) === Char.CR) ce = lf - 1;
      else if (bareLf < 0) bareLf = lf;
      if (ce === p && p > 0) {
        hdrEnd = p;
        bodyStart = lf + 1;
        break;
      }
      p = lf + 1;
    }
  }
  const headerEndFound = hdrEnd >= 0;
  if (!headerEndFound) hdrEnd = len;
  if (bareLf >= 0) report(diagnostics, 'sip.bare-lf', {}, bareLf);

  // --- Text decoding: ASCII fast path, else UTF-8 per value. -----------------------------
  // The whole input is checked first (no view to make; a datagram is one message): ASCII there is ASCII here.
  const ascii = isAscii(bytes) || isAscii(bytes.subarray(base, base + hdrEnd));
  if (!ascii && !isUtf8(bytes.subarray(base, base + hdrEnd))) {
    const bad = firstInvalidUtf8(bytes, base, base + hdrEnd);
    report(diagnostics, 'sip.invalid-utf8', {}, bad >= 0 ? bad - base : 0);
  }
  const text = PARSE_TEXT.reset(t, buf, base, ascii);

  // --- Start line. -------------------------------------------------------------------------
  let kind: 'request' | 'response' = 'request';
  let method: string | null = null;
  let requestUri: string | null = null;
  let status: number | null = null;
  let reason: string | null = null;
  let version = '';
  let p: number;
  {
    const lf = lineEnd(t, 0, hdrEnd);
    p = lf + 1;
    let e = lf;
    while (e > 0 && isWspOrCr(t.charCodeAt(e - 1))) e--;
    // Leading blanks are not allowed, but skipping them recovers the line.
    let s0 = 0;
    while (s0 < e && isWsp(t.charCodeAt(s0))) s0++;
    let malformed = s0 > 0;
    if (
      e - s0 >= 4 &&
      t.charCodeAt(s0 + 3) === 0x2f &&
      isSipWord(t, s0)
    ) {
      // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
      kind = 'response';
      let i = s0;
      while (i < e && !isWsp(t.charCodeAt(i))) i++;
      version = text.common(s0, i);
      if (!isSipVersion(version)) malformed = true;
      while (i < e && isWsp(t.charCodeAt(i))) i++;
      const ds = i;
      while (i < e && isDigitCode(t.charCodeAt(i))) i++;
      if (i - ds === 3 && (i === e || isWsp(t.charCodeAt(i)))) {
        status = (t.charCodeAt(ds) - 0x30) * 100 + (t.charCodeAt(ds + 1) - 0x30) * 10 + (t.charCodeAt(ds + 2) - 0x30);
        if (status < 100) malformed = true;
        reason = text.commonTrimmed(i, e);
      } else {
        malformed = true;
      }
    } else {
      // Request-Line = Method SP Request-URI SP SIP-Version
      kind = 'request';
      let i = s0;
      while (i < e && TOKEN[t.charCodeAt(i)] === 1) i++;
      const methodEnd = i;
      if (methodEnd > s0 && i < e && isWsp(t.charCodeAt(i))) {
        method = commonAt(t, s0, methodEnd);
        while (i < e && isWsp(t.charCodeAt(i))) i++;
        // The version is the last word; the Request-URI is what lies between.
        let v = e;
        while (v > i && !isWsp(t.charCodeAt(v - 1))) v--;
        if (v > i) {
          version = text.common(v, e);
          let u = v;
          while (u > i && isWsp(t.charCodeAt(u - 1))) u--;
          requestUri = text.own(i, u);
          if (!isSipVersion(version)) malformed = true;
          for (let k = i; k < u; k++) {
            if (isWsp(t.charCodeAt(k))) {
              malformed = true; // whitespace inside the Request-URI
              break;
            }
          }
        } else {
          requestUri = i < e ? text.own(i, e) : null;
          malformed = true;
        }
      } else {
        malformed = true;
      }
    }
    if (malformed) report(diagnostics, 'sip.malformed-start-line', {}, 0);
  }

  // --- Headers. ----------------------------------------------------------------------------
  // Read to check them and to keep the fields correlation needs; the message reads them again
  // when its headers are asked for (CompactSipMessage). What is kept is detached from `t`.
  let callId: string | null = null;
  let cseq: CSeq | null = null;
  let fromTag: string | null = null;
  let toTag: string | null = null;
  let maxForwards: number | null = null;
  let contentType: string | null = null;
  let contentLength: number | null = null;
  let seenCseq = false;
  let seenFrom = false;
  let seenTo = false;
  let seenVia = false;
  let seenMaxForwards = false;
  let seenContentLength = false;
  let clConflict = false;
  let headerBits = 0;

  for (let k = 0; k < recordedStarts.length; k++) recordedStarts[k] = 0;
  topVia.seen = false;
  topVia.branch = null;
  topVia.sentBy = '';
  const lines = PARSE_LINES.reset(text, p, hdrEnd, len);
  while (lines.next()) {
    const hStart = lines.start;
    if (!lines.wellFormed) {
      report(diagnostics, 'sip.malformed-header', {}, hStart);
      continue;
    }
    const bit = lines.name.bit;
    if ((bit & RECORDED_BITS) !== 0) {
      // Only a header's only line is recorded: a second line of it makes the slot 0 again.
      const once = (headerBits & bit) === 0 && lines.joined === null && lines.valueStart <= RecordedStart.MAX;
      recordedStarts[recordedSlot(bit)] = once ? lines.valueStart : 0;
    }
    if ((bit & headerBits & HEADER_BIT.contentLength) !== 0) headerBits |= HEADER_BIT.contentLengthAgain;
    headerBits |= bit;
    switch (lines.name.role) {
      case Role.CALL_ID:
        if (callId === null) callId = lines.ownValue();
        break;
      // The values below are read where they lie (HeaderLines.locate): s[vs, ve) is the value.
      case Role.CSEQ:
        if (!seenCseq) {
          seenCseq = true;
          const inPlace = lines.locate();
          const s = lines.readText;
          if (!cseqIn(s, lines.readStart, lines.readEnd)) reportBadValue(diagnostics, 'CSeq', hStart);
          else {
            const { methodStart, methodEnd } = foundCSeq;
            cseq = { seq: foundCSeq.seq, method: inPlace ? text.common(methodStart, methodEnd) : common(s.slice(methodStart, methodEnd)) };
          }
        }
        break;
      case Role.FROM:
        if (!seenFrom) {
          seenFrom = true;
          const inPlace = lines.locate();
          const read = nameAddrTagIn(lines.readText, lines.readStart, lines.readEnd);
          if (read === TagRead.UNREADABLE) {
            reportBadValue(diagnostics, 'From', hStart);
            headerBits |= HEADER_BIT.fromUnreadable;
          } else fromTag = read === TagRead.NO_TAG ? null : keptParam(text, lines.readText, inPlace);
        }
        break;
      case Role.TO:
        if (!seenTo) {
          seenTo = true;
          const inPlace = lines.locate();
          const read = nameAddrTagIn(lines.readText, lines.readStart, lines.readEnd);
          if (read === TagRead.UNREADABLE) {
            reportBadValue(diagnostics, 'To', hStart);
            headerBits |= HEADER_BIT.toUnreadable;
          } else toTag = read === TagRead.NO_TAG ? null : keptParam(text, lines.readText, inPlace);
        }
        break;
      case Role.VIA: {
        seenVia = true;
        const inPlace = lines.locate();
        const s = lines.readText;
        const vs = lines.readStart;
        const ve = lines.readEnd;
        let bad: boolean;
        // Nearly every Via line holds one entry (the value, trimmed as splitList trims): read where it lies, no list made.
        if (indexBefore(s, Char.COMMA, vs, ve) < 0) bad = vs === ve || !viaEntry(text, s, vs, ve, inPlace);
        else {
          const entries = splitList(lines.value());
          bad = entries.length === 0;
          for (const entry of entries) if (!viaEntry(text, entry, 0, entry.length, false)) bad = true;
        }
        if (bad) reportBadValue(diagnostics, 'Via', hStart);
        break;
      }
      case Role.CONTACT: {
        lines.locate();
        const s = lines.readText;
        const vs = lines.readStart;
        const ve = lines.readEnd;
        let bad: boolean;
        if (indexBefore(s, Char.COMMA, vs, ve) < 0) bad = vs === ve || (!(ve - vs === 1 && s.charCodeAt(vs) === Char.STAR) && nameAddrTagIn(s, vs, ve) === TagRead.UNREADABLE);
        else {
          const entries = splitList(lines.value());
          bad = entries.length === 0;
          for (const entry of entries) if (entry !== '*' && nameAddrTagIn(entry) === TagRead.UNREADABLE) bad = true;
        }
        if (bad) reportBadValue(diagnostics, 'Contact', hStart);
        break;
      }
      case Role.MAX_FORWARDS:
        if (!seenMaxForwards) {
          seenMaxForwards = true;
          maxForwards = lines.numberValue();
          if (maxForwards === null) reportBadValue(diagnostics, 'Max-Forwards', hStart);
        }
        break;
      case Role.CONTENT_TYPE:
        if (contentType === null) contentType = lines.commonValue();
        break;
      case Role.CONTENT_LENGTH: {
        seenContentLength = true;
        const cl = lines.numberValue();
        if (cl === null) {
          report(diagnostics, 'sip.content-length-invalid', { absent: false }, hStart);
        } else if (contentLength === null) {
          contentLength = cl;
        } else if (cl !== contentLength && !clConflict) {
          clConflict = true;
          report(diagnostics, 'sip.content-length-conflict', {}, hStart);
        }
        break;
      }
      default:
        break;
    }
  }
  if (lines.tooManyAt >= 0) report(diagnostics, 'sip.too-many-headers', { max: ParseBound.HEADERS }, lines.tooManyAt);
  releaseParseReaders();

  // --- Checks on the whole header section. ------------------------------------------------
  if (callId === null || !seenCseq || !seenFrom || !seenTo || !seenVia) {
    const missing: string[] = [];
    for (const h of MANDATORY) {
      const present =
        h === 'Call-ID' ? callId !== null : h === 'CSeq' ? seenCseq : h === 'From' ? seenFrom : h === 'To' ? seenTo : seenVia;
      if (!present) missing.push(h);
    }
    report(diagnostics, 'sip.missing-header', { headers: missing }, hdrEnd);
  }
  if (!headerEndFound) report(diagnostics, 'sip.no-header-end', {}, len);
  // Over UDP the body simply runs to the end of the datagram (RFC 3261 §18.3); streams need the header (§20.14).
  if (!seenContentLength && !datagram) report(diagnostics, 'sip.content-length-invalid', { absent: true }, hdrEnd);

  // --- Body. -------------------------------------------------------------------------------
  const avail = len - bodyStart;
  let bodyLen: number;
  if (!headerEndFound) {
    bodyLen = 0;
  } else if (contentLength !== null) {
    if (contentLength > avail) {
      bodyLen = avail;
      report(diagnostics, 'sip.body-truncated', { announced: contentLength, present: avail }, len);
    } else {
      bodyLen = contentLength;
      if (datagram && avail > contentLength) {
        report(diagnostics, 'sip.trailing-bytes', { bytes: avail - contentLength }, bodyStart + contentLength);
      }
    }
  } else {
    bodyLen = datagram ? avail : 0;
  }
  const bodyEnd = bodyStart + bodyLen;

  // A Buffer's bytes are held as its ArrayBuffer and offset (the normal case: message-bytes.ts makes them); a plain view as itself.
  const asBuffer = bytes instanceof Buffer;
  const store = asBuffer ? bytes.buffer : base === 0 && bodyEnd === n ? bytes : bytes.subarray(base, base + bodyEnd);
  const message = new CompactSipMessage(
    hdrEnd,
    ascii,
    kind,
    method,
    requestUri,
    status,
    reason,
    version,
    callId,
    cseq,
    fromTag,
    toTag,
    topVia.branch,
    topVia.sentBy,
    maxForwards,
    contentType,
    contentLength,
    bodyStart,
    headerBits,
    store,
    asBuffer ? bytes.byteOffset + base : 0,
    bodyEnd,
    recordedStarts,
  );
  if (diagnostics.length > 1) diagnostics.sort(byOffset);
  return { message, diagnostics, consumed: datagram ? n : base + bodyEnd };
}

