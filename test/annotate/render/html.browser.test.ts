/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core. The page
 * must load from disk with no console error and no network request, filter and sort its
 * call list, open a message on a click, and show hostile trace text as text (no script
 * runs, no element is injected). Skipped when /usr/bin/chromium is absent (.ci/run
 * installs it). `SIPLENS_SCREENSHOT=1 npx vitest run test/annotate/render/html.browser.test.ts`
 * refreshes docs/html-report.png.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { renderHtml } from '../../../src/present/render/html.js';
import { computeStatistics } from '../../../src/present/stats.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import type { Lang } from '../../../src/annotate/i18n.js';
import { REPO_ROOT } from '../../support/captures.js';
import { writeHostileCapture } from '../../support/hostile.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const scratch = mkdtempSync(join(tmpdir(), 'siplens-html-'));

async function writeReport(inputs: string[], name: string, lang: Lang = 'en'): Promise<string> {
  const timeline = buildTimeline(await analyze(inputs), lang);
  const path = join(scratch, name);
  writeFileSync(path, renderHtml(timeline, { statistics: computeStatistics(timeline) }));
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
    return opened;
  }

  const visibleRows = (page: Page): Promise<string[]> =>
    page.$$eval('#call-table tbody tr', (rows) => rows.filter((r) => !r.hasAttribute('hidden')).map((r) => r.getAttribute('data-call')!));

  it('loads from disk with no console error and no request but the file itself', async () => {
    const { page, problems, requests } = await open(demo);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.title()).toBe('siplens report — samples/demo.pcap');
    expect(await page.locator('#filter-count').textContent()).toBe('3 of 3 calls');
    expect(await page.locator('section.call svg g.msg').count()).toBe(15);
    await page.close();
  });

  it('filters the calls by text, outcome and rule, hiding their ladders too', async () => {
    const { page, problems } = await open(demo);
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
    await page.click('g.msg[data-call="2"][data-msg="0"]');
    expect(await page.locator('#message-meta').textContent()).toMatch(/^Llamada 2 · /);
    expect(await page.locator('#message-body h3').textContent()).toBe('Cuerpo SDP');
    expect(await page.locator('#message-body table.sdp tr', { hasText: 'c=IN IP4 192.0.2.10' }).textContent()).toContain('conexión: adónde se envían los medios');
    await page.keyboard.press('Escape');
    await page.click('#call-3 button.ref:has-text("#61")');
    expect(await page.locator('#message-meta').textContent()).toContain('aviso gone-410: ');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows hostile trace text as text: no script runs, nothing is injected, nothing is reversed', async () => {
    const { page, problems, dialogs, requests } = await open(hostile);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('img').count()).toBe(0);
    const callId = await page.locator('#call-table tbody tr td').last().textContent();
    expect(callId).toBe('cid</script><!--`|;-->@evil.example');
    const body = (await page.locator('body').textContent())!;
    expect(body).toContain('<script>alert(1)</script>');
    expect(body).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u001b]/);
    expect(body).toContain('\\u202e');
    await page.click('g.msg[data-call="1"][data-msg="0"]');
    const raw = (await page.locator('#message-body').textContent())!;
    expect(raw).toContain('Subject: \\x1b[2J');
    expect(raw).toContain('s=\\x1b[2J');
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
