import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/index.js';
import { renderCsv } from '../../../src/present/render/csv.js';
import { csvCell } from '../../../src/present/render/escape.js';
import { buildTimeline } from '../../../src/present/timeline.js';
import { parseCsv } from '../../support/csv.js';


describe('CSV', () => {
  it('one row per call with its outcome, figures and findings', async () => {
    const rows = parseCsv(renderCsv(buildTimeline(await analyze(['samples/demo.pcap']))));
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    expect(rows[2]!.slice(0, 7)).toEqual(['2', 'demo-call-2@192.0.2.10', 'call', 'alice@example.com', 'carol@example.com', 'stuck', '487']);
  });

  it('no cell from the trace can start a formula, break a row or a field', async () => {
    const t = buildTimeline(await analyze(['samples/demo.pcap']));
    const hostile = { ...t, calls: t.calls.map((c, i) => ({ ...c, callId: ['=HYPERLINK("http://evil","x")', '+1+2', '@SUM(A1)'][i]!, from: '-2+3,"a"\r\nb', to: '\tx' })) };
    const rows = parseCsv(renderCsv(hostile));
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(rows[0]!.length);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(rows[1]![1]).toBe(`'=HYPERLINK("http://evil","x")`);
    // Line breaks are shown, not kept: a cell is one line, and `cat` on a terminal obeys nothing.
    expect(rows[1]![3]).toBe(`'-2+3,"a"\\x0d\\x0ab`);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });
});
