import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { escapeHtml, htmlText, jsonForScript, showControls } from '../../../src/present/render/escape.js';
import { renderHtml } from '../../../src/present/render/html.js';
import { REPORT_CSS, reportScript } from '../../../src/present/render/html-assets.js';
import { computeStatistics } from '../../../src/present/stats.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import { writeHostileCapture } from '../../support/hostile.js';

let html: string;

beforeAll(async () => {
  const timeline = buildTimeline(await analyze([writeHostileCapture()]));
  html = renderHtml(timeline, { statistics: computeStatistics(timeline) });
});

describe('HTML report (as text)', () => {
  it('is one self-contained file: no external URL to load, a CSP that allows only its own script and style', () => {
    expect(html).not.toMatch(/<(link|script|img|iframe)[^>]+(src|href)="(?!data:)/i);
    const sha = (t: string): string => createHash('sha256').update(t).digest('base64');
    expect(html).toContain(`style-src 'sha256-${sha(REPORT_CSS)}'`);
    expect(html).toContain(`script-src 'sha256-${sha(reportScript('en'))}'`);
    expect(html).toContain("default-src 'none'");
  });

  it('has exactly its own two script elements, whatever the trace says', () => {
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toMatch(/<img|<!--/i);
  });

  it('keeps the data block inert: no </script>, no <!--, and it parses back to the trace text', () => {
    const block = /<script type="application\/json" id="siplens-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toMatch(/[<>&]/);
    const data = JSON.parse(block);
    expect(data.calls[0].messages[0].raw).toContain('Call-ID: cid</script><!--`|;-->@evil.example');
    // Control characters and bidi overrides are shown, not obeyed.
    expect(data.calls[0].messages[2].label).toContain('\\x1b[2J');
    expect(data.calls[0].messages[2].label).not.toMatch(/[\u001b\u202e]/);
  });

  it('escapes text and every attribute value', () => {
    // Every attribute value is double-quoted and holds no raw quote or angle bracket.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(50);
    for (const tag of tags) expect(tag.replace(/\s[\w:-]+="[^"<>]*"/g, '')).toMatch(/^<[\w-]+(\s[\w-]+)*\s*\/?>$/);
    expect(html).toContain('cid&lt;/script&gt;&lt;!--`|;--&gt;@evil.example');
  });

  it('helpers', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(htmlText('a\u202eb\u001b')).toBe('a\\u202eb\\x1b');
    expect(showControls('a\r\nb\u0007\tc')).toBe('a\r\nb\\x07\tc');
    expect(jsonForScript({ s: '</script><!--&\u2028' })).toBe('{"s":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}');
  });
});

describe('HTML report: media', () => {
  it('shows each stream in the ladder, a media table and a fixed-size chart per stream, escaping what the trace named', async () => {
    const timeline = buildTimeline(await analyze([`${process.cwd()}/fixtures/media/sipp-rtp-loss-jitter.pcap`]));
    const call = timeline.calls[0]!;
    // A hostile codec name (an rtpmap encoding is trace text).
    const streams = call.media!.streams.map((s) => ({ ...s, codec: '<script>alert(1)</script>' }));
    const hostile = { ...timeline, calls: [{ ...call, media: { ...call.media!, streams } }] };
    const page = renderHtml(hostile, { statistics: computeStatistics(hostile) });
    expect(page.match(/<script/gi)).toHaveLength(2);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.match(/<g class="rtp">/g)).toHaveLength(2);
    expect(page.match(/<g class="rtp end">/g)).toHaveLength(2);
    expect(page.match(/<table class="media">/g)).toHaveLength(1);
    const charts = page.match(/<svg class="chart"[^>]*>/g)!;
    expect(charts).toHaveLength(2);
    for (const c of charts) expect(c).toContain('width="192" height="44"');
    // The lossy stream's chart marks its loss; the clean one's does not.
    expect(page.match(/<rect class="loss"/g)!.length).toBeGreaterThan(0);
    expect(page).not.toMatch(/\sstyle="/);
  });
});
