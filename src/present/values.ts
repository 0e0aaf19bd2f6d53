/**
 * How the values of a finding's data are written: the analysis reports raw, typed values
 * (src/annotate/rules/types.ts: endpoints as objects, durations as milliseconds, message
 * references as frame or line numbers) and this is the one place they become text, at render
 * time, for the sentences and for every output that prints the data (JSON keeps writing the
 * text of each value, so machine readers see the same strings as before).
 */
import type { DataValue, ReportData } from '../annotate/rules/types.js';
import type { Lang } from '../annotate/i18n.js';
import type { Endpoint } from '../types.js';

/** "10.0.0.1:5060" or "[2001:db8::1]:5060" (RFC 3986 §3.2.2): how every report writes an address and port. */
export function formatEndpoint(e: Endpoint): string {
  return `${endpointHost(e.ip)}:${e.port}`;
}

/** The address as `formatEndpoint` writes it before the port: an IPv6 address in brackets. */
export function endpointHost(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** Seconds as "12.4 s" or "850 ms". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** How a message is pointed at: "#12" (frame, as in Wireshark) or "L34" (line of a text log). */
export function messageRef(m: { readonly frame: number | null; readonly line: number | null }): string {
  return m.frame !== null ? `#${m.frame}` : m.line !== null ? `L${m.line}` : '?';
}

/**
 * A value of a finding's data as text. Every language writes them alike today (the Spanish
 * reports show "1.5 s" and "#12" as the English do); `lang` is where that would change.
 */
export function formatValue(value: DataValue, _lang: Lang = 'en'): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  switch (value.kind) {
    case 'endpoint':
      return formatEndpoint(value);
    case 'ms':
      return formatDuration(value.ms);
    case 'ref':
      return messageRef(value);
    case 'refs':
      return value.refs.map(messageRef).join(', ') + (value.total > value.refs.length ? ', …' : '');
  }
}

/** The data as machines read it (JSON, NDJSON): numbers stay numbers, every other value its text. */
export function plainData(data: ReportData, lang: Lang = 'en'): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(data)) out[name] = typeof value === 'number' ? value : formatValue(value, lang);
  return out;
}
