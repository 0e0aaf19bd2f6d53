/**
 * Facts the rules derive from a call, computed once per call and shared by every rule that
 * asks (the response groups of thirteen rules, the T1 of six, the offer/answer pairs and the
 * answer of six media rules each): each rule walked the call for them before (BENCHMARKS.md,
 * sessions 7 and 18). A live view checks an open call again as it grows, so a fact is kept
 * with the count of messages it was computed from and made again when that count has changed; a
 * call's messages are only ever appended.
 *
 * Only the last call's fact is kept: the engine runs every rule on one call before the next
 * (src/annotate/engine.ts checkCall), so the rules of a call all find it; a fact holds one call
 * (the last asked about), not one entry per call handed over in a WeakMap, whose lookup each rule
 * paid and whose entries the collector walked (BENCHMARKS.md, session 13). The engine lets go of
 * that call once its rules have run (`releaseCallFacts`), so that no fact keeps a call, its
 * messages and their bytes alive after the call is handed over, or after the analysis ends.
 */
import type { Call } from '../parse/dialog/types.js';

export class PerCall<T> {
  private call: Call | null = null;
  private messages = 0;
  private value: T | undefined = undefined;

  constructor(private readonly compute: (call: Call) => T) {
    FACTS.push(this);
  }

  of(call: Call): T {
    if (this.call === call && this.messages === call.messages.length) return this.value as T;
    const value = this.compute(call);
    this.call = call;
    this.messages = call.messages.length;
    this.value = value;
    return value;
  }

  release(): void {
    this.call = null;
    this.value = undefined;
  }
}

/** Every fact, to be let go together: module-level constants of the rules, a fixed handful. */
const FACTS: PerCall<unknown>[] = [];

/** Lets go of the call every fact holds (the engine, after a call's rules have run). */
export function releaseCallFacts(): void {
  for (const fact of FACTS) fact.release();
}
