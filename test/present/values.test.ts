import { describe, expect, it } from 'vitest';
import { duration, endpoint, ref, refs } from '../../src/annotate/rules/types.js';
import { formatValue, plainData } from '../../src/present/values.js';
import { renderTemplate } from '../../src/present/findings.js';

describe('report data values are raw and formatted only when shown', () => {
  it('the constructors keep raw values', () => {
    expect(endpoint({ ip: '10.0.0.3', port: 5060 })).toEqual({ kind: 'endpoint', ip: '10.0.0.3', port: 5060 });
    expect(duration(1523.4)).toEqual({ kind: 'ms', ms: 1523.4 });
    expect(ref({ frame: 12, line: null })).toEqual({ kind: 'ref', frame: 12, line: null });
  });

  it('formatValue writes them as the reports always have', () => {
    expect(formatValue(endpoint({ ip: '10.0.0.3', port: 5060 }))).toBe('10.0.0.3:5060');
    expect(formatValue(endpoint({ ip: '2001:db8::1', port: 5061 }))).toBe('[2001:db8::1]:5061');
    expect(formatValue(duration(850.4))).toBe('850 ms');
    expect(formatValue(duration(1523.4))).toBe('1.5 s');
    expect(formatValue(ref({ frame: 12, line: null }))).toBe('#12');
    expect(formatValue(ref({ frame: null, line: 34 }))).toBe('L34');
    expect(formatValue(ref({ frame: null, line: null }))).toBe('?');
    expect(formatValue('x', 'es')).toBe('x');
    expect(formatValue(3)).toBe('3');
    expect(formatValue(refs([{ frame: 12, line: null }, { frame: 30, line: null }]))).toBe('#12, #30');
    // Only the first references of a longer story are kept: the list says there were more.
    expect(formatValue(refs([{ frame: 12, line: null }, { frame: 30, line: null }], 5))).toBe('#12, #30, …');
  });

  it('templates and JSON data show the text; numbers stay numbers', () => {
    const data = { uas: endpoint({ ip: '10.0.0.3', port: 5060 }), waited: duration(1500), since: ref({ frame: 4, line: null }), count: 3 };
    expect(renderTemplate('{uas} {waited} {since} {count}', data)).toBe('10.0.0.3:5060 1.5 s #4 3');
    expect(plainData(data)).toEqual({ uas: '10.0.0.3:5060', waited: '1.5 s', since: '#4', count: 3 });
  });
});
