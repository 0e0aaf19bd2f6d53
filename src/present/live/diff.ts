/**
 * Two messages compared line by line (the live view's compare panel): an INVITE and its
 * retransmission, or the same request on two legs of a B2BUA. A longest-common-subsequence diff
 * of their lines, as `diff -u` shows it: lines in both, lines only in the first, lines only in the
 * second. Pure and bounded: the lines both share at the start and the end are taken off first
 * (two copies of a message differ in a few headers), and the middle left is compared in a table of
 * at most MAX_TABLE cells; past it, the middle is shown as removed then added (still a true
 * diff, only not the shortest).
 */

export type DiffKind = 'same' | 'removed' | 'added';

export interface DiffLine {
  readonly kind: DiffKind;
  readonly text: string;
}

/** Cells of the LCS table at most (two bytes each): two 2,000-line bodies that differ everywhere. */
const MAX_TABLE = 4_000_000;

/** The lines of `a` and `b` with what each has that the other has not, in order. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ kind: 'same', text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  out.push(...middle(midA, midB));
  out.push(...a.slice(endA).map((text): DiffLine => ({ kind: 'same', text })));
  return out;
}

function middle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const removed = (text: string): DiffLine => ({ kind: 'removed', text });
  const added = (text: string): DiffLine => ({ kind: 'added', text });
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_TABLE || n > 0xffff || m > 0xffff) return [...a.map(removed), ...b.map(added)];
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], row-major.
  const width = m + 1;
  const lcs = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) out.push(removed(a[i++]!));
    else out.push(added(b[j++]!));
  }
  while (i < n) out.push(removed(a[i++]!));
  while (j < m) out.push(added(b[j++]!));
  return out;
}
