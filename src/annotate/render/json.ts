/** The annotated timeline as one JSON document, schema "siplens/1" (docs/json-schema.md). */
import type { Finding } from '../rules/types.js';
import type { Timeline, TimelineCall, TimelineMessage } from '../timeline.js';
import { jsonText } from './escape.js';
import { formatEndpoint, formatTimestampIso } from './format.js';
import { inputToJson, JSON_SCHEMA_ID } from './messages.js';

function messageJson(m: TimelineMessage): Record<string, unknown> {
  return {
    file: m.file,
    ...(m.frame === null ? {} : { frame: m.frame }),
    ...(m.line === null ? {} : { line: m.line }),
    frames: m.frames,
    time: formatTimestampIso(m.time),
    offsetMs: Math.round(m.offsetMs * 1000) / 1000,
    src: formatEndpoint(m.src),
    dst: formatEndpoint(m.dst),
    transport: m.transport,
    method: m.method,
    requestUri: m.requestUri,
    status: m.status,
    reason: m.reason,
    cseq: m.cseq,
    retransmission: m.retransmission,
    originalFrame: m.originalFrame,
    originalLine: m.originalLine,
    note: m.note,
    findings: m.findings,
  };
}

function findingJson(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    messageId: f.messageId,
    data: f.data,
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
  };
}

export function renderJson(timeline: Timeline): string {
  const s = timeline.summary;
  return (
    jsonText(
      {
        schema: JSON_SCHEMA_ID,
        kind: 'analysis',
        inputs: timeline.inputs.map(inputToJson),
        calls: timeline.calls.map(callJson),
        summary: {
          calls: s.calls,
          messages: s.messages,
          retransmissions: s.retransmissions,
          outcomes: s.outcomes,
          findings: s.findings,
          diagnostics: s.diagnostics,
        },
      },
      2,
    ) + '\n'
  );
}
