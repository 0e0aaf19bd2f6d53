/**
 * JSON text written as it is described, member by member, straight into UTF-8 bytes: the JSON
 * document and NDJSON describe a call once (json.ts) and this writer lays it out, on one line
 * (NDJSON) or indented two spaces a level (the JSON document), with no object built to be
 * serialized and each string escaped as it is copied. Byte for byte what `jsonText`
 * (JSON.stringify, then the unsafe characters as \u escapes) gives for the same members in the
 * same order: test/present/json-writer.test.ts holds the two to each other on any data, and the
 * goldens and the JSON Schema test on the reports.
 */
import { jsonText, jsonUnsafe } from './escape.js';

/** ASCII codes written per value; a const enum, so that the bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as const enums"). */
const enum Char {
  QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  COLON = 0x3a,
  SPACE = 0x20,
  NEWLINE = 0x0a,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d,
}

/**
 * True for a UTF-16 unit above ASCII that JSON.stringify writes as it is and `jsonText` leaves
 * alone: not one `jsonText` writes as a \u escape, not a surrogate (JSON.stringify escapes a lone
 * one; a pair goes the slow way too, rare in a trace).
 */
function plainAboveAscii(c: number): boolean {
  return (c < 0xd800 || c > 0xdfff) && !jsonUnsafe(c);
}

/** 10 to the power of its index, up to 10^14: where the digits of a number below 1e15 end. */
const POWERS_OF_TEN = Array.from({ length: 15 }, (_, i) => 10 ** i);
/** "00" to "99": the two digits of each number below 100, as ASCII. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

/** The writer's sizes, read per value written; a const enum for the same reason as Char. */
const enum Size {
  /** Escaped bytes of recurring texts (`recurring`) are kept for at most this many texts, of at most RECURRING_LONGEST UTF-16 units each. */
  RECURRING_TEXTS = 512,
  RECURRING_LONGEST = 200,
  /** Bytes at least this many are copied with TypedArray.set, fewer byte by byte (`copy`). */
  SET_FROM = 16,
  /** Strings at least this long start with a native scan and copy of their printable ASCII (`chars`); shorter ones, the loop alone. */
  NATIVE_FROM = 64,
  /** The buffer every writer starts with; a writer that outgrew it keeps its own until it is done (one call's text). */
  START_BYTES = 1 << 16,
}

/**
 * A UTF-16 unit that `chars` does not copy as it is: not printable ASCII, or `"` or `\`. Global,
 * so that `test` leaves its position in `lastIndex` without making a match.
 */
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

const RECURRING = new Map<string, Uint8Array>();
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
    // The shared buffer is this writer's until `done`; a writer made meanwhile gets one of its own.
    this.bytes = shared ?? Buffer.allocUnsafeSlow(Size.START_BYTES);
    shared = null;
  }

  /** The text written; the writer's buffer goes back for the next writer (this one is done with). */
  done(): string {
    const text = this.bytes.toString(this.ascii ? 'latin1' : 'utf8', 0, this.at);
    this.release();
    return text;
  }

  /**
   * The UTF-8 bytes written, as a view of the writer's buffer: valid only until the next writer
   * is made, which reuses it (this one is done with).
   */
  doneBytes(): Uint8Array {
    const bytes = this.bytes.subarray(0, this.at);
    this.release();
    return bytes;
  }

  private release(): void {
    // A buffer grown for one huge call is let go, so memory follows the calls, not the largest one seen.
    if (this.bytes.length === Size.START_BYTES) shared = this.bytes;
    this.at = 0;
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

  /** Most bytes a separator takes at the current depth: a comma, a line break and the indent. */
  private separatorRoom(): number {
    return this.pretty ? 2 * this.depth + 2 : 1;
  }

  /** The comma before all but the first member or item, then (indented) a line break and the indent; room made by the caller. */
  private separate(at: number): number {
    const bytes = this.bytes;
    if (!this.first) bytes[at++] = Char.COMMA;
    this.first = false;
    if (this.pretty) at = this.newline(at);
    return at;
  }

  /** A line break and the indent of the current depth (pretty only), at `at`; room made by the caller. */
  private newline(at: number): number {
    const bytes = this.bytes;
    bytes[at++] = Char.NEWLINE;
    for (let end = at + 2 * this.depth; at < end; ) bytes[at++] = Char.SPACE;
    return at;
  }

  open(bracket: '{' | '['): this {
    this.byte(bracket.charCodeAt(0));
    this.depth++;
    this.first = true;
    return this;
  }

  close(bracket: '}' | ']'): this {
    this.depth--;
    this.room(this.separatorRoom());
    // An empty object or array closes at once, as JSON.stringify writes `[]`.
    if (!this.first && this.pretty) this.at = this.newline(this.at);
    this.bytes[this.at++] = bracket.charCodeAt(0);
    this.first = false;
    return this;
  }

  /** Starts an item of the array being written: the value follows. */
  item(): this {
    this.room(this.separatorRoom());
    this.at = this.separate(this.at);
    return this;
  }

  /** Starts a member of the object being written, named by the schema (siplens's own ASCII name, written as it is): the value follows. */
  key(name: string): this {
    this.room(this.separatorRoom() + name.length + 4);
    const bytes = this.bytes;
    let at = this.separate(this.at);
    bytes[at++] = Char.QUOTE;
    for (let i = 0; i < name.length; i++) bytes[at++] = name.charCodeAt(i);
    bytes[at++] = Char.QUOTE;
    bytes[at++] = Char.COLON;
    if (this.pretty) bytes[at++] = Char.SPACE;
    this.at = at;
    return this;
  }

  /**
   * A string, escaped as it is copied: printable ASCII (`"` and `\` with a backslash before
   * them) and the characters above ASCII that need no escape are written as UTF-8 here; anything
   * else sends the whole string through `jsonText`, which knows every escape (rare: control
   * characters, bidi controls, astral characters).
   */
  string(text: string | null): this {
    if (text === null) return this.raw('null');
    this.byte(Char.QUOTE);
    this.chars(text);
    this.byte(Char.QUOTE);
    return this;
  }

  /** Opens a string written in parts (`chars`, `raw`, `digits`), as a value made of parts (a time, an address) is, without making it first. */
  openString(): this {
    this.byte(Char.QUOTE);
    return this;
  }

  closeString(): this {
    this.byte(Char.QUOTE);
    return this;
  }

  /** Text inside a string, escaped as `string` escapes it. */
  chars(text: string): this {
    const length = text.length;
    this.room(3 * length);
    const bytes = this.bytes;
    const start = this.at;
    let at = start;
    let i = 0;
    if (length >= Size.NATIVE_FROM) {
      // The run of printable ASCII before the first character the loop must look at, found by
      // the regular expression's compiled scan and copied by Buffer's native write: a Call-ID, a
      // Request-URI, a finding's sentences, at a fraction of the loop's cost a character.
      NOT_PLAIN.lastIndex = 0;
      i = NOT_PLAIN.test(text) ? NOT_PLAIN.lastIndex - 1 : length;
      if (i > 0) at += bytes.write(text, at, i, 'latin1');
    }
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f && c !== Char.QUOTE && c !== Char.BACKSLASH) bytes[at++] = c;
      else if (c === Char.QUOTE || c === Char.BACKSLASH) {
        // As JSON.stringify escapes them; common in a finding's sentences (quoted header text).
        bytes[at++] = Char.BACKSLASH;
        bytes[at++] = c;
      } else if (c < 0x80 || !plainAboveAscii(c)) {
        // jsonText's escapes, without its quotes, over what the loop began.
        this.at = start;
        return this.utf8(jsonText(text).slice(1, -1));
      } else if (c < 0x800) {
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
    this.at = at;
    return this;
  }

  /**
   * `string(text)` for a text that recurs from message to message (an input's name, a method, a
   * note from siplens's tables): its escaped bytes are kept and copied instead of escaped again.
   */
  recurring(text: string | null): this {
    if (text === null) return this.raw('null');
    this.byte(Char.QUOTE);
    this.recurringChars(text);
    this.byte(Char.QUOTE);
    return this;
  }

  /** `chars(text)` for a text that recurs (see `recurring`). */
  recurringChars(text: string): this {
    const kept = RECURRING.get(text);
    if (kept === undefined) {
      const start = this.at;
      this.chars(text);
      if (text.length <= Size.RECURRING_LONGEST) {
        // A table of texts seen, bounded: emptied when full (the texts still recurring come back at once).
        if (RECURRING.size >= Size.RECURRING_TEXTS) RECURRING.clear();
        RECURRING.set(text, new Uint8Array(this.bytes.subarray(start, this.at)));
      }
      return this;
    }
    this.copy(kept);
    // An escape or a character above ASCII makes more bytes than UTF-16 units; ASCII text alone makes as many.
    if (kept.length !== text.length) this.ascii = false;
    return this;
  }

  /**
   * The members of `run` (names and values all siplens's own), then the name of the member whose
   * value follows if it has one: their text copied at once, as `key` and `plain` would write them one by one
   * at this layout and depth, encoded the first time it is met there. Most message rows have
   * runs of members whose values are the same on every row (a request's null status and reason):
   * written member by member they were a call, a room check and a copy byte by byte each.
   */
  constants(run: ConstantMembers): this {
    const text = this.encoded(run);
    this.room(this.separatorRoom() + text.length);
    this.at = this.separate(this.at);
    this.copy(text);
    return this;
  }

  private encoded(run: ConstantMembers): Uint8Array {
    // One line is layout 0; indented, one layout per depth (a message row's members are at one depth).
    const layout = this.pretty ? this.depth + 1 : 0;
    const kept = run.encodings[layout];
    if (kept !== undefined) return kept;
    // Written by the writer's own `key` and `plain` at this layout, as the first member of an object (no separator before it).
    const w = new JsonWriter(this.pretty, this.depth);
    for (const [name, value] of run.members) w.key(name).plain(value);
    if (run.then !== null) w.key(run.then);
    // The separator before the run is `constants`'s: the text starts after the first separator.
    const bytes = Uint8Array.from(w.doneBytes().subarray(this.pretty ? 1 + 2 * this.depth : 0));
    if (layout < ConstantMembers.LAYOUTS) run.encodings[layout] = bytes;
    return bytes;
  }

  /** Where the next byte goes: the start of a text the caller keeps a copy of (`writtenSince`). */
  get position(): number {
    return this.at;
  }

  /** A copy of the bytes written from `start` (a `position`) to here, for `again` to write once more. */
  writtenSince(start: number): Uint8Array {
    return Uint8Array.from(this.bytes.subarray(start, this.at));
  }

  /** Bytes from `writtenSince` written once more; `ascii`: whether they are all ASCII. */
  again(bytes: Uint8Array, ascii: boolean): this {
    this.copy(bytes);
    if (!ascii) this.ascii = false;
    return this;
  }

  /** ASCII text of siplens's own as bytes made once (the second of a time). */
  asciiBytes(text: Uint8Array): this {
    this.copy(text);
    return this;
  }

  /** Bytes as they are. */
  private copy(text: Uint8Array): void {
    const length = text.length;
    this.room(length);
    const bytes = this.bytes;
    let at = this.at;
    // A loop for a few bytes, below TypedArray.set's own cost; set (a copy of memory) above:
    // about 25 ns whatever the length against 1.5–3 ns a byte for the loop (a file name, a note).
    if (length < Size.SET_FROM) for (let i = 0; i < length; i++) bytes[at++] = text[i]!;
    else {
      bytes.set(text, at);
      at += length;
    }
    this.at = at;
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
    if (value >= 0) return this.digits(value, 1);
    this.byte(0x2d);
    return this.digits(-value, 1);
  }

  /**
   * `number(Math.round(value * 1000) / 1000)` (a duration in milliseconds to the microsecond, as
   * the schema rounds them) from the integer count of thousandths, without making the double's
   * text: every message has one. For |m| < 1e15 the shortest text that reads back as the double
   * nearest m / 1000, which JSON.stringify writes, is m / 1000 in decimal itself: it has at most
   * 15 significant digits, and no two decimals of 15 digits or fewer round to the same double.
   */
  thousandths(value: number): this {
    const m = Math.round(value * 1000);
    if (!Number.isFinite(m) || Math.abs(m) >= 1e15) return this.number(m / 1000);
    // -0 too: JSON.stringify writes 0.
    if (m === 0) return this.raw('0');
    let rest = m;
    if (m < 0) {
      this.byte(0x2d);
      rest = -m;
    }
    const whole = Math.floor(rest / 1000);
    const fraction = rest - whole * 1000;
    this.digits(whole, 1);
    if (fraction === 0) return this;
    this.byte(0x2e);
    // Without trailing zeros, as the shortest text has none.
    if (fraction % 100 === 0) return this.digits(fraction / 100, 1);
    if (fraction % 10 === 0) return this.digits(fraction / 10, 2);
    return this.digits(fraction, 3);
  }

  /** A non-negative integer below 1e15 in decimal, padded with zeros to `width` digits. */
  digits(value: number, width: number): this {
    let count = 1;
    while (count < 15 && value >= POWERS_OF_TEN[count]!) count++;
    if (count < width) count = width;
    this.room(count);
    const bytes = this.bytes;
    const start = this.at;
    let at = start + count;
    this.at = at;
    // Two digits per division, from a table; integer arithmetic for what fits 31 bits (frame
    // numbers, ports, nanoseconds), no float division.
    const small = value <= 0x7fffffff;
    let n = value;
    while (n >= 100) {
      const next = small ? (n / 100) | 0 : Math.floor(n / 100);
      const pair = 2 * (n - next * 100);
      bytes[--at] = DIGIT_PAIRS[pair + 1]!;
      bytes[--at] = DIGIT_PAIRS[pair]!;
      n = next;
    }
    if (n >= 10) {
      bytes[--at] = DIGIT_PAIRS[2 * n + 1]!;
      bytes[--at] = DIGIT_PAIRS[2 * n]!;
    } else bytes[--at] = 0x30 + n;
    while (at > start) bytes[--at] = 0x30;
    return this;
  }

  boolean(value: boolean): this {
    return this.raw(value ? 'true' : 'false');
  }

  /** An array of numbers (frame and line numbers). */
  numbers(values: readonly number[]): this {
    // Most messages' findings, and a finding's lines in a capture.
    if (values.length === 0) return this.raw('[]');
    // One item on one line (a message's frames): the brackets around it, without an array's bookkeeping.
    if (values.length === 1 && !this.pretty) {
      this.byte(Char.OPEN_BRACKET);
      this.number(values[0]!);
      this.byte(Char.CLOSE_BRACKET);
      this.first = false;
      return this;
    }
    this.open('[');
    // An index, not for-of: the arrays come in several elements kinds (a shared frozen empty one
    // too), and for-of's iterator over them was most of this function's time.
    for (let i = 0; i < values.length; i++) this.item().number(values[i]!);
    return this.close(']');
  }

  /**
   * Plain data (figures, a leg, media streams, a finding's data, the inputs and summary) member by
   * member, as JSON.stringify lays it out: own enumerable members in their order, members whose
   * value is undefined or a function left out, and such items written as null. Anything else
   * (an object with `toJSON`, a boxed primitive, a bigint) goes through `jsonText` itself.
   */
  plain(value: unknown): this {
    if (value === null) return this.raw('null');
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        return this.number(value);
      case 'boolean':
        return this.boolean(value);
      case 'object':
        break;
      default:
        return this.stringified(value);
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || value instanceof Number || value instanceof String || value instanceof Boolean) return this.stringified(value);
    if (Array.isArray(value)) {
      this.open('[');
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        this.item();
        if (skipped(item)) this.raw('null');
        else this.plain(item);
      }
      return this.close(']');
    }
    this.open('{');
    const record = value as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const member = record[name];
      if (skipped(member)) continue;
      // A name from data, escaped as a string is.
      this.room(this.separatorRoom());
      this.at = this.separate(this.at);
      this.string(name);
      this.byte(Char.COLON);
      if (this.pretty) this.byte(Char.SPACE);
      this.plain(member);
    }
    return this.close('}');
  }

  /** `value` through `jsonText`, indented to sit at this depth. */
  private stringified(value: unknown): this {
    const text = jsonText(value, this.pretty ? 2 : undefined);
    // JSON text holds no raw line break inside a string: every line break is the layout's.
    return this.utf8(this.pretty && this.depth > 0 ? text.replace(/\n/g, '\n' + ' '.repeat(2 * this.depth)) : text);
  }
}

/**
 * Members whose names and values are siplens's own constants, and the name of the member after
 * them whose value the caller writes (none when the run ends the object), for `JsonWriter.constants`.
 */
export class ConstantMembers {
  /** Layouts whose text is kept: one line, and indented up to this many levels deep less one. */
  static readonly LAYOUTS = 16;
  /** The text at each layout met (`JsonWriter.encoded`). */
  readonly encodings: (Uint8Array | undefined)[] = [];

  constructor(
    readonly members: readonly (readonly [name: string, value: null | boolean | readonly []])[],
    readonly then: string | null = null,
  ) {}
}

/** What JSON.stringify leaves out of an object and writes as null in an array. */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
