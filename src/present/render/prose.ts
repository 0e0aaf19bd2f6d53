/**
 * A finding's sentences are templates filled with data from the trace ("REGISTER for
 * sip:dave@example.com was answered 410 Gone"). Renderers that mark trace values up
 * differently from their own words (a code span in Markdown, <code> in HTML) split the
 * sentence at the data values first; this works whatever language the template is in.
 */
import { formatValue } from '../values.js';
import type { Finding } from '../../annotate/rules/types.js';

export interface ProsePart {
  readonly text: string;
  /** True for a piece that came from the finding's data (trace text). */
  readonly value: boolean;
}

/** Splits `text` at every occurrence of the finding's data values as written (longest first, no overlaps). */
export function splitProse(text: string, finding: Pick<Finding, 'data'>): ProsePart[] {
  const values = [...new Set(Object.values(finding.data).map((v) => formatValue(v)))].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  const parts: ProsePart[] = [];
  let plain = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const v of values) {
      if (text.startsWith(v, i)) {
        if (plain) parts.push({ text: plain, value: false });
        plain = '';
        parts.push({ text: v, value: true });
        i += v.length;
        continue outer;
      }
    }
    plain += text[i];
    i++;
  }
  if (plain) parts.push({ text: plain, value: false });
  return parts;
}
