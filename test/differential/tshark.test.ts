/**
 * Differential test against Wireshark's dissector: for every capture, the frames where
 * Wireshark finds SIP are frames where siplens finds SIP, with the same methods, statuses and
 * Call-IDs (a frame may complete several messages over TCP; Wireshark, like siplens, reports a
 * message reassembled from several segments or IP fragments in the frame that completes it).
 * Wireshark runs with its SIP heuristic before port rules (SIP on TCP 6060 would otherwise be
 * read as X11) and with out-of-order TCP reassembly, as siplens does. One sharkd reads every
 * capture (./sharkd.ts: Wireshark's start-up once, not once per capture). The known
 * differences are listed with their reason ("tshark" there is Wireshark's dissector).
 */
import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { corpusCaptures, fixtureCaptures } from '../support/captures.js';
import { Sharkd, sharkdVersion } from './sharkd.js';

const version = await sharkdVersion();

// Every layer tshark reads SIP through, siplens decodes too (GTP-U, Geneve and EtherIP included);
// Wireshark 4.0 has no HEP dissector, so HEP is checked in test/parse/transport/hep.test.ts.

interface Row {
  frame: number;
  methods: string[];
  statuses: string[];
  callIds: string[];
}

/**
 * Messages one frame may complete (SCTP bundles and TCP segments hold several). Each value is
 * asked as a column of its own (occurrence 1, 2, ...), for a column of every occurrence joins
 * them with commas, which a Call-ID may hold; one more column must stay empty.
 */
const MESSAGES_PER_FRAME = 8;
const FIELDS = ['sip.Method', 'sip.Status-Code', 'sip.Call-ID'] as const;
const COLUMNS = FIELDS.flatMap((field) => Array.from({ length: MESSAGES_PER_FRAME + 1 }, (_, i) => `${field}:${i + 1}`));

/**
 * How Wireshark 4.0 writes a control character in a column (format_text): a C escape or three
 * octal digits. siplens' values are written so before they are compared with a column.
 */
function asColumn(value: string): string {
  return value.replace(/[\x00-\x1f\x7f]/g, (c) => CONTROL_ESCAPES[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}
const CONTROL_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/**
 * Wireshark's SIP frames, read as tshark would with `-o tcp.try_heuristic_first:TRUE -o
 * tcp.reassemble_out_of_order:TRUE -Y sip`. SIP quoted by an ICMP error is evidence about a
 * packet that bounced (src/parse/net/icmp.ts, the icmp-unreachable rule), not a message that was
 * delivered: siplens does not list it, and the filter leaves it out.
 */
async function wiresharkSip(sharkd: Sharkd, file: string): Promise<Row[]> {
  sharkd.load(file);
  const frames = await sharkd.frames('sip && !icmp && !icmpv6', COLUMNS);
  return frames.map(({ frame, columns }) => {
    const [methods, statuses, callIds] = FIELDS.map((_, f) => {
      const values = columns.slice(f * (MESSAGES_PER_FRAME + 1), (f + 1) * (MESSAGES_PER_FRAME + 1));
      if (values[MESSAGES_PER_FRAME] !== '') throw new Error(`frame ${frame} completes more than ${MESSAGES_PER_FRAME} SIP messages: raise MESSAGES_PER_FRAME`);
      return values.filter(Boolean).sort();
    });
    return { frame, methods: methods!, statuses: statuses!, callIds: callIds! };
  });
}

async function siplensSip(file: string): Promise<Row[]> {
  const result = await analyze([file]);
  const byFrame = new Map<number, Row>();
  for (const m of result.messages) {
    const frame = m.frame ?? 0;
    let row = byFrame.get(frame);
    if (row === undefined) byFrame.set(frame, (row = { frame, methods: [], statuses: [], callIds: [] }));
    if (m.message.method !== null) row.methods.push(m.message.method);
    if (m.message.status !== null) row.statuses.push(String(m.message.status));
    if (m.message.callId !== null) row.callIds.push(asColumn(m.message.callId));
  }
  for (const row of byFrame.values()) {
    row.methods.sort();
    row.statuses.sort();
    row.callIds.sort();
  }
  return [...byFrame.values()];
}

/** Known differences: file -> frame -> reason. Each entry says whose limit it is. */
const KNOWN: Record<string, Record<number, string>> = {
  'odd-sip.pcap': {
    5: 'siplens finds the NOTIFY after 4 junk bytes (sip.junk-before-message); tshark does not dissect the datagram as SIP',
  },
  'tcp-streams.pcap': {
    16: 'the connection is picked up in the middle of a message: tshark marks the segment as SIP without reading any message; siplens skips the 37 bytes left of the earlier message and reads the OPTIONS after them (tshark limit)',
  },
  'hep.pcap': {
    11: 'HEP over TCP: tshark 4.0 has no HEP dissector, and its SIP heuristic reads the HEP bytes as SIP and finds a request "YE" inside the BYE; siplens decodes the two HEP packets (BYE and its 200) (tshark limit)',
  },
  'tcpdump-snaplen-450.pcap': {
    1: 'the snap length cut the INVITE in its SDP: tshark marks the frame "packet size limited during capture" and gives no header field, not even the Call-ID; siplens reads the headers that were captured (sip.cut-by-capture) (tshark limit)',
    3: 'the same for the 200 OK, cut in its SDP (tshark limit)',
  },
  'ndpi-fuzz-2006-06-26-2594.pcap': {
    182: 'fuzzed: the Call-ID holds a NUL byte; tshark cuts the value at the NUL, siplens keeps the whole value (tshark limit)',
    247: 'fuzzed: the request line ends in a bare CR followed by "7Via:"; tshark takes the first token as the method, siplens does not accept a start line that is not ended by CRLF or LF (tshark limit: it reads a broken line)',
  },
};

describe.skipIf(version === null)(`siplens vs ${version ?? 'sharkd (not installed)'}`, () => {
  const files = [...fixtureCaptures(), ...corpusCaptures()];
  const sharkd = new Sharkd({ 'tcp.try_heuristic_first': 'TRUE', 'tcp.reassemble_out_of_order': 'TRUE' });
  afterAll(() => sharkd.close());
  it.each(files.map((f) => [basename(f), f]))('%s: same SIP frames', async (name, file) => {
    const [theirs, ours] = await Promise.all([wiresharkSip(sharkd, file), siplensSip(file)]);
    const known = KNOWN[name] ?? {};
    const comparable = (rows: Row[]) => rows.filter((r) => known[r.frame] === undefined);
    const ourFrames = new Set(ours.map((r) => r.frame));
    // siplens may find more SIP than tshark (junk before a message, a message cut by the end of a stream); tshark's frames must all be there.
    expect(comparable(theirs).filter((r) => !ourFrames.has(r.frame)), 'frames tshark dissects as SIP that siplens misses').toEqual([]);
    const theirsByFrame = new Map(theirs.map((r) => [r.frame, r]));
    const mismatched = comparable(ours).flatMap((r) => {
      const t = theirsByFrame.get(r.frame);
      return t !== undefined && JSON.stringify(t) !== JSON.stringify(r) ? [{ ours: r, theirs: t }] : [];
    });
    expect(mismatched, 'frames where methods, statuses or Call-IDs differ').toEqual([]);
    for (const frame of Object.keys(known).map(Number)) expect(ourFrames.has(frame) || theirsByFrame.has(frame)).toBe(true);
  });
});
