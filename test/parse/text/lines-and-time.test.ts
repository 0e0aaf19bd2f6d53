import { describe, expect, it } from 'vitest';
import { LineSplitter, normalize, stripAnsi, syslogHeader, unescapeSyslog, type LogicalLine, type RawLine } from '../../../src/parse/text/lines.js';
import { parseDate, scanTime, TimeResolver } from '../../../src/parse/text/time.js';

function split(chunks: string[], max?: number): RawLine[] {
  const out: RawLine[] = [];
  const s = new LineSplitter((l) => out.push(l), max);
  for (const c of chunks) s.push(Buffer.from(c, 'latin1'));
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('splits on LF, drops the CR before it, numbers lines and keeps byte offsets across chunks', () => {
    const lines = split(['ab\r\ncd', 'e\nf', 'g\r', '\n\nlast']);
    expect(lines.map((l) => [l.text, l.line, l.offset])).toEqual([
      ['ab', 1, 0],
      ['cde', 2, 4],
      ['fg', 3, 8],
      ['', 4, 12],
      ['last', 5, 13],
    ]);
  });

  it('cuts a line longer than the limit and says so, without holding the rest', () => {
    const lines = split(['x'.repeat(30), 'y'.repeat(30) + '\nok\n'], 16);
    expect(lines[0]).toMatchObject({ text: 'x'.repeat(16), cut: true, line: 1 });
    expect(lines[1]).toMatchObject({ text: 'ok', cut: false, line: 2, offset: 61 });
  });
});

describe('line clean-up', () => {
  it('removes ANSI colour codes', () => {
    expect(stripAnsi('\u001b[1;32mINVITE\u001b[0m sip:a@b SIP/2.0')).toBe('INVITE sip:a@b SIP/2.0');
  });

  it('recognises syslog headers (RFC 3164 and ISO) but not log lines that only start with a time', () => {
    expect(syslogHeader('Nov 19 07:06:45 sbc1 kamailio[8412]: INFO: x')?.length).toBe(37);
    expect(syslogHeader('2024-11-19T07:06:45.123456+01:00 sbc1 asterisk[12]: VERBOSE')?.time).toMatchObject({ kind: 'full', offset: 3600 });
    expect(syslogHeader('<134>Nov 19 07:06:45 host tag: m')).not.toBeNull();
    expect(syslogHeader('*Mar  1 00:10:28.123: //-1/x/SIP/Msg/ccsipDisplayMsg:')).toBeNull();
    expect(syslogHeader('2021-04-02 17:28:37.360956 [DEBUG] sofia.c:7325 x')).toBeNull();
  });

  it('expands #012-style escapes of control characters only', () => {
    expect(unescapeSyslog('a#015#012b#011c #123 #0')).toBe('a\r\nb\tc #123 #0');
  });

  it('turns one escaped syslog record into several logical lines with the record time', () => {
    const out: LogicalLine[] = [];
    normalize({ text: 'Nov 19 07:06:45 h k[1]: m: OPTIONS sip:a@b SIP/2.0#015#012Via: x#015#012#015#012', line: 7, offset: 0, cut: false }, (l) => out.push(l));
    expect(out.map((l) => l.text)).toEqual(['m: OPTIONS sip:a@b SIP/2.0', 'Via: x', '']);
    expect(out.every((l) => l.line === 7 && l.expanded && l.recordTime?.kind === 'monthday')).toBe(true);
  });
});

describe('timestamps', () => {
  const cases: [string, Record<string, number | string | null>][] = [
    ['2024-03-21 10:15:24.123 rest', { kind: 'full', year: 2024, month: 3, day: 21, seconds: 36924, nsec: 123000000 }],
    ['[2024-03-21 10:15:24] VERBOSE', { kind: 'full', seconds: 36924, nsec: 0 }],
    ['2024/11/19 16:01:35.861404 1.2.3.4', { kind: 'full', nsec: 861404000 }],
    ['2024-03-21T10:15:24.5Z', { kind: 'full', offset: 0, nsec: 500000000 }],
    ['Mar  1 00:10:28.123: //-1', { kind: 'monthday', month: 3, day: 1, seconds: 628 }],
    ['*Mar  1 00:10:28.123 UTC: x', { kind: 'monthday', month: 3 }],
    ['Aug 07, 2024 11:42:17 PM com.x', { kind: 'full', year: 2024, month: 8, day: 7, seconds: 85337 }],
    ['03-27 19:55:24.130 10534', { kind: 'monthday', month: 3, day: 27 }],
    ['15:46:48.569658:', { kind: 'time', seconds: 56808, nsec: 569658000 }],
    ['1559123758.904466 UDP/SIP', { kind: 'epoch', seconds: 1559123758, nsec: 904466000 }],
    ['+1.108971 ::1:5061', { kind: 'relative', seconds: 1, nsec: 108971000 }],
  ];
  it.each(cases)('%s', (text, want) => {
    expect(scanTime(text)?.parts).toMatchObject(want);
  });

  it('rejects what is not a time', () => {
    for (const t of ['INVITE sip:x', '12345', 'Via: SIP/2.0', '25:00:00', '2024-13-01 00:00:00', 'Mary 1 10:00:00']) expect(scanTime(t), t).toBeNull();
  });

  it('parses --date strictly', () => {
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of ['2023-02-29', '2024-2-1', '24-01-01', 'today']) expect(parseDate(bad), bad).toBeNull();
  });
});

describe('TimeResolver', () => {
  const t = (text: string) => scanTime(text)!.parts;
  const iso = (r: { sec: number; nsec: number }) => new Date(r.sec * 1000 + r.nsec / 1e6).toISOString();

  it('dates time-only stamps with --date and rolls over at midnight', () => {
    const r = new TimeResolver({ year: 2024, month: 11, day: 19 }, 'option');
    expect(iso(r.resolve(t('23:59:59.500')))).toBe('2024-11-19T23:59:59.500Z');
    expect(iso(r.resolve(t('23:59:59.400')))).toBe('2024-11-19T23:59:59.400Z'); // a small step back is not a new day
    expect(iso(r.resolve(t('00:00:01.000')))).toBe('2024-11-20T00:00:01.000Z');
  });

  it('takes the date of the latest fully dated line before the --date option', () => {
    const r = new TimeResolver({ year: 2000, month: 1, day: 1 }, 'option');
    r.resolve(t('2021-04-02 17:28:37.36'));
    expect(iso(r.resolve(t('17:28:37.346923')))).toBe('2021-04-02T17:28:37.346Z');
  });

  it('with the file date, settles on the anchor that puts the last anchored time on that date', () => {
    const first = new TimeResolver({ year: 2024, month: 11, day: 20 }, 'mtime');
    first.resolve(t('23:59:50'));
    first.resolve(t('00:00:02'));
    const settled = first.settledAnchor();
    expect(settled).toEqual({ year: 2024, month: 11, day: 19 });
    const r = new TimeResolver(settled, 'mtime');
    expect([iso(r.resolve(t('23:59:50'))), iso(r.resolve(t('00:00:02')))]).toEqual(['2024-11-19T23:59:50.000Z', '2024-11-20T00:00:02.000Z']);
    const same = new TimeResolver({ year: 2024, month: 11, day: 20 }, 'mtime');
    same.resolve(t('10:00:00'));
    expect(same.settledAnchor()).toEqual({ year: 2024, month: 11, day: 20 });
  });

  it('with the file date, month-day stamps after it move back by whole years', () => {
    // Written up to Jan 12 and last modified on 2025-01-10: that Jan 12 is 2024's.
    const first = new TimeResolver({ year: 2025, month: 1, day: 10 }, 'mtime');
    first.resolve(t('Dec 30 10:00:00'));
    first.resolve(t('Jan 12 10:00:00'));
    const settled = first.settledAnchor();
    expect(settled).toEqual({ year: 2023, month: 1, day: 10 });
    const r = new TimeResolver(settled, 'mtime');
    expect([iso(r.resolve(t('Dec 30 10:00:00'))), iso(r.resolve(t('Jan 12 10:00:00')))]).toEqual(['2023-12-30T10:00:00.000Z', '2024-01-12T10:00:00.000Z']);
  });

  it('month-day stamps take the year of the anchor and roll over from December to January', () => {
    const r = new TimeResolver({ year: 2024, month: 12, day: 31 }, 'option');
    expect(iso(r.resolve(t('Dec 31 23:59:59')))).toBe('2024-12-31T23:59:59.000Z');
    expect(iso(r.resolve(t('Jan  1 00:00:01')))).toBe('2025-01-01T00:00:01.000Z');
  });

  it('epochs and zone offsets are exact; relative stamps add up', () => {
    const r = new TimeResolver(null, 'none');
    expect(iso(r.resolve(t('2024-03-21T10:15:24+01:00')))).toBe('2024-03-21T09:15:24.000Z');
    expect(iso(r.resolve(t('1559123758.904466')))).toBe('2019-05-29T09:55:58.904Z');
    expect(iso(r.resolve(t('+1.5')))).toBe('2019-05-29T09:56:00.404Z');
  });
});
