/** Renderers for `siplens messages`: one line per SIP message, as text or JSON. Pure functions. */
import type { CapturedMessage, Diagnostic, InputSummary } from '../../types.js';

/** What `siplens messages` shows: the inputs and their SIP messages, uncorrelated. */
export interface MessageList {
  readonly inputs: readonly InputSummary[];
  readonly messages: readonly CapturedMessage[];
}
import { formatEndpoint, formatTimestampIso, formatTimestampText } from './format.js';
import { messageRef } from '../values.js';
import { jsonText } from './escape.js';
import { sanitizeForTerminal } from './sanitize.js';
import type { Lang } from '../../annotate/i18n.js';
import { COMMON, INPUTS } from '../catalog.js';
import { diagnosticText } from '../diagnostics.js';

export const JSON_SCHEMA_ID = 'siplens/1';

function startLine(m: CapturedMessage): string {
  const msg = m.message;
  if (msg.kind === 'request') return `${msg.method ?? '?'} ${msg.requestUri ?? ''}`.trimEnd();
  return `${msg.status ?? '?'} ${msg.reason ?? ''}`.trimEnd();
}

function cseqText(m: CapturedMessage): string {
  const cseq = m.message.cseq;
  return cseq === null ? '-' : `${cseq.seq} ${cseq.method}`;
}

export function describeInput(input: InputSummary, lang: Lang = 'en'): string {
  const w = INPUTS[lang];
  if (!input.readable) return w.notRead(input.path);
  if (input.format === 'text') return w.textLog(input.path, (input.logFormats ?? []).join(', '), input.lines ?? 0, input.sipMessages);
  return w.capture(input.path, input.format, input.frames, input.sipMessages);
}

export function diagnosticLine(d: Diagnostic, lang: Lang = 'en'): string {
  const w = INPUTS[lang];
  const where = [d.frame !== undefined ? w.frame(d.frame) : '', d.offset !== undefined ? w.byte(d.offset) : '', d.line !== undefined ? w.line(d.line) : '']
    .filter(Boolean)
    .join(', ');
  const count = d.count !== undefined && d.count > 1 ? ` (×${d.count})` : '';
  return `  ${COMMON[lang].severity[d.severity]} ${d.code}${where ? ` [${where}]` : ''}: ${diagnosticText(d, lang)}${count}`;
}

export function renderMessagesText(result: MessageList, lang: Lang = 'en'): string {
  const lines: string[] = [];
  for (const input of result.inputs) lines.push(sanitizeForTerminal(describeInput(input, lang)));
  const rows = result.messages.map((m) => [
    messageRef(m),
    formatTimestampText(m.time),
    `${formatEndpoint(m.src)} → ${formatEndpoint(m.dst)}`,
    m.transport,
    startLine(m),
    m.message.callId ?? '-',
    cseqText(m),
  ]);
  const widths = [0, 0, 0, 0, 0];
  for (const row of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, [...row[i]!].length);
  if (rows.length > 0) lines.push('');
  for (const row of rows) {
    const padded = row.map((cell, i) => (i < widths.length ? cell + ' '.repeat(widths[i]! - [...cell].length) : cell));
    lines.push(sanitizeForTerminal(padded.join('  ').trimEnd()));
  }
  const diagnostics = result.inputs.flatMap((i) => i.diagnostics);
  if (diagnostics.length > 0) {
    lines.push('', `${COMMON[lang].diagnostics}:`);
    for (const d of diagnostics) lines.push(sanitizeForTerminal(diagnosticLine(d, lang)));
  }
  return lines.join('\n') + '\n';
}

export function messageToJson(m: CapturedMessage): Record<string, unknown> {
  const msg = m.message;
  return {
    file: m.file,
    ...(m.frame === null ? {} : { frame: m.frame }),
    ...(m.line === null ? {} : { line: m.line }),
    frames: m.frames,
    offset: m.offset,
    time: formatTimestampIso(m.time),
    src: formatEndpoint(m.src),
    dst: formatEndpoint(m.dst),
    transport: m.transport,
    method: msg.method,
    requestUri: msg.requestUri,
    status: msg.status,
    reason: msg.reason,
    callId: msg.callId,
    cseq: msg.cseq,
    fromTag: msg.from?.tag ?? null,
    toTag: msg.to?.tag ?? null,
    branch: msg.via[0]?.branch ?? null,
  };
}

/** An input as JSON; each diagnostic's `message` is its sentence in `lang` (English unless asked). */
export function inputToJson(input: InputSummary, lang: Lang = 'en'): Record<string, unknown> {
  return {
    path: input.path,
    format: input.format,
    readable: input.readable,
    bytes: input.bytes,
    frames: input.frames,
    sipMessages: input.sipMessages,
    linkTypes: input.linkTypes,
    ...(input.lines === undefined ? {} : { lines: input.lines }),
    ...(input.logFormats === undefined ? {} : { logFormats: input.logFormats }),
    diagnostics: input.diagnostics.map((d) => diagnosticToJson(d, lang)),
  };
}

/** A diagnostic as JSON: the fields of `siplens/1` (docs/json-schema.md), its values made into the sentence they always were. */
function diagnosticToJson(d: Diagnostic, lang: Lang): Record<string, unknown> {
  const { file: _file, values: _values, code, severity, ...where } = d;
  return { code, severity, message: diagnosticText(d, lang), ...where };
}

export function renderMessagesJson(result: MessageList): string {
  return jsonText({ schema: JSON_SCHEMA_ID, kind: 'messages', inputs: result.inputs.map((input) => inputToJson(input)), messages: result.messages.map(messageToJson) }, 2) + '\n';
}
