/**
 * `siplens streams`: one row per RTP stream, as `tshark -q -z rtp,streams` lists them (start,
 * addresses, SSRC, payload, packets, lost, max delta, mean and max jitter), so a user can set one
 * beside the other; plus the E-model MOS and the call the stream belongs to.
 */
import type { Lang } from '../../annotate/i18n.js';
import type { CallStream } from '../../parse/media/types.js';
import { MEDIA } from '../catalog.js';
import { lossPercent } from '../media.js';
import { formatEndpoint, formatTimestampText } from './format.js';
import { streamJson } from './json.js';
import { JSON_SCHEMA_ID } from './messages.js';

/** A stream and the call it was shown with (null: no SDP of any call named it). */
export interface StreamRow {
  readonly stream: CallStream;
  readonly call: number | null;
}

const WIDTHS = [26, 22, 22, 10, 16, 7, 14, 12, 18, 5, 5] as const;

function row(cells: readonly string[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(WIDTHS[i]!))).join(' ').trimEnd();
}

export function streamsHeader(lang: Lang): string {
  const c = MEDIA[lang].columns;
  return row([c.start, c.source, c.destination, c.ssrc, c.codec, c.packets, c.lost, c.maxDelta, c.jitter, c.mos, c.call]) + '\n';
}

export function streamRowText(r: StreamRow): string {
  const s = r.stream;
  const rtp = s.rtp;
  return (
    row([
      formatTimestampText(s.first),
      formatEndpoint(s.src),
      formatEndpoint(s.dst),
      s.ssrc === null ? '-' : `0x${s.ssrc.toString(16).toUpperCase().padStart(8, '0')}`,
      s.codec ?? (rtp === null ? s.kind.toUpperCase() : `PT ${rtp.firstPayloadType}`),
      String(s.packets),
      rtp === null ? '-' : `${rtp.lost} (${lossPercent(s).toFixed(1)}%)`,
      rtp === null ? '-' : rtp.maxDeltaMs.toFixed(3),
      rtp === null || rtp.clockRate === 0 ? '-' : `${rtp.meanJitterMs.toFixed(3)} / ${rtp.maxJitterMs.toFixed(3)}`,
      s.quality === null ? '-' : s.quality.mos.toFixed(2),
      r.call === null ? '-' : String(r.call),
    ]) + '\n'
  );
}

export function renderStreamsJson(rows: readonly StreamRow[]): string {
  return JSON.stringify({ schema: JSON_SCHEMA_ID, kind: 'streams', streams: rows.map((r) => ({ call: r.call, ...streamJson(r.stream) })) }, null, 2) + '\n';
}
