/**
 * Trace text is attacker-controlled. Before it reaches a terminal, every control character
 * (C0, DEL, C1 — which covers ESC/CSI/OSC sequences and backspace) and every bidirectional
 * override is replaced by a visible escape, so a header cannot move the cursor, change
 * colours, set a hyperlink or reorder what the reader sees.
 */
export function sanitizeForTerminal(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    const bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c;
    if (!control && !bidi) continue;
    out += text.slice(last, i) + (c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`);
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
