import { beforeEach, describe, expect, it } from 'vitest';
import { hunting } from '../../../src/annotate/rules/hunting.js';
import type { CapturedMessage, Endpoint } from '../../../src/types.js';
import { A, P, rawMessage, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep, ms } from '../../support/rules.js';
import { Analyzer } from '../../../src/analysis/analyzer.js';
import type { AnalyzedCall } from '../../../src/analysis/types.js';

beforeEach(resetCatalogFrames);

const T1: Endpoint = { ip: '10.0.1.1', port: 5060 };
const T2: Endpoint = { ip: '10.0.1.2', port: 5060 };
const T3: Endpoint = { ip: '10.0.1.3', port: 5060 };

/** An INVITE of call "h" (CSeq 1) from `src` to `dst` for `uri`, with the Vias of the hops it went through. */
function invite(uri: string, at: number, src: Endpoint, dst: Endpoint, vias: string[]): CapturedMessage {
  return rawMessage([`INVITE ${uri} SIP/2.0`, ...vias.map((v) => `Via: ${v}`), 'Max-Forwards: 69', 'From: <sip:alice@example.com>;tag=a', 'To: <sip:100@example.com>', 'Call-ID: h', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n'), at, src, dst);
}

/** A response to `request` back along its hop, with To tag `tag`. */
function answer(request: CapturedMessage, status: string, at: number, tag: string | null): CapturedMessage {
  const m = request.message;
  const lines = [`SIP/2.0 ${status}`, ...m.via.map((v) => `Via: ${v.raw}`), 'From: <sip:alice@example.com>;tag=a', `To: <sip:100@example.com>${tag === null ? '' : `;tag=${tag}`}`, 'Call-ID: h', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''];
  return rawMessage(lines.join('\r\n'), at, request.dst, request.src);
}

const CALLER_VIA = 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-caller';
const proxyVia = (n: number) => [`SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-p${n}`, CALLER_VIA];

describe('hunting', () => {
  describe('valid (no finding)', () => {
    it('one target', () => {
      const i = invite('sip:100@example.com', 0, A, P, [CALLER_VIA]);
      const f = invite('sip:bob@10.0.1.1', 5, P, T1, proxyVia(1));
      expect(findingsOf(hunting, [i, answer(i, '100 Trying', 2, null), f, answer(f, '486 Busy Here', 50, 'x'), answer(i, '486 Busy Here', 55, 'x')])).toEqual([]);
    });

    it('a chain of proxies (each hop forwards once, to its own next hop) is not hunting', () => {
      const i = invite('sip:100@example.com', 0, A, P, [CALLER_VIA]);
      const f1 = invite('sip:100@10.0.1.1', 5, P, T1, proxyVia(1));
      const f2 = invite('sip:bob@10.0.1.2', 10, T1, T2, ['SIP/2.0/UDP 10.0.1.1:5060;branch=z9hG4bK-q1', ...proxyVia(1)]);
      expect(findingsOf(hunting, [i, f1, f2, answer(f2, '200 OK', 60, 'x'), answer(f1, '200 OK', 65, 'x'), answer(i, '200 OK', 70, 'x')])).toEqual([]);
    });

    it('a burst of INVITEs from the caller itself to many hosts is not one proxy\'s hunt', () => {
      const hosts = [T1, T2, T3];
      const messages = hosts.flatMap((h, k) => {
        const i = invite('sip:100@example.com', k * 10, A, h, [`SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-burst${k}`]);
        return [i, answer(i, '404 Not Found', k * 10 + 5, `t${k}`)];
      });
      expect(findingsOf(hunting, messages)).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('sequential hunting at a proxy, none answered: the targets, each answer, and the time until the caller\'s final response', () => {
      const i = invite('sip:100@example.com', 0, A, P, [CALLER_VIA]);
      const f1 = invite('sip:bob@10.0.1.1', 5, P, T1, proxyVia(1));
      const f2 = invite('sip:carol@10.0.1.2', 4100, P, T2, proxyVia(2));
      const f3 = invite('sip:dave@10.0.1.3', 8200, P, T3, proxyVia(3));
      const messages = [i, answer(i, '100 Trying', 2, null), f1, answer(f1, '180 Ringing', 40, 'x1'), answer(f1, '408 Request Timeout', 4000, 'x1'), f2, answer(f2, '486 Busy Here', 4150, 'x2'), f3, answer(i, '480 Temporarily Unavailable', 14000, 'p')];
      expect(findingsOf(hunting, messages)).toEqual([
        {
          rule: 'hunting',
          messageId: 'none-answered',
          severity: 'info',
          frames: [1, 2, 3, 4, 6, 7, 8, 9],
          data: {
            targets: 3,
            uri: 'sip:100@example.com',
            proxy: ep('10.0.0.2', 5060),
            tried: 'sip:bob@10.0.1.1 408 Request Timeout, sip:carol@10.0.1.2 486 Busy Here, sip:dave@10.0.1.3',
            answeredBy: '',
            final: '480 Temporarily Unavailable',
            untilFinal: ms(14000),
          },
        },
      ]);
    });

    it('the second target answered', () => {
      const i = invite('sip:100@example.com', 0, A, P, [CALLER_VIA]);
      const f1 = invite('sip:bob@10.0.1.1', 5, P, T1, proxyVia(1));
      const f2 = invite('sip:carol@10.0.1.2', 4100, P, T2, proxyVia(2));
      const messages = [i, f1, answer(f1, '480 Temporarily Unavailable', 4000, 'x1'), f2, answer(f2, '200 OK', 6000, 'x2'), answer(i, '200 OK', 6005, 'x2')];
      expect(findingsOf(hunting, messages).map((f) => [f.messageId, f.data.targets, f.data.answeredBy, f.data.untilFinal])).toEqual([['answered', 2, 'sip:carol@10.0.1.2', ms(6005)]]);
    });

    it('forking seen at the caller: 18x with different To tags from its next hop', () => {
      const i = invite('sip:100@example.com', 0, A, P, [CALLER_VIA]);
      const messages = [i, answer(i, '180 Ringing', 100, 'fork1'), answer(i, '180 Ringing', 120, 'fork2'), answer(i, '183 Session Progress', 130, 'fork3'), answer(i, '486 Busy Here', 9000, 'fork2')];
      expect(findingsOf(hunting, messages).map((f) => [f.messageId, f.data.targets, f.data.tried, f.data.final])).toEqual([
        ['none-answered', 3, 'To;tag=fork1 180 Ringing, To;tag=fork2 486 Busy Here, To;tag=fork3 183 Session Progress', '486 Busy Here'],
      ]);
    });
  });

  describe('a B2BUA hunting: each target in an outbound leg of its own, linked to the inbound one', () => {
    /** An INVITE of its own call `callId` from `src` to `dst` for `uri`, answered `status` at `at + 500`. */
    function legCall(callId: string, uri: string, at: number, src: Endpoint, dst: Endpoint, status: string | null, extra: string[] = []): CapturedMessage[] {
      const lines = (first: string, tag: string) => [first, `Via: SIP/2.0/UDP ${src.ip}:${src.port};branch=z9hG4bK-${callId}`, 'From: <sip:alice@example.com>;tag=a', `To: <${uri}>${tag}`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE', ...extra, 'Content-Length: 0', '', ''].join('\r\n');
      const out = [rawMessage(lines(`INVITE ${uri} SIP/2.0`, ''), at, src, dst)];
      if (status !== null) out.push(rawMessage(lines(`SIP/2.0 ${status}`, ';tag=x'), at + 500, dst, src));
      return out;
    }
    function hunted(...parts: CapturedMessage[][]): Map<number, { messageId: string; data: Record<string, unknown> }[]> {
      const calls: AnalyzedCall[] = [];
      const analyzer = new Analyzer({ onCalls: (batch) => calls.push(...batch), media: false });
      for (const m of parts.flat().sort((x, y) => x.time.sec - y.time.sec || x.time.nsec - y.time.nsec)) analyzer.add(m);
      analyzer.finish([]);
      return new Map(calls.map((c) => [c.number, c.findings.filter((f) => f.rule === 'hunting').map((f) => ({ messageId: f.messageId, data: f.data }))]));
    }

    it('two outbound legs (X-Call-ID), none answered: told on the inbound leg, with the calls', () => {
      const inbound = legCall('in', 'sip:100@pbx', 0, A, P, null);
      const final = rawMessage(['SIP/2.0 480 Temporarily Unavailable', 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-in', 'From: <sip:alice@example.com>;tag=a', 'To: <sip:100@pbx>;tag=p', 'Call-ID: in', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n'), 9000, P, A);
      const found = hunted(inbound, [final], legCall('out1', 'sip:201@10.0.1.1', 10, P, T1, '486 Busy Here', ['X-Call-ID: in']), legCall('out2', 'sip:202@10.0.1.2', 4000, P, T2, '480 Temporarily Unavailable', ['X-Call-ID: in']));
      expect(found.get(1)).toEqual([
        { messageId: 'legs-none-answered', data: expect.objectContaining({ targets: 2, calls: '2, 3', tried: 'sip:201@10.0.1.1 486 Busy Here, sip:202@10.0.1.2 480 Temporarily Unavailable', final: '480 Temporarily Unavailable', untilFinal: ms(9000) }) },
      ]);
      expect(found.get(2)).toEqual([]);
      expect(found.get(3)).toEqual([]);
    });

    it('one outbound leg is not hunting', () => {
      const found = hunted(legCall('in', 'sip:100@pbx', 0, A, P, '486 Busy Here'), legCall('out1', 'sip:201@10.0.1.1', 10, P, T1, '486 Busy Here', ['X-Call-ID: in']));
      expect([...found.values()].flat()).toEqual([]);
    });
  });
});
