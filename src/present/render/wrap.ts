/**
 * Text output fitted to a terminal's width: a line too wide is broken between words, and each
 * piece after the first starts at a hanging indent, so a reader's eye finds where a message,
 * a finding or an option begins. A word wider than the room left is never cut (a Call-ID or a
 * URI must stay whole to be searched for): it gets a line of its own, wider than asked.
 */
import { displayWidth } from './ladder.js';

/** Our own colour sequences (SGR) take no cells; trace text never carries one (it is sanitized first). */
const SGR = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return displayWidth(text.replace(SGR, ''));
}

/** Spaces at the start of a line. */
export function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * `line` in pieces of at most `width` cells, broken at spaces; pieces after the first start
 * with `indent` spaces (at most half the width, so a deep indent still leaves room for words).
 */
export function wrapLine(line: string, width: number, indent: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const hang = ' '.repeat(Math.max(0, Math.min(indent, Math.floor(width / 2))));
  const lead = line.slice(0, leadingSpaces(line));
  // Runs of spaces are kept inside a piece (they align columns) and dropped where a line breaks.
  const words = line.slice(lead.length).split(/( +)/);
  const out: string[] = [];
  let current = lead;
  let currentWidth = visibleWidth(lead);
  let pendingSpace = '';
  let empty = true;
  for (const part of words) {
    if (part === '') continue;
    if (part.startsWith(' ')) {
      pendingSpace = part;
      continue;
    }
    const w = visibleWidth(part);
    if (!empty && currentWidth + pendingSpace.length + w > width) {
      out.push(current);
      current = hang + part;
      currentWidth = hang.length + w;
    } else {
      current += (empty ? '' : pendingSpace) + part;
      currentWidth += (empty ? 0 : pendingSpace.length) + w;
    }
    empty = false;
    pendingSpace = '';
  }
  out.push(current);
  return out;
}

/** Every line of `text` wrapped, each hanging `extra` columns deeper than its own indent. */
export function wrapText(text: string, width: number, extra = 2): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width, leadingSpaces(line) + extra))
    .join('\n');
}
