/**
 * The HTML report's call list and call header in Chromium (playwright-core, as
 * html.browser.test.ts): each call shown as what it is (a type column and filter; a
 * registration, a ping or a partial call not green among real calls), the whole Call-ID
 * wrapped rather than cut, and the legs of a call through a B2BUA linked to each other.
 * Skipped when /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { renderHtml } from '../../../src/present/render/html.js';
import { buildTimeline } from '../../../src/present/timeline.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const LONG_ID = 'mid-call-1-4f1c9e27b8d34f60a1e5c3b9d7f2e8a4-5c1e9b3d7a2f4e6c8b0d1f3a5c7e9b2d@sbc-core-01.siplens.test';
const scratch = mkdtempSync(join(tmpdir(), 'siplens-call-list-'));

async function writeReport(inputs: string[], name: string): Promise<string> {
  const path = join(scratch, name);
  writeFileSync(path, renderHtml(buildTimeline(await analyze(inputs))));
  return path;
}

describe.skipIf(!existsSync(CHROMIUM))('HTML call list in Chromium', () => {
  let browser: Browser;
  let mixed: string;
  let legs: string;
  let varied: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    mixed = await writeReport(['fixtures/real/sipp-capture-mid-call.pcap', 'samples/demo.pcap'], 'mixed.html');
    legs = await writeReport(['fixtures/synthetic/b2bua-legs.pcap'], 'legs.html');
    // 3,000 calls whose Call-IDs run from 8 to 300 characters: rows of one to several lines.
    const demo = buildTimeline(await analyze(['samples/demo.pcap']));
    const calls = Array.from({ length: 3000 }, (_, i) => ({ ...demo.calls[i % 3]!, number: i + 1, callId: `${i + 1}-${'x'.repeat((i * 37) % 293)}@varied.example` }));
    varied = join(scratch, 'varied.html');
    writeFileSync(varied, renderHtml({ ...demo, calls }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function open(path: string, problems: string[]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    await page.goto(pathToFileURL(path).href);
    await page.locator('#filter-count:not(:empty)').waitFor();
    return page;
  }

  const visibleRows = (page: Page): Promise<string[]> => page.$$eval('#call-table tbody tr[data-call]', (rows) => rows.map((r) => r.getAttribute('data-call')!));

  it('has a type column and a type filter; only real calls are green', async () => {
    const problems: string[] = [];
    const page = await open(mixed, problems);
    expect(await page.$$eval('#filter-type option', (options) => options.map((o) => o.textContent))).toEqual(['any type', 'call', 'call (partial)', 'options', 'registration']);
    const types = await page.$$eval('#call-table tbody tr[data-call]', (rows) => rows.map((r) => [r.getAttribute('data-call'), r.children[2]!.textContent]));
    expect(types).toEqual([
      ['1', 'call'],
      ['2', 'call'],
      ['3', 'registration'],
      ['4', 'registration'],
      ['5', 'options'],
      ['6', 'call (partial)'],
    ]);
    await page.selectOption('#filter-type', 'registration');
    expect(await visibleRows(page)).toEqual(['3', '4']);
    await page.selectOption('#filter-type', 'call (partial)');
    expect(await visibleRows(page)).toEqual(['6']);
    await page.selectOption('#filter-type', 'call');
    expect(await visibleRows(page)).toEqual(['1', '2']);
    await page.selectOption('#filter-type', '');
    // The answered call's badge is green; the partial call's, the registration's and the ping's are not.
    const colour = (call: number) => page.$eval(`#call-table tr[data-call="${call}"] .outcome`, (b) => b.ownerDocument.defaultView!.getComputedStyle(b).color);
    const green = await colour(1);
    for (const call of [4, 5, 6]) expect(await colour(call)).not.toBe(green);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the whole Call-ID, wrapped in its cell and in the call header', async () => {
    const problems: string[] = [];
    const page = await open(mixed, problems);
    const cell = page.locator('#call-table tr[data-call="6"] td.callid');
    expect(await cell.textContent()).toBe(LONG_ID);
    const box = await cell.evaluate((td) => ({ scroll: td.scrollWidth, client: td.clientWidth, height: td.getBoundingClientRect().height }));
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    // Wrapped onto more lines than a one-line row holds.
    const oneLine = await page.locator('#call-table tr[data-call="1"] td.callid').evaluate((td) => td.getBoundingClientRect().height);
    expect(box.height).toBeGreaterThan(oneLine * 1.5);
    await page.click('#call-table tr[data-call="6"] td:nth-child(4)');
    await page.locator('#call-6 .ladder svg').waitFor();
    expect(await page.locator('#call-6 .meta .callid').textContent()).toBe(LONG_ID);
    expect(await page.locator('#call-6 .meta').first().textContent()).toContain('call (partial: its start is not in the capture)');
    // The header is no wider than the page: the Call-ID wraps there too.
    expect(await page.$eval('html', (root) => root.scrollWidth <= root.clientWidth)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('scrolls through rows of different heights without a gap or a jump back', async () => {
    const problems: string[] = [];
    const page = await open(varied, problems);
    // Scrolled down a step at a time, the list shows at its top a row (never blank space), that
    // row's number never goes back, and the list keeps its height (the scroll bar does not
    // jitter): each row's place is where its height puts it, before it is drawn.
    const { tops, heights } = await page.$eval('#call-list', async (list) => {
      const win = list.ownerDocument.defaultView!;
      list.scrollIntoView();
      const view = list.getBoundingClientRect();
      const seen: (number | null)[] = [];
      const heights: number[] = [];
      const step = Math.max(997, Math.floor(list.scrollHeight / 80));
      for (let y = 0; y < list.scrollHeight - list.clientHeight; y += step) {
        list.scrollTop = y;
        await new Promise((done) => win.requestAnimationFrame(() => win.requestAnimationFrame(done)));
        const row = list.ownerDocument.elementFromPoint(view.left + view.width / 2, view.top + 40)?.closest('tr[data-call]');
        seen.push(row ? Number(row.getAttribute('data-call')) : null);
        heights.push(list.scrollHeight);
      }
      return { tops: seen, heights };
    });
    expect(tops.length).toBeGreaterThan(50);
    expect(tops.filter((n) => n === null)).toEqual([]);
    const back = tops.flatMap((n, i) => (i > 0 && n! < tops[i - 1]! ? [`${tops[i - 1]} then ${n}`] : []));
    expect(back).toEqual([]);
    expect((Math.max(...heights) - Math.min(...heights)) / Math.max(...heights)).toBeLessThan(0.005);
    await page.$eval('#call-list', (list) => list.scrollTo(0, list.scrollHeight));
    await page.locator('#call-table tbody tr[data-call="3000"]').waitFor({ timeout: 10_000 });
    // Every Call-ID drawn is whole in its cell.
    expect(await page.$$eval('#call-table td.callid', (cells) => cells.every((c) => c.scrollWidth <= c.clientWidth))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('links the legs of a call: "leg of call N" in the list, and a link from one leg to the other', async () => {
    const problems: string[] = [];
    const page = await open(legs, problems);
    expect(await page.locator('#call-table tr[data-call="2"] td:nth-child(3)').textContent()).toBe('call · leg of call 1');
    await page.click('#call-table tr[data-call="2"] td:nth-child(4)');
    await page.locator('#call-2 .ladder svg').waitFor();
    expect(await page.locator('#call-2 p.legs').textContent()).toBe('legs: call 1 (inbound) → call 2 (outbound, X-Call-ID)');
    await page.click('#call-2 p.legs a:has-text("call 1")');
    await page.locator('#call-1 .ladder svg').waitFor();
    expect(new URL(page.url()).hash).toBe('#call-1');
    expect(await page.locator('#call-1 p.meta', { hasText: 'the outbound leg, call 2, got 503' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
