/**
 * TLS session secrets in the NSS key log format (the SSLKEYLOGFILE format that OpenSSL's
 * `-keylogfile`, Node's 'keylog' event, browsers, Kamailio and editcap's Decryption Secrets
 * Block all use): one line per secret, `LABEL <client random, 64 hex> <secret, hex>`, `#`
 * comments. A connection finds its secrets by the client random of its ClientHello.
 */
import { readFile } from 'node:fs/promises';
import type { DiagnosticValues } from '../../../diagnostics.js';
import { errorText } from '../../capture/input.js';

/** The secrets of one TLS session, by what the key log called them. */
export interface TlsSecrets {
  /** TLS 1.2 and below: CLIENT_RANDOM, the 48-byte master secret (RFC 5246 §8.1). */
  master?: Buffer;
  /** TLS 1.3 (RFC 8446 §7.1). */
  clientHandshake?: Buffer;
  serverHandshake?: Buffer;
  clientTraffic?: Buffer;
  serverTraffic?: Buffer;
}

const LABELS: Readonly<Record<string, keyof TlsSecrets>> = {
  CLIENT_RANDOM: 'master',
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'clientHandshake',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'serverHandshake',
  CLIENT_TRAFFIC_SECRET_0: 'clientTraffic',
  SERVER_TRAFFIC_SECRET_0: 'serverTraffic',
};

/**
 * Labels that are valid key log lines but carry nothing siplens uses: 0-RTT data, exporters, RSA
 * pre-master secrets, and the traffic secrets after a KeyUpdate (OpenSSL writes them as
 * *_TRAFFIC_SECRET_N), which siplens derives itself from generation 0 (RFC 8446 §7.2).
 */
const UNUSED_LABELS: ReadonlySet<string> = new Set([
  'CLIENT_EARLY_TRAFFIC_SECRET',
  'EARLY_EXPORTER_SECRET',
  'EXPORTER_SECRET',
  'RSA',
  'CLIENT_TRAFFIC_SECRET_N',
  'SERVER_TRAFFIC_SECRET_N',
]);

/** Sessions kept from all key logs: far more than one capture's connections, and a bound on memory (about 300 bytes each). */
export const MAX_KEYLOG_SESSIONS = 200_000;

const HEX = /^[0-9a-fA-F]+$/;

/** What reading one key log found wrong: lines it could not read, sessions past the bound. */
export interface KeyLogReport {
  /** Lines that are neither a comment, a blank, a key line nor a known unused label. */
  badLines: number;
  firstBadLine: number | null;
  /** Sessions dropped at the bound. */
  dropped: number;
  /** Sessions this log gave (new or completed). */
  sessions: number;
}

/** Secrets by client random (lower-case hex), from every key log given and the capture's own secrets. */
export class TlsKeyLog {
  private readonly sessions = new Map<string, TlsSecrets>();

  constructor(private readonly parent: TlsKeyLog | null = null) {}

  /** True when some secret is known here or in the parent: TLS connections are then followed to be decrypted. */
  get any(): boolean {
    return this.sessions.size > 0 || (this.parent?.any ?? false);
  }

  /** Sessions known (the parent's included). */
  get size(): number {
    return this.sessions.size + (this.parent?.size ?? 0);
  }

  /** The secrets of the session whose ClientHello carried `clientRandom` (32 bytes). */
  lookup(clientRandom: Uint8Array): TlsSecrets | null {
    const key = Buffer.from(clientRandom).toString('hex');
    return this.sessions.get(key) ?? this.parent?.sessions.get(key) ?? null;
  }

  /** Adds every line of a key log; returns what could not be used. */
  addText(text: string): KeyLogReport {
    const report: KeyLogReport = { badLines: 0, firstBadLine: null, dropped: 0, sessions: 0 };
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '' || line.startsWith('#')) continue;
      const result = this.addLine(line);
      if (result === 'bad') {
        report.badLines++;
        report.firstBadLine ??= i + 1;
      } else if (result === 'dropped') report.dropped++;
      else if (result === 'new') report.sessions++;
    }
    return report;
  }

  private addLine(line: string): 'new' | 'known' | 'unused' | 'bad' | 'dropped' {
    const fields = line.split(/\s+/);
    if (fields.length !== 3) return 'bad';
    const [label, random, secret] = fields as [string, string, string];
    if (UNUSED_LABELS.has(label)) return 'unused';
    const slot = LABELS[label];
    // 32-byte client random; secrets of 32 or 48 bytes (SHA-256 or SHA-384, the 48-byte master secret).
    if (slot === undefined || random.length !== 64 || !HEX.test(random) || secret.length % 2 !== 0 || secret.length < 32 || secret.length > 128 || !HEX.test(secret)) return 'bad';
    const key = random.toLowerCase();
    let session = this.sessions.get(key);
    const fresh = session === undefined;
    if (session === undefined) {
      if (this.sessions.size >= MAX_KEYLOG_SESSIONS) return 'dropped';
      this.sessions.set(key, (session = {}));
    }
    session[slot] = Buffer.from(secret, 'hex');
    return fresh ? 'new' : 'known';
  }
}

/** A key log file that could not be read, or lines in it that could not be used, as the diagnostic says it. */
export type KeyLogProblem =
  | { readonly code: 'tls.keylog-unreadable'; readonly values: DiagnosticValues['tls.keylog-unreadable'] }
  | { readonly code: 'tls.keylog-bad-lines'; readonly values: DiagnosticValues['tls.keylog-bad-lines'] };

/** Reads key log files into one store; what went wrong with each is returned, never thrown. */
export async function readKeyLogs(paths: readonly string[]): Promise<{ keys: TlsKeyLog; problems: KeyLogProblem[] }> {
  const keys = new TlsKeyLog();
  const problems: KeyLogProblem[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'latin1');
    } catch (err) {
      // diagnostic: tls.keylog-unreadable (handed back to the session, which reports it)
      problems.push({ code: 'tls.keylog-unreadable', values: { input: { path }, error: errorText(err) } });
      continue;
    }
    const report = keys.addText(text);
    if (report.badLines > 0 || report.dropped > 0 || report.sessions === 0) {
      problems.push({ code: 'tls.keylog-bad-lines', values: { input: { path }, badLines: report.badLines, firstBadLine: report.firstBadLine, sessions: report.sessions, dropped: report.dropped, max: MAX_KEYLOG_SESSIONS } });
    }
  }
  return { keys, problems };
}
