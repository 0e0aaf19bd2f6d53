/**
 * A call's media in words: one line per stream (who sent it, codec, packets, loss, jitter, MOS,
 * addresses, digits), for the text timeline, the ladder, Markdown and `siplens streams`.
 */
import type { Lang } from '../annotate/i18n.js';
import { codecKey, codecList, mainCodecs } from '../annotate/media.js';
import type { CallMedia, CallStream } from '../parse/media/types.js';
import type { RtcpVoipMetrics } from '../parse/media/rtcp.js';
import { MEDIA, MEDIA_REPORT } from './catalog.js';
import { formatEndpoint } from './render/format.js';

function fixed(n: number, digits: number): string {
  return n.toFixed(digits);
}

/** Loss in percent of the packets expected (RFC 3550 §6.4.1: negative loss, from duplicates, counts as none). */
export function lossPercent(stream: CallStream): number {
  const rtp = stream.rtp;
  return rtp === null || rtp.expected <= 0 ? 0 : (Math.max(0, rtp.lost) / rtp.expected) * 100;
}

/** "caller → callee  PCMA  236 packets  lost 0 (0.0 %)  jitter 0.4/0.9 ms  MOS 4.41  192.0.2.10:40000 → 198.51.100.20:50000" */
export function streamLine(stream: CallStream, lang: Lang): string {
  const w = MEDIA[lang];
  const direction =
    stream.from === null ? w.unknownSide : `${w.side[stream.from]} → ${w.side[stream.from === 'caller' ? 'callee' : 'caller']}`;
  const parts = [direction, stream.codec ?? (stream.rtp === null ? stream.kind.toUpperCase() : `PT ${stream.rtp.firstPayloadType}`), w.packets(stream.packets)];
  const rtp = stream.rtp;
  if (rtp !== null) {
    parts.push(w.lost(Math.max(0, rtp.lost), fixed(lossPercent(stream), 1)));
    if (rtp.clockRate > 0) parts.push(w.jitter(fixed(rtp.meanJitterMs, 1), fixed(rtp.maxJitterMs, 1)));
  }
  if (stream.quality !== null) parts.push(`MOS ${fixed(stream.quality.mos, 2)}`);
  parts.push(`${formatEndpoint(stream.src)} → ${formatEndpoint(stream.dst)}`);
  const digits = stream.dtmf.flatMap((d) => (d.key === null ? [] : [d.key]));
  if (digits.length > 0) parts.push(`DTMF ${digits.join(' ')}`);
  if (stream.inbandDtmf.length > 0) parts.push(w.inband(stream.inbandDtmf.map((d) => d.key).join(' ')));
  const xr = xrText(stream, lang);
  if (xr !== null) parts.push(xr);
  return parts.join('  ');
}

/** The last RTCP XR VoIP metrics block its receiver sent about the stream (RFC 3611 §4.7), in words; null without one. */
export function xrText(stream: CallStream, lang: Lang): string | null {
  const m = stream.rtcp?.lastVoipMetrics ?? null;
  if (m === null) return null;
  const f = xrFigures(m);
  return MEDIA[lang].xr(f.loss, f.discard, f.rFactor, f.mosLq);
}

/** The same block with its conversational quality and delays too, one figure an item: the HTML media table's XR cell; null without one. */
export function xrDetail(stream: CallStream, lang: Lang): readonly string[] | null {
  const m = stream.rtcp?.lastVoipMetrics ?? null;
  if (m === null) return null;
  const f = xrFigures(m);
  return MEDIA_REPORT[lang].html.xrDetail(f.loss, f.discard, f.rFactor, f.mosLq, f.mosCq, f.roundTrip, f.endSystem);
}

/**
 * A VoIP metrics block's figures as written: rates in percent (RFC 3611 §4.7.1: the byte over
 * 256), MOS to one decimal (§4.7.5: the byte over 10), '—' for what the reporter gave as
 * unavailable (127), and for an end system delay of 0, which §4.7.3 makes the value of "unable
 * to provide". A round trip delay of 0 stays: §4.7.3 allows it as a measured value.
 */
function xrFigures(m: RtcpVoipMetrics): Record<'loss' | 'discard' | 'rFactor' | 'mosLq' | 'mosCq' | 'roundTrip' | 'endSystem', string> {
  const percent = (fraction: number): string => fixed(fraction * 100, 1);
  const mos = (v: number | null): string => (v === null ? '—' : fixed(v, 1));
  return {
    loss: percent(m.lossRate),
    discard: percent(m.discardRate),
    rFactor: m.rFactor === null ? '—' : String(m.rFactor),
    mosLq: mos(m.mosLq),
    mosCq: mos(m.mosCq),
    roundTrip: String(m.roundTripDelayMs),
    endSystem: m.endSystemDelayMs === 0 ? '—' : String(m.endSystemDelayMs),
  };
}

/**
 * The media lines of a call's block, indented as the block's figures are: one per stream, or
 * "no RTP in the capture" for an answered call whose SDP asked for audio, when the capture does
 * carry RTP; nothing when media was not analysed or the capture holds no RTP at all (a SIP-only
 * capture says nothing about media).
 */
export function mediaLines(media: CallMedia | null, answered: boolean, lang: Lang, indent = '        '): string[] {
  if (media === null) return [];
  const label = `${MEDIA[lang].media}: `;
  const pad = ' '.repeat(label.length);
  if (media.streams.length === 0) {
    const audio = media.announced.some((a) => a.type === 'audio' && a.port !== 0);
    return answered && media.mediaCaptured && audio ? [`${indent}${label}${MEDIA[lang].noRtp}`] : [];
  }
  return media.streams.map((s, i) => `${indent}${i === 0 ? label : pad}${streamLine(s, lang)}`);
}

/**
 * What the call's last offer and answer agreed, per live m= line of the answer: its first
 * format the offer also listed ("PCMA/8000"; RFC 3264 §6.1: the answer keeps the offer's formats
 * it accepts, most preferred first; DTMF events and comfort noise left out), or "T.38" for a fax
 * line. The answer is the later of the two sides' last SDPs. Null until both sides sent SDP, or
 * when media was not analysed.
 */
export function negotiatedMedia(media: CallMedia | null): string | null {
  if (media === null) return null;
  const last = { caller: -1, callee: -1 };
  for (const a of media.announced) last[a.side] = a.message;
  if (last.caller < 0 || last.callee < 0) return null;
  const answerAt = Math.max(last.caller, last.callee);
  const offer = media.announced.filter((a) => a.message === Math.min(last.caller, last.callee));
  const parts: string[] = [];
  for (const line of media.announced) {
    if (line.message !== answerAt || line.port === 0) continue;
    if (/udptl/i.test(line.protocol)) {
      parts.push('T.38');
      continue;
    }
    const offered = new Set(offer.filter((o) => o.type === line.type).flatMap((o) => o.codecs.map(codecKey)));
    const formats = mainCodecs(line.codecs);
    const agreed = formats.find((c) => offered.has(codecKey(c))) ?? formats[0];
    if (agreed !== undefined) parts.push(codecList([agreed]));
  }
  return parts.length === 0 ? null : parts.join(', ');
}
