/**
 * Escaping for every output language. Trace text is attacker-controlled: a From header can
 * hold `</script>`, a Markdown link, a Mermaid arrow, a newline followed by a GitHub
 * workflow command, or bytes XML forbids. Each renderer passes every trace string through
 * the function for its language, and never builds markup by concatenating raw text.
 */
import { sanitizeForTerminal } from './sanitize.js';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text content and attribute values (always double- or single-quoted) in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Trace text for display in a page: control characters (except tab and line breaks) and
 * bidirectional overrides become visible escapes, as in the terminal, so a header cannot
 * reverse or hide what the reader sees (Trojan Source).
 */
export function showControls(text: string): string {
  return text.replace(/[^\t\r\n]+/g, (run) => sanitizeForTerminal(run));
}

/** escapeHtml of showControls: trace text as HTML text or attribute. */
export function htmlText(text: string): string {
  return escapeHtml(sanitizeForTerminal(text));
}

/**
 * JSON for an inline `<script type="application/json">` block: `<`, `>` and `&` become
 * \u escapes so neither `</script>` nor `<!--` can end or change the block; U+2028/2029
 * too, so the text is also a valid JavaScript literal.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Characters JSON.stringify writes raw that a terminal or a page would obey or hide (see
 * sanitize.ts), as ranges of UTF-16 units: DEL and C1 controls, soft hyphen, Arabic letter mark,
 * Mongolian vowel separator, zero-width and direction marks, line and paragraph separators,
 * embeddings and overrides, invisible operators and isolates, BOM, interlinear annotation. C0
 * controls it escapes itself.
 */
const JSON_UNSAFE_RANGES: readonly (readonly [number, number])[] = [
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x61c, 0x61c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
];

const JSON_UNSAFE = new RegExp(`[${JSON_UNSAFE_RANGES.map(([first, last]) => (first === last ? unitEscape(first) : `${unitEscape(first)}-${unitEscape(last)}`)).join('')}]`, 'g');

function unitEscape(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}

/** True for a UTF-16 unit `jsonText` writes as a \u escape though JSON.stringify would not (the JSON and NDJSON writer's check, json-writer.ts). */
export function jsonUnsafe(unit: number): boolean {
  for (const [first, last] of JSON_UNSAFE_RANGES) if (unit >= first && unit <= last) return true;
  return false;
}

/**
 * JSON text for the JSON and NDJSON outputs: as JSON.stringify, with DEL, C1 controls, bidi
 * controls, invisible characters and U+2028/2029 written as \u escapes. The parsed values are
 * exactly the trace's; only the bytes on screen change, so `cat report.json` obeys nothing.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => unitEscape(c.charCodeAt(0)));
}

/**
 * XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
 * Anything else (C0 controls, lone surrogates, U+FFFE/FFFF) cannot even be written as a
 * character reference, so it is replaced by a visible escape.
 */
export function xmlChars(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const allowed = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    out += allowed ? ch : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/**
 * What XML allows but a CI page or console should not obey (C1 controls, a bare CR or a tab
 * from the trace, bidi overrides, invisible characters) shown as visible escapes, as in the
 * terminal. LF, the only line break siplens writes, is kept.
 */
function xmlVisible(text: string): string {
  return xmlChars(text).replace(/[^\n]+/g, (run) => sanitizeForTerminal(run));
}

/** XML attribute value (double-quoted): markup escaped, line breaks kept as references, forbidden and control characters shown as escapes. */
export function escapeXmlAttr(text: string): string {
  return xmlVisible(text).replace(/[&<>"'\n\r\t]/g, (c) => XML_ENTITIES[c]!);
}

/** XML text content. `]]>` needs no special care because `>` is always escaped. */
export function escapeXmlText(text: string): string {
  return xmlVisible(text).replace(/[&<>]/g, (c) => XML_ENTITIES[c]!);
}

/**
 * Trace text as a Markdown code span: nothing inside is parsed (no emphasis, links,
 * autolinks or HTML). Line breaks and control characters become visible escapes, the
 * fence is longer than any run of backticks inside, and `|` is escaped for table cells
 * (GFM splits cells on `|` even inside code spans).
 */
export function mdCode(text: string, options: { table?: boolean } = {}): string {
  if (text === '') return '';
  let safe = sanitizeForTerminal(text);
  if (options.table) safe = safe.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') || safe.startsWith(' ') || safe.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/**
 * Plain Markdown text: every ASCII punctuation character that Markdown or GFM gives a
 * meaning to is backslash-escaped, `<` and `&` become entities (no inline HTML), line breaks become spaces, and `:` and `@` are escaped so no
 * autolink forms. For siplens's own sentences; trace values go through mdCode.
 */
export function mdText(text: string): string {
  return sanitizeForTerminal(text.replace(/\r\n|\r|\n/g, ' ')).replace(/[\\`*_{}[\]()#+!|~>:@]|<|&/g, (c) => (c === '<' ? '&lt;' : c === '&' ? '&amp;' : `\\${c}`));
}

/**
 * Text inside a Mermaid diagram (participant names, message labels, notes). Mermaid reads
 * `;` and newlines as statement ends, `#…;` as entity codes, `%%` as comments and `-->`
 * or `->>` as arrows, and renders HTML in labels: everything outside a small safe set is
 * written as a Mermaid entity code (`#60;`), which Mermaid displays as the character.
 */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of sanitizeForTerminal(text)) {
    out += /[A-Za-z0-9 .,:()@_+\-/=?*!'\u00a0-\u1fff\u2010-\u2027\u2030-\u205e\u2100-\u2bff\u3000-\ufefe]/u.test(ch) && ch !== '\u00ad' ? ch : `#${ch.codePointAt(0)};`;
  }
  return out.replace(/-(?=-)/g, '#45;');
}

/** GitHub Actions workflow command message (RFC: actions/toolkit `escapeData`). */
export function githubData(text: string): string {
  return sanitizeForTerminal(text.replace(/\r\n|\r|\n/g, ' ')).replace(/%/g, '%25');
}

/** GitHub Actions workflow command property value (`escapeProperty`: also `:` and `,`). */
export function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A CSV cell (RFC 4180) that a spreadsheet will not run and a terminal will not obey: control,
 * bidi and invisible characters (line breaks included) become visible escapes as in the
 * terminal, so `cat calls.csv` is safe and a cell is one line; a leading `=`, `+`, `-`, `@`,
 * tab or carriage return (formula prefixes, OWASP CSV injection) is defused with a leading
 * apostrophe; the cell is quoted when needed.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const visible = sanitizeForTerminal(value);
  // Tab and CR are escapes by now; keeping them in the test costs nothing.
  const defused = /^[=+\-@\t\r]/.test(visible) ? `'${visible}` : visible;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
