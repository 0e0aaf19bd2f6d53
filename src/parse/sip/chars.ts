/**
 * Byte classes used by the SIP detector and parser (RFC 3261 §25.1).
 * Tables have 256 entries so that any byte, or any char code of a latin1 string,
 * indexes them without a range check; a char code above 255 reads `undefined`.
 */

/** The ASCII codes the parser compares bytes with; a const enum, so that the bundler writes each into the code as a number (docs/decisions.md "Offsets read per packet as const enums"). */
export const enum Char {
  HTAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  SP = 0x20,
  DQUOTE = 0x22,
  STAR = 0x2a,
  COMMA = 0x2c,
  SLASH = 0x2f,
  COLON = 0x3a,
  SEMI = 0x3b,
  LT = 0x3c,
  EQ = 0x3d,
  GT = 0x3e,
  QMARK = 0x3f,
  AT = 0x40,
  LBRACKET = 0x5b,
  BACKSLASH = 0x5c,
  RBRACKET = 0x5d,
}

function table(pred: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = pred(c) ? 1 : 0;
  return t;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** ASCII letters. */
export const ALPHA = table(isAlpha);

/** RFC 3261 `token` characters: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~". */
export const TOKEN = table((c) => isAlpha(c) || isDigit(c) || '-.!%*_+`\'~'.includes(String.fromCharCode(c)));

/** RFC 3986 scheme characters after the first letter: ALPHA / DIGIT / "+" / "-" / ".". */
export const SCHEME = table((c) => isAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e);

export function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** SP or HTAB (RFC 3261 WSP). */
export function isWsp(c: number): boolean {
  return c === Char.SP || c === Char.HTAB;
}

/**
 * A string that keeps nothing else alive. V8 makes a slice of 13 chars or more a view into the
 * string it was cut from, so a Call-ID or tag kept while its call is open would keep the whole
 * message text; slicing a fresh concatenation instead makes the view's parent a private copy of
 * the few chars (a Buffer round trip would make a flat copy, at three times the cost).
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
