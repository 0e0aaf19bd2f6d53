/**
 * Tolerant SIP message parser (RFC 3261 §7). It never throws, runs in time linear in the input
 * (indexOf and charCode loops only, no regular expressions), and keeps every header line,
 * malformed ones included, reporting problems as diagnostics with their byte offsets.
 *
 * Speed: the header section is decoded once as latin1 (one char per byte, so char indices are
 * byte offsets) and scanned with String.indexOf / charCodeAt; when it is all ASCII (the usual
 * case) names and values are slices of that string, otherwise values are decoded as UTF-8.
 *
 * Offsets (headers, diagnostics, bodyOffset) are relative to the message's first byte, which is
 * `raw[0]`. CR/LF bytes before the start line (RFC 3261 §7.5) are skipped: they are counted in
 * `consumed` but are not part of `raw`; `raw.byteOffset - bytes.byteOffset` gives their number.
 */

import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import type { SipParseCode, SipParseValues } from '../../diagnostics.js';
import type { CSeq, NameAddr, SipHeader, SipMessage, SipParseDiagnostic, SipParseDiagnosticOf, SipParseResult, Via } from './types.js';
import { COLON, CR, HTAB, LF, SP, TOKEN, isDigitCode, isWsp } from './chars.js';
import {
  headerKey,
  parseCSeq,
  parseNameAddr,
  parseNumberValue,
  parseVia,
  splitList,
  starContact,
} from './headers.js';

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

/** Header lines kept per message; the rest are skipped with `sip.too-many-headers`. */
export const MAX_HEADERS = 2000;

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
  if (v.length < 7 || v.charCodeAt(3) !== 0x2f || v.slice(0, 3).toUpperCase() !== 'SIP') return false;
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

function isWspOrCr(c: number): boolean {
  return c === SP || c === HTAB || c === CR;
}

/** A header name as written and its key (headerKey). */
interface HeaderName {
  readonly name: string;
  readonly key: string;
}

/**
 * Header names already seen, as written, with their keys: every message then shares the same
 * two strings for "Via"/"via", "Call-ID"/"call-id"... instead of holding its own copies (a parsed
 * message keeps all its header lines), and no key is lower-cased again. Names come from the
 * sender, so only the first MAX_HEADER_NAMES distinct ones are remembered.
 */
const HEADER_NAMES = new Map<string, HeaderName>();
const MAX_HEADER_NAMES = 1024;

function knownName(name: string): HeaderName {
  let known = HEADER_NAMES.get(name);
  if (known === undefined) {
    if (HEADER_NAMES.size >= MAX_HEADER_NAMES) return { name, key: headerKey(name) };
    // A copy of its own: the slice would keep the whole message text it was cut from alive.
    const own = Buffer.from(name, 'latin1').toString('latin1');
    known = { name: own, key: headerKey(own) };
    HEADER_NAMES.set(own, known);
  }
  return known;
}

/** A header line is five cells of CompactSipMessage's array: its name, its value's start and end, its offset and length. */
type HeaderCell = HeaderName | number;

/** The fields of a message read as it is parsed: the start line, what correlation keys on, the body. */
type EagerFields = Omit<SipMessage, 'headers' | 'from' | 'to' | 'via' | 'contact'>;

/**
 * A parsed message in compact form. The start line, the fields correlation reads (Call-ID,
 * CSeq, the tags, the top Via) and the body are kept as read; each header line is five cells of
 * one array (its name, where its value lies in the header text, its place), and the header
 * objects, From, To, Via and Contact are made when first read, by the rules when the call is
 * handed over. A message is kept while its call is open, so it holds a handful of objects
 * instead of some eighty: less to copy at every young-generation collection, and a smaller
 * heap (BENCHMARKS.md, issue 16). What is made is the parser's own reading of the same values,
 * so it is what an eager parse gives.
 */
class CompactSipMessage implements SipMessage {
  readonly kind: SipMessage['kind'];
  readonly method: string | null;
  readonly requestUri: string | null;
  readonly status: number | null;
  readonly reason: string | null;
  readonly version: string;
  readonly callId: string | null;
  readonly cseq: CSeq | null;
  readonly fromTag: string | null;
  readonly toTag: string | null;
  readonly topVia: Via | null;
  readonly maxForwards: number | null;
  readonly contentType: string | null;
  readonly contentLength: number | null;
  readonly bodyOffset: number;
  readonly body: Uint8Array;
  readonly raw: Uint8Array;
  private headerList: SipHeader[] | null = null;
  private fromAddr: NameAddr | null | undefined = undefined;
  private toAddr: NameAddr | null | undefined = undefined;
  private viaList: Via[] | null = null;
  private contactList: NameAddr[] | null = null;

  constructor(
    f: EagerFields,
    /** The header section as latin1 text (one char per byte): values are read from it. */
    private readonly text: string,
    /** Whether the header section is ASCII; otherwise values are decoded from `raw` as UTF-8. */
    private readonly ascii: boolean,
    private readonly cells: readonly HeaderCell[],
    /** The values of folded header lines (RFC 3261 §7.3.1), joined; a cell's negative start points here. */
    private readonly folded: readonly string[] | null,
  ) {
    this.kind = f.kind;
    this.method = f.method;
    this.requestUri = f.requestUri;
    this.status = f.status;
    this.reason = f.reason;
    this.version = f.version;
    this.callId = f.callId;
    this.cseq = f.cseq;
    this.fromTag = f.fromTag;
    this.toTag = f.toTag;
    this.topVia = f.topVia;
    this.maxForwards = f.maxForwards;
    this.contentType = f.contentType;
    this.contentLength = f.contentLength;
    this.bodyOffset = f.bodyOffset;
    this.body = f.body;
    this.raw = f.raw;
  }

  /** The value of the header line whose cells start at `c`. */
  private value(c: number): string {
    const s = this.cells[c + 1] as number;
    const e = this.cells[c + 2] as number;
    if (s < 0) return this.folded![-s - 1]!;
    if (s >= e) return '';
    if (this.ascii) return this.text.slice(s, e);
    const raw = this.raw;
    return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8', s, e);
  }

  get headers(): readonly SipHeader[] {
    if (this.headerList === null) {
      const cells = this.cells;
      const list: SipHeader[] = [];
      for (let c = 0; c < cells.length; c += 5) {
        const { name, key } = cells[c] as HeaderName;
        list.push({ name, key, value: this.value(c), offset: cells[c + 3] as number, length: cells[c + 4] as number, malformed: key === '' });
      }
      this.headerList = list;
    }
    return this.headerList;
  }

  /** The first From (or To) line read as a name-addr: null when it cannot be, or there is none. */
  private firstNameAddr(key: 'from' | 'to'): NameAddr | null {
    const cells = this.cells;
    for (let c = 0; c < cells.length; c += 5) if ((cells[c] as HeaderName).key === key) return parseNameAddr(this.value(c));
    return null;
  }

  get from(): NameAddr | null {
    if (this.fromAddr === undefined) this.fromAddr = this.firstNameAddr('from');
    return this.fromAddr;
  }

  get to(): NameAddr | null {
    if (this.toAddr === undefined) this.toAddr = this.firstNameAddr('to');
    return this.toAddr;
  }

  get via(): readonly Via[] {
    if (this.viaList === null) {
      const list: Via[] = [];
      const cells = this.cells;
      for (let c = 0; c < cells.length; c += 5) {
        if ((cells[c] as HeaderName).key !== 'via') continue;
        for (const entry of splitList(this.value(c))) {
          const v = parseVia(entry);
          if (v !== null) list.push(v);
        }
      }
      this.viaList = list;
    }
    return this.viaList;
  }

  get contact(): readonly NameAddr[] {
    if (this.contactList === null) {
      const list: NameAddr[] = [];
      const cells = this.cells;
      for (let c = 0; c < cells.length; c += 5) {
        if ((cells[c] as HeaderName).key !== 'contact') continue;
        for (const entry of splitList(this.value(c))) {
          const a = entry === '*' ? starContact() : parseNameAddr(entry);
          if (a !== null) list.push(a);
        }
      }
      this.contactList = list;
    }
    return this.contactList;
  }
}

/** Characters of the input decoded at first to look for the end of the headers; doubled as needed. */
const FIRST_CHUNK = 4096;

/** Index of the LF ending the line that starts at p, or `limit` when there is none before it. */
function lineEnd(t: string, p: number, limit: number): number {
  const lf = t.indexOf('\n', p);
  return lf < 0 || lf > limit ? limit : lf;
}

/** Parses one SIP message. Never throws. */
export function parseSipMessage(bytes: Uint8Array, opts?: SipParseOptions): SipParseResult {
  const datagram = opts?.datagram !== false;
  const n = bytes.length;
  const diagnostics: SipParseDiagnostic[] = [];

  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  let base = 0;
  while (base < n && (bytes[base] === CR || bytes[base] === LF)) base++;
  const len = n - base;

  // From here on, positions are relative to the message start (bytes[base]), which is also
  // what diagnostics and header offsets report. `t` holds the bytes as latin1 text, one char
  // per byte, so char indices are byte offsets; String.indexOf and charCodeAt are fast on it.
  const report = <C extends SipParseCode>(code: C, values: SipParseValues[C], at: number): void => {
    diagnostics.push({ code, values, offset: at } as SipParseDiagnosticOf<C> as SipParseDiagnostic);
  };
  const buf = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  // --- Pass 1: find the empty line that ends the headers. ---------------------------------
  // Decode in growing chunks so that a large stream buffer is not decoded past the headers.
  let chunk = Math.min(len, FIRST_CHUNK);
  let t = buf.toString('latin1', base, base + chunk);
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
        t = buf.toString('latin1', base, base + chunk);
        continue;
      }
      let ce = lf;
      if (lf > p && t.charCodeAt(lf - 1) === CR) ce = lf - 1;
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
  if (bareLf >= 0) report('sip.bare-lf', {}, bareLf);

  // --- Text decoding: ASCII fast path, else UTF-8 per value. -----------------------------
  // The whole input is checked first (no view to make; a datagram is one message): ASCII there is ASCII here.
  const ascii = isAscii(bytes) || isAscii(bytes.subarray(base, base + hdrEnd));
  if (!ascii && !isUtf8(bytes.subarray(base, base + hdrEnd))) {
    const bad = firstInvalidUtf8(bytes, base, base + hdrEnd);
    report('sip.invalid-utf8', {}, bad >= 0 ? bad - base : 0);
  }
  /** The text of [s, e) (inside the header section). */
  const str = ascii ? (s: number, e: number): string => t.slice(s, e) : (s: number, e: number): string => buf.toString('utf8', base + s, base + e);
  const trimRange = (s: number, e: number): string => {
    while (s < e && isWspOrCr(t.charCodeAt(s))) s++;
    while (e > s && isWspOrCr(t.charCodeAt(e - 1))) e--;
    return s < e ? str(s, e) : '';
  };

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
      (t.charCodeAt(s0) | 0x20) === 0x73 &&
      (t.charCodeAt(s0 + 1) | 0x20) === 0x69 &&
      (t.charCodeAt(s0 + 2) | 0x20) === 0x70
    ) {
      // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
      kind = 'response';
      let i = s0;
      while (i < e && !isWsp(t.charCodeAt(i))) i++;
      version = str(s0, i);
      if (!isSipVersion(version)) malformed = true;
      while (i < e && isWsp(t.charCodeAt(i))) i++;
      const ds = i;
      while (i < e && isDigitCode(t.charCodeAt(i))) i++;
      if (i - ds === 3 && (i === e || isWsp(t.charCodeAt(i)))) {
        status = (t.charCodeAt(ds) - 0x30) * 100 + (t.charCodeAt(ds + 1) - 0x30) * 10 + (t.charCodeAt(ds + 2) - 0x30);
        if (status < 100) malformed = true;
        reason = trimRange(i, e);
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
        method = t.slice(s0, methodEnd);
        while (i < e && isWsp(t.charCodeAt(i))) i++;
        // The version is the last word; the Request-URI is what lies between.
        let v = e;
        while (v > i && !isWsp(t.charCodeAt(v - 1))) v--;
        if (v > i) {
          version = str(v, e);
          let u = v;
          while (u > i && isWsp(t.charCodeAt(u - 1))) u--;
          requestUri = str(i, u);
          if (!isSipVersion(version)) malformed = true;
          for (let k = i; k < u; k++) {
            if (isWsp(t.charCodeAt(k))) {
              malformed = true; // whitespace inside the Request-URI
              break;
            }
          }
        } else {
          requestUri = i < e ? str(i, e) : null;
          malformed = true;
        }
      } else {
        malformed = true;
      }
    }
    if (malformed) report('sip.malformed-start-line', {}, 0);
  }

  // --- Headers. ----------------------------------------------------------------------------
  // Each header line becomes five cells (CompactSipMessage): its name, the range of its value,
  // its offset and length. A value is made a string here only when a field below needs it.
  const cells: HeaderCell[] = [];
  let folded: string[] | null = null;
  let callId: string | null = null;
  let cseq: CSeq | null = null;
  let fromTag: string | null = null;
  let toTag: string | null = null;
  let topVia: Via | null = null;
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
  let tooMany = false;
  let lines = 0;

  const badValue = (name: string, at: number): void => {
    report('sip.bad-header-value', { header: name }, at);
  };

  while (p < hdrEnd) {
    const hStart = p;
    let lf = lineEnd(t, p, hdrEnd);
    const ce = lf > p && t.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    if (ce === hStart && lf >= len) break; // the data ends inside the empty line (a lone CR)
    let q = lf + 1;
    let lastCe = ce;
    // Continuation lines (RFC 3261 §7.3.1): start with SP or HTAB.
    let contRanges: number[] | null = null;
    while (q < hdrEnd && isWsp(t.charCodeAt(q))) {
      lf = lineEnd(t, q, hdrEnd);
      lastCe = lf > q && t.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
      (contRanges ??= []).push(q, lastCe);
      q = lf + 1;
    }
    p = q;

    if (lines >= MAX_HEADERS) {
      if (!tooMany) {
        tooMany = true;
        report('sip.too-many-headers', { max: MAX_HEADERS }, hStart);
      }
      continue;
    }
    lines++;

    // name *(SP / HTAB) ":" value
    let i = hStart;
    while (i < ce && TOKEN[t.charCodeAt(i)] === 1) i++;
    const nameEnd = i;
    while (i < ce && isWsp(t.charCodeAt(i))) i++;
    const wellFormed = nameEnd > hStart && i < ce && t.charCodeAt(i) === COLON;

    let header: HeaderName;
    let valueStart: number;
    if (wellFormed) {
      header = knownName(t.slice(hStart, nameEnd));
      valueStart = i + 1;
    } else {
      let colon = hStart;
      while (colon < ce && t.charCodeAt(colon) !== COLON) colon++;
      header = { name: colon < ce ? trimRange(hStart, colon) : '', key: '' };
      valueStart = hStart;
      report('sip.malformed-header', {}, hStart);
    }

    // The value's range, surrounding whitespace trimmed; a folded value is joined into a string of its own.
    let vs = valueStart;
    let ve = ce;
    while (vs < ve && isWspOrCr(t.charCodeAt(vs))) vs++;
    while (ve > vs && isWspOrCr(t.charCodeAt(ve - 1))) ve--;
    let joined: string | null = null;
    if (contRanges !== null) {
      const parts: string[] = vs < ve ? [str(vs, ve)] : [];
      for (let k = 0; k < contRanges.length; k += 2) {
        const part = trimRange(contRanges[k] as number, contRanges[k + 1] as number);
        if (part.length > 0) parts.push(part);
      }
      joined = parts.join(' ');
      (folded ??= []).push(joined);
      vs = -folded.length;
      ve = 0;
    }
    cells.push(header, vs, ve, hStart, lastCe - hStart);
    if (!wellFormed) continue;
    const valueText = (): string => joined ?? (vs < ve ? str(vs, ve) : '');

    switch (header.key) {
      case 'call-id':
        if (callId === null) callId = valueText();
        break;
      case 'cseq':
        if (!seenCseq) {
          seenCseq = true;
          cseq = parseCSeq(valueText());
          if (cseq === null) badValue('CSeq', hStart);
        }
        break;
      case 'from':
        if (!seenFrom) {
          seenFrom = true;
          const from = parseNameAddr(valueText());
          if (from === null) badValue('From', hStart);
          else fromTag = from.tag;
        }
        break;
      case 'to':
        if (!seenTo) {
          seenTo = true;
          const to = parseNameAddr(valueText());
          if (to === null) badValue('To', hStart);
          else toTag = to.tag;
        }
        break;
      case 'via': {
        seenVia = true;
        const entries = splitList(valueText());
        let bad = entries.length === 0;
        for (const entry of entries) {
          const v = parseVia(entry);
          if (v === null) bad = true;
          else topVia ??= v;
        }
        if (bad) badValue('Via', hStart);
        break;
      }
      case 'contact': {
        const entries = splitList(valueText());
        let bad = entries.length === 0;
        for (const entry of entries) if (entry !== '*' && parseNameAddr(entry) === null) bad = true;
        if (bad) badValue('Contact', hStart);
        break;
      }
      case 'max-forwards':
        if (!seenMaxForwards) {
          seenMaxForwards = true;
          maxForwards = parseNumberValue(valueText());
          if (maxForwards === null) badValue('Max-Forwards', hStart);
        }
        break;
      case 'content-type':
        if (contentType === null) contentType = valueText();
        break;
      case 'content-length': {
        seenContentLength = true;
        const cl = parseNumberValue(valueText());
        if (cl === null) {
          report('sip.content-length-invalid', { absent: false }, hStart);
        } else if (contentLength === null) {
          contentLength = cl;
        } else if (cl !== contentLength && !clConflict) {
          clConflict = true;
          report('sip.content-length-conflict', {}, hStart);
        }
        break;
      }
      default:
        break;
    }
  }

  // --- Checks on the whole header section. ------------------------------------------------
  const missing: string[] = [];
  for (const h of MANDATORY) {
    const present =
      h === 'Call-ID' ? callId !== null : h === 'CSeq' ? seenCseq : h === 'From' ? seenFrom : h === 'To' ? seenTo : seenVia;
    if (!present) missing.push(h);
  }
  if (missing.length > 0) report('sip.missing-header', { headers: missing }, hdrEnd);
  if (!headerEndFound) report('sip.no-header-end', {}, len);
  // Over UDP the body simply runs to the end of the datagram (RFC 3261 §18.3); streams need the header (§20.14).
  if (!seenContentLength && !datagram) report('sip.content-length-invalid', { absent: true }, hdrEnd);

  // --- Body. -------------------------------------------------------------------------------
  const avail = len - bodyStart;
  let bodyLen: number;
  if (!headerEndFound) {
    bodyLen = 0;
  } else if (contentLength !== null) {
    if (contentLength > avail) {
      bodyLen = avail;
      report('sip.body-truncated', { announced: contentLength, present: avail }, len);
    } else {
      bodyLen = contentLength;
      if (datagram && avail > contentLength) {
        report('sip.trailing-bytes', { bytes: avail - contentLength }, bodyStart + contentLength);
      }
    }
  } else {
    bodyLen = datagram ? avail : 0;
  }
  const bodyEnd = bodyStart + bodyLen;

  const raw = base === 0 && bodyEnd === n ? bytes : bytes.subarray(base, base + bodyEnd);
  const message = new CompactSipMessage(
    { kind, method, requestUri, status, reason, version, callId, cseq, fromTag, toTag, topVia, maxForwards, contentType, contentLength, bodyOffset: bodyStart, body: bytes.subarray(base + bodyStart, base + bodyEnd), raw },
    t,
    ascii,
    cells,
    folded,
  );
  diagnostics.sort((a, b) => a.offset - b.offset);
  return { message, diagnostics, consumed: datagram ? n : base + bodyEnd };
}

