import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyze } from '../../../src/index.js';
import { mdCode, mdText, mermaidText } from '../../../src/present/render/escape.js';
import { renderMarkdown } from '../../../src/present/render/markdown.js';
import { mermaidCall, renderMermaid } from '../../../src/present/render/mermaid.js';
import { computeStatistics } from '../../../src/present/stats.js';
import { buildTimeline, type Timeline } from '../../../src/present/timeline.js';
import { REPO_ROOT } from '../../support/captures.js';
import { writeHostileCapture } from '../../support/hostile.js';

let demo: Timeline;
let hostile: Timeline;

beforeAll(async () => {
  demo = buildTimeline(await analyze([join(REPO_ROOT, 'samples', 'demo.pcap')]));
  const t = buildTimeline(await analyze([writeHostileCapture()]));
  // Line breaks cannot come through a SIP header, but a renderer must not rely on that.
  hostile = { ...t, calls: t.calls.map((c) => ({ ...c, callId: `${c.callId}\n# heading\r\n| a | b |`, from: 'x`y``z|w' })) };
});

/** Cells of a GFM table row: split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe('Markdown', () => {
  it('gives a call table, a Mermaid diagram, the messages and the findings of each call', () => {
    const md = renderMarkdown(demo, { statistics: computeStatistics(demo) });
    expect(md).toMatch(/^# siplens report\n/);
    expect(md).toContain('| 2 | stuck on 100 Trying \\(487 Request Terminated\\) | call | `alice@example.com` | `carol@example.com` |');
    expect(md.match(/```mermaid\nsequenceDiagram\n/g)).toHaveLength(3);
    expect(md).toContain('- **⚠ warning** `stuck-on-100-trying` — frames \\#58, \\#59, \\#62');
    expect(md).toContain('**Fix:** Capture on the outbound side of `192.0.2.1:5060`');
    expect(md).toContain('## Statistics');
  });

  it('keeps every table row at its number of cells and puts no trace text outside a code span', () => {
    const md = renderMarkdown(hostile);
    const lines = md.split('\n');
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      if (columns === 0) columns = cells(line).length;
      expect(cells(line)).toHaveLength(columns);
    }
    // No raw HTML, no link syntax, no heading injected by the trace (code spans show text literally).
    const outsideCode = md.replace(/(`+)[\s\S]*?[^`]\1(?!`)/g, '');
    expect(outsideCode).toContain('**Fix:**');
    expect(outsideCode).not.toMatch(/<(script|img|!--)/i);
    expect(outsideCode).not.toMatch(/^# heading/m);
    expect(outsideCode).not.toMatch(/\[x\]\(http/);
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    // Backticks inside a value get a longer fence.
    expect(md).toContain('```x`y``z\\|w```');
  });

  it('mdCode and mdText', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`a')).toBe('`` `a ``');
    expect(mdCode('a|b', { table: true })).toBe('`a\\|b`');
    expect(mdCode('a\nb')).toBe('`a\\x0ab`');
    expect(mdText('[x](http://e) *b* <i> & a@b.c')).toBe('\\[x\\]\\(http\\://e\\) \\*b\\* &lt;i\\> &amp; a\\@b.c');
  });
});

describe('Mermaid', () => {
  it('draws requests solid, responses dashed, findings as notes', () => {
    const src = mermaidCall(demo.calls[1]!);
    expect(src.split('\n').slice(0, 3)).toEqual(['sequenceDiagram', '  participant P1 as 192.0.2.10:5060', '  participant P2 as 192.0.2.1:5060']);
    expect(src).toContain('  P1->>P2: #35;58 +0.000s INVITE\n');
    expect(src).toContain('  P2-->>P1: #35;59 +0.018s 100 Trying\n');
    expect(src).toContain('  Note over P1,P2: ⚠ stuck-on-100-trying\n');
  });

  it('says so in a comment when there is no call, instead of printing nothing', () => {
    expect(renderMermaid({ ...demo, calls: [] })).toBe('%% siplens: no calls in the input\n');
  });

  it('turns every statement separator, arrow, comment, entity and tag from the trace into entity codes', () => {
    const src = renderMermaid(hostile);
    for (const line of src.split('\n').filter(Boolean)) {
      // Each line is one statement of ours: a comment, the header, a participant, an arrow or a note.
      expect(line).toMatch(/^(%% Call \d+: |sequenceDiagram$| {2}participant P\d+ as | {2}P\d+(->>|-->>|-x)P\d+: | {2}Note (over|right of) )/);
      const text = line.replace(/^(%% Call \d+: | {2}participant P\d+ as | {2}P\d+(->>|-->>|-x)P\d+: | {2}Note [^:]+: )/, '');
      expect(text.replace(/#\d+;/g, '')).not.toMatch(/[#;<>"`|\n\r\u0000-\u001f]|-->|%%/);
    }
    expect(mermaidText('a;b-->c<br>#x%%')).toBe('a#59;b#45;-#62;c#60;br#62;#35;x#37;#37;');
  });

  it('caps very long calls below Mermaid\'s text limit', () => {
    const src = mermaidCall(demo.calls[0]!, { maxMessages: 3 });
    expect(src.match(/->>|-->>/g)).toHaveLength(3);
    expect(src).toContain('… 4 more messages not drawn');
  });
});
