import { DIAGNOSTICS, type DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic, Location } from '../types.js';

/** How many diagnostics of one code are kept; the rest are counted in one `diagnostics.suppressed` entry. */
export const MAX_DIAGNOSTICS_PER_CODE = 200;
/** How many distinct keys an aggregated diagnostic tracks (e.g. EtherTypes); further keys fold into "other". */
const MAX_AGGREGATE_KEYS = 64;

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
 */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];
  private readonly perCode = new Map<string, number>();
  private readonly aggregates = new Map<string, Aggregate>();
  private aggregateKeys = 0;

  constructor(private readonly file: string) {}

  /** One diagnostic at one place. */
  report(code: DiagnosticCode, message: string, location: Omit<Location, 'file'> = {}): void {
    const seen = (this.perCode.get(code) ?? 0) + 1;
    this.perCode.set(code, seen);
    if (seen > MAX_DIAGNOSTICS_PER_CODE) return;
    this.items.push({ code, severity: DIAGNOSTICS[code].severity, message, file: this.file, ...location });
  }

  /** Count an occurrence of something reported once per `key` with its first location. */
  count(code: DiagnosticCode, key: string, message: () => string, location: Omit<Location, 'file'> = {}): void {
    let mapKey = `${code}\u0000${key}`;
    let aggregate = this.aggregates.get(mapKey);
    if (aggregate === undefined) {
      if (this.aggregateKeys >= MAX_AGGREGATE_KEYS) {
        mapKey = `${code}\u0000\u0000other`;
        aggregate = this.aggregates.get(mapKey);
      }
      if (aggregate === undefined) {
        this.aggregateKeys++;
        aggregate = { code, message: message(), location: { file: this.file, ...location }, count: 0 };
        this.aggregates.set(mapKey, aggregate);
      }
    }
    aggregate.count++;
  }

  /** All diagnostics: individual ones in order of occurrence, then the aggregated counters, then suppression notes. */
  list(): Diagnostic[] {
    const out = [...this.items];
    for (const a of this.aggregates.values()) {
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
