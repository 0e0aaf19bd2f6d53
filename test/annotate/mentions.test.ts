import { describe, expect, it } from 'vitest';
import { CONTACT_WORDS, headerSectionMentions } from '../../src/annotate/rules/lib/mentions.js';
import { headerValue, warningsOf } from '../../src/parse/sip/header-values.js';
import { parseSipMessage } from '../../src/parse/sip/parse.js';

function message(headers: string, body = ''): ReturnType<typeof parseSipMessage>['message'] {
  const text = `BYE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nCall-ID: a@b\r\nCSeq: 2 BYE\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return parseSipMessage(new TextEncoder().encode(text)).message;
}

describe('headerSectionMentions', () => {
  it('finds a word in any letter case, in a name or a value', () => {
    expect(headerSectionMentions(message('WARNING: 399 pbx "x"\r\n'), ['warning'])).toBe(true);
    expect(headerSectionMentions(message('User-Agent: Friendly-Scanner\r\n'), ['friendly-scanner'])).toBe(true);
    expect(headerSectionMentions(message('User-Agent: Asterisk PBX 20.5.0\r\n'), ['friendly-scanner', 'sipvicious'])).toBe(false);
  });

  it('looks at the header section only, not the body', () => {
    expect(headerSectionMentions(message('Content-Type: text/plain\r\n', 'Warning: not a header'), ['warning'])).toBe(false);
  });

  it('answers true for a header section with any byte above 0x7f (a lower-cased UTF-8 value can make ASCII)', () => {
    // The Kelvin sign lower-cases to "k": "siparmy\u212Anife" reads as siparmyknife.
    const msg = message('User-Agent: siparmy\u212Anife\r\n');
    expect(headerValue(msg, 'user-agent')!.toLowerCase()).toBe('siparmyknife');
    expect(headerSectionMentions(msg, ['siparmyknife'])).toBe(true);
  });

  it('sees a Contact by its compact form at the start of a line, and not in other names', () => {
    expect(headerSectionMentions(message('m: <sip:a@10.0.0.1>\r\n'), CONTACT_WORDS)).toBe(true);
    expect(headerSectionMentions(message('M :<sip:a@10.0.0.1>\r\n'), CONTACT_WORDS)).toBe(true);
    expect(headerSectionMentions(message('Max-Forwards: 70\r\n'), CONTACT_WORDS)).toBe(false);
  });

  it('is true whenever the header lines hold the word (folded lines, names without case)', () => {
    const cases = ['Warning: 399 a "b"\r\n', 'warning :399 a\r\n "folded"\r\n', 'wArNiNg: 307 x "y"\r\nWarning: 399 z "w"\r\n', 'Reason: Q.850;cause=16\r\n'];
    for (const headers of cases) {
      const msg = message(headers);
      if (warningsOf(msg).length > 0) expect(headerSectionMentions(msg, ['warning'])).toBe(true);
      else expect(headerSectionMentions(msg, ['warning'])).toBe(false);
    }
    const contacts = ['Contact: <sip:a@10.0.0.1>\r\n', 'm: <sip:a@10.0.0.1>\r\n', 'To: <sip:b@c>\r\n'];
    for (const headers of contacts) {
      const msg = message(headers);
      expect(headerSectionMentions(msg, CONTACT_WORDS)).toBe(msg.contact.length > 0);
    }
  });
});
