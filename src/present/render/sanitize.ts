/**
 * Characters that act instead of showing, or that show nothing: C0 and C1 controls and DEL
 * (which cover ESC/CSI/OSC sequences, backspace, bare CR, BEL), bidirectional controls
 * (embeddings, overrides, isolates, marks: Trojan Source), invisible characters that can hide
 * or split a word (zero-width space, joiners, word joiner and invisible operators, BOM, soft
 * hyphen, Mongolian vowel separator, deprecated format controls, interlinear annotations),
 * and the Unicode line and paragraph separators, which some renderers treat as line breaks.
 */
function isUnsafe(c: number): boolean {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  if (c < 0xad) return false; // fast path: printable ASCII and Latin-1
  return (
    c === 0xad ||
    c === 0x061c ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb)
  );
}

/**
 * Trace text is attacker-controlled. Before it reaches a terminal (or a page, a CI report, a
 * Markdown ticket), every character above is replaced by a visible escape (`\x1b`, `\u202e`),
 * so a header cannot move the cursor, change colours, set a hyperlink, reorder or hide what
 * the reader sees, or start a new line.
 */
export function sanitizeForTerminal(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isUnsafe(c)) continue;
    out += text.slice(last, i) + (c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`);
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
