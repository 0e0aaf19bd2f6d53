/**
 * Hostile payloads, one per language that could act on trace text, and a capture that puts
 * each one in every field a renderer shows: the From display name and user, User-Agent,
 * Call-ID, Request-URI, Reason phrase, Reason and Warning headers, and the SDP body. One call
 * per payload, so a renderer that lets one payload through is named by it.
 */
import { writePcap } from './capture-writer.js';
import { ethernet, ipv4, udp } from './packets.js';

export interface HostilePayload {
  /** A short id, also the start of the call's Call-ID suffix. */
  readonly id: string;
  readonly text: string;
}

export const HOSTILE_PAYLOADS: readonly HostilePayload[] = [
  { id: 'html', text: '</script><script>alert(1)</script><img src=x onerror=alert(1)>"\'&amp;<!--' },
  { id: 'attribute', text: '" onmouseover="alert(1)" x=\'' },
  { id: 'csi', text: '\u001b[2J\u001b[31mRED\u001b[0m\u001b[1A' },
  { id: 'osc8', text: '\u001b]8;;http://evil.example/\u0007click me\u001b]8;;\u0007\u001b]0;title\u001b\\' },
  { id: 'backspace', text: 'good\b\b\b\bEVIL' },
  { id: 'bare-cr', text: 'shown\rhidden' },
  { id: 'c1', text: '\u009b31mred\u009d0;t\u009c\u0085next' },
  { id: 'bell-nul', text: 'a\u0007b\u0000c\u007f' },
  { id: 'md-table', text: '| x | y \\| z \\\\| w |' },
  { id: 'md-code', text: '``` `` ` code' },
  { id: 'md-heading', text: '# Heading' },
  { id: 'md-link', text: '[x](javascript:alert(1)) ![i](http://evil.example/i.png) <http://evil.example> *em* __b__' },
  { id: 'md-html', text: '<b>bold</b><details open><summary>x</summary>' },
  { id: 'mermaid', text: 'a"b;P1->>P2: x-->y %%{init: {"theme":"dark"}}%% #quot; end' },
  { id: 'mermaid-click', text: 'x;click P1 call alert(1);click P1 href "javascript:alert(1)"' },
  { id: 'line-separators', text: 'a\u2028b\u2029c' },
  { id: 'csv-eq', text: '=HYPERLINK("http://evil.example","x")' },
  { id: 'csv-plus', text: '+1+cmd|\' /C calc\'!A0' },
  { id: 'csv-minus', text: '-2+3' },
  { id: 'csv-at', text: '@SUM(1+1)*cmd|\' /C calc\'!A0' },
  { id: 'csv-tab', text: '\t=1+1' },
  { id: 'csv-cr', text: '\r=1+1' },
  { id: 'bidi', text: 'abc\u202eevil\u202c\u202aL\u202bR\u202dO\u2066i\u2067r\u2068f\u2069\u200e\u200f\u061c' },
  { id: 'zero-width', text: 'ad\u200bmin\u200c\u200d\u2060\ufeffx\u00ad' },
  { id: 'github', text: '%0A::error file=x::injected %0D%0A::set-env name=A::B ::add-mask::x' },
  { id: 'xml', text: ']]><![CDATA[x]]><?xml?>&#0;\ufffe\uffff' },
];

function message(lines: string[], body = ''): string {
  return [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
}

/** The Call-ID of payload n: the payload first (a CSV cell starts with it), then a suffix that keeps it unique. */
export function hostileCallId(p: HostilePayload): string {
  return `${p.text} ~${p.id}@evil.example`;
}

/** The four messages of one hostile call: INVITE, 100, a final response with the payload as its reason, ACK. */
export function hostileCall(p: HostilePayload): string[] {
  const t = p.text;
  // A request line splits on spaces, and a header line ends at LF (the parser keeps a bare CR): those become '_' where they would break the line.
  const word = t.replace(/[ \n]/g, '_');
  const line = t.replace(/\n/g, '_');
  const quoted = line.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const common = (toTag: string | null, cseq: string): string[] => [
    `Via: SIP/2.0/UDP 10.9.8.7:5060;branch=z9hG4bK-${p.id}`,
    `From: "${quoted}" <sip:${word}@victim.example>;tag=from-${p.id}`,
    `To: <sip:bob@biloxi.example>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${hostileCallId(p).replace(/\n/g, '_')}`,
    `CSeq: ${cseq}`,
    `User-Agent: ${line}`,
  ];
  const sdp = ['v=0', 'o=- 1 1 IN IP4 10.9.8.7', `s=${t}`, `i=${t}`, 'c=IN IP4 10.9.8.7', 't=0 0', 'm=audio 4000 RTP/AVP 0', `a=tool:${t}`, t, ''].join('\r\n');
  const uri = `sip:${word}@biloxi.example`;
  return [
    message([`INVITE ${uri} SIP/2.0`, ...common(null, '1 INVITE'), 'Contact: <sip:caller@10.9.8.7:5060>', `Subject: ${line}`, 'Content-Type: application/sdp'], sdp),
    message(['SIP/2.0 100 Trying', ...common(null, '1 INVITE')]),
    message([`SIP/2.0 486 ${line}`, ...common(`to-${p.id}`, '1 INVITE'), `Reason: Q.850;cause=17;text="${quoted}"`, `Warning: 399 evil.example "${quoted}"`]),
    message([`ACK ${uri} SIP/2.0`, ...common(`to-${p.id}`, '1 ACK')]),
  ];
}

/** Every hostile call in one pcap (Ethernet, UDP 5060), calls a second apart. */
export function hostileCapture(payloads: readonly HostilePayload[] = HOSTILE_PAYLOADS): Buffer {
  const a = '10.9.8.7';
  const b = '10.9.8.1';
  const packets = payloads.flatMap((p, i) => {
    const [invite, trying, busy, ack] = hostileCall(p);
    return [
      { ms: 0, src: a, dst: b, text: invite! },
      { ms: 20, src: b, dst: a, text: trying! },
      { ms: 900, src: b, dst: a, text: busy! },
      { ms: 905, src: a, dst: b, text: ack! },
    ].map((m) => ({ sec: 1_700_000_000 + i, nsec: m.ms * 1e6, data: ethernet(0x0800, ipv4(m.src, m.dst, udp(5060, 5060, m.text))) }));
  });
  return writePcap({ linkType: 1 }, packets);
}

/** A file name that is itself hostile (no `/` or NUL, which a path cannot hold): it is printed by most formats. */
export const HOSTILE_FILE_NAME = '=cmd|\u001b[31m\u202e<b>"x\'|`#;%%::error::y%0A\nz.pcap';
