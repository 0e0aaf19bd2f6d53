/**
 * Facts the rules derive from a call, computed once per call and shared by every rule that
 * asks (the response groups of thirteen rules, the T1 of six, the offer/answer pairs of six
 * media rules): each rule walked the call for them before (BENCHMARKS.md, session 7). A live
 * view checks an open call again as it grows, so a fact is kept with the count of messages it
 * was computed from and made again when that count has changed; a call's messages are only
 * ever appended.
 */
import type { Call } from '../parse/dialog/types.js';

export class PerCall<T> {
  private readonly cache = new WeakMap<Call, { readonly messages: number; readonly value: T }>();

  constructor(private readonly compute: (call: Call) => T) {}

  of(call: Call): T {
    const hit = this.cache.get(call);
    if (hit !== undefined && hit.messages === call.messages.length) return hit.value;
    const value = this.compute(call);
    this.cache.set(call, { messages: call.messages.length, value });
    return value;
  }
}
