/** The annotated timeline as one JSON document, schema "siplens/1" (docs/json-schema.md). */
import type { CallStream } from '../../parse/media/types.js';
import type { RtcpVoipMetrics } from '../../parse/media/rtcp.js';
import type { ShownFinding as Finding } from '../findings.js';
import type { Timeline, TimelineCall, TimelineMessage } from '../timeline.js';
import { jsonText } from './escape.js';
import { formatEndpoint, formatTimestampIso } from './format.js';
import { inputToJson, JSON_SCHEMA_ID } from './messages.js';
import { plainData } from '../values.js';
import { renderWhole, type CallsWritten } from './report-stream.js';

function messageJson(m: TimelineMessage): Record<string, unknown> {
  // Built field by field (no spread of conditional objects): this runs for every message of every call.
  const out: Record<string, unknown> = { file: m.file };
  if (m.frame !== null) out['frame'] = m.frame;
  if (m.line !== null) out['line'] = m.line;
  out['frames'] = m.frames;
  out['time'] = formatTimestampIso(m.time);
  out['offsetMs'] = Math.round(m.offsetMs * 1000) / 1000;
  out['src'] = formatEndpoint(m.src);
  out['dst'] = formatEndpoint(m.dst);
  out['transport'] = m.transport;
  out['method'] = m.method;
  out['requestUri'] = m.requestUri;
  out['status'] = m.status;
  out['reason'] = m.reason;
  out['cseq'] = m.cseq;
  out['retransmission'] = m.retransmission;
  if (m.duplicateOf !== null) out['duplicateOf'] = m.duplicateOf;
  out['originalFrame'] = m.originalFrame;
  out['originalLine'] = m.originalLine;
  out['note'] = m.note;
  out['findings'] = m.findings;
  return out;
}


function findingJson(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    messageId: f.messageId,
    data: plainData(f.data),
    message: f.message,
    explanation: f.explanation,
    fix: f.fix,
    rfc: f.rfc,
    frames: f.frames,
    lines: f.lines,
    messages: f.messages,
    time: formatTimestampIso(f.time),
  };
}

export function callJson(c: TimelineCall): Record<string, unknown> {
  return {
    number: c.number,
    callId: c.callId,
    type: c.type,
    // Only on a call whose start is not in the capture (src/annotate/partial.ts), as `leg` only on a leg.
    ...(c.partial ? { partial: true } : {}),
    from: c.from,
    to: c.to,
    outcome: c.outcome,
    status: c.status,
    figures: c.figures,
    start: formatTimestampIso(c.start),
    durationMs: Math.round(c.durationMs * 1000) / 1000,
    messages: c.messages.map(messageJson),
    findings: c.findings.map(findingJson),
    ...(c.leg === null ? {} : { leg: c.leg }),
    ...(c.media === null || c.media.streams.length === 0 ? {} : { media: { streams: c.media.streams.map(streamJson) } }),
  };
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** One media stream of a call, in the figures Wireshark's RTP analysis gives (docs/json-schema.md). */
export function streamJson(s: CallStream): Record<string, unknown> {
  const rtp = s.rtp;
  return {
    src: formatEndpoint(s.src),
    dst: formatEndpoint(s.dst),
    ssrc: s.ssrc,
    kind: s.kind,
    from: s.from,
    match: s.match,
    codec: s.codec,
    packets: s.packets,
    bytes: s.bytes,
    first: formatTimestampIso(s.first),
    last: formatTimestampIso(s.last),
    firstFrame: s.firstFrame,
    lastFrame: s.lastFrame,
    ...(rtp === null
      ? {}
      : {
          rtp: {
            expected: rtp.expected,
            lost: rtp.lost,
            sequenceErrors: rtp.sequenceErrors,
            duplicates: rtp.duplicates,
            maxDeltaMs: round3(rtp.maxDeltaMs),
            maxDeltaFrame: rtp.maxDeltaFrame,
            meanJitterMs: round3(rtp.meanJitterMs),
            maxJitterMs: round3(rtp.maxJitterMs),
            clockRate: rtp.clockRate,
            payloadTypes: rtp.payloadTypes,
            markers: rtp.markers,
          },
        }),
    ...(s.rtcp === null
      ? {}
      : {
          rtcp: {
            senderReports: s.rtcp.senderReports,
            reportBlocks: s.rtcp.reportBlocks,
            maxFractionLost: round3(s.rtcp.maxFractionLost),
            maxReportedJitterMs: s.rtcp.maxReportedJitterMs === null ? null : round3(s.rtcp.maxReportedJitterMs),
            lastRoundTripMs: s.rtcp.lastRoundTripMs === null ? null : round3(s.rtcp.lastRoundTripMs),
            ...(s.rtcp.lastVoipMetrics === null ? {} : { voipMetrics: voipMetricsJson(s.rtcp.lastVoipMetrics) }),
          },
        }),
    ...(s.dtmf.length === 0 ? {} : { dtmf: s.dtmf.map((d) => ({ key: d.key, event: d.event, frame: d.frame, durationMs: round3(d.durationMs) })) }),
    ...(s.inbandDtmf.length === 0 ? {} : { inbandDtmf: s.inbandDtmf.map((d) => ({ key: d.key, frame: d.frame, time: formatTimestampIso(d), durationMs: round3(d.durationMs) })) }),
    ...(s.quality === null ? {} : { quality: { r: round3(s.quality.r), mos: round3(s.quality.mos) } }),
  };
}

/** An RTCP XR VoIP metrics block (RFC 3611 §4.7) as its fields, fractions 0 to 1, null where the reporter said unavailable (docs/json-schema.md). */
function voipMetricsJson(m: RtcpVoipMetrics): Record<string, unknown> {
  const { reporterSsrc: _reporter, sourceSsrc: _source, lossRate, discardRate, burstDensity, gapDensity, ...rest } = m;
  return { reporterSsrc: m.reporterSsrc, lossRate: round3(lossRate), discardRate: round3(discardRate), burstDensity: round3(burstDensity), gapDensity: round3(gapDensity), ...rest };
}

/** JSON text of `value` indented to sit `depth` levels (2 spaces each) deep in the document. */
function nested(value: unknown, depth: number): string {
  const pad = ' '.repeat(2 * depth);
  // JSON text holds no raw line break inside a string: every line break is the layout's.
  return jsonText(value, 2).replace(/\n/g, `\n${pad}`);
}

/**
 * The JSON document written call by call: the calls as they are shown, then the inputs and
 * the summary (known once every input is read). Byte for byte what `jsonText` gives for the
 * object with its fields in that order (docs/json-schema.md).
 */
export function jsonReport(): CallsWritten {
  let calls = 0;
  return {
    kind: 'calls',
    begin: () => `{\n  "schema": ${JSON.stringify(JSON_SCHEMA_ID)},\n  "kind": "analysis",\n  "calls": [`,
    call: (call) => `${calls++ === 0 ? '\n' : ',\n'}    ${nested(callJson(call), 2)}`,
    end: (end) => {
      const s = end.summary;
      const summary = { calls: s.calls, messages: s.messages, retransmissions: s.retransmissions, duplicates: s.duplicates, outcomes: s.outcomes, findings: s.findings, diagnostics: s.diagnostics };
      const inputs = end.inputs.map((input) => inputToJson(input, end.lang));
      return `${calls === 0 ? ']' : '\n  ]'},\n  "inputs": ${nested(inputs, 1)},\n  "summary": ${nested(summary, 1)}\n}\n`;
    },
  };
}

export function renderJson(timeline: Timeline): string {
  return renderWhole(jsonReport(), timeline, { statistics: null });
}
