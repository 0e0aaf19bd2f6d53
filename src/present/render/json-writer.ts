/**
 * JSON text written as it is described, member by member, straight into UTF-8 bytes: the JSON
 * document and NDJSON describe a call once (json.ts) and this writer lays it out, on one line
 * (NDJSON) or indented two spaces a level (the JSON document), with no object built to be
 * serialized and each string escaped as it is copied. Byte for byte what `jsonText`
 * (JSON.stringify, then the unsafe characters as \u escapes) gives for the same members in the
 * same order: the goldens and the JSON Schema test hold the two to each other.
 */
import { jsonText, jsonUnsafe } from './escape.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * True for a UTF-16 unit above ASCII that JSON.stringify writes as it is and `jsonText` leaves
 * alone: not one `jsonText` writes as a \u escape, not a surrogate (JSON.stringify escapes a lone
 * one; a pair goes the slow way too, rare in a trace).
 */
function plainAboveAscii(c: number): boolean {
  return (c < 0xd800 || c > 0xdfff) && !jsonUnsafe(c);
}

/** The buffer every writer starts with; a writer that outgrew it keeps its own until it is done (one call's text). */
const START_BYTES = 1 << 16;
let shared: Buffer | null = null;

export class JsonWriter {
  private bytes: Buffer;
  private at = 0;
  /** Every byte written so far is ASCII (decoded as latin1, the cheapest way). */
  private ascii = true;
  /** No member or item yet in the object or array being written: no comma before the next, and `{}` or `[]` if it ends so. */
  private first = true;

  /** `pretty`: indented as the JSON document, starting `depth` levels deep; otherwise one line. */
  constructor(
    private readonly pretty: boolean,
    private depth = 0,
  ) {
    // One writer at a time: a call's text is taken (`done`) before the next call is written.
    this.bytes = shared ?? Buffer.allocUnsafeSlow(START_BYTES);
    shared = null;
  }

  /** The text written; the writer's buffer goes back for the next writer. */
  done(): string {
    const text = this.bytes.toString(this.ascii ? 'latin1' : 'utf8', 0, this.at);
    // A buffer grown for one huge call is let go, so memory follows the calls, not the largest one seen.
    if (this.bytes.length === START_BYTES) shared = this.bytes;
    this.at = 0;
    return text;
  }

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.at + n));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }

  /** ASCII text of siplens's own (punctuation, names of the schema, digits). */
  raw(text: string): this {
    this.room(text.length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.at = at;
    return this;
  }

  private byte(b: number): void {
    this.room(1);
    this.bytes[this.at++] = b;
  }

  /** A line break and the indent of the current depth (pretty only). */
  private newline(): void {
    const n = 2 * this.depth;
    this.room(n + 1);
    const bytes = this.bytes;
    bytes[this.at++] = NEWLINE;
    bytes.fill(SPACE, this.at, this.at + n);
    this.at += n;
  }

  open(bracket: '{' | '['): this {
    this.byte(bracket.charCodeAt(0));
    this.depth++;
    this.first = true;
    return this;
  }

  close(bracket: '}' | ']'): this {
    this.depth--;
    // An empty object or array closes at once, as JSON.stringify writes `[]`.
    if (!this.first && this.pretty) this.newline();
    this.byte(bracket.charCodeAt(0));
    this.first = false;
    return this;
  }

  /** Starts an item of the array being written: the value follows. */
  item(): this {
    if (!this.first) this.byte(COMMA);
    this.first = false;
    if (this.pretty) this.newline();
    return this;
  }

  /** Starts a member of the object being written, named by the schema (siplens's own ASCII name, written as it is): the value follows. */
  key(name: string): this {
    this.item();
    this.byte(QUOTE);
    this.raw(name);
    this.byte(QUOTE);
    this.byte(COLON);
    if (this.pretty) this.byte(SPACE);
    return this;
  }

  /**
   * A string, escaped as it is copied: printable ASCII but `"` and `\`, and the characters above
   * ASCII that need no escape, are written as UTF-8 here; anything else sends the whole string
   * through `jsonText`, which knows every escape (rare: control characters, bidi controls,
   * quotes, astral characters).
   */
  string(text: string | null): this {
    if (text === null) return this.raw('null');
    const length = text.length;
    this.room(3 * length + 2);
    const bytes = this.bytes;
    const start = this.at;
    let at = start;
    bytes[at++] = QUOTE;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f && c !== QUOTE && c !== BACKSLASH) bytes[at++] = c;
      else if (c < 0x80 || !plainAboveAscii(c)) return this.escaped(text, start);
      else if (c < 0x800) {
        bytes[at++] = 0xc0 | (c >> 6);
        bytes[at++] = 0x80 | (c & 0x3f);
        this.ascii = false;
      } else {
        bytes[at++] = 0xe0 | (c >> 12);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
        this.ascii = false;
      }
    }
    bytes[at++] = QUOTE;
    this.at = at;
    return this;
  }

  /** `text` through `jsonText`, written from `start` over what the fast path began. */
  private escaped(text: string, start: number): this {
    this.at = start;
    return this.utf8(jsonText(text));
  }

  private utf8(text: string): this {
    const length = Buffer.byteLength(text);
    if (length !== text.length) this.ascii = false;
    this.room(length);
    this.at += this.bytes.write(text, this.at, length, 'utf8');
    return this;
  }

  /** A number as JSON.stringify writes it (not finite: null); an integer's digits written directly. */
  number(value: number | null): this {
    if (value === null || !Number.isFinite(value)) return this.raw('null');
    if (!Number.isInteger(value) || Math.abs(value) >= 1e15) return this.raw(String(value));
    let n = value;
    if (n < 0) {
      this.byte(0x2d);
      n = -n;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.room(digits);
    const bytes = this.bytes;
    let at = this.at + digits;
    this.at = at;
    do {
      const next = Math.floor(n / 10);
      bytes[--at] = 0x30 + (n - next * 10);
      n = next;
    } while (n > 0);
    return this;
  }

  boolean(value: boolean): this {
    return this.raw(value ? 'true' : 'false');
  }

  /** An array of numbers (frame and line numbers). */
  numbers(values: readonly number[]): this {
    this.open('[');
    for (const n of values) this.item().number(n);
    return this.close(']');
  }

  /** Any plain data (figures, a leg, media streams, inputs) through JSON.stringify's own layout, indented to sit at this depth. */
  value(value: unknown): this {
    const text = jsonText(value, this.pretty ? 2 : undefined);
    // JSON text holds no raw line break inside a string: every line break is the layout's.
    return this.utf8(this.pretty && this.depth > 0 ? text.replace(/\n/g, '\n' + ' '.repeat(2 * this.depth)) : text);
  }
}
