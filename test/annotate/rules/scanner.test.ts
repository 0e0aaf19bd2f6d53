import { beforeEach, describe, expect, it } from 'vitest';
import { checkCall } from '../../../src/annotate/engine.js';
import { RULES } from '../../../src/annotate/rules/index.js';
import { scanner } from '../../../src/annotate/rules/scanner.js';
import { isScannerUserAgent } from '../../../src/annotate/rules/lib/scanner.js';
import { SourceTracker } from '../../../src/annotate/sources.js';
import { correlate } from '../../../src/parse/dialog/correlate.js';
import type { CapturedMessage, Endpoint } from '../../../src/types.js';
import { A, B, P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { ep } from '../../support/rules.js';
import { withFields } from '../../support/sip.js';

beforeEach(resetCatalogFrames);

/** Every call of the messages, checked as the analysis session checks them: with the source profiles of all the messages. */
function run(messages: CapturedMessage[], rules = [scanner] as readonly (typeof RULES)[number][]) {
  const sources = new SourceTracker();
  for (const m of messages) sources.add(m);
  return correlate(messages).flatMap((call) =>
    checkCall(call, call.end, {}, rules, null, sources).map((f) => ({ call: call.callId, rule: f.rule, messageId: f.messageId, severity: f.severity, frames: f.frames, data: f.data })),
  );
}

const host = (n: number): Endpoint => ({ ip: `192.0.2.${n}`, port: 5060 });
const SCANNER: Endpoint = { ip: '203.0.113.66', port: 5070 };

describe('scanner: known scanning tools by User-Agent', () => {
  it('recognises the tools, not phones or stacks attackers also use', () => {
    expect(['friendly-scanner', 'sipcli/v1.8', 'SIPVicious 0.3', 'sundayddr', 'iWar'].map(isScannerUserAgent)).toEqual([true, true, true, true, true]);
    expect(['Zoiper rv2.8', 'Asterisk PBX 16', 'PJSUA v2.10', 'VaxSIPUserAgent/3.1', 'Cisco-SIPGateway/IOS-12.x', null].map(isScannerUserAgent)).toEqual([false, false, false, false, false, false]);
    // Judged once per value: asked again, the same value gets the same verdict.
    expect(['friendly-scanner', 'Zoiper rv2.8', 'friendly-scanner', 'Zoiper rv2.8'].map(isScannerUserAgent)).toEqual([true, false, true, false]);
  });

  it('invalid (info): a SIPVicious OPTIONS that got no answer (ignored)', () => {
    const probe = req('OPTIONS', 1, 0, { from: SCANNER, to: P, uri: 'sip:100@10.0.0.2', extra: ['User-Agent: friendly-scanner'] });
    expect(run([probe])).toEqual([
      {
        call: 'call-1',
        rule: 'scanner',
        messageId: 'ignored',
        severity: 'info',
        frames: [1],
        data: { method: 'OPTIONS', uri: 'sip:100@10.0.0.2', scanner: ep('203.0.113.66', 5070), target: ep('10.0.0.2', 5060), userAgent: 'friendly-scanner', response: 'none', calls: 1, users: 0, hosts: 0, succeeded: 0 },
      },
    ]);
  });

  it('invalid (warning): a sipcli INVITE answered 401 (answered)', () => {
    const invite = req('INVITE', 1, 0, { from: SCANNER, to: P, uri: 'sip:901148185422016@10.0.0.2', extra: ['User-Agent: sipcli/v1.8'] });
    const found = run([invite, res(invite, '401 Unauthorized', 2)]);
    expect(found.map((f) => [f.messageId, f.severity, f.frames, f.data.response, f.data.target])).toEqual([['answered', 'warning', [1, 2], '401 Unauthorized', ep('10.0.0.2', 5060)]]);
  });

  it('invalid (error): a device that answers a scanner\'s INVITE 200 (accepted)', () => {
    const invite = req('INVITE', 1, 0, { from: SCANNER, to: B, extra: ['User-Agent: friendly-scanner'] });
    const found = run([invite, res(invite, '180 Ringing', 5), res(invite, '200 OK', 8)]);
    expect(found.map((f) => [f.messageId, f.severity, f.data.response])).toEqual([['accepted', 'error', '200 OK']]);
  });
});

describe('scanner: the pattern of a scan from one address', () => {
  /** One REGISTER per user from `from` to `to`, answered `status`, each in its own Call-ID. */
  function registers(users: number[], from: Endpoint, to: (k: number) => Endpoint, status: string, ua = 'Cisco v11.0.0'): CapturedMessage[] {
    return users.flatMap((u, k) => {
      const r = req('REGISTER', 1, k * 100, { from, to: to(k), callId: `reg-${u}-${k}`, fromTag: `t${u}-${k}`, extra: [`User-Agent: ${ua}`] });
      // The To user is the one registered.
      const withUser = { ...r, message: withFields(r.message, { to: r.message.to === null ? null : { ...r.message.to, uri: { ...r.message.to.uri, user: String(u) } } }) };
      return [withUser, res(withUser, status, k * 100 + 2)];
    });
  }

  it('invalid (warning): REGISTERs for 8 users from one address, all refused: an extension scan', () => {
    // One finding per scanning address: on its first call, with what the address did in the whole capture as the profile saw it.
    const found = run(registers([10, 11, 12, 13, 14, 15, 16, 17], SCANNER, () => P, '403 Forbidden'));
    expect(found.map((f) => `${f.call}/${f.rule}/${f.messageId}/${f.severity}`)).toEqual(['reg-10-0/scanner/answered/warning']);
    expect(found[0]!.data).toEqual(expect.objectContaining({ scanner: ep(SCANNER.ip, SCANNER.port), userAgent: 'Cisco v11.0.0', calls: 8, users: 8, hosts: 1, succeeded: 0 }));
  });

  it('invalid (warning): one address answered by 8 hosts, nearly all failures: a sweep', () => {
    const found = run(registers([101, 101, 101, 101, 101, 101, 101, 101], SCANNER, (k) => host(k + 1), '405 Method Not Allowed'));
    expect(found.map((f) => f.messageId)).toEqual(['answered']);
    expect(found[0]!.data).toEqual(expect.objectContaining({ hosts: 8 }));
  });

  it('valid: 7 users refused (under minTargets), or 8 users of which most registered (a proxy for real phones)', () => {
    expect(run(registers([10, 11, 12, 13, 14, 15, 16], SCANNER, () => P, '403 Forbidden'))).toEqual([]);
    const proxy = [...registers([20, 21, 22, 23, 24, 25], A, () => P, '200 OK'), ...registers([26, 27], A, () => P, '401 Unauthorized').map((m) => ({ ...m, time: { ...m.time, sec: m.time.sec + 1 } }))];
    expect(run(proxy)).toEqual([]);
  });

  it('valid: an unknown User-Agent (SonicSIP, heplify-ipip0) with one INVITE to an international number, refused 403 by two hosts, is not called a scan', () => {
    // SonicSIP is in no scanner list we could find (SIPVicious, sippts, the sip-hardening honeypot list), so only the pattern could make it one.
    expect(isScannerUserAgent('SonicSIP')).toBe(false);
    const messages = [1, 2].flatMap((n) => {
      const invite = req('INVITE', 1, n * 100, { callId: `toll-${n}`, from: SCANNER, to: host(n), uri: 'sip:+3908351673002@192.0.2.1', extra: ['User-Agent: SonicSIP'] });
      return [invite, res(invite, '403 Forbidden', n * 100 + 5)];
    });
    expect(run(messages)).toEqual([]);
  });

  it('invalid (warning): a known tool\'s single INVITE to a single host is a scan below the pattern', () => {
    const invite = req('INVITE', 1, 0, { callId: 'one', from: SCANNER, to: host(1), uri: 'sip:+3908351673002@192.0.2.1', extra: ['User-Agent: sipcli/v1.8'] });
    expect(run([invite, res(invite, '403 Forbidden', 5)]).map((f) => [f.rule, f.messageId, f.severity])).toEqual([['scanner', 'answered', 'warning']]);
  });

  it('valid: a PBX whose trunk refuses every call (many callees, one host) is not a scan', () => {
    const calls = Array.from({ length: 12 }, (_, k) => req('INVITE', 1, k * 100, { from: P, to: B, callId: `c${k}`, fromTag: `f${k}`, uri: `sip:+49301234${k}@carrier.example` }));
    expect(run(calls.flatMap((c, k) => [c, res(c, '503 Service Unavailable', k * 100 + 5)]))).toEqual([]);
  });
});

describe('scanner supersedes the other rules on its calls', () => {
  it('a scanner\'s REGISTERs refused after credentials: scanner only, no auth-loop/forbidden advice for a phone', () => {
    const messages: CapturedMessage[] = [];
    for (let u = 0; u < 8; u++) {
      const first = req('REGISTER', 1, u * 1000, { from: SCANNER, to: P, callId: `bf-${u}`, fromTag: `f${u}`, extra: ['User-Agent: friendly-scanner'] });
      const challenge = res(first, '401 Unauthorized', u * 1000 + 2, ['WWW-Authenticate: Digest realm="pbx", nonce="n' + u + '"']);
      const second = req('REGISTER', 2, u * 1000 + 40, { from: SCANNER, to: P, callId: `bf-${u}`, fromTag: `f${u}`, branch: `z9hG4bK-r${u}`, extra: ['User-Agent: friendly-scanner', `Authorization: Digest username="10${u}", realm="pbx", nonce="n${u}", uri="sip:bob@example.com", response="0123456789abcdef0123456789abcdef"`] });
      messages.push(first, challenge, second, res(second, '403 Forbidden', u * 1000 + 43));
    }
    // One scanner finding for the address; its 7 later calls are quiet, and still get no phone advice.
    const found = run(messages, RULES);
    expect(found.map((f) => `${f.call}/${f.rule}`)).toEqual(['bf-0/scanner']);
  });

  it('without a scanner, the same refusal for one phone keeps its findings', () => {
    const first = req('REGISTER', 1, 0, { from: A, to: P, extra: ['User-Agent: Zoiper'] });
    const found = run([first, res(first, '403 Forbidden', 2)], RULES);
    expect(found.map((f) => `${f.rule}/${f.messageId}`)).toEqual(['forbidden/registration']);
  });
});

describe('scanner: one finding per scanning address', () => {
  it('two scanners, three probes each: one finding each, on its first call', () => {
    const other: Endpoint = { ip: '198.51.100.99', port: 5060 };
    const probes = [SCANNER, other].flatMap((from, s) =>
      [0, 1, 2].map((k) => req('OPTIONS', 1, s * 1000 + k * 100, { from, to: host(k + 1), callId: `o${s}-${k}`, fromTag: `t${s}${k}`, extra: ['User-Agent: friendly-scanner'] })),
    );
    const found = run(probes);
    expect(found.map((f) => [f.call, f.data.scanner])).toEqual([
      ['o0-0', ep(SCANNER.ip, SCANNER.port)],
      ['o1-0', ep(other.ip, other.port)],
    ]);
  });

  it('a scanner whose probes were refused and then one accepted: the accepted call keeps its own finding (error)', () => {
    const calls = [0, 1, 2].map((k) => req('INVITE', 1, k * 100, { from: SCANNER, to: P, callId: `i${k}`, fromTag: `t${k}`, uri: `sip:0119725995018${k}@example.com`, extra: ['User-Agent: sipcli/v1.8'] }));
    const found = run([calls[0]!, res(calls[0]!, '404 Not Found', 5), calls[1]!, res(calls[1]!, '404 Not Found', 105), calls[2]!, res(calls[2]!, '200 OK', 205)]);
    expect(found.map((f) => [f.call, f.messageId, f.severity])).toEqual([
      ['i0', 'answered', 'warning'],
      ['i2', 'accepted', 'error'],
    ]);
  });
});
