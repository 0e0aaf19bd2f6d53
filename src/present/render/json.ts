/** The annotated timeline as one JSON document, schema "siplens/1" (docs/json-schema.md). */
import type { CallStream } from '../../parse/media/types.js';
import type { RtcpVoipMetrics } from '../../parse/media/rtcp.js';
import { problemMessage, type ShownFinding as Finding } from '../findings.js';
import type { Lang } from '../../annotate/i18n.js';
import type { CallFigures } from '../../annotate/outcome.js';
import type { Endpoint, Timestamp } from '../../types.js';
import type { Timeline, TimelineCall, TimelineMessage } from '../timeline.js';
import { formatEndpoint, formatTimestampIso, isoSecondPointBytes } from './format.js';
import { inputToJson, JSON_SCHEMA_ID } from './messages.js';
import { endpointHost, plainData } from '../values.js';
import { ConstantMembers, JsonWriter } from './json-writer.js';
import { renderWhole, type CallsWritten } from './report-stream.js';

/**
 * The members of a call as the JSON document and NDJSON write them, in the schema's order
 * (docs/json-schema.md): the one description of a call, its messages and its findings, written
 * straight to text by `w` (no object per call or message is built to be serialized).
 */
export function writeCallMembers(w: JsonWriter, c: TimelineCall): void {
  w.key('number').number(c.number);
  w.key('callId').string(c.callId);
  w.key('type').recurring(c.type);
  // Only on a call whose start is not in the capture (src/annotate/partial.ts), as `leg` only on a leg.
  if (c.partial) w.key('partial').boolean(true);
  w.key('from').string(c.from);
  w.key('to').string(c.to);
  w.key('outcome').recurring(c.outcome);
  w.key('status').number(c.status);
  writeFigures(w.key('figures'), c.figures);
  writeTime(w.key('start'), c.start);
  w.key('durationMs').thousandths(c.durationMs);
  // By index, not for-of: the iterator objects were not optimized away (about 80 bytes a call).
  const messages = c.messages;
  w.key('messages').open('[');
  for (let i = 0; i < messages.length; i++) writeMessage(w.item(), messages[i]!);
  w.close(']');
  const findings = c.findings;
  w.key('findings').open('[');
  for (let i = 0; i < findings.length; i++) writeFinding(w.item(), findings[i]!);
  w.close(']');
  if (c.leg !== null) w.key('leg').plain(c.leg);
  if (c.media !== null && c.media.streams.length > 0) {
    w.key('media').open('{').key('streams').open('[');
    const streams = c.media.streams;
    for (let i = 0; i < streams.length; i++) writeStream(w.item(), streams[i]!);
    w.close(']').close('}');
  }
}

/** The members writeFigures writes. */
type WrittenFigure = 'postDialDelayMs' | 'setupMs' | 'talkMs' | 'hungUpBy';

/**
 * A call's figures member by member in the schema's order, the order outcome.ts makes them in
 * (what `plain` wrote from the object's own keys, without listing them and asking each value's type per call).
 * A member added to CallFigures and not written here makes the call above fail to compile (its type is `never` here).
 */
function writeFigures(w: JsonWriter, f: CallFigures & Record<Exclude<keyof CallFigures, WrittenFigure>, never>): void {
  w.open('{');
  w.key('postDialDelayMs').number(f.postDialDelayMs);
  w.key('setupMs').number(f.setupMs);
  w.key('talkMs').number(f.talkMs);
  w.key('hungUpBy').recurring(f.hungUpBy);
  w.close('}');
}

function writeMessage(w: JsonWriter, m: TimelineMessage): void {
  w.open('{');
  w.key('file').recurring(m.file);
  if (m.frame !== null) w.key('frame').number(m.frame);
  if (m.line !== null) w.key('line').number(m.line);
  w.key('frames').numbers(m.frames);
  writeTime(w.key('time'), m.time);
  w.key('offsetMs').thousandths(m.offsetMs);
  writeEndpoint(w.key('src'), m.src);
  writeEndpoint(w.key('dst'), m.dst);
  w.key('transport').recurring(m.transport);
  // A request has no status line, a response no request line: each writes the other's members as one run.
  if (m.status === null && m.reason === null) {
    w.key('method').recurring(m.method);
    w.key('requestUri').string(m.requestUri);
    w.constants(NO_STATUS_LINE_THEN_CSEQ);
  } else {
    if (m.method === null && m.requestUri === null) w.constants(NO_REQUEST_LINE_THEN_STATUS);
    else w.key('method').recurring(m.method).key('requestUri').string(m.requestUri).key('status');
    w.number(m.status);
    w.key('reason').recurring(m.reason);
    w.key('cseq');
  }
  if (m.cseq === null) w.string(null);
  else w.open('{').key('seq').number(m.cseq.seq).key('method').recurring(m.cseq.method).close('}');
  if (m.retransmission || m.duplicateOf !== null || m.originalFrame !== null || m.originalLine !== null) {
    w.key('retransmission').boolean(m.retransmission);
    if (m.duplicateOf !== null) w.key('duplicateOf').number(m.duplicateOf);
    w.key('originalFrame').number(m.originalFrame);
    w.key('originalLine').number(m.originalLine);
    // A note naming the copy it repeats is its own; one from siplens's tables recurs.
    w.key('note').string(m.note);
  } else w.constants(FIRST_COPY_THEN_NOTE).recurring(m.note);
  if (m.findings.length === 0) w.constants(NO_FINDINGS);
  else w.key('findings').numbers(m.findings);
  w.close('}');
}

// The runs of members most message rows write alike (writeMessage), in the schema's order.
const NO_STATUS_LINE_THEN_CSEQ = new ConstantMembers([['status', null], ['reason', null]], 'cseq');
const NO_REQUEST_LINE_THEN_STATUS = new ConstantMembers([['method', null], ['requestUri', null]], 'status');
const FIRST_COPY_THEN_NOTE = new ConstantMembers([['retransmission', false], ['originalFrame', null], ['originalLine', null]], 'note');
const NO_FINDINGS = new ConstantMembers([['findings', []]]);

function writeFinding(w: JsonWriter, f: Finding): void {
  w.open('{');
  w.key('rule').recurring(f.rule);
  w.key('severity').recurring(f.severity);
  w.key('messageId').recurring(f.messageId);
  w.key('data').plain(plainData(f.data));
  w.key('message').string(f.message);
  w.key('explanation').string(f.explanation);
  w.key('fix').string(f.fix);
  w.key('rfc').recurring(f.rfc);
  w.key('frames').numbers(f.frames);
  w.key('lines').numbers(f.lines);
  w.key('messages').numbers(f.messages);
  writeTime(w.key('time'), f.time);
  w.close('}');
}

/** `formatTimestampIso(t)` written in place, without making the text first (every message has one). */
export function writeTime(w: JsonWriter, t: Timestamp): void {
  const second = isoSecondPointBytes(t.sec);
  if (second === null || !Number.isInteger(t.nsec) || t.nsec < 0 || t.nsec > 999_999_999) w.string(formatTimestampIso(t));
  else w.openString().asciiBytes(second).digits(t.nsec, 9).raw('Z').closeString();
}

/** `formatEndpoint(e)` written in place (every message has two), copied when it was one of the last few written. */
export function writeEndpoint(w: JsonWriter, e: Endpoint): void {
  const { ip, port } = e;
  for (let i = 0; i < Recent.ENDPOINTS; i++) {
    if (recentPorts[i] === port && recentIps[i] === ip) {
      w.again(recentTexts[i]!, recentAscii[i]!);
      return;
    }
  }
  const start = w.position;
  if (!Number.isInteger(port) || port < 0 || port > 65535) w.string(formatEndpoint(e));
  else w.openString().chars(endpointHost(ip)).raw(':').digits(port, 1).closeString();
  const text = w.writtenSince(start);
  const slot = nextRecent;
  nextRecent = (slot + 1) % Recent.ENDPOINTS;
  recentIps[slot] = ip;
  recentPorts[slot] = port;
  recentTexts[slot] = text;
  recentAscii[slot] = text.every((b) => b < 0x80);
}

// The texts of the endpoints written last, compared by value (address and port), the oldest
// replaced first: a call's messages go between two or three endpoints, and the calls of a trunk
// between the same few, so most endpoints are one copy, not a scan, an escaped copy and digits.
// A const enum: the bound of a loop run for each endpoint (docs/decisions.md "Offsets read per packet as const enums").
const enum Recent {
  ENDPOINTS = 4,
}
const recentIps: (string | undefined)[] = new Array<string | undefined>(Recent.ENDPOINTS).fill(undefined);
const recentPorts = new Float64Array(Recent.ENDPOINTS).fill(NaN);
const recentTexts: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(Recent.ENDPOINTS).fill(undefined);
const recentAscii: boolean[] = new Array<boolean>(Recent.ENDPOINTS).fill(true);
let nextRecent = 0;

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * A stream as the JSON value that `writeStream` writes (for `siplens streams --format json`):
 * read back from that text, so the layout has one home.
 */
export function streamJson(s: CallStream): Record<string, unknown> {
  const w = new JsonWriter(false);
  writeStream(w, s);
  return JSON.parse(w.done()) as Record<string, unknown>;
}

/** A stream's RTCP figures (docs/json-schema.md). */
function rtcpJson(rtcp: NonNullable<CallStream['rtcp']>): Record<string, unknown> {
  const json: Record<string, unknown> = {
    senderReports: rtcp.senderReports,
    reportBlocks: rtcp.reportBlocks,
    maxFractionLost: round3(rtcp.maxFractionLost),
    maxReportedJitterMs: rtcp.maxReportedJitterMs === null ? null : round3(rtcp.maxReportedJitterMs),
    lastRoundTripMs: rtcp.lastRoundTripMs === null ? null : round3(rtcp.lastRoundTripMs),
  };
  if (rtcp.lastVoipMetrics !== null) json['voipMetrics'] = voipMetricsJson(rtcp.lastVoipMetrics);
  return json;
}

/**
 * A call's stream, member by member in the schema's order (docs/json-schema.md): the one home of
 * its layout (`streamJson` reads it back). Written without making an object per stream, listing
 * its keys and escaping each name (an RTP call's streams were most of its writer's time); the
 * rare members (RTCP, DTMF) are small objects written with `plain`.
 */
export function writeStream(w: JsonWriter, s: CallStream): void {
  w.open('{');
  writeEndpoint(w.key('src'), s.src);
  writeEndpoint(w.key('dst'), s.dst);
  w.key('ssrc').number(s.ssrc);
  w.key('kind').recurring(s.kind);
  w.key('from').recurring(s.from);
  w.key('match').recurring(s.match);
  w.key('codec').recurring(s.codec);
  w.key('packets').number(s.packets);
  w.key('bytes').number(s.bytes);
  writeTime(w.key('first'), s.first);
  writeTime(w.key('last'), s.last);
  w.key('firstFrame').number(s.firstFrame);
  w.key('lastFrame').number(s.lastFrame);
  const rtp = s.rtp;
  if (rtp !== null) {
    w.key('rtp').open('{');
    w.key('expected').number(rtp.expected);
    w.key('lost').number(rtp.lost);
    w.key('sequenceErrors').number(rtp.sequenceErrors);
    w.key('duplicates').number(rtp.duplicates);
    w.key('maxDeltaMs').number(round3(rtp.maxDeltaMs));
    w.key('maxDeltaFrame').number(rtp.maxDeltaFrame);
    w.key('meanJitterMs').number(round3(rtp.meanJitterMs));
    w.key('maxJitterMs').number(round3(rtp.maxJitterMs));
    w.key('clockRate').number(rtp.clockRate);
    w.key('payloadTypes').numbers(rtp.payloadTypes);
    w.key('markers').number(rtp.markers);
    w.close('}');
  }
  if (s.rtcp !== null) w.key('rtcp').plain(rtcpJson(s.rtcp));
  if (s.dtmf.length > 0) w.key('dtmf').plain(s.dtmf.map((d) => ({ key: d.key, event: d.event, frame: d.frame, durationMs: round3(d.durationMs) })));
  if (s.inbandDtmf.length > 0) w.key('inbandDtmf').plain(s.inbandDtmf.map((d) => ({ key: d.key, frame: d.frame, time: formatTimestampIso(d), durationMs: round3(d.durationMs) })));
  if (s.quality !== null) w.key('quality').open('{').key('r').number(round3(s.quality.r)).key('mos').number(round3(s.quality.mos)).close('}');
  w.close('}');
}

/** An RTCP XR VoIP metrics block (RFC 3611 §4.7) as its fields, fractions 0 to 1, null where the reporter said unavailable (docs/json-schema.md). */
function voipMetricsJson(m: RtcpVoipMetrics): Record<string, unknown> {
  const { reporterSsrc: _reporter, sourceSsrc: _source, lossRate, discardRate, burstDensity, gapDensity, ...rest } = m;
  return { reporterSsrc: m.reporterSsrc, lossRate: round3(lossRate), discardRate: round3(discardRate), burstDensity: round3(burstDensity), gapDensity: round3(gapDensity), ...rest };
}

/** JSON text of `value` indented to sit `depth` levels (2 spaces each) deep in the document. */
function nested(value: unknown, depth: number): string {
  return new JsonWriter(true, depth).plain(value).done();
}

/**
 * The JSON document written call by call: the calls as they are shown, then the inputs and
 * the summary (known once every input is read). Byte for byte what `jsonText` gives for the
 * object with its fields in that order (docs/json-schema.md).
 */
export function jsonReport(): CallsWritten {
  let calls = 0;
  const callWriter = (call: TimelineCall): JsonWriter => {
    const w = new JsonWriter(true, 2).raw(calls++ === 0 ? '\n    ' : ',\n    ').open('{');
    writeCallMembers(w, call);
    return w.close('}');
  };
  return {
    kind: 'calls',
    begin: () => `{\n  "schema": ${JSON.stringify(JSON_SCHEMA_ID)},\n  "kind": "analysis",\n  "calls": [`,
    call: (call) => callWriter(call).done(),
    callBytes: (call) => callWriter(call).doneBytes(),
    end: (end) => {
      const summary = summaryJson(end.summary, end.lang);
      const inputs = end.inputs.map((input) => inputToJson(input, end.lang));
      return `${calls === 0 ? ']' : '\n  ]'},\n  "inputs": ${nested(inputs, 1)},\n  "summary": ${nested(summary, 1)}\n}\n`;
    },
  };
}

/** The summary as JSON and NDJSON write it: counts, and the main problems with their data as text and their sentence. */
export function summaryJson(s: Timeline['summary'], lang: Lang): Record<string, unknown> {
  const mainProblems = s.mainProblems.map((p) => ({
    rule: p.rule,
    messageId: p.messageId,
    severity: p.severity,
    findings: p.findings,
    calls: p.calls,
    firstCall: p.firstCall,
    data: plainData(p.data, lang),
    message: problemMessage(p, lang),
  }));
  return { calls: s.calls, messages: s.messages, retransmissions: s.retransmissions, duplicates: s.duplicates, outcomes: s.outcomes, findings: s.findings, diagnostics: s.diagnostics, mainProblems };
}

export function renderJson(timeline: Timeline): string {
  return renderWhole(jsonReport(), timeline, { statistics: null });
}
