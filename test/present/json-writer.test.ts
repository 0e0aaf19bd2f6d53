/**
 * The JSON writer (src/present/render/json-writer.ts) against what it replaces: `jsonText`
 * (JSON.stringify, then unsafe characters as \u escapes) of the same value, on one line and
 * indented at every depth, for arbitrary strings (control, bidi and invisible characters, lone
 * surrogates, astral characters, quotes) and numbers; and the times and addresses json.ts
 * writes in place against the functions that make their text.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConstantMembers, JsonWriter } from '../../src/present/render/json-writer.js';
import { jsonText } from '../../src/present/render/escape.js';
import { formatEndpoint, formatTimestampIso } from '../../src/present/render/format.js';
import { streamJson, writeEndpoint, writeStream, writeTime } from '../../src/present/render/json.js';
import { readdirSync } from 'node:fs';
import { analyze } from '../../src/index.js';
import type { CallStream } from '../../src/parse/media/types.js';

/** Any UTF-16 unit, weighted towards the ones that need care. */
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u0085', '\u00ad', '\u061c', '\u200e', '\u2028', '\u202e', '\u2066', '\ufeff', '\ufffa', '\ud83d', '\ude00', 'é', 'ñ', '€', '日'),
  fc.constantFrom('😀', '𝄞'),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
);
const text = fc.string({ unit, maxLength: 40 });
/** Member names are the schema's own: ASCII words. */
const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/);
const number = fc.oneof(fc.integer(), fc.integer({ min: 0, max: 2 ** 53 }), fc.double(), fc.constantFrom(-0, 1e15, 1e15 - 1, -1e15, 1e21, NaN, Infinity));

type Plain = string | number | boolean | null | Plain[] | { [name: string]: Plain };
const plain: fc.Arbitrary<Plain> = fc.letrec<{ value: Plain }>((tie) => ({
  value: fc.oneof({ maxDepth: 3 }, text, number, fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(name, tie('value'), { maxKeys: 4 })),
})).value;

/** `value` described member by member, as json.ts describes a call. */
function write(w: JsonWriter, value: Plain): void {
  if (typeof value === 'string') w.string(value);
  else if (typeof value === 'number') w.number(value);
  else if (typeof value === 'boolean') w.boolean(value);
  else if (value === null) w.string(null);
  else if (Array.isArray(value)) {
    w.open('[');
    for (const item of value) write(w.item(), item);
    w.close(']');
  } else {
    w.open('{');
    for (const [name, item] of Object.entries(value)) write(w.key(name), item);
    w.close('}');
  }
}

/** jsonText's layout of `value` sitting `depth` levels deep in an indented document. */
function expected(value: Plain, pretty: boolean, depth: number): string {
  const text = jsonText(value, pretty ? 2 : undefined);
  return pretty ? text.replace(/\n/g, '\n' + ' '.repeat(2 * depth)) : text;
}

describe('JsonWriter', () => {
  it('writes a string as jsonText does', () => {
    fc.assert(fc.property(text, (s) => {
        expect(new JsonWriter(false).string(s).done()).toBe(jsonText(s));
      }), { numRuns: 20_000 });
  });

  it('writes a long string (its printable ASCII start copied natively) as jsonText does, after other bytes, as done and as doneBytes', () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 50, maxLength: 300 });
    // A start of printable ASCII, then any text: the native copy ends at the first character the loop must look at (a quote too).
    const long = fc.tuple(printable, fc.string({ unit, maxLength: 80 })).map(([start, rest]) => start + rest);
    fc.assert(fc.property(long, fc.boolean(), fc.boolean(), (s, before, pretty) => {
        const w = new JsonWriter(pretty).open('[');
        if (before) w.item().string('ñ"');
        w.item().string(s);
        const json = jsonText(before ? ['ñ"', s] : [s], pretty ? 2 : undefined);
        expect(w.close(']').done()).toBe(json);
        const again = new JsonWriter(pretty).open('[');
        if (before) again.item().string('ñ"');
        again.item().string(s);
        expect(Buffer.from(again.close(']').doneBytes()).toString('utf8')).toBe(json);
      }), { numRuns: 5_000 });
  });

  it('writes a number as JSON.stringify does', () => {
    fc.assert(fc.property(number, (n) => {
        expect(new JsonWriter(false).number(n).done()).toBe(JSON.stringify(n));
      }), { numRuns: 20_000 });
  });

  it('writes the numbers at the edges of its digit table and of its 31-bit and 15-digit paths as JSON.stringify does', () => {
    const edges = [0, -0, 1, 9, 10, 99, 100, 101, 999, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32, 1e14 - 1, 1e14, 1e15 - 1, 1e15, 2 ** 53, 0.5, 1.5e-7, 1e21];
    for (const n of [...edges, ...edges.map((e) => -e)]) {
      expect(new JsonWriter(false).number(n).done()).toBe(JSON.stringify(n));
      expect(new JsonWriter(false).thousandths(n).done()).toBe(JSON.stringify(Math.round(n * 1000) / 1000));
    }
  });

  it('writes a duration rounded to thousandths as JSON.stringify writes the rounded number', () => {
    const duration = fc.oneof(number, fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000), fc.double({ min: -1e13, max: 1e13 }), fc.constantFrom(0.0005, -0.0005, 0.0015, 1e12 - 0.0005, 999_999_999_999.9995, 1e12, -1e12));
    fc.assert(fc.property(duration, (n) => {
        expect(new JsonWriter(false).thousandths(n).done()).toBe(JSON.stringify(Math.round(n * 1000) / 1000));
      }), { numRuns: 50_000 });
  });

  it('writes a recurring text as a string, the first time and from its kept bytes after', () => {
    fc.assert(fc.property(fc.oneof(text, fc.constantFrom('UDP', 'INVITE', 'asks the callee to join a session (starts a call)', 'ñandú', 'a"b', '')), (s) => {
        const w = new JsonWriter(false).open('[');
        w.item().recurring(s);
        w.item().recurring(s);
        w.item().recurring(null);
        expect(w.close(']').done()).toBe(jsonText([s, s, null]));
      }), { numRuns: 20_000 });
  });

  it('writes a recurring text kept by an earlier writer (indented or not) into a writer of ASCII otherwise, as done and as doneBytes', () => {
    fc.assert(fc.property(fc.oneof(text, fc.constantFrom('ñandú', 'a"b\\c', '\u2028x', '😀', 'Ringing', '\u007f', '\ud83d')), fc.boolean(), (s, pretty) => {
        new JsonWriter(pretty, 3).open('{').key('kept').recurring(s).close('}').done();
        // Only the kept bytes in this writer: it learns from them whether it is still ASCII.
        expect(new JsonWriter(false).recurring(s).done()).toBe(jsonText(s));
        const bytes = new JsonWriter(false).open('[').item().recurring(s).close(']').doneBytes();
        expect(Buffer.from(bytes).toString('utf8')).toBe(jsonText([s]));
      }), { numRuns: 5_000 });
  });

  it('writes recurring texts right past the number it keeps, and a text longer than it keeps', () => {
    const texts = [...Array.from({ length: 1300 }, (_, i) => `Busy ${i} ${'ñ'.repeat(i % 7)}`), 'x'.repeat(300) + 'é', 'y'.repeat(200)];
    for (const round of [0, 1, 2]) {
      const w = new JsonWriter(round === 1).open('[');
      for (const t of texts) w.item().recurring(t);
      expect(w.close(']').done()).toBe(jsonText(texts, round === 1 ? 2 : undefined));
    }
  });

  it('doneBytes is the UTF-8 of what done gives, and the next writer starts empty', () => {
    fc.assert(fc.property(plain, (value) => {
        const w = new JsonWriter(false);
        write(w, value);
        const bytes = Buffer.from(w.doneBytes());
        expect(bytes.toString('utf8')).toBe(jsonText(value));
        expect(new JsonWriter(false).number(7).done()).toBe('7');
      }), { numRuns: 2_000 });
  });

  it('pads digits to their width', () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 1e15 - 1 })), fc.integer({ min: 1, max: 16 }), (n, width) => {
        expect(new JsonWriter(false).digits(n, width).done()).toBe(String(n).padStart(width, '0'));
      }), { numRuns: 20_000 });
  });

  it('lays out nested data as jsonText does, on one line and indented at any depth', () => {
    fc.assert(
      fc.property(plain, fc.boolean(), fc.integer({ min: 0, max: 3 }), (value, pretty, depth) => {
        const w = new JsonWriter(pretty, depth);
        write(w, value);
        expect(w.done()).toBe(expected(value, pretty, depth));
        expect(new JsonWriter(pretty, depth).plain(value).done()).toBe(expected(value, pretty, depth));
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes any data as JSON.stringify does: undefined and functions left out or null, toJSON, sparse arrays, odd names', () => {
    const anything = fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withDate: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, withMap: true, withSet: true });
    fc.assert(
      fc.property(anything, fc.boolean(), fc.integer({ min: 0, max: 3 }), (value, pretty, depth) => {
        fc.pre(value !== undefined);
        expect(new JsonWriter(pretty, depth).plain(value).done()).toBe(expected(value as Plain, pretty, depth));
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes a run of constant members as jsonText lays out the same members, first or after others, at any layout and depth', () => {
    const constant = fc.constantFrom<null | boolean | readonly []>(null, true, false, []);
    const members = fc.uniqueArray(fc.tuple(name, constant), { minLength: 1, maxLength: 4, selector: ([n]) => n });
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 20 }), fc.dictionary(name, text, { maxKeys: 2 }), members, fc.option(name, { nil: null }), text, (pretty, depth, before, run, then, last) => {
        const value: Record<string, Plain> = { ...before };
        // The run's names after the members before it (an object's member order follows the first insertion).
        for (const [n, v] of run) if (!(n in value)) value[n] = v as Plain;
        if (then !== null && !(then in value)) value[then] = last;
        const keys = Object.keys(value);
        const runStart = keys.length - run.filter(([n]) => !(n in before)).length - (then !== null && keys.at(-1) === then && !(then in before) && !run.some(([n]) => n === then) ? 1 : 0);
        fc.pre(keys.slice(runStart).join() === [...run.map(([n]) => n), ...(then === null ? [] : [then])].join());
        const w = new JsonWriter(pretty, depth).open('{');
        for (const n of keys.slice(0, runStart)) write(w.key(n), value[n]!);
        w.constants(new ConstantMembers(run, then));
        if (then !== null) w.string(last);
        expect(w.close('}').done()).toBe(expected(value, pretty, depth));
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps the text of a run per layout: one run written on one line and at several depths', () => {
    const run = new ConstantMembers([['a', null], ['b', false]], 'c');
    for (const [pretty, depth] of [[false, 0], [true, 1], [true, 3], [false, 2], [true, 1]] as const) {
      const w = new JsonWriter(pretty, depth).open('{').key('x').number(1).constants(run).number(2).close('}');
      expect(w.done()).toBe(expected({ x: 1, a: null, b: false, c: 2 }, pretty, depth));
    }
  });

  it('writes a text longer than its first buffer, and the next writer starts empty', () => {
    const long = 'é'.repeat(100_000) + '\u202e';
    const w = new JsonWriter(false).open('[');
    w.item().string(long);
    w.item().number(1);
    expect(w.close(']').done()).toBe(jsonText([long, 1]));
    expect(new JsonWriter(false).string('a').done()).toBe('"a"');
  });
});

describe('times and addresses written in place (json.ts)', () => {
  const timestamp = fc.record({ sec: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer(), fc.double()), nsec: fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.integer(), fc.double()) });
  const endpoint = fc.record({ ip: fc.oneof(fc.ipV4(), fc.ipV6(), text), port: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.integer(), fc.double()) });

  it('writes a time as formatTimestampIso gives it', () => {
    fc.assert(
      fc.property(timestamp, (t) => {
        const w = new JsonWriter(false);
        writeTime(w, t);
        expect(w.done()).toBe(jsonText(formatTimestampIso(t)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('writes addresses met again (copied from the last few written) as formatEndpoint gives them', () => {
    // A pool smaller and larger than the copies kept, equal values in distinct objects, text above ASCII.
    const pool = fc.array(endpoint, { minLength: 1, maxLength: 7 });
    fc.assert(
      fc.property(pool, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (endpoints, picks) => {
        for (const i of picks) {
          const e = { ...endpoints[i % endpoints.length]! };
          // A writer each: one copied into a writer that has written nothing else says itself whether it is ASCII.
          const w = new JsonWriter(false);
          writeEndpoint(w, e);
          expect(w.done()).toBe(jsonText(formatEndpoint(e)));
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('tells apart, among the addresses copied, one that is the prefix of another, the same port on other addresses and IPv6 with and without brackets', () => {
    const endpoints = [
      { ip: '10.0.0.1', port: 5060 },
      { ip: '10.0.0.10', port: 5060 },
      { ip: '10.0.0.1', port: 50600 },
      { ip: '10.0.0.1', port: 506 },
      { ip: '2001:db8::1', port: 5060 },
      { ip: '[2001:db8::1]', port: 5060 },
      { ip: '2001:db8::10', port: 5060 },
      { ip: '10.0.0.1', port: NaN },
      { ip: '10.0.0.1', port: 70000 },
    ];
    // Every order of a pool larger than the copies kept, in one writer whose buffer grows, then in
    // fresh writers that reuse one buffer (a copy must not be a view of it).
    const order = [0, 1, 2, 3, 0, 4, 5, 6, 4, 5, 1, 0, 7, 8, 7, 0, 2, 6, 3, 1, 8, 5];
    const w = new JsonWriter(false).open('[');
    for (const i of order) writeEndpoint(w.item(), { ...endpoints[i]! });
    expect(JSON.parse(w.close(']').done())).toEqual(order.map((i) => formatEndpoint(endpoints[i]!)));
    for (const i of order) {
      const fresh = new JsonWriter(false);
      writeEndpoint(fresh, { ...endpoints[i]! });
      expect(fresh.done()).toBe(jsonText(formatEndpoint(endpoints[i]!)));
    }
  });

  it('writes an address as formatEndpoint gives it', () => {
    fc.assert(
      fc.property(endpoint, (e) => {
        const w = new JsonWriter(false);
        writeEndpoint(w, e);
        expect(w.done()).toBe(jsonText(formatEndpoint(e)));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('a media stream written member by member', () => {
  it('writes every stream of the media fixtures as plain writes the value read back from it (streamJson), on one line and indented', async () => {
    const dir = 'fixtures/media';
    const streams: CallStream[] = [];
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.pcap'))) {
      const result = await analyze([`${dir}/${name}`]);
      for (const c of result.calls) if (c.media !== null) streams.push(...c.media.streams);
    }
    // The fixtures hold the optional members: RTCP (with XR), RFC 4733 and in-band DTMF, quality.
    expect(streams.some((s) => s.rtcp !== null && s.rtcp.lastVoipMetrics !== null)).toBe(true);
    expect(streams.some((s) => s.dtmf.length > 0)).toBe(true);
    expect(streams.some((s) => s.inbandDtmf.length > 0)).toBe(true);
    for (const s of streams) {
      for (const depth of [0, 1, 3]) {
        for (const pretty of [false, true]) {
          const mine = new JsonWriter(pretty, depth).open('[');
          writeStream(mine.item(), s);
          const plain = new JsonWriter(pretty, depth).open('[');
          plain.item().plain(streamJson(s));
          expect(mine.close(']').done()).toBe(plain.close(']').done());
        }
      }
    }
  });
});
