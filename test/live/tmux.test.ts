/**
 * `siplens live` driven in tmux (send-keys, capture-pane), as a user over SSH sees it: a
 * fixture opened, filtered, a call opened and its finding read, quit; a call saved as pcap and
 * read back, exported as HTML, two messages compared, the SDP explained; stdin as the capture,
 * and a capture read later than it is made said to be behind; tcpdump refused in one sentence; a
 * resize; with 10,000 calls in the list, the time from a keystroke to the redrawn pane, printed
 * (measured, not asserted); and sipp in a network namespace (as root, with sipp and tcpdump).
 * Skipped without tmux (.ci/run installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { writePcap, type Packet } from '../support/capture-writer.js';
import { REPO_ROOT } from '../support/captures.js';
import { ethernet, ipv4, sipRequest, sipResponse, udp } from '../support/packets.js';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
/** Our own tmux server, so a user's sessions are never touched. */
const SOCKET = `siplens-live-test-${process.pid}`;

function tmux(...args: (string | number)[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args.map(String)], { encoding: 'utf8' });
}

/** Runs `command` in a new pane of `width`×`height`; the pane stays after it exits, showing its exit code. */
function start(name: string, command: string, width = 80, height = 24): void {
  tmux('new-session', '-d', '-s', name, '-x', width, '-y', height, `cd ${REPO_ROOT} && ${command}; echo EXIT=$?; sleep 600`);
}

/** The pane's text; with `styled`, its colours and inverse too (the selected row shows only that way). */
function screen(name: string, styled = false): string {
  return tmux('capture-pane', '-p', ...(styled ? ['-e'] : []), '-t', name);
}

async function waitFor(name: string, test: (text: string) => boolean, timeoutMs = 20_000, styled = false): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(name, styled);
    if (test(text)) return text;
    if (Date.now() > until) throw new Error(`timed out; the pane shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function keys(name: string, ...k: string[]): void {
  tmux('send-keys', '-t', name, ...k);
}

const LIVE = 'node dist/cli.js live';

describe.skipIf(!HAS_TMUX)('siplens live in tmux', () => {
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('opens a fixture, filters, opens a call, reads its finding and quits (80×24)', async () => {
    start('demo', `${LIVE} samples/demo.pcap`);
    const list = await waitFor('demo', (t) => t.includes('3 calls, 0 open') && t.includes('■ read'));
    expect(list).toMatch(/^2 +07:06:45 .*ended: cancelled +⚠1/m);
    keys('demo', '/', 'carol', 'Enter');
    await waitFor('demo', (t) => t.includes('filter: carol') && !/^1 /m.test(t));
    keys('demo', 'Enter');
    const call = await waitFor('demo', (t) => t.includes('stuck-on-100-trying'));
    expect(call).toContain('Call 2 (1 of 1)');
    expect(call).toMatch(/⚠ stuck-on-100-trying: The INVITE got 100 Trying after 18 ms and nothing more/);
    expect(call).toMatch(/why: 100 Trying is sent hop by hop/);
    keys('demo', 'Tab');
    await waitFor('demo', (t) => t.includes('CSeq: 1 CANCEL'));
    keys('demo', '?');
    await waitFor('demo', (t) => t.includes('keys (↑↓ scroll, any other key closes this help)'));
    keys('demo', 'Escape');
    await waitFor('demo', (t) => t.includes('Call 2 (1 of 1)'));
    keys('demo', 'q');
    const after = await waitFor('demo', (t) => t.includes('EXIT='));
    expect(after).toContain('EXIT=0');
  });

  it('saves a call as pcap (read back), exports it as HTML, compares two messages and explains the SDP (80×24)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siplens-live-keys-'));
    start('keys', `cd ${dir} && node ${REPO_ROOT}/dist/cli.js live ${REPO_ROOT}/samples/demo.pcap`);
    await waitFor('keys', (t) => t.includes('3 calls, 0 open') && t.includes('■ read'));
    keys('keys', 'Down', 'w');
    await waitFor('keys', (t) => t.includes('save as pcap (Enter writes, Esc cancels): siplens-call-2.pcapng█'));
    keys('keys', 'Enter');
    await waitFor('keys', (t) => /wrote siplens-call-2\.pcapng: \d+ frames of 1 call/.test(t));
    const saved = await analyze([join(dir, 'siplens-call-2.pcapng')]);
    expect(saved.calls.map((c) => [c.call.messages.length, c.outcome.outcome, c.findings.map((f) => f.rule)])).toEqual([[6, 'stuck', ['stuck-on-100-trying']]]);
    keys('keys', 'e');
    await waitFor('keys', (t) => t.includes('export as HTML (Enter writes, Esc cancels): siplens-call-2.html█'));
    keys('keys', 'Enter');
    await waitFor('keys', (t) => t.includes('wrote siplens-call-2.html: the HTML report of 1 call'));
    expect(readFileSync(join(dir, 'siplens-call-2.html'), 'utf8')).toContain('carol@example.com');
    // The call opens on its finding, beside the CANCEL; the INVITE is two messages up.
    keys('keys', 'Enter');
    await waitFor('keys', (t) => t.includes('Call 2 (2 of 3)'));
    keys('keys', 'Up', 'Up', 'm');
    await waitFor('keys', (t) => /message #\d+ INVITE marked/.test(t));
    keys('keys', 'Down', 'Down', 'd');
    const compared = await waitFor('keys', (t) => /compare #\d+ INVITE → #\d+ CANCEL/.test(t));
    expect(compared).toMatch(/^-INVITE sip:carol@example\.com SIP\/2\.0/m);
    expect(compared).toMatch(/^\+CANCEL sip:carol@example\.com SIP\/2\.0/m);
    keys('keys', 'Up', 'Up', 'Tab');
    await waitFor('keys', (t) => /── message #\d+/.test(t) && t.includes('INVITE sip:carol@example.com SIP/2.0'));
    // The panel's end: the SDP explained, under the raw text.
    keys('keys', 'PageDown', 'PageDown', 'PageDown');
    const sdp = await waitFor('keys', (t) => t.includes('codecs: PCMU/8000 (0), PCMA/8000 (8), telephone-event/8000 (101)') && t.includes('sendrecv: sends and receives'));
    expect(sdp).toContain('media address: 192.0.2.10');
    keys('keys', 'q');
    expect(await waitFor('keys', (t) => t.includes('EXIT='))).toContain('EXIT=0');
  });

  it('a capture on stdin read later than it was made: "capture behind by N s" while it lags, gone once the line is quiet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siplens-live-behind-'));
    // Twenty OPTIONS and their 200, one every 200 ms from 1 s after the feeder starts, each
    // stamped about 5 s before it is written (the feeder starts about half a second from now).
    const header = writePcap({ linkType: 1 }, []);
    const t0 = Date.now() + 500;
    const plan = [{ at: 0, data: Buffer.from(header).toString('base64') }];
    for (let i = 0; i < 20; i++) {
      const at = 1000 + i * 200;
      const stamp = t0 + at - 5000;
      const packet = (text: string, back: boolean): Packet => ({
        sec: Math.floor(stamp / 1000),
        nsec: (stamp % 1000) * 1e6,
        data: ethernet(0x0800, ipv4(back ? '10.0.0.2' : '10.0.0.1', back ? '10.0.0.1' : '10.0.0.2', udp(5060, 5060, text))),
      });
      const records = writePcap({ linkType: 1 }, [packet(sipRequest('OPTIONS', `behind-${i}`), false), packet(sipResponse(200, 'OK', 'OPTIONS', `behind-${i}`), true)]).subarray(header.length);
      plan.push({ at, data: Buffer.from(records).toString('base64') });
    }
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    writeFileSync(
      join(dir, 'feed.mjs'),
      `import { readFileSync } from 'node:fs';\nconst plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));\nconst start = Date.now();\nfor (const { at, data } of plan) {\n  const wait = start + at - Date.now();\n  if (wait > 0) await new Promise((r) => setTimeout(r, wait));\n  process.stdout.write(Buffer.from(data, 'base64'));\n}\n`,
    );
    // The feeder's stdin and stderr are not the terminal: node restores the mode of a terminal on its stdio when it exits, which would undo the view's raw mode.
    start('behind', `node ${join(dir, 'feed.mjs')} ${join(dir, 'plan.json')} </dev/null 2>/dev/null | ${LIVE} -`);
    const behind = await waitFor('behind', (t) => /capture behind by \d+ s/.test(t));
    expect(behind).toContain('● live');
    await waitFor('behind', (t) => t.includes('20 calls') && !t.includes('behind'), 30_000);
    keys('behind', 'q');
    expect(await waitFor('behind', (t) => t.includes('EXIT='))).toContain('EXIT=0');
  });

  it('reads a capture from stdin with the keys from the terminal, and follows a resize', async () => {
    start('stdin', `cat samples/demo.pcap | ${LIVE} - --lang es`);
    await waitFor('stdin', (t) => t.includes('3 llamadas, 0 en curso'));
    tmux('resize-window', '-t', 'stdin', '-x', 120, '-y', 30);
    const wide = await waitFor('stdin', (t) => t.includes('medios'));
    expect(wide.split('\n')).toHaveLength(31);
    keys('stdin', 'q');
    expect(await waitFor('stdin', (t) => t.includes('EXIT='))).toContain('EXIT=0');
  });

  it('-i with an interface tcpdump cannot capture on: one sentence, exit 2', async () => {
    start('iface', `${LIVE} -i siplens-no-such0`);
    const text = await waitFor('iface', (t) => t.includes('EXIT='));
    expect(text).toMatch(/^siplens: tcpdump (could not capture on siplens-no-such0|is not installed)/m);
    expect(text).toContain('EXIT=2');
  });

  it('10,000 calls in the list: keystroke to redraw, measured', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'siplens-live-')), 'ten-thousand.pcap');
    writeFileSync(file, tenThousandCalls());
    start('big', `${LIVE} ${file}`);
    await waitFor('big', (t) => t.includes('10000 calls, 0 open') && t.includes('■ read'), 120_000);
    const measure = async (label: string, send: () => void, changed: (before: string, after: string) => boolean, times: number): Promise<string> => {
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const before = screen('big', true);
        const t0 = performance.now();
        send();
        await waitFor('big', (t) => changed(before, t), 20_000, true);
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      return `${label}: median ${ms[Math.floor(times / 2)]!.toFixed(0)} ms, max ${ms[times - 1]!.toFixed(0)} ms over ${times}`;
    };
    const differs = (a: string, b: string) => a !== b;
    const results = [
      await measure('Down', () => keys('big', 'Down'), differs, 20),
      await measure('PageDown', () => keys('big', 'PageDown'), differs, 10),
      await measure('s (sort 10,000 rows)', () => keys('big', 's'), differs, 5),
      await measure('open a call (Enter) and back (Escape)', () => keys('big', 'Enter'), (_, t) => t.includes('Call '), 1),
    ];
    // readline takes a key sent within 500 ms after Escape as Alt+key: the list must be back first.
    keys('big', 'Escape');
    await waitFor('big', (t) => t.includes('sort: '));
    results.push(await measure('/ filter applied (Enter)', () => keys('big', '/', 'user=bob77*', 'Enter'), (_, t) => t.includes('filter: user=bob77*'), 1));
    // What the same measurement costs with nothing to draw: a pane echoing the key (cat).
    start('echo', 'stty -echo; cat');
    await waitFor('echo', (t) => t.trim() === '');
    const echo: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      keys('echo', `k${i}`, 'Enter');
      await waitFor('echo', (t) => t.includes(`k${i}`));
      echo.push(performance.now() - t0);
    }
    echo.sort((a, b) => a - b);
    results.push(`baseline, a pane echoing the key (cat): median ${echo[5]!.toFixed(0)} ms, max ${echo[9]!.toFixed(0)} ms over 10`);
    // The figure the issue asks for (keystroke to redraw under 100 ms), as measured here through tmux.
    console.log(`siplens live, 10,000 calls, keystroke to redrawn tmux pane (polled every 20 ms):\n  ${results.join('\n  ')}`);
    keys('big', 'q');
    expect(await waitFor('big', (t) => t.includes('EXIT='))).toContain('EXIT=0');
  }, 240_000);

  const canNamespace = process.getuid?.() === 0 && ['sipp', 'tcpdump', 'unshare', 'bc'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
  it.skipIf(!canNamespace)('sipp in a network namespace (siplens live -i lo): the stuck call is flagged while its caller waits, before the CANCEL', () => {
    const out = mkdtempSync(join(tmpdir(), 'siplens-live-sipp-'));
    const run = spawnSync('bash', [join(REPO_ROOT, 'fixtures/scripts/live-sipp.sh')], { env: { ...process.env, OUT: out }, encoding: 'utf8', timeout: 90_000 });
    const said = run.stdout.trim().split('\n').pop() ?? '';
    // What a run measures, printed: the threshold is 10 s, the caller cancels at 12 s.
    console.log(`siplens live against sipp: ${said}`);
    expect(said).toMatch(/^stuck call flagged \d+(\.\d+)? s after its INVITE was sent/);
    const flagged = readFileSync(join(out, 'flagged.txt'), 'utf8');
    expect(flagged).toMatch(/INVITE 1\d s ago, only 100 Trying +[✖⚠]1/);
  }, 120_000);
});

/** 10,000 calls: each an INVITE answered 486 and ACKed, one every 10 ms; every seventh stuck on 100 Trying then cancelled. */
function tenThousandCalls(): Buffer {
  const packets: Packet[] = [];
  const t0 = 1_732_000_000;
  const at = (ms: number, src: string, dst: string, text: string): Packet => ({ sec: t0 + Math.floor(ms / 1000), nsec: Math.round((ms % 1000) * 1e6), data: ethernet(0x0800, ipv4(src, dst, udp(5060, 5060, text))) });
  const message = (first: string, id: number, cseq: string, toTag: boolean) =>
    `${first}\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${id}\r\nFrom: <sip:alice${id}@example.com>;tag=a${id}\r\nTo: <sip:bob${id}@example.net>${toTag ? `;tag=b${id}` : ''}\r\nCall-ID: call-${id}\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`;
  for (let i = 0; i < 10_000; i++) {
    const ms = i * 10;
    packets.push(at(ms, '10.0.0.1', '10.0.0.2', message(`INVITE sip:bob${i}@example.net SIP/2.0`, i, '1 INVITE', false)));
    if (i % 7 === 0) {
      packets.push(at(ms + 5, '10.0.0.2', '10.0.0.1', message('SIP/2.0 100 Trying', i, '1 INVITE', false)));
      packets.push(at(ms + 15_000, '10.0.0.1', '10.0.0.2', message(`CANCEL sip:bob${i}@example.net SIP/2.0`, i, '1 CANCEL', false)));
    } else {
      packets.push(at(ms + 5, '10.0.0.2', '10.0.0.1', message('SIP/2.0 486 Busy Here', i, '1 INVITE', true)));
      packets.push(at(ms + 6, '10.0.0.1', '10.0.0.2', message(`ACK sip:bob${i}@example.net SIP/2.0`, i, '1 ACK', true)));
    }
  }
  packets.sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
  return writePcap({ linkType: 1 }, packets);
}
