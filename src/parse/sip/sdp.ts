/**
 * SDP (RFC 4566) as far as call analysis needs it: connection addresses, media ports,
 * codecs and directions. Parsing is done by sdp-transform (see docs/decisions.md); this
 * module turns its output into plain data and never throws.
 */
import { parse as parseSdpText } from 'sdp-transform';

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
}

export interface SessionDescription {
  readonly address: string | null;
  readonly media: readonly MediaDescription[];
}

/** RFC 3551 §6 static payload types (audio and video) that need no rtpmap. */
const STATIC_PAYLOADS: Readonly<Record<number, [string, number]>> = {
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

const DIRECTIONS = new Set<Direction>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** Parses an SDP body; null when the text is not SDP (no v= line or no m= line and no c= line). */
export function parseSdp(body: Uint8Array | string): SessionDescription | null {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (!text.trimStart().startsWith('v=')) return null;
  let parsed: ReturnType<typeof parseSdpText>;
  try {
    // sdp-transform splits on /\r?\n/ and matches each line with anchored grammar regexes: linear in the body size.
    parsed = parseSdpText(text);
  } catch {
    return null;
  }
  // sdp-transform types its output loosely for broken lines (a number where a string belongs): coerce every field.
  const text_ = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const sessionAddress = text_(parsed.connection?.ip);
  const sessionDirection = (parsed as { direction?: string }).direction;
  const media = (parsed.media ?? []).map((m): MediaDescription => {
    const names = new Map<number, { codec: string; rate?: number }>();
    for (const r of Array.isArray(m.rtp) ? m.rtp : []) names.set(Number(r.payload), { codec: text_(r.codec) ?? '', rate: typeof r.rate === 'number' ? r.rate : undefined });
    const payloads = String(m.payloads ?? '')
      .split(' ')
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n));
    const codecs = payloads.map((payload): Codec => {
      const mapped = names.get(payload);
      if (mapped) return { payload, name: mapped.codec, rate: mapped.rate ?? null };
      const known = STATIC_PAYLOADS[payload];
      return { payload, name: known?.[0] ?? '', rate: known?.[1] ?? null };
    });
    const direction = [m.direction, sessionDirection].find((d): d is Direction => d !== undefined && DIRECTIONS.has(d as Direction)) ?? 'sendrecv';
    const port = Number(m.port);
    return { type: text_(m.type) ?? '', port: Number.isFinite(port) ? port : 0, protocol: text_(m.protocol) ?? '', address: text_(m.connection?.ip) ?? sessionAddress, codecs, direction };
  });
  return { address: sessionAddress, media };
}

/** The SDP of a SIP message, when its Content-Type says so (multipart bodies are searched for an SDP part). */
export function sdpOfMessage(contentType: string | null, body: Uint8Array): SessionDescription | null {
  if (body.length === 0 || contentType === null) return null;
  const type = contentType.toLowerCase();
  if (type.startsWith('application/sdp')) return parseSdp(body);
  if (type.startsWith('multipart/')) {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    const at = text.search(/content-type:[ \t]*application\/sdp/i);
    if (at < 0) return null;
    const start = text.indexOf('v=0', at);
    if (start < 0) return null;
    const end = text.indexOf('\n--', start);
    return parseSdp(text.slice(start, end < 0 ? undefined : end));
  }
  return null;
}
