import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { escapeHtml, htmlText, jsonForScript, showControls } from '../../../src/present/render/escape.js';
import { renderHtml } from '../../../src/present/render/html.js';
import { REPORT_CSS, reportScript, THEME_SCRIPT } from '../../../src/present/render/html-assets.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import { writeHostileCapture } from '../../support/hostile.js';

let html: string;

interface Batch {
  rows: Record<string, unknown>[];
  details: { messages: Record<string, unknown>[]; streams: Record<string, unknown>[]; rows: unknown[] }[];
}

/** The page's data blocks, each batch's details inflated. */
function batches(page: string): Batch[] {
  return [...page.matchAll(/<script type="application\/json" class="calls">([\s\S]*?)<\/script>/g)].map((m) => {
    const block = JSON.parse(m[1]!) as { rows: Batch['rows']; details: string };
    return { rows: block.rows, details: JSON.parse(inflateRawSync(Buffer.from(block.details, 'base64')).toString('utf8')) as Batch['details'] };
  });
}

beforeAll(async () => {
  const timeline = buildTimeline(await analyze([writeHostileCapture()]));
  html = renderHtml(timeline);
});

describe('HTML report (as text)', () => {
  it('is one self-contained file: no external URL to load, a CSP that allows only its own script and style', () => {
    expect(html).not.toMatch(/<(link|script|img|iframe)[^>]+(src|href)="(?!data:)/i);
    const sha = (t: string): string => createHash('sha256').update(t).digest('base64');
    expect(html).toContain(`style-src 'sha256-${sha(REPORT_CSS)}'`);
    // The theme chosen before the body is drawn, and the report's script.
    expect(html).toContain(`script-src 'sha256-${sha(THEME_SCRIPT)}' 'sha256-${sha(reportScript('en'))}';`);
    expect(html).toContain("default-src 'none'");
  });

  it('has only its own script elements: the theme in the head, inert data blocks and the script last, whatever the trace says', () => {
    const scripts = html.match(/<script[^>]*>/gi)!;
    expect(scripts).toEqual(['<script>', '<script type="application/json" class="calls">', '<script>']);
    expect(html).toContain(`<script>${THEME_SCRIPT}</script>\n</head>`);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).not.toMatch(/<img|<!--/i);
  });

  it('keeps the data blocks inert (JSON with no <, > or &; details as base64 of deflated JSON), and they read back as the trace text', () => {
    const block = /<script type="application\/json" class="calls">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toMatch(/[<>&]/);
    expect(block).toMatch(/,"details":"[A-Za-z0-9+/=]+"\}$/);
    const [batch] = batches(html);
    expect(batch!.rows[0]!.callId).toBe('cid</script><!--`|;-->@evil.example');
    expect(batch!.details[0]!.messages[0]!.raw).toContain('Call-ID: cid</script><!--`|;-->@evil.example');
    // Control characters and bidi overrides are shown, not obeyed.
    expect(batch!.details[0]!.messages[2]!.label).toContain('\\x1b[2J');
    expect(batch!.details[0]!.messages[2]!.label).not.toMatch(/[\u001b\u202e]/);
    expect(JSON.stringify(batches(html))).not.toMatch(/[\u001b\u202e]/);
  });

  it('escapes text and every attribute value', () => {
    // Every attribute value is double-quoted and holds no raw quote or angle bracket.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(50);
    for (const tag of tags) expect(tag.replace(/\s[\w:-]+="[^"<>]*"/g, '')).toMatch(/^<[\w-]+(\s[\w-]+)*\s*\/?>$/);
    // Trace text reaches the page as data only (the script writes it with textContent).
    expect(html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '')).not.toMatch(/alert\(1\)|evil\.example/);
  });

  it('helpers', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(htmlText('a\u202eb\u001b')).toBe('a\\u202eb\\x1b');
    expect(showControls('a\r\nb\u0007\tc')).toBe('a\r\nb\\x07\tc');
    expect(jsonForScript({ s: '</script><!--&\u2028' })).toBe('{"s":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}');
  });
});

describe('HTML report: media', () => {
  it('gives the page each stream: its rows in the ladder, its line in the media table, its chart series of fixed size', async () => {
    const timeline = buildTimeline(await analyze([`${process.cwd()}/fixtures/media/sipp-rtp-loss-jitter.pcap`]));
    const call = timeline.calls[0]!;
    // A hostile codec name (an rtpmap encoding is trace text): data for textContent, never markup.
    const streams = call.media!.streams.map((s) => ({ ...s, codec: '<script>alert(1)</script>' }));
    const hostile = { ...timeline, calls: [{ ...call, media: { ...call.media!, streams } }] };
    const page = renderHtml(hostile);
    expect(page.match(/<script/gi)).toHaveLength(3);
    const detail = batches(page)[0]!.details[0]!;
    expect(detail.streams).toHaveLength(2);
    expect(detail.rows.filter((r) => typeof r !== 'number')).toHaveLength(4);
    const charts = detail.streams.map((s) => s.chart as { packets: number[]; lost: number[]; maxJitterMs: number[] });
    for (const c of charts) expect(c.packets.length).toBe(call.media!.streams[0]!.series.packets.length);
    // The lossy stream's chart marks its loss.
    expect(charts.some((c) => c.lost.some((n) => n > 0))).toBe(true);
    expect((detail.streams[0]!.table as string[])[1]).toBe('<script>alert(1)</script>');
    expect(page).not.toMatch(/\sstyle="/);
  });
});

describe('HTML report: what the ladder marks', () => {
  it('marks the messages that carry SDP (only those) and gives each call the codec its offer and answer agreed', async () => {
    const page = renderHtml(buildTimeline(await analyze(['samples/demo.pcap'])));
    const details = batches(page).flatMap((b) => b.details) as unknown as { codec: string | null; messages: { sdp?: true; raw: string }[] }[];
    for (const call of details) {
      for (const m of call.messages) expect(m.sdp === true, m.raw.split('\r\n')[0]).toBe(/^Content-Type: *application\/sdp/im.test(m.raw));
    }
    expect(details.flatMap((d) => d.messages).filter((m) => m.sdp)).not.toHaveLength(0);
    // Call 1 is answered with SDP both ways; call 3 is a REGISTER.
    expect(details[0]!.codec).toMatch(/^\w+\/8000$/);
    expect(details[2]!.codec).toBeNull();
  });
});
