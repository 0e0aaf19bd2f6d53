/**
 * The live view without a terminal (src/cli/live-view.ts over src/present/live/): keys change
 * the state, frames are exactly the terminal's size, the `/` filter takes the CLI's criteria,
 * a call opens on its finding with why and fix, calls are marked, saved as a capture and exported
 * as HTML, two messages are compared, SDP is explained, the help lists every key the view answers
 * to; and tcpdump is started, or refused in one sentence, and its end read (src/cli/live.ts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze, type AnalyzedCall } from '../../src/index.js';
import { LiveView, type Binding, type Key } from '../../src/cli/live-view.js';
import { KeptCapture, LiveFiles } from '../../src/cli/live-save.js';
import { CaptureLag, captureFilter, startTcpdump, tcpdumpArguments, tcpdumpEnd } from '../../src/cli/live.js';
import { LIVE } from '../../src/present/catalog.js';
import { diagnosticText } from '../../src/present/diagnostics.js';
import { displayWidth } from '../../src/present/render/ladder.js';
import { helpLines } from '../../src/present/live/screen.js';
import { LiveCalls, parseFilterText } from '../../src/present/live/store.js';
import { REPO_ROOT } from '../support/captures.js';

const DEMO = join(REPO_ROOT, 'samples/demo.pcap');

const demoCalls = new Map<string, Promise<readonly AnalyzedCall[]>>();

/** The view over a capture's calls (the demo's by default), read to the end; `w` and `e` write with the real writers. */
async function demoView(lang: 'en' | 'es' = 'en', width = 80, height = 24, file = DEMO): Promise<LiveView> {
  if (!demoCalls.has(file)) demoCalls.set(file, analyze([file]).then((r) => r.calls));
  const store = new LiveCalls();
  store.addEnded(await demoCalls.get(file)!);
  const actions = new LiveFiles({ input: { name: file, path: file }, kept: null, redact: undefined, lang, inputs: () => [] });
  const view = new LiveView(store, { source: file, lang, actions, browsing: true }, width, height);
  view.ended = true;
  view.refresh();
  return view;
}

/** Text without its colours. */
const plain = (lines: readonly string[]): string[] => lines.map((l) => l.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''));

function type(view: LiveView, text: string): void {
  for (const ch of text) view.key(ch, { name: ch });
}

function press(view: LiveView, name: string): void {
  view.key(undefined, { name } satisfies Key);
}

describe('the live view', () => {
  it('every frame is exactly the terminal: 80×24 and 132×40, list, call and help', async () => {
    for (const [width, height] of [[80, 24], [132, 40]] as const) {
      const view = await demoView('en', width, height);
      const frames = [view.frame()];
      press(view, 'down');
      press(view, 'return');
      frames.push(view.frame());
      press(view, 'tab');
      frames.push(view.frame());
      type(view, '?');
      frames.push(view.frame());
      for (const frame of frames) {
        expect(frame).toHaveLength(height);
        for (const line of plain(frame)) expect(displayWidth(line)).toBe(width);
      }
    }
  });

  it('lists every call with its state and findings; / filters with the CLI criteria; Enter opens the call on its finding', async () => {
    const view = await demoView();
    const list = plain(view.frame());
    expect(list[0]).toContain('3 calls, 0 open');
    expect(list.slice(2, 5).map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      '1 07:06:40 alice@192.… bob@192.0.… ended: hung up after 0:01',
      '2 07:06:45 alice@exam… carol@exam… ended: cancelled ⚠1',
      '3 07:06:48 dave@examp… dave@examp… REGISTER answered 410 ⚠1',
    ]);
    type(view, '/status=487');
    expect(plain(view.frame())[23]).toMatch(/^\/status=487█/);
    press(view, 'return');
    const filtered = plain(view.frame());
    expect(filtered[0]).toContain('filter: status=487');
    expect(filtered[2]).toMatch(/^2 /);
    expect(filtered[3]!.trim()).toBe('');
    press(view, 'return');
    const call = plain(view.frame()).join('\n');
    expect(call).toContain('Call 2 (1 of 1)');
    expect(call).toContain('⚠ stuck-on-100-trying: The INVITE got 100 Trying after 18 ms and nothing more');
    expect(call).toMatch(/why: 100 Trying is sent hop by hop/);
    expect(call).toMatch(/fix: Capture on the outbound side of 192\.0\.2\.1:5060/);
    press(view, 'tab');
    expect(plain(view.frame()).join('\n')).toContain('CSeq: 1 CANCEL');
    press(view, 'escape');
    type(view, 'q');
    expect(view.quit).toBe(true);
  });

  it('sorts by the next column and reverses; pauses; Spanish words', async () => {
    const view = await demoView();
    type(view, 'ss');
    expect(plain(view.frame())[0]).toContain('sort: findings ↑');
    expect(plain(view.frame())[2]).toMatch(/^2 /);
    type(view, 'r');
    expect(plain(view.frame())[2]).toMatch(/^1 /);
    type(view, 'p');
    expect(plain(view.frame())[0]).toContain('‖ paused');
    const es = await demoView('es');
    expect(plain(es.frame())[0]).toContain('3 llamadas, 0 en curso');
    expect(plain(es.frame())[3]).toContain('terminada: cancelada');
  });

  it('the filter words: name=value as the command line, problems, and a bare word as a user part', () => {
    expect(parseFilterText('user=alice,bob status=4xx method=INVITE type=call,bogus problems carol')).toEqual({
      users: ['alice', 'bob', '*carol*'],
      methods: ['INVITE'],
      statuses: ['4xx'],
      types: ['call'],
      onlyProblems: true,
    });
    expect(parseFilterText('  ')).toEqual({});
  });
});

/** Replaces what the prompt suggests with `text`, and presses Enter. */
function answer(view: LiveView, text: string): void {
  for (let i = 0; i < 80; i++) press(view, 'backspace');
  type(view, text);
  press(view, 'return');
}

/** Chunks as a stream delivers them. */
async function* stream(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

const scratch = (): string => mkdtempSync(join(tmpdir(), 'siplens-live-view-'));

describe('saving and exporting calls', () => {
  it('Space marks calls (shown in the list); w saves the marked calls as pcapng, read back with the same calls and messages', async () => {
    const view = await demoView();
    press(view, 'space');
    press(view, 'space');
    const list = plain(view.frame());
    expect(list[0]).toContain('2 marked');
    expect(list[2]).toMatch(/^\*1 /);
    expect(list[3]).toMatch(/^\*2 /);
    type(view, 'w');
    expect(plain(view.frame())[23]).toMatch(/^save as pcap \(Enter writes, Esc cancels\): siplens-2-calls(-\d+)?\.pcapng█/);
    const file = join(scratch(), 'two.pcapng');
    answer(view, file);
    expect(plain(view.frame())[23]).toContain(`writing ${file}`);
    await view.writing;
    expect(plain(view.frame())[23]).toMatch(/^wrote .*two\.pcapng: \d+ frames of 2 calls/);
    const back = await analyze([file]);
    const demo = await analyze([DEMO]);
    const summary = (calls: readonly AnalyzedCall[]) => calls.map((c) => [c.call.callId, c.call.messages.length, c.outcome.outcome, c.findings.map((f) => f.rule)]);
    expect(summary(back.calls)).toEqual(summary(demo.calls.slice(0, 2)));
  });

  it('w with no mark saves the open call, media and all; a pcap name gets the input\'s link type', async () => {
    const media = join(REPO_ROOT, 'fixtures/media/sipp-rtp-two-way.pcap');
    const view = await demoView('en', 80, 24, media);
    press(view, 'return');
    type(view, 'w');
    const file = join(scratch(), 'call.pcap');
    answer(view, file);
    await view.writing;
    const [original] = (await analyze([media], { media: true })).calls;
    const [saved] = (await analyze([file], { media: true })).calls;
    expect(saved!.call.messages.length).toBe(original!.call.messages.length);
    expect(saved!.media!.streams.map((st) => st.packets)).toEqual(original!.media!.streams.map((st) => st.packets));
    expect(plain(view.frame())[23]).toMatch(/wrote .*call\.pcap: \d+ frames of 1 call/);
  });

  it('e exports the HTML report of the selected call; Esc cancels; an existing file is not overwritten', async () => {
    const view = await demoView();
    press(view, 'down');
    type(view, 'e');
    expect(plain(view.frame())[23]).toMatch(/^export as HTML \(Enter writes, Esc cancels\): siplens-call-2(-\d+)?\.html█/);
    press(view, 'escape');
    expect(plain(view.frame())[23]).toContain('↑↓ move');
    const file = join(scratch(), 'call.html');
    type(view, 'e');
    answer(view, file);
    await view.writing;
    expect(plain(view.frame())[23]).toContain(`wrote ${file}: the HTML report of 1 call`);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('stuck-on-100-trying');
    expect(html).toContain('carol@example.com');
    expect(html).not.toContain('dave@example.com');
    type(view, 'e');
    answer(view, file);
    await view.writing;
    expect(plain(view.frame())[23]).toContain(`${file} exists: give another name`);
  });

  it('with --redact, the saved capture and the exported page carry the same pseudonyms, never the trace\'s names', async () => {
    const [, second] = await analyze([DEMO]).then((r) => r.calls);
    const store = new LiveCalls();
    store.addEnded([second!]);
    const actions = new LiveFiles({ input: { name: DEMO, path: DEMO }, kept: null, redact: { key: 'a-test-key-of-16' }, lang: 'en', inputs: () => [] });
    const view = new LiveView(store, { source: DEMO, lang: 'en', actions, browsing: true }, 80, 24);
    view.refresh();
    const dir = scratch();
    type(view, 'w');
    answer(view, join(dir, 'call.pcapng'));
    await view.writing;
    expect(plain(view.frame())[23]).toMatch(/frames of 1 call, redacted/);
    type(view, 'e');
    answer(view, join(dir, 'call.html'));
    await view.writing;
    const pcap = readFileSync(join(dir, 'call.pcapng')).toString('latin1');
    const html = readFileSync(join(dir, 'call.html'), 'utf8');
    for (const secret of ['carol', 'alice', '192.0.2.10', 'demo-call-2']) {
      expect(pcap).not.toContain(secret);
      expect(html).not.toContain(secret);
    }
    const [saved] = (await analyze([join(dir, 'call.pcapng')])).calls;
    expect(saved!.findings.map((f) => f.rule)).toEqual(['stuck-on-100-trying']);
    // The user part the page shows is the one the capture carries.
    const user = /sip:([^@]+)@/.exec(saved!.call.messages[0]!.captured.message.requestUri ?? '')![1]!;
    expect(html).toContain(user);
  });

  it('a live capture is kept on disk for w up to its bound: everything is still analysed, and w says the copy stopped', async () => {
    const demo = readFileSync(DEMO);
    // The bound holds the demo once; the same packets again come past it.
    const kept = new KeptCapture(demo.length);
    const passed: Uint8Array[] = [];
    for await (const chunk of kept.pass(stream(demo, demo.subarray(24)))) passed.push(chunk);
    expect(Buffer.concat(passed).length).toBe(2 * demo.length - 24);
    expect(statSync(kept.path).size).toBe(demo.length);
    expect(kept.fullAt).not.toBeNull();
    const store = new LiveCalls();
    store.addEnded((await analyze([{ name: '-', stream: stream(demo) }])).calls);
    const actions = new LiveFiles({ input: { name: '-', path: kept.path }, kept, redact: undefined, lang: 'en', inputs: () => [] });
    const view = new LiveView(store, { source: '-', lang: 'en', actions, browsing: false }, 200, 24);
    view.refresh();
    type(view, 'w');
    answer(view, join(scratch(), 'kept.pcapng'));
    await view.writing;
    expect(plain(view.frame())[23]).toMatch(/frames of 1 call; the copy of the capture kept for saving stopped at \d+ MB \(\d\d:\d\d:\d\d\): later frames are not in the file/);
    kept.remove();
    expect(existsSync(kept.path)).toBe(false);
  });

  it('the capture being read is never overwritten', async () => {
    const view = await demoView();
    type(view, 'w');
    answer(view, DEMO);
    await view.writing;
    // The reason first: a long path is what the 80 columns cut.
    expect(plain(view.frame())[23]).toMatch(/^that is the capture being read, give another name: \//);
  });
});

describe('comparing two messages and the SDP explained', () => {
  it('m marks a message, d compares it with another: lines only in the first (-) and only in the second (+), in 80×24', async () => {
    const view = await demoView();
    press(view, 'down');
    press(view, 'return');
    // Call 2 opens on its finding; the INVITE is its first message.
    for (let i = 0; i < 5; i++) press(view, 'up');
    type(view, 'm');
    expect(plain(view.frame())[23]).toMatch(/^message #\d+ INVITE marked/);
    press(view, 'down');
    press(view, 'down');
    type(view, 'd');
    const frame = plain(view.frame());
    const text = frame.join('\n');
    expect(text).toMatch(/── compare #\d+ INVITE → #\d+ CANCEL/);
    expect(text).toMatch(/^--- #\d+ INVITE/m);
    expect(text).toMatch(/^\+\+\+ #\d+ CANCEL/m);
    expect(text).toMatch(/^\d+ lines? only in the first \(-\), \d+ only in the second \(\+\)/m);
    expect(text).toMatch(/^-INVITE sip:carol@example\.com SIP\/2\.0/m);
    expect(text).toMatch(/^\+CANCEL sip:carol@example\.com SIP\/2\.0/m);
    expect(frame).toHaveLength(24);
    for (const line of frame) expect(displayWidth(line)).toBe(80);
    // The marked message shows a * beside its time.
    expect(text).toMatch(/^\+0\.000\* /m);
  });

  it('a message compared with its retransmission: identical; across two calls, each named by its call', async () => {
    const view = await demoView('en', 100, 50, join(REPO_ROOT, 'fixtures/rules/sipp-invite-retransmitted.pcap'));
    press(view, 'return');
    for (let i = 0; i < 5; i++) press(view, 'up');
    type(view, 'm');
    press(view, 'down');
    type(view, 'd');
    expect(plain(view.frame()).join('\n')).toContain('the two messages are identical');
    const demo = await demoView('en', 100, 50);
    press(demo, 'return');
    for (let i = 0; i < 5; i++) press(demo, 'up');
    type(demo, 'm');
    press(demo, 'right');
    for (let i = 0; i < 9; i++) press(demo, 'up');
    type(demo, 'd');
    expect(plain(demo.frame()).join('\n')).toMatch(/compare #\d+ INVITE of call 1 → #\d+ INVITE of call 2/);
  });

  it('d with no message marked says how', async () => {
    const view = await demoView();
    press(view, 'return');
    type(view, 'd');
    expect(plain(view.frame())[23]).toBe(LIVE.en.noMarkedMessage.padEnd(80));
  });

  it('the raw panel explains the SDP: media line, address, codecs from rtpmap, direction', async () => {
    const view = await demoView('en', 100, 90);
    press(view, 'return');
    for (let i = 0; i < 9; i++) press(view, 'up');
    if (!plain(view.frame()).join('\n').includes('── message')) press(view, 'tab');
    const text = plain(view.frame()).map((l) => l.trimEnd()).join('\n');
    expect(text).toContain('── SDP explained');
    expect(text).toContain('session address (c=): 192.0.2.10');
    expect(text).toContain('audio on port 40000 (RTP/AVP)');
    expect(text).toContain('  media address: 192.0.2.10');
    expect(text).toContain('  codecs: PCMU/8000 (0), PCMA/8000 (8), telephone-event/8000 (101)');
    expect(text).toContain('  sendrecv: sends and receives');
  });
});

describe('the help lists every key', () => {
  const NAMES = ['up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'return', 'enter', 'tab', 'escape', 'backspace', 'space', 'delete', 'insert', 'f1', 'f5'];
  const CHARS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));
  const bound = (list: readonly Binding[], name: string | undefined, ch: string | undefined): boolean => list.some((b) => (ch !== undefined && b.chars?.includes(ch)) || (name !== undefined && b.names?.includes(name)));

  it('every key of the table is in the help, which scrolls to its end in 80×24', async () => {
    const view = await demoView();
    const sections = view.helpSections();
    const all = helpLines(sections, 80, 'en').join('\n');
    for (const b of [...view.bindings.everywhere, ...view.bindings.list, ...view.bindings.call]) {
      expect(all).toContain(b.label);
      expect(all).toContain(LIVE.en.keys[b.does].split(' ').slice(0, 3).join(' '));
    }
    type(view, '?');
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      for (const line of plain(view.frame())) seen.add(line.trimEnd());
      press(view, 'pagedown');
    }
    for (const line of helpLines(sections, 80, 'en')) expect(seen).toContain(line.replace(/\u001b\[[0-9;]*m/g, '').trimEnd());
    type(view, 'x');
    expect(plain(view.frame())[0]).toContain('3 calls');
  });

  it('on the list and in a call, a key not in the table changes nothing', async () => {
    for (const screen of ['list', 'call'] as const) {
      for (const candidate of [...NAMES.map((n) => ({ name: n, ch: n === 'space' ? ' ' : undefined })), ...CHARS.map((c) => ({ name: /[a-z]/i.test(c) ? c.toLowerCase() : undefined, ch: c }))]) {
        const view = await demoView();
        if (screen === 'call') press(view, 'return');
        const table = [...view.bindings.everywhere, ...(screen === 'list' ? view.bindings.list : view.bindings.call)];
        if (bound(table, candidate.name, candidate.ch)) continue;
        const before = view.frame();
        view.key(candidate.ch, candidate.name === undefined ? {} : { name: candidate.name });
        expect({ screen, key: candidate, frame: view.frame(), quit: view.quit }).toEqual({ screen, key: candidate, frame: before, quit: false });
      }
    }
  });
});

describe('a live capture: lag and the end of tcpdump', () => {
  it('behind: said while messages come later than they were captured, not on a quiet line or an old capture piped in', () => {
    const lag = new CaptureLag();
    const now = 1_700_000_000_000;
    expect(lag.behind(now)).toBeNull();
    lag.seen(now - 300, now);
    expect(lag.behind(now + 100)).toBeNull();
    lag.seen(now - 5400, now);
    expect(lag.behind(now + 500)).toBe(5);
    // Nothing read for a while: a quiet line, not a slow reader.
    expect(lag.behind(now + 3000)).toBeNull();
    lag.seen(now - 86_400_000, now);
    expect(lag.behind(now)).toBeNull();
  });

  it('the list says how far behind the capture is', async () => {
    const view = await demoView();
    view.behindSeconds = 7;
    expect(plain(view.frame())[0]).toContain('capture behind by 7 s');
  });

  it('tcpdump\'s summary: drops are a diagnostic; killed or failing on its own, another; stopped by siplens, none', () => {
    const summary = '\n12 packets captured\n15 packets received by filter\n3 packets dropped by kernel\n';
    const [drops] = tcpdumpEnd('eth0', `tcpdump: listening on eth0\n${summary}`, { code: 0, signal: null }, true);
    expect(drops).toMatchObject({ code: 'input.capture-drops', severity: 'warning', values: { process: 'tcpdump', dropped: 3, received: 15, byInterface: 0 }, file: 'eth0' });
    expect(diagnosticText(drops!, 'en')).toBe(
      'tcpdump on eth0 dropped 3 packets in the kernel (of 15 its filter took) before they could be read: they are not in the analysis, and calls may look broken where only the capture is; capture less (--filter, --no-media) or on a less loaded machine',
    );
    expect(tcpdumpEnd('eth0', summary.replace('3 packets dropped', '0 packets dropped'), { code: 0, signal: null }, true)).toEqual([]);
    const killed = tcpdumpEnd('eth0', 'tcpdump: listening on eth0\n', { code: null, signal: 'SIGKILL' }, false);
    expect(killed.map((d) => diagnosticText(d, 'en'))).toEqual(['tcpdump capturing on eth0 stopped before siplens asked it to (killed by SIGKILL): the capture ends there, and calls in progress have no end in it']);
    const failed = tcpdumpEnd('eth0', `tcpdump: pcap_loop: The interface disappeared\n${summary}`, { code: 1, signal: null }, false);
    expect(failed.map((d) => d.code)).toEqual(['input.capture-drops', 'input.capture-stopped']);
    expect(failed[1]!.values).toMatchObject({ status: 1, reason: { text: 'pcap_loop: The interface disappeared' } });
    expect(tcpdumpEnd('eth0', '', { code: null, signal: 'SIGTERM' }, true)).toEqual([]);
  });

  it('the view keeps the alerts on screen above the keys', async () => {
    const view = await demoView();
    view.alerts = ['tcpdump capturing on eth0 stopped before siplens asked it to (killed by SIGKILL)'];
    view.refresh();
    const frame = plain(view.frame());
    expect(frame).toHaveLength(24);
    expect(frame[22]).toMatch(/^⚠ tcpdump capturing on eth0 stopped/);
    expect(frame[23]).toContain('↑↓ move');
  });
});

describe('the command line', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'live', ...args], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('not on a terminal: one sentence pointing at the streamed report, exit 2', () => {
    const r = run('samples/demo.pcap');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('siplens: live needs a terminal for its view; print calls as they end with: siplens -\n');
  });

  it('one thing to read: -i, - or a file, not two', () => {
    const r = run('samples/demo.pcap', '-i', 'lo');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('live reads one thing: -i IFACE, - (standard input) or a capture file');
  });
});

describe('tcpdump', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  /** A directory holding a fake tcpdump with this shell body, first on PATH. */
  function fakeTcpdump(body: string): void {
    const dir = mkdtempSync(join(tmpdir(), 'siplens-tcpdump-'));
    writeFileSync(join(dir, 'tcpdump'), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, 'tcpdump'), 0o755);
    process.env.PATH = `${dir}:${path}`;
  }

  it('is started with -U -w - and the SIP, HEP, fragment and media filter', () => {
    expect(tcpdumpArguments('eth0', captureFilter(false))).toEqual(['-i', 'eth0', '-U', '-w', '-', 'port 5060 or port 5061 or udp port 9060 or (ip[6:2] & 0x1fff != 0)']);
    expect(captureFilter(true)).toContain('(udp portrange 1024-65535)');
  });

  it('missing: says to install it or pipe a capture in', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'siplens-empty-'));
    expect(await startTcpdump('eth0', 'port 5060', 'en')).toEqual({ error: expect.stringMatching(/^siplens: tcpdump is not installed or not on PATH: install it/) });
    expect(await startTcpdump('eth0', 'port 5060', 'es')).toEqual({ error: expect.stringMatching(/^siplens: tcpdump no está instalado/) });
  });

  it('without permission: says how to give it', async () => {
    fakeTcpdump(`echo "tcpdump: eth0: You don't have permission to perform this capture on that device" >&2\necho "(socket: Operation not permitted)" >&2\nexit 1`);
    expect(await startTcpdump('eth0', 'port 5060', 'en')).toEqual({ error: expect.stringMatching(/^siplens: tcpdump may not capture on eth0: run siplens as root, or give tcpdump the capture capability/) });
  });

  it('another failure: tcpdump\'s own reason', async () => {
    fakeTcpdump('echo "tcpdump: nosuch: No such device exists" >&2\necho "(No such device exists)" >&2\nexit 1');
    expect(await startTcpdump('nosuch', 'port 5060', 'en')).toEqual({ error: 'siplens: tcpdump could not capture on nosuch: nosuch: No such device exists' });
  });

  it('started: its output is the capture, from the header on', async () => {
    fakeTcpdump(`printf '\\324\\303\\262\\241\\002\\000\\004\\000'; sleep 5`);
    const started = await startTcpdump('eth0', 'port 5060', 'en');
    if ('error' in started) throw new Error(started.error);
    const first = started.stream.read() as Buffer;
    expect([...first.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    started.child.kill();
  });
});
