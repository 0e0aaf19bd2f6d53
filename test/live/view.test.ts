/**
 * The live view without a terminal (src/cli/live-view.ts over src/present/live/): keys change
 * the state, frames are exactly the terminal's size, the `/` filter takes the CLI's criteria,
 * a call opens on its finding with why and fix; and tcpdump is started, or refused in one
 * sentence (src/cli/live.ts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { LiveView, type Key } from '../../src/cli/live-view.js';
import { captureFilter, startTcpdump, tcpdumpArguments } from '../../src/cli/live.js';
import { displayWidth } from '../../src/present/render/ladder.js';
import { LiveCalls, parseFilterText } from '../../src/present/live/store.js';
import { REPO_ROOT } from '../support/captures.js';

const DEMO = join(REPO_ROOT, 'samples/demo.pcap');

/** The view over the demo capture's calls, read to the end. */
async function demoView(lang: 'en' | 'es' = 'en', width = 80, height = 24): Promise<LiveView> {
  const store = new LiveCalls();
  store.addEnded((await analyze([DEMO])).calls);
  const view = new LiveView(store, { source: 'samples/demo.pcap', lang, save: null, browsing: true }, width, height);
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

  it('sorts by the next column and reverses; pauses; w says saving is not here yet; Spanish words', async () => {
    const view = await demoView();
    type(view, 'ss');
    expect(plain(view.frame())[0]).toContain('sort: findings ↑');
    expect(plain(view.frame())[2]).toMatch(/^2 /);
    type(view, 'r');
    expect(plain(view.frame())[2]).toMatch(/^1 /);
    type(view, 'p');
    expect(plain(view.frame())[0]).toContain('‖ paused');
    type(view, 'w');
    expect(plain(view.frame())[23]).toContain('--write-pcap');
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
