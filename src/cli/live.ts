/**
 * `siplens live`: the interactive view of calls as they happen. With `-i IFACE` it starts
 * tcpdump itself and reads the capture it writes; with `-` it reads a capture from stdin (the
 * keys then come from the terminal, /dev/tty); with a file it browses that capture. The analysis
 * runs as the report's does (src/analysis/session.ts), with the calls in progress and the
 * time-based rules live; the screens are src/present/live/, the keys src/cli/live-view.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { emitKeypressEvents } from 'node:readline';
import type { Readable } from 'node:stream';
import { ReadStream } from 'node:tty';
import { analyzeStream, type InputSpec, type OpenCallsView } from '../index.js';
import type { Lang } from '../annotate/i18n.js';
import { LIVE } from '../present/catalog.js';
import { LiveCalls } from '../present/live/store.js';
import { sanitizeForTerminal } from '../present/render/sanitize.js';
import { EXIT_INPUT_ERROR, EXIT_OK } from './exit-codes.js';
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

type Started = { readonly stream: Readable; readonly child: ChildProcess } | { readonly error: string };

/**
 * Starts tcpdump; resolves once it has written its capture header (it does so at once with -U),
 * or with the sentence to show when it is missing, lacks permission or fails otherwise.
 */
export function startTcpdump(iface: string, filter: string, lang: Lang): Promise<Started> {
  const w = LIVE[lang];
  return new Promise((resolve) => {
    const child = spawn('tcpdump', tcpdumpArguments(iface, filter), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      // Only the start matters (why it could not capture); the rest is drained, not kept.
      if (stderr.length < 4096) stderr += text;
    });
    child.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code === 'ENOENT' ? w.tcpdumpMissing : w.tcpdumpFailed(iface, sanitizeForTerminal(err.message)) }));
    // 'close', not 'exit': its stderr has been read to the end by then.
    child.once('close', () => {
      const reason = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('(')).pop() ?? '';
      resolve({ error: /permission|not permitted/i.test(stderr) ? w.tcpdumpDenied(iface) : w.tcpdumpFailed(iface, sanitizeForTerminal(reason.replace(/^tcpdump: /, ''))) });
    });
    // The capture header comes first; a tcpdump that fails closes its output empty, and its exit says why.
    child.stdout.once('readable', () => {
      if (child.stdout.readableLength > 0) resolve({ stream: child.stdout, child });
    });
  });
}

export interface LiveArgs {
  /** A capture file, "-" for stdin, or undefined with `iface`. */
  readonly source?: string;
  readonly iface?: string;
  readonly filter?: string;
  readonly media: boolean;
  readonly lang: Lang;
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

/** Runs the view until `q` (or the end of a live capture's tcpdump); returns the exit code. */
export async function runLive(args: LiveArgs): Promise<number> {
  const w = LIVE[args.lang];
  const stdinIsCapture = args.source === '-';
  const keys = process.stdout.isTTY === true ? keyboard(stdinIsCapture) : null;
  if (keys === null) {
    process.stderr.write(`${w.notTerminal}\n`);
    return EXIT_INPUT_ERROR;
  }
  let child: ChildProcess | null = null;
  let input: InputSpec;
  if (args.iface !== undefined) {
    const started = await startTcpdump(args.iface, args.filter ?? captureFilter(args.media), args.lang);
    if ('error' in started) {
      process.stderr.write(`${started.error}\n`);
      if (keys !== process.stdin) keys.destroy();
      return EXIT_INPUT_ERROR;
    }
    child = started.child;
    input = { name: args.iface, stream: started.stream };
  } else {
    input = stdinIsCapture ? { name: '-', stream: process.stdin } : args.source!;
  }
  const source = args.iface ?? args.source ?? '-';
  const store = new LiveCalls();
  const out = process.stdout;
  const view = new LiveView(store, { source, lang: args.lang, save: null, browsing: args.iface === undefined && !stdinIsCapture }, out.columns ?? 80, out.rows ?? 24);
  const terminal = new Terminal(out);
  const controller = new AbortController();
  let open: OpenCallsView | null = null;
  /** Why reading stopped, when no diagnostic covers it: said once the terminal is back. */
  let failure: string | null = null;

  const draw = (): void => terminal.draw(view.frame());
  const refresh = (): void => {
    if (open !== null) store.setOpen(open.openCalls());
    view.refresh();
    draw();
  };
  let finish: () => void = () => {};
  const quitting = new Promise<void>((resolve) => (finish = resolve));
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
  emitKeypressEvents(keys);
  keys.setRawMode(true);
  keys.on('keypress', onKey);
  keys.resume();
  out.on('resize', onResize);
  const timer = setInterval(refresh, REFRESH_MS);
  draw();
  const analysis = analyzeStream([input], {
    // A capture being made (tcpdump, stdin) moves on with the wall clock when the line is quiet.
    live: args.iface !== undefined || stdinIsCapture,
    media: args.media,
    signal: controller.signal,
    onOpen: (v) => (open = v),
    onCalls: (batch) => store.addEnded(batch),
  }).then(
    () => {
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
    await quitting;
  } finally {
    clearInterval(timer);
    keys.off('keypress', onKey);
    keys.setRawMode(false);
    if (keys === process.stdin) keys.pause();
    else keys.destroy();
    out.off('resize', onResize);
    terminal.leave();
    controller.abort();
    child?.kill('SIGTERM');
    if (stdinIsCapture) process.stdin.destroy();
  }
  await analysis;
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
