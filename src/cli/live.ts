/**
 * `siplens live`: the interactive view of calls as they happen. With `-i IFACE` it starts
 * tcpdump itself and reads the capture it writes; with `-` it reads a capture from stdin (the
 * keys then come from the terminal, /dev/tty); with a file it browses that capture. The analysis
 * runs as the report's does (src/analysis/session.ts), with the calls in progress and the
 * time-based rules live; the screens are src/present/live/, the keys src/cli/live-view.ts, the
 * files the keys write src/cli/live-save.ts. A live capture read more slowly than it is made
 * shows how far behind it is; tcpdump's drops and an end siplens did not ask for are diagnostics.
 */
import type { ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ReadStream } from 'node:tty';
import { analyzeStream, DIAGNOSTICS, type Diagnostic, type InputSpec, type OpenCallsView, type StreamedAnalysis } from '../index.js';
import type { Lang } from '../annotate/i18n.js';
import { LIVE } from '../present/catalog.js';
import { diagnosticText } from '../present/diagnostics.js';
import { LiveCalls } from '../present/live/store.js';
import { childProcess, readline } from '../parse/lazy-builtins.js';
import type { RedactOptions } from '../present/redact.js';
import { sanitizeForTerminal } from '../present/render/sanitize.js';
import { toMs } from '../time.js';
import { EXIT_INPUT_ERROR, EXIT_OK } from './exit-codes.js';
import { KeptCapture, LiveFiles } from './live-save.js';
import { LiveView, type Key } from './live-view.js';

/**
 * What tcpdump captures unless --filter says otherwise: SIP (5060, 5061 for TLS), HEP (9060),
 * the later fragments of fragmented datagrams (they carry no UDP header, so no port: RFC 791
 * fragment offset not zero), and with media, UDP on unprivileged ports (RTP and RTCP take
 * ports the SDP names, anywhere in that range).
 */
export function captureFilter(media: boolean): string {
  const parts = ['port 5060', 'port 5061', 'udp port 9060', '(ip[6:2] & 0x1fff != 0)'];
  if (media) parts.push('(udp portrange 1024-65535)');
  return parts.join(' or ');
}

/** tcpdump -i IFACE -U -w - FILTER: each packet written as it comes (-U), the capture on stdout. */
export function tcpdumpArguments(iface: string, filter: string): string[] {
  return ['-i', iface, '-U', '-w', '-', filter];
}

/** How long the view waits between two pictures of the calls in progress. */
const REFRESH_MS = 500;

/**
 * What a process wrote on stderr, bounded: its first lines (why it could not start) and its
 * last ones (what it says when it stops: tcpdump's packet counts).
 */
export class StderrLog {
  private head = '';
  private tail = '';

  constructor(private readonly keep = 4096) {}

  add(text: string): void {
    if (this.head.length < this.keep) this.head += text.slice(0, this.keep - this.head.length);
    this.tail = (this.tail + text).slice(-this.keep);
  }

  get start(): string {
    return this.head;
  }

  get end(): string {
    return this.tail;
  }
}

type Started = { readonly stream: Readable; readonly child: ChildProcess; readonly stderr: StderrLog } | { readonly error: string };

/**
 * Starts tcpdump; resolves once it has written its capture header (it does so at once with -U),
 * or with the sentence to show when it is missing, lacks permission or fails otherwise.
 */
export function startTcpdump(iface: string, filter: string, lang: Lang): Promise<Started> {
  const w = LIVE[lang];
  return new Promise((resolve) => {
    const child = childProcess().spawn('tcpdump', tcpdumpArguments(iface, filter), { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr = new StderrLog();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => stderr.add(text));
    child.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code === 'ENOENT' ? w.tcpdumpMissing : w.tcpdumpFailed(iface, sanitizeForTerminal(err.message)) }));
    // 'close', not 'exit': its stderr has been read to the end by then.
    child.once('close', () => {
      const reason = lastLine(stderr.start);
      resolve({ error: /permission|not permitted/i.test(stderr.start) ? w.tcpdumpDenied(iface) : w.tcpdumpFailed(iface, sanitizeForTerminal(reason)) });
    });
    // The capture header comes first; a tcpdump that fails closes its output empty, and its exit says why.
    child.stdout.once('readable', () => {
      if (child.stdout.readableLength > 0) resolve({ stream: child.stdout, child, stderr });
    });
  });
}

/** tcpdump's last line of its own (not its packet counts, nor a parenthesised detail), without "tcpdump: ". */
function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const own = lines.filter((l) => l !== '' && !l.startsWith('(') && !COUNT_LINE.test(l));
  return (own.pop() ?? '').replace(/^tcpdump: /, '');
}

const COUNT_LINE = /\d+ packets? (captured|received by filter|dropped by kernel|dropped by interface)/;

/** The last count tcpdump gave for `what` ("12 packets dropped by kernel"), or null when it gave none. */
function lastCount(stderr: string, what: string): number | null {
  let found: number | null = null;
  for (const m of stderr.matchAll(new RegExp(`(\\d+) packets? ${what}`, 'g'))) found = Number(m[1]);
  return found;
}

/**
 * What tcpdump's end says, as diagnostics: the packets it reports dropped (its summary on
 * stderr: "N packets dropped by kernel", and "by interface" when the driver counts them), and,
 * when siplens did not stop it (`asked` false), that it was killed or exited on an error.
 */
export function tcpdumpEnd(iface: string, stderr: string, exit: { readonly code: number | null; readonly signal: string | null }, asked: boolean): Diagnostic[] {
  const input = { path: iface };
  const found: Diagnostic[] = [];
  const dropped = lastCount(stderr, 'dropped by kernel') ?? 0;
  const byInterface = lastCount(stderr, 'dropped by interface') ?? 0;
  if (dropped + byInterface > 0) {
    const values = { input, process: 'tcpdump', dropped, received: lastCount(stderr, 'received by filter'), byInterface };
    found.push({ code: 'input.capture-drops', severity: DIAGNOSTICS['input.capture-drops'].severity, values, file: iface });
  }
  if (!asked && (exit.signal !== null || (exit.code ?? 0) !== 0)) {
    const reason = exit.signal === null ? lastLine(stderr) : '';
    const values = { input, process: 'tcpdump', signal: exit.signal, status: exit.signal === null ? exit.code : null, reason: reason === '' ? null : { text: reason } };
    found.push({ code: 'input.capture-stopped', severity: DIAGNOSTICS['input.capture-stopped'].severity, values, file: iface });
  }
  return found;
}

/** A lag past which the capture is said to be behind: packets wait to be read (the reader, not the line, is slow). */
const BEHIND_MS = 2000;
/** A lag larger than this is a capture's clock far from ours (an old capture piped in), not a slow reader. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;

/**
 * How far the reading of a live capture lags: the wall clock when a message is read, less its
 * capture time. Said only while messages come (a quiet line is not a slow reader).
 */
export class CaptureLag {
  private lagMs = 0;
  private seenAt = -Infinity;

  /** A message captured at `captureMs`, read at `wallMs`. */
  seen(captureMs: number, wallMs: number): void {
    this.lagMs = wallMs - captureMs;
    this.seenAt = wallMs;
  }

  /** Whole seconds behind at `wallMs`, or null when the capture is read as it is made. */
  behind(wallMs: number): number | null {
    if (wallMs - this.seenAt > BEHIND_MS || this.lagMs <= BEHIND_MS || this.lagMs > CLOCK_SKEW_MS) return null;
    return Math.floor(this.lagMs / 1000);
  }
}

export interface LiveArgs {
  /** A capture file, "-" for stdin, or undefined with `iface`. */
  readonly source?: string;
  readonly iface?: string;
  readonly filter?: string;
  readonly media: boolean;
  readonly lang: Lang;
  /** --redact: saved captures and exported reports are redacted as the command line's. */
  readonly redact?: RedactOptions;
}

/** The keyboard: stdin when it is the terminal, else the terminal itself (stdin carries the capture). */
function keyboard(stdinIsCapture: boolean): ReadStream | null {
  if (!stdinIsCapture && process.stdin.isTTY === true) return process.stdin as ReadStream;
  try {
    return new ReadStream(openSync('/dev/tty', 'r'));
  } catch {
    return null;
  }
}

/** Waits for a process to end, at most `ms`. */
function ended(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs the view until `q` (or the end of a live capture's tcpdump); returns the exit code. */
export async function runLive(args: LiveArgs): Promise<number> {
  const w = LIVE[args.lang];
  const stdinIsCapture = args.source === '-';
  const keys = process.stdout.isTTY === true ? keyboard(stdinIsCapture) : null;
  if (keys === null) {
    process.stderr.write(`${w.notTerminal}\n`);
    return EXIT_INPUT_ERROR;
  }
  let tcpdump: { readonly child: ChildProcess; readonly stderr: StderrLog; exit: { code: number | null; signal: string | null } | null } | null = null;
  let input: InputSpec;
  // A capture being made cannot be read twice: it is kept on disk as it is read, for `w`.
  let kept: KeptCapture | null = null;
  if (args.iface !== undefined) {
    const started = await startTcpdump(args.iface, args.filter ?? captureFilter(args.media), args.lang);
    if ('error' in started) {
      process.stderr.write(`${started.error}\n`);
      if (keys !== process.stdin) keys.destroy();
      return EXIT_INPUT_ERROR;
    }
    const running = { child: started.child, stderr: started.stderr, exit: null as { code: number | null; signal: string | null } | null };
    started.child.once('exit', (code, signal) => (running.exit = { code, signal }));
    tcpdump = running;
    kept = new KeptCapture();
    input = { name: args.iface, stream: kept.pass(started.stream) };
  } else if (stdinIsCapture) {
    kept = new KeptCapture();
    input = { name: '-', stream: kept.pass(process.stdin) };
  } else {
    input = args.source!;
  }
  const source = args.iface ?? args.source ?? '-';
  const live = args.iface !== undefined || stdinIsCapture;
  const store = new LiveCalls();
  const out = process.stdout;
  let finished: StreamedAnalysis | null = null;
  const files = new LiveFiles({ input: { name: source, path: kept?.path ?? source }, kept, redact: args.redact, lang: args.lang, inputs: () => finished?.inputs ?? [] });
  const terminal = new Terminal(out);
  /** Set on leaving: the terminal is the user's again, nothing more is drawn (a file still being written says nothing). */
  let quitting = false;
  const draw = (): void => {
    if (!quitting) terminal.draw(view.frame());
  };
  const view = new LiveView(store, { source, lang: args.lang, actions: files, browsing: !live, changed: () => draw() }, out.columns ?? 80, out.rows ?? 24);
  const controller = new AbortController();
  let open: OpenCallsView | null = null;
  const lag = new CaptureLag();
  /** A refresh is due for calls just flagged. */
  let flagged = false;
  /** What the capture process said when it stopped: shown in the view, and on stderr on leaving. */
  const alerts: Diagnostic[] = [];
  /** Why reading stopped, when no diagnostic covers it: said once the terminal is back. */
  let failure: string | null = null;

  const refresh = (): void => {
    if (open !== null) store.setOpen(open.openCalls());
    view.behindSeconds = live ? lag.behind(Date.now()) : null;
    view.refresh();
    draw();
  };
  tcpdump?.child.once('close', () => {
    alerts.push(...tcpdumpEnd(source, tcpdump!.stderr.end, tcpdump!.exit ?? { code: null, signal: null }, quitting));
    view.alerts = alerts.map((d) => sanitizeForTerminal(diagnosticText(d, args.lang)));
    if (!quitting) refresh();
  });
  let finish: () => void = () => {};
  const quit = new Promise<void>((resolve) => (finish = resolve));
  const onKey = (str: string | undefined, key: Key | undefined): void => {
    view.key(str, key ?? {});
    if (view.quit) return finish();
    draw();
  };
  const onResize = (): void => {
    view.width = out.columns ?? 80;
    view.height = out.rows ?? 24;
    view.refresh();
    terminal.reset();
    draw();
  };

  terminal.enter();
  readline().emitKeypressEvents(keys);
  keys.setRawMode(true);
  keys.on('keypress', onKey);
  keys.resume();
  out.on('resize', onResize);
  const timer = setInterval(refresh, REFRESH_MS);
  draw();
  const analysis = analyzeStream([input], {
    // A capture being made (tcpdump, stdin) moves on with the wall clock when the line is quiet.
    live,
    media: args.media,
    signal: controller.signal,
    onOpen: (v) => (open = v),
    // A call flagged while it is open shows at once, not at the next refresh (once for all the calls flagged together).
    onLiveFinding: () => {
      if (flagged) return;
      flagged = true;
      setImmediate(() => {
        flagged = false;
        refresh();
      });
    },
    onMessage: (m) => lag.seen(toMs(m.time), Date.now()),
    onCalls: (batch) => store.addEnded(batch),
    // The store gives the ended calls it keeps bytes of their own (LiveCalls.addEnded); the rest is let go.
    keepsHanded: false,
  }).then(
    (result) => {
      finished = result;
      view.ended = true;
      refresh();
    },
    (err: unknown) => {
      // Reading failed for a reason no diagnostic covers: the view stays up with what was read, and the reason is said on leaving.
      view.ended = true;
      refresh();
      failure = sanitizeForTerminal(String((err as Error)?.message ?? err));
    },
  );
  try {
    await quit;
  } finally {
    quitting = true;
    clearInterval(timer);
    keys.off('keypress', onKey);
    keys.setRawMode(false);
    if (keys === process.stdin) keys.pause();
    else keys.destroy();
    out.off('resize', onResize);
    terminal.leave();
    controller.abort();
    tcpdump?.child.kill('SIGTERM');
    if (stdinIsCapture) process.stdin.destroy();
  }
  await analysis;
  // A file being written reads the kept copy: it is removed once the file is done.
  await view.writing;
  kept?.remove();
  // tcpdump says on stopping what it dropped: heard before leaving, so that it is not lost with the view.
  if (tcpdump !== null) await ended(tcpdump.child, 2000);
  for (const d of alerts) process.stderr.write(`siplens: ${sanitizeForTerminal(diagnosticText(d, args.lang))}\n`);
  if (failure !== null) process.stderr.write(`siplens: ${failure}\n`);
  return EXIT_OK;
}

/**
 * The terminal: the alternate screen with the cursor hidden while the view is up, and each frame
 * written as the rows that changed since the last one (a keystroke that moves the selection
 * rewrites two rows, not the screen).
 */
class Terminal {
  private shown: string[] = [];

  constructor(private readonly out: NodeJS.WriteStream) {}

  enter(): void {
    this.out.write('\u001b[?1049h\u001b[?25l\u001b[2J');
  }

  leave(): void {
    this.out.write('\u001b[0m\u001b[?25h\u001b[?1049l');
  }

  /** Forget what is shown (after a resize the terminal's content is not what was written). */
  reset(): void {
    this.shown = [];
    this.out.write('\u001b[2J');
  }

  draw(lines: readonly string[]): void {
    let text = '';
    lines.forEach((line, y) => {
      if (this.shown[y] === line) return;
      text += `\u001b[${y + 1};1H${line}\u001b[0m`;
    });
    this.shown = [...lines];
    if (text !== '') this.out.write(text);
  }
}
