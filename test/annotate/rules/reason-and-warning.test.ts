import { beforeEach, describe, expect, it } from 'vitest';
import { reasonAndWarning } from '../../../src/annotate/rules/reason-and-warning.js';
import { B, P, req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('reason-and-warning', () => {
  describe('valid (no finding)', () => {
    it('BYE with Q.850 cause 16 (normal clearing) is not reported by default', () => {
      expect(findingsOf(reasonAndWarning, [req('BYE', 2, 0, { toTag: 'b', extra: ['Reason: Q.850;cause=16;text="Normal call clearing"'] })])).toEqual([]);
    });
    it('a Reason on a 200 or an INVITE is not looked at', () => {
      const invite = req('INVITE', 1, 0, { extra: ['Reason: Q.850;cause=17'] });
      expect(findingsOf(reasonAndWarning, [invite, res(invite, '200 OK', 5, ['Reason: Q.850;cause=17'])])).toEqual([]);
    });
  });

  describe('invalid (finding)', () => {
    it('a 486 with a Q.850 cause, with its meaning', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(reasonAndWarning, [invite, res(invite, '486 Busy Here', 5, ['Reason: Q.850;cause=17;text="User busy"'])])).toEqual([
        { rule: 'reason-and-warning', messageId: 'q850', severity: 'info', frames: [2], data: { where: '486 Busy Here', sender: ep('10.0.0.3', 5060), agent: '', cause: 17, meaning: 'user busy', text: 'User busy', detail: ' ("User busy")' } },
      ]);
    });
    it('an ordinary ending is no finding: a CANCEL completed elsewhere, a BYE whose SIP Reason only describes a hang-up', () => {
      const cancel = req('CANCEL', 1, 0, { extra: ['Reason: SIP;cause=200;text="Call completed elsewhere"'] });
      const bye = req('BYE', 2, 0, { toTag: 'b', extra: ['Reason: SIP;description="User Hung Up"'] });
      expect(findingsOf(reasonAndWarning, [cancel, bye])).toEqual([]);
    });
    it('with includeNormalClearing, the ordinary endings are shown too', () => {
      const cancel = req('CANCEL', 1, 0, { extra: ['Reason: SIP;cause=200;text="Call completed elsewhere"'] });
      const bye = req('BYE', 2, 0, { toTag: 'b', extra: ['Reason: SIP;description="User Hung Up"'] });
      const findings = findingsOf(reasonAndWarning, [cancel, bye], undefined, { 'reason-and-warning': { options: { includeNormalClearing: true } } });
      expect(findings.map((f) => [f.messageId, f.data.cause])).toEqual([['sip-cause', 200], ['other', 'none']]);
    });
    it('a SIP cause on a BYE that is not an ordinary ending is shown', () => {
      const bye = req('BYE', 2, 0, { toTag: 'b', extra: ['Reason: SIP;cause=408;text="RTP timeout"'] });
      expect(findingsOf(reasonAndWarning, [bye]).map((f) => [f.messageId, f.data.cause, f.data.meaning])).toEqual([['sip-cause', 408, 'Request Timeout']]);
    });
    it('the includeNormalClearing option', () => {
      const bye = req('BYE', 2, 0, { toTag: 'b', extra: ['Reason: Q.850;cause=16'] });
      expect(findingsOf(reasonAndWarning, [bye], undefined, { 'reason-and-warning': { options: { includeNormalClearing: true } } }).map((f) => f.data.meaning)).toEqual(['normal call clearing']);
    });
    it('a Warning on a 488, with the warn-code meaning', () => {
      const invite = req('INVITE', 1, 0);
      expect(findingsOf(reasonAndWarning, [invite, res(invite, '488 Not Acceptable Here', 5, ['Warning: 305 gw.example.com "Incompatible media format"'])]).map((f) => [f.messageId, f.data])).toEqual([
        ['warning', { where: '488 Not Acceptable Here', sender: ep('10.0.0.3', 5060), agent: 'gw.example.com', code: 305, meaning: 'incompatible media format', text: 'Incompatible media format' }],
      ]);
    });
    it('another protocol, and one header forwarded by a proxy reported once', () => {
      const invite = req('INVITE', 1, 0, { to: P });
      const forwarded = req('INVITE', 1, 1, { from: P, to: B, branch: 'z9hG4bK-p1' });
      const reason = ['Reason: RELEASE_CAUSE;cause=3'];
      const findings = findingsOf(reasonAndWarning, [invite, forwarded, res(forwarded, '480 Temporarily Unavailable', 5, reason), res(invite, '480 Temporarily Unavailable', 6, reason)]);
      expect(findings.map((f) => [f.messageId, f.data.protocol, f.data.reason, f.frames])).toEqual([['other', 'RELEASE_CAUSE', 'RELEASE_CAUSE;cause=3', [3]]]);
    });
    it('a Reason value known to be normal clearing still lets another reason, a second Reason line or a Warning beside it be told', () => {
      const normal = 'Reason: Q.850;cause=16;text="Normal call clearing"';
      // The value is seen (and its verdict kept) first, then met again beside what must be told.
      const plain = req('BYE', 2, 0, { toTag: 'b', extra: [normal] });
      const twoLines = req('BYE', 3, 0, { toTag: 'b', extra: [normal, 'Reason: Q.850;cause=41'] });
      const listed = req('BYE', 4, 0, { toTag: 'b', extra: ['Reason: Q.850;cause=16, Q.850;cause=34'] });
      const invite = req('INVITE', 1, 0);
      const refused = res(invite, '480 Temporarily Unavailable', 5, [normal, 'Warning: 399 gw.example.com "No route"']);
      const findings = findingsOf(reasonAndWarning, [invite, plain, twoLines, listed, refused]);
      expect(findings.map((f) => [f.messageId, f.data.cause ?? f.data.code])).toEqual([['q850', 41], ['q850', 34], ['warning', 399]]);
      // A value that differs from a known one by case only is another key: parsed in full, and still an ordinary ending.
      const upper = req('BYE', 2, 0, { toTag: 'b', extra: ['Reason: q.850;cause=16'] });
      expect(findingsOf(reasonAndWarning, [upper])).toEqual([]);
    });
  });
});
