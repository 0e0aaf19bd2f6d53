/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core. The page
 * must load from disk with no console error and no network request, filter and sort its
 * call list, draw a call when it is opened, open a message on a click, show hostile trace
 * text as text (no script runs, no element is injected), and open a streamed report of
 * 100,000 calls (its load time is printed, not asserted: BENCHMARKS.md); walk calls and
 * messages with the keyboard, open what a permalink names, switch to dark and back, and print
 * an opened call without the list. Skipped when /usr/bin/chromium is absent (.ci/run installs it).
 * `SIPLENS_SCREENSHOT=1 npx vitest run test/annotate/render/html.browser.test.ts`
 * refreshes docs/html-report.png, docs/html-light.png and docs/html-dark.png.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { renderHtml } from '../../../src/present/render/html.js';
import { renderJson } from '../../../src/present/render/json.js';
import { streamReport } from '../../../src/cli/report.js';
import { ReportOutput } from '../../../src/cli/output.js';
import { reportOptionsFrom } from '../../../src/cli/options.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import type { Lang } from '../../../src/annotate/i18n.js';
import { REPO_ROOT } from '../../support/captures.js';
import { writeHostileCapture } from '../../support/hostile.js';
import { writeManyCalls } from '../../support/many-calls.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const scratch = mkdtempSync(join(tmpdir(), 'siplens-html-'));

async function writeReport(inputs: string[], name: string, lang: Lang = 'en'): Promise<string> {
  const timeline = buildTimeline(await analyze(inputs), lang);
  const path = join(scratch, name);
  writeFileSync(path, renderHtml(timeline));
  return path;
}

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
  dialogs: string[];
}

describe.skipIf(!existsSync(CHROMIUM))('HTML report in Chromium', () => {
  let browser: Browser;
  let demo: string;
  let demoSpanish: string;
  let hostile: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    demo = await writeReport(['samples/demo.pcap'], 'demo.html');
    demoSpanish = await writeReport(['samples/demo.pcap'], 'demo-es.html', 'es');
    hostile = await writeReport([writeHostileCapture(scratch)], 'hostile.html');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    // The size test's capture and report are over 150 MB.
    rmSync(scratch, { recursive: true, force: true });
  });

  async function open(path: string): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const opened: Opened = { page, problems: [], requests: [], dialogs: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') opened.problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => opened.problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => opened.requests.push(r.url()));
    page.on('dialog', (d) => {
      opened.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    // The call list is filled once the calls' lines are inflated.
    await page.locator('#filter-count:not(:empty)').waitFor();
    return opened;
  }

  /** Opens a page at an address with a fragment (a permalink). */
  async function openAt(path: string, hash: string): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const opened: Opened = { page, problems: [], requests: [], dialogs: [] };
    page.on('pageerror', (e) => opened.problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') opened.problems.push(`${m.type()}: ${m.text()}`);
    });
    await page.goto(`${pathToFileURL(path).href}${hash}`, { waitUntil: 'load' });
    await page.locator('#filter-count:not(:empty)').waitFor();
    return opened;
  }

  /** A computed style of the first element a selector finds. */
  const style = (page: Page, selector: string, property: string): Promise<string> =>
    page.$eval(selector, (e, name) => e.ownerDocument.defaultView!.getComputedStyle(e).getPropertyValue(name), property);

  const visibleRows = (page: Page): Promise<string[]> => page.$$eval('#call-table tbody tr[data-call]', (rows) => rows.map((r) => r.getAttribute('data-call')!));

  /** Opens a call from the list, as a click on its line does, and waits for its ladder. */
  async function openCall(page: Page, call: number): Promise<void> {
    await page.click(`#call-table tbody tr[data-call="${call}"] td:nth-child(3)`);
    await page.locator(`#call-${call} .ladder svg`).waitFor();
  }

  it('loads from disk with no console error and no request but the file itself', async () => {
    const { page, problems, requests } = await open(demo);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.title()).toBe('siplens report — samples/demo.pcap');
    expect(await page.locator('#filter-count').textContent()).toBe('3 of 3 calls');
    // The summary and the header, written after the calls, are shown first.
    expect(await page.$$eval('body > *', (nodes) => nodes.map((n) => n.tagName.toLowerCase()).slice(0, 3))).toEqual(['header', 'nav', 'main']);
    expect(await page.$eval('main', (m) => m.firstElementChild!.id)).toBe('summary');
    // Ladders are drawn when a call is opened, not before.
    expect(await page.locator('section.call').count()).toBe(0);
    await openCall(page, 2);
    expect(await page.locator('section.call svg g.msg').count()).toBe(6);
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-2');
    await openCall(page, 1);
    expect(await page.$$eval('section.call', (nodes) => nodes.map((n) => n.id))).toEqual(['call-1', 'call-2']);
    await page.click('#call-1 h3 button.close');
    expect(await page.locator('#call-1').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the call a permalink names', async () => {
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(demo).href}#call-3`);
    await page.locator('#call-3 .ladder svg').waitFor();
    expect(await page.locator('#call-3 svg g.msg').count()).toBe(2);
    expect(await page.locator('#call-table tr.current').getAttribute('data-call')).toBe('3');
    await page.close();
  });

  it('opens the message a permalink names, follows the reader in the address, and copies a link', async () => {
    const { page, problems } = await openAt(demo, '#call-2/msg-3');
    await page.locator('#message:not([hidden])').waitFor();
    expect(await page.locator('g.msg.selected').getAttribute('data-msg')).toBe('2');
    expect(await page.locator('#message-title').textContent()).toBe('#62  CANCEL');
    // Another message, another call: the address follows, replaced rather than pushed.
    const length = await page.evaluate<number>('history.length');
    await page.click('g.msg[data-call="2"][data-msg="0"]');
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-2/msg-1');
    await page.click('#message-link');
    await expect.poll(() => page.locator('#status').textContent()).toContain(`${pathToFileURL(demo).href}#call-2/msg-1`);
    await page.keyboard.press('Escape');
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-2');
    await openCall(page, 1);
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-1');
    await page.click('#call-1 h3 button.copy-link');
    await expect.poll(() => page.locator('#status').textContent()).toContain(`${pathToFileURL(demo).href}#call-1`);
    expect(await page.locator('#call-1 h3 a.permalink').getAttribute('href')).toBe('#call-1');
    expect(await page.evaluate<number>('history.length')).toBe(length);
    // A permalink to no such call or message opens nothing, quietly.
    await page.goto(`${pathToFileURL(demo).href}#call-99/msg-1`);
    await page.goto(`${pathToFileURL(demo).href}#call-3/msg-40`);
    await page.locator('#call-3 .ladder svg').waitFor();
    expect(await page.locator('#message').isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('walks the calls and the messages with the keyboard: n/p, j/k and the arrow keys, Enter, Escape, ?', async () => {
    const { page, problems } = await open(demo);
    // What has the focus: a call's section by its id, a message's arrow as "call/index".
    const focused = (): Promise<string> =>
      page.evaluate<string>("(e => e.getAttribute('data-msg') === null ? e.id : e.getAttribute('data-call') + '/' + e.getAttribute('data-msg'))(document.activeElement)");
    await page.keyboard.press('n');
    await page.locator('#call-1 .ladder svg').waitFor();
    expect(await focused()).toBe('call-1');
    expect(await page.locator('#call-table tr.current').getAttribute('data-call')).toBe('1');
    await page.keyboard.press('j');
    expect(await focused()).toBe('1/0');
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-1/msg-1');
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('1/2');
    await page.keyboard.press('k');
    expect(await focused()).toBe('1/1');
    // A key held down: the walk stops at the ends, and the address follows without flooding the history.
    for (let i = 0; i < 30; i++) await page.keyboard.press('j');
    expect(await focused()).toBe('1/6');
    for (let i = 0; i < 30; i++) await page.keyboard.press('k');
    expect(await focused()).toBe('1/0');
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-1/msg-1');
    await page.keyboard.press('j');
    // The focused arrow shows it (a visible ring), and so does the panel's arrow once opened.
    expect(await style(page, 'g.msg[data-call="1"][data-msg="1"] .hit', 'stroke')).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.locator('#message').isVisible()).toBe(true);
    const second = await page.locator('#message-title').textContent();
    await page.keyboard.press('j');
    expect(await page.locator('#message').isVisible()).toBe(true);
    expect(await page.locator('#message-title').textContent()).not.toBe(second);
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-1/msg-3');
    await page.keyboard.press('Escape');
    expect(await page.locator('#message').isHidden()).toBe(true);
    expect(await focused()).toBe('1/2');
    await page.keyboard.press('n');
    await page.locator('#call-2 .ladder svg').waitFor();
    expect(await page.locator('#call-table tr.current').getAttribute('data-call')).toBe('2');
    await page.keyboard.press('p');
    await expect.poll(focused).toBe('call-1');
    // ? lists the keys; Escape closes the list; / goes to the filter, where letters are typed, not obeyed.
    await page.keyboard.press('?');
    expect(await page.locator('#keys').isVisible()).toBe(true);
    expect(await page.locator('#keys').textContent()).toContain('next message of the call');
    await page.keyboard.press('Escape');
    expect(await page.locator('#keys').isHidden()).toBe(true);
    await page.keyboard.press('/');
    await page.keyboard.type('jn');
    expect(await page.inputValue('#filter-text')).toBe('jn');
    expect(await focused()).toBe('filter-text');
    await expect.poll(() => new URL(page.url()).hash).toBe('#call-1');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('n and p walk a long list too: the list scrolls to the line of the call opened, drawn among the few in view', async () => {
    const capture = join(scratch, 'thousands.pcap');
    writeManyCalls(capture, 3000);
    const { page, problems } = await open(await writeReport([capture], 'thousands.html'));
    const inView = (call: number): Promise<boolean> =>
      page.$eval(`#call-table tbody tr[data-call="${call}"]`, (row) => {
        const list = row.closest('#call-list')!.getBoundingClientRect();
        const box = row.getBoundingClientRect();
        return box.top >= list.top && box.bottom <= list.bottom;
      });
    await page.keyboard.press('p');
    await page.locator('#call-3000 .ladder svg').waitFor();
    expect(await page.locator('#call-table tr.current').getAttribute('data-call')).toBe('3000');
    expect(await inView(3000)).toBe(true);
    expect(await page.locator('#call-table tbody tr[data-call]').count()).toBeLessThan(200);
    await page.keyboard.press('p');
    await page.locator('#call-2999 .ladder svg').waitFor();
    expect(await inView(2999)).toBe(true);
    // From a call in the middle, found by the filter, and back to the whole list.
    await page.fill('#filter-text', 'many-1500@');
    await page.click('#call-table tbody tr[data-call="1500"] td:nth-child(3)');
    await page.locator('#call-1500 .ladder svg').waitFor();
    await page.fill('#filter-text', '');
    await page.locator('#call-1500').focus();
    await page.keyboard.press('n');
    await page.locator('#call-1501 .ladder svg').waitFor();
    expect(await inView(1501)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('n and p follow the list as sorted', async () => {
    const { page } = await open(demo);
    await page.locator('#call-table th', { hasText: 'duration' }).click();
    await page.locator('body').focus();
    await page.keyboard.press('n');
    await page.locator('#call-3 .ladder svg').waitFor();
    await page.keyboard.press('n');
    await page.locator('#call-1 .ladder svg').waitFor();
    expect(await page.locator('#call-table tr.current').getAttribute('data-call')).toBe('1');
    await page.close();
  });

  it('labels each arrow with its time of day and the time since the message above, marks SDP, and names the negotiated codec', async () => {
    const { page } = await open(demo);
    await openCall(page, 1);
    const times = await page.$$eval('#call-1 g.msg text.time', (t) => t.map((n) => n.textContent));
    expect(times[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} {2}#\d+$/);
    const deltas = await page.$$eval('#call-1 g.msg text.delta', (t) => t.map((n) => n.textContent));
    expect(deltas[0]).toBe('+0.000 s');
    expect(deltas[1]).toMatch(/^\+\d+\.\d{3} s {2}Δ \d+(\.\d+)? m?s$/);
    expect(await page.locator('#call-1 g.msg[data-msg="0"] tspan.sdp').textContent()).toBe(' SDP');
    expect(await page.locator('#call-1 g.msg tspan.sdp').count()).toBeLessThan(await page.locator('#call-1 g.msg').count());
    expect(await page.locator('#call-1 .meta .codec').textContent()).toMatch(/^negotiated codec \w+\/8000$/);
    if (process.env.SIPLENS_SCREENSHOT) {
      // The README's pair: one call's ladder in the light and in the dark theme.
      await page.setViewportSize({ width: 1000, height: 520 });
      await page.$eval('#call-1', (section) => section.scrollIntoView());
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: join(REPO_ROOT, 'docs', `html-${scheme}.png`) });
      }
    }
    await page.close();
  });

  it('follows the system theme (prefers-color-scheme) until the toggle picks one, remembered after a reload', async () => {
    const { page, problems } = await open(demo);
    const background = (): Promise<string> => style(page, 'body', 'background-color');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(19, 23, 28)');
    // The toggle shows the theme in force, told of the system's change by an event.
    await expect.poll(() => page.getAttribute('#theme-toggle', 'aria-pressed')).toBe('true');
    await openCall(page, 2);
    // The ladder is drawn in the dark set too: light arrows on a dark ground.
    expect(await style(page, '#call-2 g.msg line', 'stroke')).toBe('rgb(192, 204, 216)');
    await page.click('#theme-toggle');
    expect(await background()).toBe('rgb(255, 255, 255)');
    expect(await page.getAttribute('#theme-toggle', 'aria-pressed')).toBe('false');
    await page.reload();
    await page.locator('#filter-count:not(:empty)').waitFor();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.click('#theme-toggle');
    expect(await background()).toBe('rgb(19, 23, 28)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('prints an opened call (its header, findings and ladder) without the list and the controls', async () => {
    const { page } = await open(demo);
    await page.emulateMedia({ media: 'print' });
    // Nothing opened: the summary is what there is to print.
    expect(await page.locator('#summary').isVisible()).toBe(true);
    expect(await page.locator('#calls').isHidden()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await openCall(page, 2);
    await page.click('g.msg[data-call="2"][data-msg="0"]');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    for (const hidden of ['#calls', 'nav.sections', '#summary', '#message', '#call-2 h3 button.copy-link', '#call-2 h3 button.close']) expect(await page.locator(hidden).isHidden(), hidden).toBe(true);
    for (const shown of ['#call-2 h3', '#call-2 .meta', '#call-2 .ladder svg', '#call-2 ul.findings']) expect(await page.locator(shown).isVisible(), shown).toBe(true);
    // Paper is light whatever the screen's theme.
    expect(await style(page, 'body', 'background-color')).toBe('rgb(255, 255, 255)');
    const pdf = await page.pdf();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('filters the calls by text, outcome and rule, hiding their ladders too', async () => {
    const { page, problems } = await open(demo);
    await openCall(page, 1);
    await openCall(page, 2);
    await page.fill('#filter-text', 'CAROL');
    expect(await visibleRows(page)).toEqual(['2']);
    expect(await page.locator('#call-1').isHidden()).toBe(true);
    expect(await page.locator('#call-2').isVisible()).toBe(true);
    expect(await page.locator('#filter-count').textContent()).toBe('1 of 3 calls');
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-outcome', 'failed');
    expect(await visibleRows(page)).toEqual(['3']);
    await page.selectOption('#filter-outcome', '');
    await page.selectOption('#filter-rule', 'stuck-on-100-trying');
    expect(await visibleRows(page)).toEqual(['2']);
    await page.selectOption('#filter-rule', '');
    await page.fill('#filter-text', '192.0.2.20');
    expect(await visibleRows(page)).toEqual(['1']);
    await page.fill('#filter-text', '');
    expect(await visibleRows(page)).toEqual(['1', '2', '3']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sorts the call list by a column', async () => {
    const { page } = await open(demo);
    const duration = page.locator('#call-table th', { hasText: 'duration' });
    await duration.click();
    expect(await visibleRows(page)).toEqual(['3', '1', '2']);
    await duration.click();
    expect(await visibleRows(page)).toEqual(['2', '1', '3']);
    await page.close();
  });

  it('a click on an arrow opens the message: headers highlighted, SDP explained; a frame number beside a finding too', async () => {
    const { page, problems } = await open(demo);
    expect(await page.locator('#message').isHidden()).toBe(true);
    await openCall(page, 2);
    await page.click('g.msg[data-call="2"][data-msg="0"]');
    expect(await page.locator('#message').isVisible()).toBe(true);
    expect(await page.locator('#message-title').textContent()).toBe('#58  INVITE');
    expect(await page.locator('#message-body pre.raw .start').textContent()).toBe('INVITE sip:carol@example.com SIP/2.0');
    expect(await page.locator('#message-body .hname.key', { hasText: 'Call-ID' }).count()).toBe(1);
    expect(await page.locator('#message-body pre.raw').first().textContent()).toContain('Call-ID: demo-call-2@192.0.2.10');
    expect(await page.locator('#message-body table.sdp tr', { hasText: 'c=IN IP4 192.0.2.10' }).textContent()).toContain('connection');
    expect(await page.locator('g.msg.selected').getAttribute('data-msg')).toBe('0');
    if (process.env.SIPLENS_SCREENSHOT) {
      await page.locator('#call-2 h3').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(REPO_ROOT, 'docs', 'html-report.png') });
    }
    await page.keyboard.press('Escape');
    expect(await page.locator('#message').isHidden()).toBe(true);
    await page.click('#call-2 button.ref:has-text("#62")');
    expect(await page.locator('#message-title').textContent()).toBe('#62  CANCEL');
    expect(await page.locator('#message-meta').textContent()).toContain('warning stuck-on-100-trying: The INVITE got 100 Trying');
    // The keyboard reaches arrows too.
    await page.keyboard.press('Escape');
    await openCall(page, 3);
    await page.focus('g.msg[data-call="3"][data-msg="1"]');
    await page.keyboard.press('Enter');
    expect(await page.locator('#message-title').textContent()).toBe('#61  410 Gone (REGISTER)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("speaks the report's language, in the page and in what its script writes", async () => {
    const { page, problems } = await open(demoSpanish);
    expect(problems).toEqual([]);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.title()).toBe('Informe de siplens — samples/demo.pcap');
    expect(await page.locator('#filter-count').textContent()).toBe('3 de 3 llamadas');
    await page.fill('#filter-text', 'CAROL');
    expect(await page.locator('#filter-count').textContent()).toBe('1 de 3 llamadas');
    await page.fill('#filter-text', '');
    await openCall(page, 2);
    expect(await page.locator('#call-2 h3').textContent()).toMatch(/^Llamada 2 /);
    await page.click('g.msg[data-call="2"][data-msg="0"]');
    expect(await page.locator('#message-meta').textContent()).toMatch(/^Llamada 2 · /);
    expect(await page.locator('#message-body h3').textContent()).toBe('Cuerpo SDP');
    expect(await page.locator('#message-body table.sdp tr', { hasText: 'c=IN IP4 192.0.2.10' }).textContent()).toContain('conexión: adónde se envían los medios');
    await page.keyboard.press('Escape');
    await openCall(page, 3);
    await page.click('#call-3 button.ref:has-text("#61")');
    expect(await page.locator('#message-meta').textContent()).toContain('aviso gone-410: ');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows each stream's RTCP XR VoIP metrics in the media table with the JSON report's values, '—' for a stream without", async () => {
    // The callee sent XR on the caller's stream; the caller sent none on the callee's.
    const timeline = buildTimeline(await analyze(['fixtures/media/rtp-sender-xr-one-side.pcap']));
    const path = join(scratch, 'xr.html');
    writeFileSync(path, renderHtml(timeline));
    interface Metrics {
      lossRate: number;
      discardRate: number;
      rFactor: number | null;
      mosLq: number | null;
      mosCq: number | null;
      roundTripDelayMs: number;
      endSystemDelayMs: number;
    }
    interface Stream { from: string; rtcp?: { voipMetrics?: Metrics } }
    const [call] = (JSON.parse(renderJson(timeline)) as { calls: { number: number; media: { streams: Stream[] } }[] }).calls;
    const streams = call!.media.streams;
    expect(streams.map((s) => [s.from, s.rtcp?.voipMetrics !== undefined])).toEqual([['callee', false], ['caller', true]]);
    const { page, problems } = await open(path);
    await openCall(page, call!.number);
    const table = page.locator(`#call-${call!.number} table.media`);
    const heads = await table.locator('thead th').allTextContents();
    const column = heads.indexOf('RTCP XR (receiver)');
    expect(column).toBeGreaterThan(0);
    const rows = table.locator('tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((r) => r.children.length))).toEqual([heads.length, heads.length]);
    const cells = await rows.evaluateAll((trs, i) => trs.map((r) => r.children[i]!.textContent), column);
    // The page writes fractions as percent to one decimal, R as the integer it is, MOS to one decimal, delays in ms
    // (an end system delay of 0 is "unable to provide", RFC 3611 §4.7.3); '—' for what is unavailable or absent.
    const mos = (v: number | null): string => (v === null ? '—' : v.toFixed(1));
    const expected = streams.map((s) => {
      const m = s.rtcp?.voipMetrics;
      if (m === undefined) return '—';
      return [
        `loss ${(m.lossRate * 100).toFixed(1)} %`,
        `discard ${(m.discardRate * 100).toFixed(1)} %`,
        `R ${m.rFactor ?? '—'}`,
        `MOS-LQ ${mos(m.mosLq)}`,
        `MOS-CQ ${mos(m.mosCq)}`,
        `round trip ${m.roundTripDelayMs} ms`,
        `end system ${m.endSystemDelayMs || '—'} ms`,
      ].join(' · ');
    });
    expect(cells).toEqual(expected);
    // The fixture's figures, so that the JSON and the page changing together does not pass unseen.
    expect(cells).toEqual(['—', 'loss 3.1 % · discard 0.0 % · R 81 · MOS-LQ 4.0 · MOS-CQ — · round trip 0 ms · end system 60 ms']);
    expect((await rows.allTextContents()).join(' ')).not.toMatch(/undefined|NaN|null/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows hostile trace text as text: no script runs, nothing is injected, nothing is reversed', async () => {
    const { page, problems, dialogs, requests } = await open(hostile);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.locator('script').count()).toBe(3);
    expect(await page.locator('img').count()).toBe(0);
    const callId = await page.locator('#call-table tbody tr[data-call] td').last().textContent();
    expect(callId).toBe('cid</script><!--`|;-->@evil.example');
    await openCall(page, 1);
    const body = (await page.locator('body').textContent())!;
    expect(body).toContain('<script>alert(1)</script>');
    expect(body).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u001b]/);
    expect(body).toContain('\\u202e');
    expect(await page.locator('#call-1 .ladder').textContent()).toContain('\\x1b[2J');
    expect(await page.locator('script').count()).toBe(3);
    await page.click('g.msg[data-call="1"][data-msg="0"]');
    const raw = (await page.locator('#message-body').textContent())!;
    expect(raw).toContain('Subject: \\x1b[2J');
    expect(raw).toContain('s=\\x1b[2J');
    expect(dialogs).toEqual([]);
    await page.close();
  });
  describe('a streamed report of 100,000 calls', () => {
    const CALLS = 100_000;
    const MEDIA = 'fixtures/media/sipp-rtp-loss-jitter.pcap';
    let report: string;
    let expected: number;

    beforeAll(async () => {
      const capture = join(scratch, 'many.pcap');
      writeManyCalls(capture, CALLS);
      expected = CALLS + (await analyze([MEDIA])).calls.length;
      report = join(scratch, 'many.html');
      const out = ReportOutput.open(report);
      try {
        await streamReport([capture, MEDIA], reportOptionsFrom({}, 'html', 'error', false), {}, out);
      } finally {
        out.close();
      }
    }, 1_800_000);

    it('opens with every call in its list, and draws a call with its media when opened', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      const started = Date.now();
      await page.goto(pathToFileURL(report).href, { timeout: 300_000 });
      await page.locator('#filter-count:not(:empty)').waitFor({ timeout: 300_000 });
      const loadMs = Date.now() - started;
      expect(await page.locator('#filter-count').textContent()).toBe(`${expected} of ${expected} calls`);
      // Only the lines in view are drawn.
      expect(await page.locator('#call-table tbody tr[data-call]').count()).toBeLessThan(200);
      await openCall(page, 1);
      expect(await page.locator('#call-1 svg g.msg').count()).toBe(5);
      // The call with media, found by the filter among all the others.
      const filtering = Date.now();
      await page.fill('#filter-text', 'rtp-loss-jitter');
      const rows = await visibleRows(page);
      const filterMs = Date.now() - filtering;
      expect(rows).toHaveLength(1);
      await openCall(page, Number(rows[0]));
      expect(await page.locator(`#call-${rows[0]} table.media tbody tr`).count()).toBe(2);
      expect(await page.locator(`#call-${rows[0]} svg.chart`).count()).toBe(2);
      expect(await page.locator(`#call-${rows[0]} g.rtp`).count()).toBe(4);
      // The list scrolls to its end, drawing the last lines.
      await page.fill('#filter-text', '');
      await page.$eval('#call-list', (list) => list.scrollTo(0, list.scrollHeight));
      await page.locator(`#call-table tbody tr[data-call="${expected}"]`).waitFor({ timeout: 30_000 });
      expect(problems).toEqual([]);
      console.log(`HTML report of ${expected} calls: ${loadMs} ms from navigation to the filled call list, ${filterMs} ms to filter by text`);
      await page.close();
    }, 600_000);
  });
});
