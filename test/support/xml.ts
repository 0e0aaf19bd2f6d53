/**
 * A strict little XML 1.0 reader for tests: elements, double-quoted attributes, text,
 * the five predefined entities and character references, an optional XML declaration.
 * It throws on anything not well-formed (mismatched tags, a raw `<` or a bare `&`, a
 * duplicate attribute, a character XML 1.0 forbids, or a reference to one). Enough to
 * check that JUnit output parses the way CI systems parse it.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Text directly inside the element (references decoded). */
  readonly text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function allowed(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (ref in PREDEFINED) return PREDEFINED[ref]!;
    const m = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    const code = m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10);
    if (!allowed(code)) throw new Error(`reference to a character XML forbids (${code}) in ${where}`);
    return String.fromCodePoint(code);
  });
}

export function parseXml(source: string): XmlElement {
  for (const ch of source) {
    if (!allowed(ch.codePointAt(0)!)) throw new Error(`character U+${ch.codePointAt(0)!.toString(16)} is not allowed in XML 1.0`);
  }
  // Lone surrogates survive for..of as single code units.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(source)) throw new Error('lone surrogate');
  let i = 0;
  const rest = (): string => source.slice(i);
  const skipSpace = (): void => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const element = (): XmlElement => {
    if (source[i] !== '<') throw new Error(`expected < at ${i}`);
    i++;
    const name = NAME.exec(rest())?.[0];
    if (!name) throw new Error(`bad element name at ${i}`);
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      const attr = NAME.exec(rest())?.[0];
      if (!attr) throw new Error(`bad attribute at ${i} in <${name}>`);
      i += attr.length;
      skipSpace();
      if (source[i] !== '=') throw new Error(`expected = after ${attr}`);
      i++;
      skipSpace();
      if (source[i] !== '"') throw new Error(`attribute ${attr} must be double-quoted`);
      const end = source.indexOf('"', i + 1);
      if (end < 0) throw new Error(`unterminated attribute ${attr}`);
      const raw = source.slice(i + 1, end);
      if (raw.includes('<')) throw new Error(`raw < in attribute ${attr}`);
      if (attr in attributes) throw new Error(`duplicate attribute ${attr}`);
      attributes[attr] = decode(raw, `attribute ${attr}`);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = source.indexOf('<', i);
      if (lt < 0) throw new Error(`unclosed <${name}>`);
      const raw = source.slice(i, lt);
      if (raw.includes(']]>')) throw new Error(`]]> in text of <${name}>`);
      text += decode(raw, `<${name}>`);
      i = lt;
      if (source.startsWith('</', i)) {
        i += 2;
        if (!source.startsWith(name, i)) throw new Error(`mismatched </…> for <${name}>`);
        i += name.length;
        skipSpace();
        if (source[i] !== '>') throw new Error(`bad end tag for <${name}>`);
        i++;
        return { name, attributes, children, text };
      }
      if (source.startsWith('<!--', i) || source.startsWith('<![CDATA[', i) || source.startsWith('<?', i)) throw new Error('comments, CDATA and processing instructions are not expected');
      children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== source.length) throw new Error('content after the root element');
  return root;
}
