import { isPrivateAddress, isPublicAddress } from '../../parse/net/address-class.js';
import { headerValues } from '../../parse/sip/header-values.js';
import { parseNameAddr, splitList, userPartEnd } from '../../parse/sip/headers.js';
import { Char } from '../../parse/sip/chars.js';
import type { NameAddr, SipMessage } from '../../parse/sip/types.js';
import { endpointKey } from './lib/call.js';
import { defineRule, endpoint } from './types.js';

export const natHints = defineRule({
  meta: {
    id: 'nat-hints',
    severity: 'info',
    description: 'A device behind NAT: its Via or Contact carries a private address while the packets come from a public one.',
    evidence: 'The first request from that device whose Via sent-by or Contact is private, and the public source address it was received from.',
    explanation:
      'A device behind NAT writes its own private address in Via and Contact. Responses can still reach it through received/rport (RFC 3581), but requests sent later to its Contact (ACK, BYE, re-INVITE, incoming calls to a registration) go to an address nobody can reach, unless the proxy or SBC fixes the Contact.',
    fix: 'On the proxy/SBC, enable NAT traversal for {device} (e.g. Kamailio nathelper fix_nated_contact / SBC far-end NAT traversal), make the device use rport and keep-alives, or give it its public address (STUN, external address). Avoid SIP ALGs on the router, which often make this worse.',
    rfc: 'RFC 3581 (rport); RFC 5626 (outbound); RFC 3261 §18.2.1 (received)',
    messages: {
      'private-contact': '{device} advertises Contact {contact} (private) but its packets come from {source}.',
      'private-via': '{device} puts the private address {via} in Via; the server saw it as {source}.',
    },
    options: {},
    translations: {
      es: {
        description: 'Un dispositivo detrás de NAT: su Via o su Contact llevan una dirección privada mientras que los paquetes llegan desde una pública.',
        evidence: 'La primera petición de ese dispositivo cuyo sent-by de Via o cuyo Contact es privado, y la dirección pública de origen desde la que se recibió.',
        explanation:
          'Un dispositivo detrás de NAT escribe su propia dirección privada en Via y en Contact. Las respuestas aún pueden llegarle gracias a received/rport (RFC 3581), pero las peticiones que se le envían más tarde a su Contact (ACK, BYE, re-INVITE, llamadas entrantes a un registro) van a una dirección que nadie puede alcanzar, salvo que el proxy o el SBC corrija el Contact.',
        fix: 'En el proxy o el SBC, habilita el NAT traversal para {device} (p. ej. fix_nated_contact de nathelper en Kamailio, o el far-end NAT traversal del SBC), haz que el dispositivo use rport y keep-alives, o dale su dirección pública (STUN, dirección externa). Evita los SIP ALG del router, que a menudo lo empeoran.',
        rfc: 'RFC 3581 (rport); RFC 5626 (outbound); RFC 3261 §18.2.1 (received)',
        messages: {
          'private-contact': '{device} anuncia el Contact {contact} (privado), pero sus paquetes llegan desde {source}.',
          'private-via': '{device} pone la dirección privada {via} en Via; el servidor lo vio como {source}.',
        },
        options: {},
      },
    },
  },
  check(call, context) {
    // What was told, by kind and device: made at the first report (few calls have one), and the
    // messages walked by a loop, not a closure per call.
    let reported: Set<string> | null = null;
    for (let index = 0; index < call.messages.length; index++) {
      const m = call.messages[index]!;
      const c = m.captured;
      const msg = c.message;
      if (msg.kind !== 'request' || m.retransmission || !isPublicAddress(c.src.ip)) continue;
      const contact = privateContact(msg);
      // Only the top Via is this device's own; lower ones were added by earlier hops. The parser
      // read its sent-by ("host:port", SipMessage.sentBy); the Via itself is parsed only to report it.
      const sentBy = msg.sentBy;
      const privateVia = sentBy !== '' && isPrivateAddress(sentBy.slice(0, sentBy.lastIndexOf(':')));
      if (contact === undefined && !privateVia) continue;
      const device = endpoint(c.src);
      const key = endpointKey(c.src);
      reported ??= new Set<string>();
      if (contact !== undefined && !reported.has(`contact ${key}`)) {
        reported.add(`contact ${key}`);
        context.report({ messageId: 'private-contact', data: { device, contact: contact.uri.raw, source: c.src.ip, via: '' }, messages: [index] });
      }
      if (privateVia && !reported.has(`via ${key}`)) {
        reported.add(`via ${key}`);
        context.report({ messageId: 'private-via', data: { device, via: msg.via[0]!.host, source: c.src.ip, contact: '' }, messages: [index] });
      }
    }
  },
});

/**
 * The first entry of the message's Contact whose host is private (`msg.contact.find`), read
 * without keeping the parsed Contact on the message: this rule asks it of nearly every request
 * from a public address and is most often its only reader, and a parsed Contact cached there
 * lived as long as the batch of calls handed over with it (28.7 MB of what survived the
 * scavenges on the SIP-heavy benchmark, BENCHMARKS.md session 11). A message without a Contact
 * (most BYEs, CANCELs and ACKs for a failure) is not read again (its header bit, headerValues).
 */
function privateContact(msg: SipMessage): NameAddr | undefined {
  const values = headerValues(msg, 'contact');
  for (let n = 0; n < values.length; n++) {
    const value = values[n]!;
    // The usual Contact names a public host or a name: nothing in it is parsed.
    const host = plainContactHost(value);
    if (host !== null && !isPrivateAddress(host)) continue;
    for (const entry of splitList(value)) {
      // `Contact: *` (RFC 3261 §10.2.2) names no host.
      if (entry === '*') continue;
      const a = parseNameAddr(entry);
      if (a !== null && isPrivateAddress(a.uri.host)) return a;
    }
  }
  return undefined;
}

/**
 * The host of a Contact value of the plain form nearly every device sends, one entry
 * `<sip:user@host:port;uri-params>header-params` (sips too, no display name, no comma), as
 * parseNameAddr and parseUri read it (RFC 3261 §20.10, §19.1.1): the host part, letters, digits,
 * dots and hyphens only, between the user's "@" and a port, a ";" or the ">". Null for any other
 * form (a list, a display name, brackets, spaces, `*`), which is parsed in full.
 */
export function plainContactHost(value: string): string | null {
  if (value.indexOf(',') >= 0) return null;
  const start = value.startsWith('<sip:') ? 5 : value.startsWith('<sips:') ? 6 : -1;
  if (start < 0) return null;
  const end = value.indexOf('>', start);
  if (end < 0) return null;
  const at = userPartEnd(value, start, end);
  const hostStart = at < 0 ? start : at + 1;
  let k = hostStart;
  while (k < end && isHostChar(value.charCodeAt(k))) k++;
  if (k === hostStart) return null;
  const hostEnd = k;
  if (k < end && value.charCodeAt(k) === Char.COLON) {
    k++;
    while (k < end && isDigit(value.charCodeAt(k))) k++;
  }
  if (k < end && value.charCodeAt(k) !== Char.SEMI && value.charCodeAt(k) !== Char.QMARK) return null;
  return value.slice(hostStart, hostEnd);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHostChar(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2e || c === 0x2d;
}
