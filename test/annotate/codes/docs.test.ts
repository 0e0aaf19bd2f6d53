import { describe, expect, it } from 'vitest';
import {
  MAX_SUMMARY_LENGTH,
  RESPONSE_CLASSES,
  RESPONSE_CODES,
  isRegisteredResponseCode,
  validateResponseCodeInfo,
  type ResponseCodeInfo,
} from '../../../src/annotate/codes/index.js';
import { PROVISIONAL_CODES } from '../../../src/annotate/codes/1xx.js';
import { SUCCESS_CODES } from '../../../src/annotate/codes/2xx.js';
import { REDIRECTION_CODES } from '../../../src/annotate/codes/3xx.js';
import { CLIENT_FAILURE_CODES } from '../../../src/annotate/codes/4xx.js';
import { SERVER_FAILURE_CODES } from '../../../src/annotate/codes/5xx.js';
import { GLOBAL_FAILURE_CODES } from '../../../src/annotate/codes/6xx.js';

/**
 * The IANA "Session Initiation Protocol (SIP) Parameters — Response Codes" registry, written out
 * by hand with its reason phrases. RFC 3261 §21 defines 50 of them; the other 25 come from later
 * RFCs (199, 202, 204, 412, 417, 422, 424, 425, 428, 429, 430, 433, 436-440, 469, 470, 489, 494,
 * 555, 580, 607, 608). 202 is listed by IANA as "Accepted (Deprecated)"; its phrase on the wire is "Accepted".
 */
const REGISTRY: ReadonlyMap<number, string> = new Map([
  [100, 'Trying'],
  [180, 'Ringing'],
  [181, 'Call Is Being Forwarded'],
  [182, 'Queued'],
  [183, 'Session Progress'],
  [199, 'Early Dialog Terminated'],
  [200, 'OK'],
  [202, 'Accepted'],
  [204, 'No Notification'],
  [300, 'Multiple Choices'],
  [301, 'Moved Permanently'],
  [302, 'Moved Temporarily'],
  [305, 'Use Proxy'],
  [380, 'Alternative Service'],
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [402, 'Payment Required'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [405, 'Method Not Allowed'],
  [406, 'Not Acceptable'],
  [407, 'Proxy Authentication Required'],
  [408, 'Request Timeout'],
  [410, 'Gone'],
  [412, 'Conditional Request Failed'],
  [413, 'Request Entity Too Large'],
  [414, 'Request-URI Too Long'],
  [415, 'Unsupported Media Type'],
  [416, 'Unsupported URI Scheme'],
  [417, 'Unknown Resource-Priority'],
  [420, 'Bad Extension'],
  [421, 'Extension Required'],
  [422, 'Session Interval Too Small'],
  [423, 'Interval Too Brief'],
  [424, 'Bad Location Information'],
  [425, 'Bad Alert Message'],
  [428, 'Use Identity Header'],
  [429, 'Provide Referrer Identity'],
  [430, 'Flow Failed'],
  [433, 'Anonymity Disallowed'],
  [436, 'Bad Identity Info'],
  [437, 'Unsupported Credential'],
  [438, 'Invalid Identity Header'],
  [439, 'First Hop Lacks Outbound Support'],
  [440, 'Max-Breadth Exceeded'],
  [469, 'Bad Info Package'],
  [470, 'Consent Needed'],
  [480, 'Temporarily Unavailable'],
  [481, 'Call/Transaction Does Not Exist'],
  [482, 'Loop Detected'],
  [483, 'Too Many Hops'],
  [484, 'Address Incomplete'],
  [485, 'Ambiguous'],
  [486, 'Busy Here'],
  [487, 'Request Terminated'],
  [488, 'Not Acceptable Here'],
  [489, 'Bad Event'],
  [491, 'Request Pending'],
  [493, 'Undecipherable'],
  [494, 'Security Agreement Required'],
  [500, 'Server Internal Error'],
  [501, 'Not Implemented'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
  [504, 'Server Time-out'],
  [505, 'Version Not Supported'],
  [513, 'Message Too Large'],
  [555, 'Push Notification Service Not Supported'],
  [580, 'Precondition Failure'],
  [600, 'Busy Everywhere'],
  [603, 'Decline'],
  [604, 'Does Not Exist Anywhere'],
  [606, 'Not Acceptable'],
  [607, 'Unwanted'],
  [608, 'Rejected'],
]);

/** Defining documents: RFC 3261 for the 50 base codes, the later RFC for the others. */
const DEFINING_RFC: ReadonlyMap<number, string> = new Map([
  [199, 'RFC 6228'],
  [202, 'RFC 6665'],
  [204, 'RFC 5839'],
  [412, 'RFC 3903'],
  [417, 'RFC 4412'],
  [422, 'RFC 4028'],
  [424, 'RFC 6442'],
  [425, 'RFC 8876'],
  [428, 'RFC 8224'],
  [429, 'RFC 3892'],
  [430, 'RFC 5626'],
  [433, 'RFC 5079'],
  [436, 'RFC 8224'],
  [437, 'RFC 8224'],
  [438, 'RFC 8224'],
  [439, 'RFC 5626'],
  [440, 'RFC 5393'],
  [469, 'RFC 6086'],
  [470, 'RFC 5360'],
  [489, 'RFC 6665'],
  [494, 'RFC 3329'],
  [555, 'RFC 8599'],
  [580, 'RFC 3312'],
  [607, 'RFC 8197'],
  [608, 'RFC 8688'],
]);

/** Responses that are part of a normal call flow: their fix text must say so. */
const NORMAL = [100, 180, 181, 182, 183, 199, 200, 202, 204];

const FILES: readonly [string, number, readonly ResponseCodeInfo[]][] = [
  ['1xx.ts', 1, PROVISIONAL_CODES],
  ['2xx.ts', 2, SUCCESS_CODES],
  ['3xx.ts', 3, REDIRECTION_CODES],
  ['4xx.ts', 4, CLIENT_FAILURE_CODES],
  ['5xx.ts', 5, SERVER_FAILURE_CODES],
  ['6xx.ts', 6, GLOBAL_FAILURE_CODES],
];

const entries = [...RESPONSE_CODES.values()];

describe('response-code registry', () => {
  it('holds exactly the IANA registry codes', () => {
    expect(REGISTRY.size).toBe(75);
    expect([...RESPONSE_CODES.keys()]).toEqual([...REGISTRY.keys()]);
  });

  it('has the standard reason phrase for every code', () => {
    for (const [code, reason] of REGISTRY) {
      expect(RESPONSE_CODES.get(code)?.reason, String(code)).toBe(reason);
    }
  });

  it('keys every entry by its own code', () => {
    for (const [code, info] of RESPONSE_CODES) expect(info.code).toBe(code);
  });

  it('keeps each class in its own file, with no duplicates across files', () => {
    const seen = new Set<number>();
    for (const [file, digit, list] of FILES) {
      for (const info of list) {
        expect(Math.floor(info.code / 100), `${info.code} in ${file}`).toBe(digit);
        expect(seen.has(info.code), `${info.code} defined twice`).toBe(false);
        seen.add(info.code);
      }
    }
    expect(seen.size).toBe(RESPONSE_CODES.size);
  });
});

describe('response-code documentation', () => {
  it.each(entries.map((e) => [e.code, e] as const))('%i is complete and consistent', (_code, info) => {
    expect(validateResponseCodeInfo(info, isRegisteredResponseCode)).toEqual([]);
  });

  it('keeps every summary to one short line', () => {
    for (const info of entries) {
      expect(info.summary.length, `${info.code}: "${info.summary}"`).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
      expect(info.summary, String(info.code)).not.toMatch(/\n/);
    }
  });

  it('keeps every meaning to one to three sentences', () => {
    for (const info of entries) {
      const sentences = info.meaning
        .replace(/\be\.g\./g, 'eg')
        .split(/[.!?](?:\s|$)/)
        .filter((s) => s.trim().length > 1);
      expect(sentences.length, `${info.code}: ${info.meaning}`).toBeGreaterThanOrEqual(1);
      expect(sentences.length, `${info.code}: ${info.meaning}`).toBeLessThanOrEqual(3);
    }
  });

  it('cites RFC 3261 §21 for the base codes and the defining RFC for the others', () => {
    for (const info of entries) {
      const expected = DEFINING_RFC.get(info.code);
      if (expected) expect(info.rfc.startsWith(expected), `${info.code}: ${info.rfc}`).toBe(true);
      else expect(info.rfc, String(info.code)).toMatch(/^RFC 3261 §21\.[1-6]\.\d+$/);
    }
  });

  it('says "No fix needed" for normal responses', () => {
    for (const code of NORMAL) expect(RESPONSE_CODES.get(code)?.fix, String(code)).toMatch(/^No fix needed/);
  });

  it('gives every code at least one confusable code', () => {
    for (const info of entries) expect(info.confusedWith.length, String(info.code)).toBeGreaterThanOrEqual(1);
  });

  it('is written in its own words, not copied from the RFC or the seed page', () => {
    const copied = [
      'an unspecified action is being taken',
      'The UAC should expect additional responses',
      'This is expected to be a permanent condition',
      'This is the SIP equivalent of a dial tone',
      'Remove this URI from your contacts',
      'The request has succeeded',
    ];
    for (const info of entries) {
      const text = [info.summary, info.meaning, info.whenSeen, info.fix, ...info.confusedWith.map((c) => c.difference)].join(' ');
      for (const phrase of copied) expect(text.includes(phrase), `${info.code} contains "${phrase}"`).toBe(false);
    }
  });

  it('cannot be modified at run time', () => {
    const info = RESPONSE_CODES.get(486) as ResponseCodeInfo;
    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(info.confusedWith)).toBe(true);
  });
});

describe('the documentation check itself', () => {
  const good = RESPONSE_CODES.get(404) as ResponseCodeInfo;
  const check = (entry: unknown) => validateResponseCodeInfo(entry, isRegisteredResponseCode);

  it('accepts a sound entry', () => {
    expect(check(good)).toEqual([]);
  });

  it.each(['reason', 'summary', 'meaning', 'whenSeen', 'fix', 'rfc'] as const)('fails when %s is missing or empty', (field) => {
    const { [field]: _dropped, ...missing } = good;
    expect(check(missing).join('\n')).toContain(`${field} is missing`);
    expect(check({ ...good, [field]: '  ' }).join('\n')).toContain(`${field} is empty`);
  });

  it('fails when the summary is too long', () => {
    expect(check({ ...good, summary: 'x'.repeat(MAX_SUMMARY_LENGTH + 1) }).join('\n')).toContain('summary is 91 characters');
  });

  it('fails when the class disagrees with the first digit', () => {
    expect(check({ ...good, class: 'server-failure' }).join('\n')).toContain('disagrees with the first digit');
    const { class: _c, ...noClass } = good;
    expect(check(noClass).join('\n')).toContain('class is missing');
  });

  it('fails when confusedWith is missing, empty, or names an unregistered code', () => {
    const { confusedWith: _cw, ...noList } = good;
    expect(check(noList).join('\n')).toContain('confusedWith is missing');
    expect(check({ ...good, confusedWith: [] }).join('\n')).toContain('confusedWith is empty');
    expect(check({ ...good, confusedWith: [{ code: 409, difference: 'x' }] }).join('\n')).toContain(
      'confusedWith 409 is not a registered code',
    );
    expect(check({ ...good, confusedWith: [{ code: 410, difference: '' }] }).join('\n')).toContain('has no difference text');
    expect(check({ ...good, confusedWith: [{ code: 404, difference: 'x' }] }).join('\n')).toContain('lists the code itself');
  });

  it('fails when the RFC citation is not of the form "RFC NNNN"', () => {
    expect(check({ ...good, rfc: 'see the spec' }).join('\n')).toContain('does not start with "RFC NNNN"');
  });
});

describe('response classes', () => {
  it('describes all six classes, each with its digit and fallback', () => {
    const list = Object.values(RESPONSE_CLASSES);
    expect(list.map((c) => c.firstDigit)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of list) {
      expect(c.description.trim(), c.class).not.toBe('');
      expect(c.range).toBe(`${c.firstDigit}xx`);
      expect(RESPONSE_CODES.has(c.fallbackCode), c.class).toBe(true);
      expect(c.final).toBe(c.firstDigit !== 1);
    }
    expect(RESPONSE_CLASSES.provisional.fallbackCode).toBe(183);
    expect(RESPONSE_CLASSES['client-failure'].fallbackCode).toBe(400);
  });
});
