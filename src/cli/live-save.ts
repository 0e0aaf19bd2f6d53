/**
 * The live view's files: `w` writes the chosen calls as a capture with `--write-pcap` semantics
 * (their frames, media and ICMP errors in capture order, redacted with --redact;
 * src/present/capture/), `e` writes their HTML report (src/present/render/html.ts, the page the
 * command line writes). The writer reads the input a second time (docs/write-pcap.md): a file
 * browsed is read again; a live capture (tcpdump, stdin) is kept on disk as it is read, up to a
 * bound (`KeptCapture`), past which the copy stops and `w` says from when frames are missing.
 */
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Lang } from '../annotate/i18n.js';
import { streamChunks } from '../parse/capture/input.js';
import { readInput } from '../parse/pipeline.js';
import type { InputSummary, Severity } from '../types.js';
import { LIVE, REPORT } from '../present/catalog.js';
import { captureFileFormat } from '../present/capture/file-writer.js';
import { CaptureSelection } from '../present/capture/selection.js';
import { writeCapture, type InputToCopy } from '../present/capture/write.js';
import { ShownCounts } from '../present/filter.js';
import { redactTimeline, Redactor, type RedactOptions } from '../present/redact.js';
import { renderHtml } from '../present/render/html.js';
import type { Timeline, TimelineCall } from '../present/timeline.js';
import type { LiveActions } from './live-view.js';

/** Bytes of a live capture kept on disk for `w` at most: past it the copy stops (the analysis goes on) and `w` says so. */
export const DEFAULT_MAX_KEPT_BYTES = 1024 * 1024 * 1024;

/** A live capture's bytes copied to a temporary file as the analysis reads them, up to a bound. */
export class KeptCapture {
  readonly path: string;
  private readonly dir: string;
  private fd: number | null;
  bytes = 0;
  /** When the bound was reached (wall clock, ms), or null while the copy goes on. */
  fullAt: number | null = null;

  constructor(readonly maxBytes = DEFAULT_MAX_KEPT_BYTES) {
    this.dir = mkdtempSync(join(tmpdir(), 'siplens-live-'));
    this.path = join(this.dir, 'capture');
    this.fd = openSync(this.path, 'w');
  }

  /** The chunks of `stream`, each appended to the copy (while it is under the bound) before it is handed on. */
  async *pass(stream: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
    for await (const chunk of streamChunks(stream)) {
      if (this.fd !== null) {
        if (this.bytes + chunk.length > this.maxBytes) this.stop();
        else {
          for (let written = 0; written < chunk.length; ) written += writeSync(this.fd, chunk, written, chunk.length - written);
          this.bytes += chunk.length;
        }
      }
      yield chunk;
    }
  }

  private stop(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.fullAt = Date.now();
  }

  /** Removes the copy (on leaving the view). */
  remove(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface LiveFilesOptions {
  /** The input as the analysis names it, and the file it can be read again from (the file browsed, or the kept copy). */
  readonly input: InputToCopy;
  /** The copy of a live capture, when the input is one. */
  readonly kept: KeptCapture | null;
  readonly redact: RedactOptions | undefined;
  readonly lang: Lang;
  /** The inputs as read, once they all are (the HTML report lists them with their diagnostics); empty before. */
  readonly inputs: () => readonly InputSummary[];
}

const ZERO: Record<Severity, number> = { error: 0, warning: 0, info: 0 };

/** The link type of the first frame of a capture (a classic pcap names one before its first record), read by the capture readers. */
async function firstLinkType(path: string): Promise<number> {
  const stop = new AbortController();
  let linkType: number | null = null;
  await readInput(path, {
    onMessage: () => {},
    onFrame: (frame) => {
      linkType ??= frame.linkType;
      stop.abort();
    },
    signal: stop.signal,
  });
  return linkType ?? 1;
}

export class LiveFiles implements LiveActions {
  /** One set of pseudonyms for every file of the session (--redact): a call saved and exported reads the same. */
  private readonly redactor: Redactor | undefined;

  constructor(private readonly options: LiveFilesOptions) {
    this.redactor = options.redact === undefined ? undefined : new Redactor(options.redact.key);
  }

  suggestName(calls: readonly TimelineCall[], kind: 'pcap' | 'html'): string {
    // pcapng: it holds frames of any link type, with the input's timestamps to the nanosecond.
    const ext = kind === 'pcap' ? 'pcapng' : 'html';
    const base = calls.length === 1 ? `siplens-call-${calls[0]!.number}` : `siplens-${calls.length}-calls`;
    for (let n = 1; ; n++) {
      const name = `${base}${n === 1 ? '' : `-${n}`}.${ext}`;
      if (!existsSync(name)) return name;
    }
  }

  /** Why `path` may not be written, or null. */
  private refused(path: string): string | null {
    const w = LIVE[this.options.lang];
    if (resolve(path) === resolve(this.options.input.path)) return w.isInput(path);
    return existsSync(path) ? w.exists(path) : null;
  }

  async savePcap(calls: readonly TimelineCall[], path: string): Promise<string> {
    const { input, kept, lang } = this.options;
    const w = LIVE[lang];
    const refused = this.refused(path);
    if (refused !== null) return refused;
    if (calls.some((c) => c.messages.some((m) => m.frame === null))) return w.textLog(input.name);
    const selection = new CaptureSelection();
    for (const call of calls) selection.add(call);
    const format = captureFileFormat(path);
    const result = await writeCapture([input], selection, path, {
      format,
      linkType: format === 'pcap' ? await firstLinkType(input.path) : 1,
      ...(this.redactor === undefined ? {} : { redactor: this.redactor }),
    });
    const said = [w.saved(path, result.frames, result.calls, this.redactor !== undefined)];
    const leftOut = Object.values(result.leftOut).reduce((sum, n) => sum + n, 0);
    if (leftOut > 0) said.push(w.leftOut(leftOut));
    if (kept !== null && kept.fullAt !== null) said.push(w.keptFull(Math.round(kept.maxBytes / (1024 * 1024)), new Date(kept.fullAt).toISOString().slice(11, 19)));
    return said.join('; ');
  }

  async exportHtml(calls: readonly TimelineCall[], path: string): Promise<string> {
    const { lang } = this.options;
    const refused = this.refused(path);
    if (refused !== null) return refused;
    const inputs = this.options.inputs();
    const counts = new ShownCounts();
    for (const call of calls) counts.add(call);
    const diagnostics = { ...ZERO };
    for (const input of inputs) for (const d of input.diagnostics) diagnostics[d.severity]++;
    const whole: Timeline = { lang, inputs, calls, summary: counts.over({ calls: 0, messages: 0, retransmissions: 0, duplicates: 0, outcomes: {}, findings: { ...ZERO }, diagnostics, mainProblems: [] }) };
    const shown = this.options.redact === undefined ? whole : redactTimeline(whole, this.options.redact, this.redactor);
    // Before the capture is read to its end, the inputs are not known yet: the page is named after what is read.
    const name = this.redactor?.path(this.options.input.name) ?? this.options.input.name;
    writeFileSync(path, renderHtml(shown, inputs.length > 0 ? {} : { title: `${REPORT[lang].title} — ${name}` }));
    return LIVE[lang].exported(path, calls.length);
  }
}
