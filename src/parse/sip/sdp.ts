/**
 * SDP (RFC 4566) as far as call analysis needs it: connection addresses, media ports,
 * codecs and directions, as plain data; never throws. The lines read are read exactly as
 * sdp-transform reads them (same patterns, same "last one wins"), which a differential test
 * checks; only c=, m=, a=rtpmap and direction lines are read in full, and v=, o=, s=, t= for
 * their presence (the defects RFC 4566 names), which keeps it 5x faster (docs/decisions.md).
 */

import type { SdpProblem } from '../../diagnostics.js';
import { detached } from './chars.js';

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
const STATIC_PAYLOADS: Readonly<Record<number, readonly [string, number]>> = {
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
 * message's call is open (sdpOfMessage's cache), so they share one read-only list each instead
 * of holding their own (BENCHMARKS.md session 11). The lines come from the sender, so only the
 * first MAX_CODEC_LISTS distinct ones are remembered.
 */
const CODEC_LISTS = new Map<string, readonly Codec[]>();
const MAX_CODEC_LISTS = 1024;

/** The defects of a sound description: one shared empty list. */
const NO_DEFECTS: readonly SdpDefect[] = [];

/** Media types and transport protocols nearly every description repeats (RFC 4566 §5.14, RFC 3551, RFC 5124, RFC 5764). */
const USUAL_WORDS = ['audio', 'video', 'image', 'application', 'RTP/AVP', 'RTP/SAVP', 'RTP/AVPF', 'RTP/SAVPF', 'udptl', 'UDP/TLS/RTP/SAVPF'];

/** One shared copy of a usual media type or protocol (kept per description, while its message is open); any other, detached. */
function usual(word: string): string {
  for (const known of USUAL_WORDS) if (word === known) return known;
  return detached(word);
}

const DIRECTIONS = new Set<Direction>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/**
 * Why an SDP text cannot be read, or null when it can. Cheap (no parse): the pipeline asks
 * this of every body declared as SDP, so that a body the media rules will treat as "no SDP"
 * is reported (`sip.sdp-unparseable`) instead of silently ignored.
 */
/** True when a text can be SDP: it begins with a v= line (RFC 4566 §5). */
function looksLikeSdp(text: string): boolean {
  return text.trimStart().startsWith('v=');
}

/** Parses an SDP body; null when the text is not SDP (it does not begin with a v= line). */
export function parseSdp(body: Uint8Array | string): SessionDescription | null {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (!looksLikeSdp(text)) return null;
  return sessionFromLines(readSdpLines(text));
}

/**
 * The session description from the lines as read (by readSdpLines, or by sdp-transform in the
 * differential test: the same loose shape). Fields are typed loosely for broken lines (a number
 * where a string belongs): every one is coerced.
 */
export function sessionFromLines(parsed: LooseSdp): SessionDescription {
  const text_ = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const sessionIp = text_(parsed.connection?.ip);
  // Strings kept are detached from the SDP text (chars.ts): a parsed SDP lives as long as its message's body.
  const sessionAddress = sessionIp === null ? null : detached(sessionIp);
  const sessionDirection = parsed.direction;
  const defects: SdpDefect[] = [];
  // Session-level lines only: a v=, o=, s= or t= after the first m= belongs to that media (and breaks the order of §5).
  const version = parsed.version === undefined ? '' : String(parsed.version);
  if (version !== '0') defects.push({ kind: 'version', version });
  if (parsed.origin === undefined) defects.push({ kind: 'no-origin' });
  if (parsed.name === undefined) defects.push({ kind: 'no-session-name' });
  if (parsed.timing === undefined) defects.push({ kind: 'no-timing' });
  const media = (parsed.media ?? []).map((m, at): MediaDescription => {
    const rtp = Array.isArray(m.rtp) ? m.rtp : [];
    const payloadsText = String(m.payloads ?? '');
    // The codecs follow from the format list and the rtpmap lines alone (NUL is in neither).
    let codecsKey = payloadsText;
    for (const r of rtp) codecsKey += `\u0000${Number(r.payload)}\u0000${text_(r.codec) ?? ''}\u0000${typeof r.rate === 'number' ? r.rate : ''}`;
    let codecs = CODEC_LISTS.get(codecsKey);
    if (codecs === undefined) {
      const names = new Map<number, { codec: string; rate?: number }>();
      for (const r of rtp) names.set(Number(r.payload), { codec: text_(r.codec) ?? '', rate: typeof r.rate === 'number' ? r.rate : undefined });
      const payloads = payloadsText
        .split(' ')
        .filter(Boolean)
        .map(Number)
        .filter((n) => Number.isInteger(n));
      codecs = payloads.map((payload): Codec => {
        const mapped = names.get(payload);
        if (mapped) return { payload, name: detached(mapped.codec), rate: mapped.rate ?? null };
        const known = STATIC_PAYLOADS[payload];
        return { payload, name: known?.[0] ?? '', rate: known?.[1] ?? null };
      });
      if (CODEC_LISTS.size < MAX_CODEC_LISTS) CODEC_LISTS.set(codecsKey, codecs);
    }
    const direction = [m.direction, sessionDirection].find((d): d is Direction => d !== undefined && DIRECTIONS.has(d as Direction)) ?? 'sendrecv';
    const port = Number(m.port);
    const rateManagement = (Array.isArray(m.invalid) ? m.invalid : []).map((a) => text_(a.value)).findLast((v) => v !== null && v.startsWith(T38_RATE_MANAGEMENT));
    const protocol = usual(text_(m.protocol) ?? '');
    const mediaAddress = text_(m.connection?.ip);
    const address = mediaAddress === null ? sessionAddress : detached(mediaAddress);
    const live = Number.isFinite(port) && port !== 0;
    if (live && address === null) defects.push({ kind: 'no-connection', media: at + 1 });
    const unmapped = protocol.toUpperCase().includes('RTP/') ? codecs.filter((c) => c.payload >= 96 && c.payload <= 127 && c.name === '').map((c) => c.payload) : [];
    if (live && unmapped.length > 0) defects.push({ kind: 'no-rtpmap', media: at + 1, payloads: unmapped });
    return {
      type: usual(text_(m.type) ?? ''),
      port: Number.isFinite(port) ? port : 0,
      protocol,
      address,
      codecs,
      direction,
      t38RateManagement: rateManagement == null ? null : rateManagement.slice(T38_RATE_MANAGEMENT.length).trim(),
    };
  });
  return { address: sessionAddress, media, defects: defects.length === 0 ? NO_DEFECTS : defects };
}

/** sdp-transform's toIntIfInt: a field that reads back as the same number becomes that number. */
function intIfInt(v: string): string | number {
  return String(Number(v)) === v ? Number(v) : v;
}

/** SDP lines in sdp-transform's loose shape: fields absent when their line did not match, numbers where a field read as one. */
export type LooseSdp = LooseMedia & {
  media?: readonly LooseMedia[];
  /** The v=, o=, s= and t= lines as sdp-transform reads them: present when the line matched its pattern. */
  version?: string | number;
  origin?: object;
  name?: string | number;
  timing?: object;
};

interface LooseMedia {
  type?: string | number;
  port?: string | number;
  protocol?: string | number;
  payloads?: string | number;
  connection?: { ip?: string | number };
  direction?: string | number;
  rtp?: { payload?: string | number; codec?: string | number; rate?: string | number }[];
  /** Attribute lines no grammar above reads, as sdp-transform keeps them (the text after `a=`); only the T.38 ones are kept here. */
  invalid?: { value?: string | number }[];
}

/** The attribute prefix of T.38's rate management (ITU-T T.38 Annex D.2.3); SDP attribute names are case-sensitive. */
const T38_RATE_MANAGEMENT = 'T38FaxRateManagement:';

// The patterns of sdp-transform 3 (lib/grammar.js) for the lines siplens uses: anchored, no
// nested quantifiers, so linear in the line.
const CONNECTION_LINE = /^IN IP(\d) (\S*)/;
const MEDIA_LINE = /^(\w*) (\d*) ([\w/]*)(?: (.*))?/;
const RTPMAP_ATTRIBUTE = /^rtpmap:(\d*) ([\w\-.]*)(?:\s*\/(\d*)(?:\s*\/(\S*))?)?/;
const DIRECTION_ATTRIBUTE = /^(sendrecv|recvonly|sendonly|inactive)/;
const VERSION_LINE = /^(\d*)$/;
const ORIGIN_LINE = /^(\S*) (\d*) (\d*) (\S*) IP(\d) (\S*)/;
const TIMING_LINE = /^(\d*) (\d*)/;

/**
 * The c=, m=, a=rtpmap and direction lines of an SDP text, in the loose shape sdp-transform
 * gives them (lines split at CR, LF or CRLF; a line is `x=...` with x a lower-case letter;
 * a field absent from a line that does not match stays absent; the last line of a kind wins).
 */
/** A media (or the session) as readSdpLines fills it: always with its list of rtpmap lines. */
type ReadMedia = LooseSdp & { rtp: NonNullable<LooseMedia['rtp']> };

function readSdpLines(text: string): LooseSdp {
  const session: ReadMedia & { media: ReadMedia[] } = { rtp: [], media: [] };
  // Where lines go: the session until the first m= line, then the latest media.
  let at: ReadMedia = session;
  let start = 0;
  while (start <= text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
    // Characters are read only inside the text: a read past its end (NaN) at the last line made V8
    // drop this function's optimized code twice per process (deopt "out of bounds") and compile it again.
    const type = end - start >= 2 ? text.charCodeAt(start) : 0;
    if (type >= 0x61 && type <= 0x7a && text.charCodeAt(start + 1) === 0x3d) {
      const content = text.slice(start + 2, end);
      if (type === 0x6d /* m */) {
        at = { rtp: [] };
        session.media.push(at);
        const m = MEDIA_LINE.exec(content);
        if (m !== null) {
          at.type = intIfInt(m[1]!);
          at.port = intIfInt(m[2]!);
          at.protocol = intIfInt(m[3]!);
          if (m[4] !== undefined) at.payloads = intIfInt(m[4]);
        }
      } else if (type === 0x76 /* v */) {
        const m = VERSION_LINE.exec(content);
        if (m !== null) at.version = intIfInt(m[1]!);
      } else if (type === 0x6f /* o */) {
        if (ORIGIN_LINE.test(content)) at.origin = {};
      } else if (type === 0x73 /* s */) {
        at.name = intIfInt(content);
      } else if (type === 0x74 /* t */) {
        if (TIMING_LINE.test(content)) at.timing = {};
      } else if (type === 0x63 /* c */) {
        const m = CONNECTION_LINE.exec(content);
        if (m !== null) at.connection = { ip: intIfInt(m[2]!) };
      } else if (type === 0x61 /* a */) {
        const rtpmap = RTPMAP_ATTRIBUTE.exec(content);
        if (rtpmap !== null) {
          at.rtp.push({
            payload: intIfInt(rtpmap[1]!),
            codec: intIfInt(rtpmap[2]!),
            ...(rtpmap[3] === undefined ? {} : { rate: intIfInt(rtpmap[3]) }),
          });
        } else {
          const direction = DIRECTION_ATTRIBUTE.exec(content);
          if (direction !== null) at.direction = intIfInt(direction[1]!);
          else if (content.startsWith(T38_RATE_MANAGEMENT)) (at.invalid ??= []).push({ value: content });
        }
      }
    }
    // CRLF is one line end; a lone CR or LF is one too.
    start = end + (end + 1 < text.length && text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
  }
  return session;
}

/** Where an SDP body is in a message: its text, why it cannot be found, or null when none is declared. */
type SdpLookup = { readonly text: string } | { readonly problem: SdpProblem } | null;

/** Nested multipart bodies followed (multipart/mixed holding multipart/alternative holding SDP). */
const MAX_MULTIPART_DEPTH = 3;

/** The media type of a Content-Type value, lower-cased, without parameters. */
function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
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

const bodyText = (body: Uint8Array): string => Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');

/** The SDP of a SIP message, when its Content-Type says so (multipart bodies are split on their boundary, RFC 2046). */
export function sdpOfMessage(contentType: string | null, body: Uint8Array): SessionDescription | null {
  if (body.length === 0 || contentType === null) return null;
  // Several media rules ask for the SDP of the same message: parsed once per body (a message's
  // body is its own view, so the cache lets go of it with the message).
  const cached = SDP_OF_BODY.get(body);
  if (cached !== undefined) return cached;
  const found = findSdp(contentType, bodyText(body), 0);
  const sdp = found !== null && 'text' in found ? parseSdp(found.text) : null;
  SDP_OF_BODY.set(body, sdp);
  return sdp;
}

const SDP_OF_BODY = new WeakMap<Uint8Array, SessionDescription | null>();

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
  const found = findSdp(contentType, bodyText(body), 0);
  if (found === null) return null;
  if ('problem' in found) return found.problem;
  return looksLikeSdp(found.text) ? null : { reason: 'not-sdp' };
}
