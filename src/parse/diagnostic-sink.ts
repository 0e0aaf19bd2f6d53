import { DIAGNOSTICS, type DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic, Location } from '../types.js';

/** How many diagnostics of one code are kept; the rest are counted in one `diagnostics.suppressed` entry. */
export const MAX_DIAGNOSTICS_PER_CODE = 200;
/** How many distinct keys an aggregated diagnostic tracks (e.g. EtherTypes); further keys fold into "other". */
const MAX_AGGREGATE_KEYS = 64;
/** The key further keys of a code fold into once MAX_AGGREGATE_KEYS are tracked (cannot be a real key: those never hold NUL). */
const OTHER_KEY = '\u0000other';

interface Aggregate {
  code: DiagnosticCode;
  message: string;
  location: Location;
  count: number;
}

/**
 * Collects diagnostics for one input. Bounded: per-code caps for individual
 * diagnostics, and counters (first location + count) for the ones that would
 * otherwise repeat once per packet, such as an unsupported link type.
 *
 * Cheap when a diagnostic repeats for every packet (a capture cut by a small snaplen, a clock
 * stepping back, keep-alives): `wants(code)` tells a caller whether building the sentence is
 * worth it, and `count` finds a known counter without building a key or calling `message`.
 */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];
  private readonly perCode = new Map<string, number>();
  /** Counters by code, then by key; `aggregateList` keeps them in order of creation. */
  private readonly aggregates = new Map<string, Map<string, Aggregate>>();
  private readonly aggregateList: Aggregate[] = [];
  private aggregateKeys = 0;

  constructor(private readonly file: string) {}

  /** One diagnostic at one place. */
  report(code: DiagnosticCode, message: string, location: Omit<Location, 'file'> = {}): void {
    const seen = (this.perCode.get(code) ?? 0) + 1;
    this.perCode.set(code, seen);
    if (seen > MAX_DIAGNOSTICS_PER_CODE) return;
    this.items.push({ code, severity: DIAGNOSTICS[code].severity, message, file: this.file, ...location });
  }

  /**
   * True when a diagnostic of `code` would still be listed, so the caller should build it and
   * `report` it. When false, the occurrence has been counted (as `report` would have counted it)
   * and there is nothing more to do: `if (sink.wants(code)) sink.report(code, sentence)`.
   */
  wants(code: DiagnosticCode): boolean {
    const seen = this.perCode.get(code) ?? 0;
    if (seen < MAX_DIAGNOSTICS_PER_CODE) return true;
    this.perCode.set(code, seen + 1);
    return false;
  }

  /** Count an occurrence of something reported once per `key` with its first location. */
  count(code: DiagnosticCode, key: string, message: () => string, location: Omit<Location, 'file'> = {}): void {
    let byKey = this.aggregates.get(code);
    if (byKey === undefined) {
      byKey = new Map();
      this.aggregates.set(code, byKey);
    }
    let aggregate = byKey.get(key);
    if (aggregate === undefined) {
      let mapKey = key;
      if (this.aggregateKeys >= MAX_AGGREGATE_KEYS) {
        mapKey = OTHER_KEY;
        aggregate = byKey.get(mapKey);
      }
      if (aggregate === undefined) {
        this.aggregateKeys++;
        aggregate = { code, message: message(), location: { file: this.file, ...location }, count: 0 };
        byKey.set(mapKey, aggregate);
        this.aggregateList.push(aggregate);
      }
    }
    aggregate.count++;
  }

  /** All diagnostics: individual ones in order of occurrence, then the aggregated counters, then suppression notes. */
  list(): Diagnostic[] {
    const out = [...this.items];
    for (const a of this.aggregateList) {
      out.push({ code: a.code, severity: DIAGNOSTICS[a.code].severity, message: a.message, ...a.location, count: a.count });
    }
    for (const [code, seen] of this.perCode) {
      if (seen > MAX_DIAGNOSTICS_PER_CODE) {
        out.push({
          code: 'diagnostics.suppressed',
          severity: 'info',
          message: `${seen - MAX_DIAGNOSTICS_PER_CODE} more ${code} diagnostics were counted but not listed`,
          file: this.file,
          count: seen - MAX_DIAGNOSTICS_PER_CODE,
        });
      }
    }
    return out;
  }

  /** True when an error-severity diagnostic was reported. */
  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}
