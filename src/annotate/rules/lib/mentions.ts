/**
 * A look at a message's bytes before its header lines are read: reading them (SipMessage.headers)
 * decodes the header section and makes an object per line, about ten times the cost of this scan,
 * and most messages a rule asks about lack what it looks for. For headers the parser keeps no
 * presence bit of (HEADER_BIT, mayHaveHeader): Warning, User-Agent.
 */
import type { SipMessage } from '../../../parse/sip/types.js';

/**
 * False when no header of the message can say any of `words` (lower-case ASCII): none appears,
 * in any letter case, in the bytes before its body, and those bytes are all ASCII. Header names
 * are ASCII tokens compared without case, and a value joins its folded lines with a space, so a
 * word a header holds is in its bytes; a UTF-8 value, lower-cased, could make an ASCII letter of
 * another one (the Kelvin sign gives "k"), hence true for any byte above 0x7f.
 */
export function headerSectionMentions(msg: SipMessage, words: readonly string[]): boolean {
  const raw = msg.raw;
  const end = Math.min(msg.bodyOffset, raw.length);
  for (let i = 0; i < end; i++) {
    const b = raw[i]!;
    if (b > 0x7f) return true;
    const first = lowerAscii(b);
    for (const word of words) {
      if (word.charCodeAt(0) !== first || i + word.length > end) continue;
      let k = 1;
      while (k < word.length && lowerAscii(raw[i + k]!) === word.charCodeAt(k)) k++;
      if (k === word.length) return true;
    }
  }
  return false;
}

/**
 * What a Contact line starts with: its name, or its compact form "m" at the start of a line before
 * the colon (RFC 3261 §7.3.3). Most requests after the INVITE (ACK, BYE) have none.
 */
export const CONTACT_WORDS: readonly string[] = ['contact', '\nm:', '\nm ', '\nm\t'];

function lowerAscii(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}
