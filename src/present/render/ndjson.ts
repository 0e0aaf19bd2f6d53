/**
 * NDJSON (`--format ndjson`) for piping into jq, log shippers or a database: one line per
 * call (`"kind": "call"`, the call exactly as in the JSON document), then one closing line
 * with the inputs and the summary (`"kind": "summary"`). Every line carries the schema.
 * Pure.
 */
import type { Timeline, TimelineCall } from '../timeline.js';
import { jsonText } from './escape.js';
import { summaryJson, writeCallMembers } from './json.js';
import { JsonWriter } from './json-writer.js';
import { inputToJson, JSON_SCHEMA_ID } from './messages.js';
import { renderWhole, type CallsWritten } from './report-stream.js';

export function ndjsonCall(call: TimelineCall): string {
  return ndjsonCallWriter(call).done();
}

/** `ndjsonCall`'s text as UTF-8 bytes, valid until the next call is written (CallsWritten.callBytes). */
export function ndjsonCallBytes(call: TimelineCall): Uint8Array {
  return ndjsonCallWriter(call).doneBytes();
}

function ndjsonCallWriter(call: TimelineCall): JsonWriter {
  const w = new JsonWriter(false).open('{');
  w.key('schema').string(JSON_SCHEMA_ID);
  w.key('kind').string('call');
  writeCallMembers(w, call);
  return w.close('}').raw('\n');
}

export function ndjsonSummary(timeline: Omit<Timeline, 'calls'>): string {
  return jsonText({ schema: JSON_SCHEMA_ID, kind: 'summary', inputs: timeline.inputs.map((input) => inputToJson(input, timeline.lang)), summary: summaryJson(timeline.summary, timeline.lang) }) + '\n';
}

/** One line per call as it is shown, then the summary line. */
export function ndjsonReport(): CallsWritten {
  return { kind: 'calls', begin: () => '', call: ndjsonCall, callBytes: ndjsonCallBytes, end: ndjsonSummary };
}

export function renderNdjson(timeline: Timeline): string {
  return renderWhole(ndjsonReport(), timeline, { statistics: null });
}
