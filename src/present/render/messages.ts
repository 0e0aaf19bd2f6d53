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

/** A message's row: frame, time, addresses, transport, start line, Call-ID, CSeq. */
function messageCells(m: CapturedMessage): string[] {
  return [messageRef(m), formatTimestampText(m.time), `${formatEndpoint(m.src)} → ${formatEndpoint(m.dst)}`, m.transport, startLine(m), m.message.callId ?? '-', cseqText(m)];
}

/** Columns padded to the widest cell (the last, CSeq, is not). */
const PADDED_COLUMNS = 5;

/**
 * `siplens messages` as text, a message at a time. The inputs open the list and the columns are
 * as wide as their widest cell, both known at the end: each row is held aside unpadded (one JSON
 * array per line, so no cell can break a line) while the widths are measured, then padded as it
 * is written out (`padded`). Holds five numbers, never the rows.
 */
export class MessagesText {
  private readonly widths = Array<number>(PADDED_COLUMNS).fill(0);
  private rows = 0;

  constructor(private readonly lang: Lang) {}

  /** A row held aside: one line. */
  row(m: CapturedMessage): string {
    const cells = messageCells(m);
    for (let i = 0; i < PADDED_COLUMNS; i++) this.widths[i] = Math.max(this.widths[i]!, [...cells[i]!].length);
    this.rows++;
    return JSON.stringify(cells) + '\n';
  }

  /** A held row, padded, as written. */
  padded(held: string): string {
    const cells = JSON.parse(held) as string[];
    const padded = cells.map((cell, i) => (i < PADDED_COLUMNS ? cell + ' '.repeat(this.widths[i]! - [...cell].length) : cell));
    return sanitizeForTerminal(padded.join('  ').trimEnd()) + '\n';
  }

  /** The inputs, before the rows. */
  head(inputs: readonly InputSummary[]): string {
    const lines = inputs.map((input) => sanitizeForTerminal(describeInput(input, this.lang)));
    return lines.map((line) => line + '\n').join('') + (this.rows > 0 ? '\n' : '');
  }

  /** The diagnostics, after the rows. */
  tail(inputs: readonly InputSummary[]): string {
    const diagnostics = inputs.flatMap((i) => i.diagnostics);
    if (diagnostics.length === 0) return '';
    return ['', `${COMMON[this.lang].diagnostics}:`, ...diagnostics.map((d) => sanitizeForTerminal(diagnosticLine(d, this.lang)))].map((line) => line + '\n').join('');
  }
}

export function renderMessagesText(result: MessageList, lang: Lang = 'en'): string {
  const text = new MessagesText(lang);
  const held = result.messages.map((m) => text.row(m));
  return text.head(result.inputs) + held.map((row) => text.padded(row.slice(0, -1))).join('') + text.tail(result.inputs);
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
    fromTag: msg.fromTag ?? null,
    toTag: msg.toTag ?? null,
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

/**
 * `siplens messages --format json`, a message at a time: the inputs come first in the document
 * and are known at the end, so the messages are held aside (`message` gives each one's text)
 * and written after the head (`head`); the same bytes as `jsonText` of the whole document.
 */
export class MessagesJson {
  private count = 0;

  message(m: CapturedMessage): string {
    return `${this.count++ === 0 ? '\n' : ',\n'}    ${jsonText(messageToJson(m), 2).replace(/\n/g, '\n    ')}`;
  }

  head(inputs: readonly InputSummary[]): string {
    return `{\n  "schema": ${JSON.stringify(JSON_SCHEMA_ID)},\n  "kind": "messages",\n  "inputs": ${jsonText(
      inputs.map((input) => inputToJson(input)),
      2,
    ).replace(/\n/g, '\n  ')},\n  "messages": [`;
  }

  tail(): string {
    return `${this.count === 0 ? ']' : '\n  ]'}\n}\n`;
  }
}

export function renderMessagesJson(result: MessageList): string {
  const json = new MessagesJson();
  const held = result.messages.map((m) => json.message(m)).join('');
  return json.head(result.inputs) + held + json.tail();
}
