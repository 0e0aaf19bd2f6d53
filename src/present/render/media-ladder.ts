/**
 * A call's media streams placed among its SIP messages, for the ladders (text and HTML): each
 * stream starts at its first packet and ends at its last, drawn between the columns of its
 * sender and receiver. A media address is put on the SIP column of the same IP (media runs
 * between the same hosts on other ports); a host that sent no SIP gets a column of its own.
 * Pure: the call in, rows and columns out.
 */
import type { Lang } from '../../annotate/i18n.js';
import type { CallStream } from '../../parse/media/types.js';
import type { Endpoint } from '../../types.js';
import { diffMs } from '../../time.js';
import { MEDIA_REPORT } from '../catalog.js';
import { lossPercent } from '../media.js';
import type { TimelineCall } from '../timeline.js';
import { formatEndpoint } from './format.js';

export interface LadderColumn {
  readonly key: string;
  readonly name: string;
}

/** One row of a ladder: a SIP message, a stream's start (with the row of its figures under it), or its end. */
export type LadderRow =
  | { readonly kind: 'message'; readonly index: number; readonly offsetMs: number }
  | { readonly kind: 'start' | 'end'; readonly stream: number; readonly offsetMs: number };

/** The stream's time from the call's start, ms. */
export function streamOffsets(call: TimelineCall, stream: CallStream): { first: number; last: number } {
  return { first: diffMs(call.start, stream.first), last: diffMs(call.start, stream.last) };
}

/** "+1.234", or "-0.010" for media before the call's first message. */
export function offsetText(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(3)}`;
}

/**
 * The rows of a call's ladder in time order: messages as they are, each stream's start and end
 * where their packets were (after the messages of the same instant). Without media, the messages.
 */
export function ladderRows(call: TimelineCall): LadderRow[] {
  const streams = call.media?.streams ?? [];
  const rows: LadderRow[] = call.messages.map((m, index) => ({ kind: 'message', index, offsetMs: m.offsetMs }));
  if (streams.length === 0) return rows;
  const events: LadderRow[] = [];
  streams.forEach((s, stream) => {
    const { first, last } = streamOffsets(call, s);
    events.push({ kind: 'start', stream, offsetMs: first });
    events.push({ kind: 'end', stream, offsetMs: last });
  });
  events.sort((a, b) => a.offsetMs - b.offsetMs || (a.kind === b.kind ? 0 : a.kind === 'start' ? -1 : 1));
  const out: LadderRow[] = [];
  let e = 0;
  for (const row of rows) {
    while (e < events.length && events[e]!.offsetMs < row.offsetMs) out.push(events[e++]!);
    out.push(row);
  }
  while (e < events.length) out.push(events[e++]!);
  return out;
}

/**
 * The columns of a ladder: the SIP participants, then a column per media host that is none of
 * them (by IP); and where each stream's sender and receiver stand.
 */
export function mediaColumns(
  call: TimelineCall,
  sip: readonly LadderColumn[],
  aliases: ReadonlyMap<string, string> | undefined,
  lang: Lang,
): { columns: LadderColumn[]; ends: { from: number; to: number }[] } {
  const columns = [...sip];
  const byIp = new Map<string, number>();
  const index = new Map(sip.map((p, i) => [p.key, i]));
  for (const m of call.messages) {
    for (const e of [m.src, m.dst]) if (!byIp.has(e.ip)) byIp.set(e.ip, index.get(formatEndpoint(e))!);
  }
  const columnOf = (e: Endpoint): number => {
    const known = byIp.get(e.ip);
    if (known !== undefined) return known;
    const alias = aliases?.get(formatEndpoint(e)) ?? aliases?.get(e.ip);
    columns.push({ key: `media ${e.ip}`, name: MEDIA_REPORT[lang].mediaHost(alias === undefined ? e.ip : `${alias} (${e.ip})`) });
    byIp.set(e.ip, columns.length - 1);
    return columns.length - 1;
  };
  const ends = (call.media?.streams ?? []).map((s) => ({ from: columnOf(s.src), to: columnOf(s.dst) }));
  return { columns, ends };
}

/** The codec as the ladder names it: the SDP's or static table's name, else the payload type. */
function codecName(stream: CallStream): string {
  return stream.codec ?? (stream.rtp === null ? '' : `PT ${stream.rtp.firstPayloadType}`);
}

function collapse(text: string): string {
  return text.replace(/ {2,}/g, ' ').trim();
}

/** "RTP PCMA 236 pkts" */
export function streamStartLabel(stream: CallStream, lang: Lang): string {
  return collapse(MEDIA_REPORT[lang].start(stream.kind.toUpperCase(), codecName(stream), stream.packets));
}

/** "RTP PCMA ends" */
export function streamEndLabel(stream: CallStream, lang: Lang): string {
  return collapse(MEDIA_REPORT[lang].end(stream.kind.toUpperCase(), codecName(stream)));
}

/** ["lost 5.1%", "jitter 9.0 ms", "DTMF 1 2 3", "MOS 4.12"] (mean jitter; MOS last, the one a narrow ladder leaves out first). */
export function streamFigures(stream: CallStream, lang: Lang): string[] {
  const w = MEDIA_REPORT[lang];
  const parts: string[] = [];
  const rtp = stream.rtp;
  if (rtp !== null) {
    parts.push(w.lost(lossPercent(stream).toFixed(1)));
    if (rtp.clockRate > 0) parts.push(w.jitter(rtp.meanJitterMs.toFixed(1)));
  }
  const digits = stream.dtmf.flatMap((d) => (d.key === null ? [] : [d.key]));
  if (digits.length > 0) parts.push(`DTMF ${digits.join(' ')}`);
  if (stream.quality !== null) parts.push(`MOS ${stream.quality.mos.toFixed(2)}`);
  return parts;
}
