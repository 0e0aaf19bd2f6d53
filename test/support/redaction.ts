/** What redaction must hide, and how to look for it in an output (used by test/annotate/redact.test.ts). */
import type { AnalysisResult } from '../../src/index.js';
import { escapeHtml, escapeXmlText, githubData, htmlText, mdCode, mermaidText } from '../../src/present/render/escape.js';
import { sanitizeForTerminal } from '../../src/present/render/sanitize.js';
import { RESPONSE_CODES } from '../../src/annotate/codes/index.js';
import { METHOD_NOTES, RESPONSE_IN_CONTEXT, TIMELINE_NOTES } from '../../src/annotate/codes/methods.js';
import { RULES } from '../../src/annotate/rules/index.js';

/**
 * The words siplens itself writes (knowledge base, notes, rule sentences and data names,
 * outcomes, types, severities). A trace value that is also one of them ("ping", "service",
 * "unknown") is looked for in its SIP place only: the word in siplens's own sentence is
 * not the trace's value.
 */
export const SIPLENS_WORDS: ReadonlySet<string> = new Set(
  JSON.stringify([
    [...RESPONSE_CODES.values()],
    METHOD_NOTES,
    RESPONSE_IN_CONTEXT,
    TIMELINE_NOTES,
    RULES.map((r) => r.meta),
    ['answered', 'completed', 'busy', 'rejected', 'no-answer', 'cancelled', 'redirected', 'failed', 'stuck', 'unresolved', 'no-response', 'unknown'],
    ['call', 'registration', 'options', 'subscription', 'message', 'other', 'error', 'warning', 'info', 'caller', 'callee'],
  ])
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter(Boolean),
);

export interface Original {
  kind: string;
  value: string;
}

/** What the parser saw: the values a redacted output must not show. */
export function originalsOf(result: AnalysisResult): Original[] {
  const out: Original[] = [];
  const add = (kind: string, value: string | null | undefined): void => {
    if (value) out.push({ kind, value });
  };
  for (const m of result.messages) {
    add('ip', m.src.ip);
    add('ip', m.dst.ip);
    const msg = m.message;
    add('callid', msg.callId);
    for (const addr of [msg.from, msg.to, ...msg.contact]) {
      if (!addr) continue;
      add('name', addr.displayName);
      add('user', addr.uri.user);
      add('host', addr.uri.host);
      add('tag', addr.tag);
    }
    for (const v of msg.via) add('host', v.host);
    const ruri = /^(?:sips?|tel):(?:([^@;]+)@)?(\[[^\]]+\]|[^;:>]+)/i.exec(msg.requestUri ?? '');
    if (ruri) {
      add('user', ruri[1]);
      add('host', ruri[2]!.replace(/^\[|\]$/g, ''));
    }
    const body = Buffer.from(msg.body).toString('utf8');
    for (const c of body.matchAll(/^c=IN IP[46] (\S+)/gm)) add('ip', c[1]);
  }
  const seen = new Set<string>();
  return out.filter((o) => o.value !== '*' && !seen.has(`${o.kind}\u0000${o.value}`) && seen.add(`${o.kind}\u0000${o.value}`));
}

/** Every way a value can be written in an output: as is, and escaped for each format. */
export function encodings(value: string): string[] {
  const forms = [value, escapeHtml(value), htmlText(value), JSON.stringify(value).slice(1, -1), sanitizeForTerminal(value), escapeXmlText(value), githubData(value), mermaidText(value), mdCode(value, { table: true }).replace(/^`+ ?| ?`+$/g, '')];
  return [...new Set(forms)].filter((f) => f.length > 0);
}

export const TOKEN_EDGE = 'A-Za-z0-9_~%+-';

/** Where `value` stands as a whole token in `output` (case-insensitive), or null. */
export function findToken(output: string, value: string): string | null {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![${TOKEN_EDGE}])${escaped}(?![${TOKEN_EDGE}])`, 'i').exec(output);
  return m === null ? null : output.slice(Math.max(0, m.index - 40), m.index + value.length + 40);
}

/**
 * Where the SIP context `form` of a short value stands in `output` (case-insensitive), or null.
 * The context must start a token: "10@" inside the pseudonym "user-10@" is not the user "10".
 * In HTML, text is always escaped, so a context holding a bare `<` or `>` there could only be
 * markup ("Call 10 <span"): it is looked for in its escaped forms only.
 */
export function findContext(output: string, form: string, format: string): string | null {
  if (format === 'html' && /[<>]/.test(form)) return null;
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![${TOKEN_EDGE}])${escaped}`, 'i').exec(output);
  return m === null ? null : output.slice(Math.max(0, m.index - 40), m.index + form.length + 40);
}

/** Short values (a user "a", an extension "200", a tag "1") are redacted in their SIP place only: look there. */
export function shortContexts(o: Original): string[] {
  switch (o.kind) {
    case 'user':
      return [`sip:${o.value}@`, `${o.value}@`, `username="${o.value}"`];
    case 'tag':
      return [`tag=${o.value};`, `tag=${o.value}\r`, `tag=${o.value}\n`, `tag=${o.value}>`];
    case 'name':
      return [`"${o.value}" <`, `${o.value} <`];
    default:
      return [o.value];
  }
}

/**
 * Values looked for in their SIP place only: short ones (a user "a", an extension "200",
 * a tag "1"), display names (free text), and values that are also words siplens writes.
 */
export function isShort(o: Original): boolean {
  return o.kind === 'name' || SIPLENS_WORDS.has(o.value.toLowerCase()) || o.value.length < 3 || ((o.kind === 'user' || o.kind === 'number') && /^\+?\d+$/.test(o.value) && o.value.replace('+', '').length < 6);
}

