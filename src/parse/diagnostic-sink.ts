import { DIAGNOSTICS, type DiagnosticCode, type DiagnosticValues } from '../diagnostics.js';
import type { Diagnostic, DiagnosticOf, Location } from '../types.js';

/** How many diagnostics of one code are kept; the rest are counted in one `diagnostics.suppressed` entry. */
export const MAX_DIAGNOSTICS_PER_CODE = 200;
/** How many distinct keys an aggregated diagnostic tracks (e.g. EtherTypes); further keys fold into "other". */
const MAX_AGGREGATE_KEYS = 64;
/** The key further keys of a code fold into once MAX_AGGREGATE_KEYS are tracked (cannot be a real key: those never hold NUL). */
const OTHER_KEY = '\u0000other';

interface Aggregate {
  code: DiagnosticCode;
  values: DiagnosticValues[DiagnosticCode];
  location: Location;
  count: number;
}

/**
 * Collects diagnostics for one input. Bounded: per-code caps for individual
 * diagnostics, and counters (first location + count) for the ones that would
 * otherwise repeat once per packet, such as an unsupported link type.
 *
 * Cheap when a diagnostic repeats for every packet (a capture cut by a small snaplen, a clock
 * stepping back, keep-alives): `wants(code)` tells a caller whether building the values is
 * worth it, and `count` finds a known counter without keeping its values again.
 */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];
  private readonly perCode = new Map<DiagnosticCode, number>();
  /** Counters by code, then by key; `aggregateList` keeps them in order of creation. */
  private readonly aggregates = new Map<string, Map<string, Aggregate>>();
  private readonly aggregateList: Aggregate[] = [];
  private aggregateKeys = 0;

  constructor(private readonly file: string) {}

  /** One diagnostic at one place. */
  report<C extends DiagnosticCode>(code: C, values: DiagnosticValues[C], location: Omit<Location, 'file'> = {}): void {
    const seen = (this.perCode.get(code) ?? 0) + 1;
    this.perCode.set(code, seen);
    if (seen > MAX_DIAGNOSTICS_PER_CODE) return;
    this.items.push(diagnostic(code, values, { file: this.file, ...location }));
  }

  /**
   * True when a diagnostic of `code` would still be listed, so the caller should build it and
   * `report` it. When false, the occurrence has been counted (as `report` would have counted it)
   * and there is nothing more to do: `if (sink.wants(code)) sink.report(code, values)`.
   */
  wants(code: DiagnosticCode): boolean {
    const seen = this.perCode.get(code) ?? 0;
    if (seen < MAX_DIAGNOSTICS_PER_CODE) return true;
    this.perCode.set(code, seen + 1);
    return false;
  }

  /** Count an occurrence of something reported once per `key` with its first location. */
  count<C extends DiagnosticCode>(code: C, key: string, values: DiagnosticValues[C], location: Omit<Location, 'file'> = {}): void {
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
        aggregate = { code, values, location: { file: this.file, ...location }, count: 0 };
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
      out.push({ ...diagnostic(a.code, a.values, a.location), count: a.count });
    }
    for (const [code, seen] of this.perCode) {
      if (seen > MAX_DIAGNOSTICS_PER_CODE) {
        const count = seen - MAX_DIAGNOSTICS_PER_CODE;
        out.push({ ...diagnostic('diagnostics.suppressed', { count, code }, { file: this.file }), count });
      }
    }
    return out;
  }

  /** True when an error-severity diagnostic was reported. */
  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** A diagnostic of `code` at `location`, with its severity from the table. */
function diagnostic<C extends DiagnosticCode>(code: C, values: DiagnosticValues[C], location: Location): Diagnostic {
  return { code, severity: DIAGNOSTICS[code].severity, values, ...location } as DiagnosticOf<C> as Diagnostic;
}
