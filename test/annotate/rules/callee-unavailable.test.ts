import { beforeEach, describe, expect, it } from 'vitest';
import { calleeUnavailable } from '../../../src/annotate/rules/callee-unavailable.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('callee-unavailable', () => {
  it('valid: 487 after CANCEL and 404 are not this rule\'s', () => {
    const a = req('INVITE', 1, 0);
    const b = req('INVITE', 2, 10);
    expect(findingsOf(calleeUnavailable, [a, res(a, '487 Request Terminated', 5), b, res(b, '404 Not Found', 15)])).toEqual([]);
  });

  it.each([
    ['480 Temporarily Unavailable', 'temporarily-unavailable', 'warning'],
    ['486 Busy Here', 'busy-here', 'info'],
    ['600 Busy Everywhere', 'busy-everywhere', 'info'],
    ['603 Decline', 'declined', 'info'],
    ['607 Unwanted', 'unwanted', 'warning'],
    ['608 Rejected', 'rejected', 'warning'],
  ])('invalid: %s', (status, messageId, severity) => {
    const invite = req('INVITE', 1, 0);
    expect(findingsOf(calleeUnavailable, [invite, res(invite, status, 5)])).toEqual([
      { rule: 'callee-unavailable', messageId, severity, frames: [1, 2], data: { method: 'INVITE', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: Number(status.slice(0, 3)), response: status, retryAfter: 'none', cause: 'none', warning: 'none' } },
    ]);
  });

  it('invalid: Retry-After is kept in the data', () => {
    const invite = req('INVITE', 1, 0);
    expect(findingsOf(calleeUnavailable, [invite, res(invite, '480 Temporarily Unavailable', 5, ['Retry-After: 120 (in a meeting)'])]).map((f) => f.data.retryAfter)).toEqual([120]);
  });

  it('invalid: 480 with Q.850 cause 19 (no answer from user) is no-answer at info, with the cause', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(calleeUnavailable, [invite, res(invite, '480 Temporarily Unavailable', 30000, ['Reason: Q.850;cause=19;text="No Answer"'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.cause])).toEqual([['no-answer', 'info', 19]]);
  });

  it('invalid: 480 after 180 Ringing, with no Reason, is no-answer: the callee was alerted', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(calleeUnavailable, [invite, res(invite, '180 Ringing', 50), res(invite, '480 Temporarily Unavailable', 30000)]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.cause, f.frames])).toEqual([['no-answer', 'info', 'none', [1, 3]]]);
  });

  it('invalid: 480 with Q.850 cause 21 right after a 183 is a refusal named by its cause (info), neither no-answer nor unreachable', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(calleeUnavailable, [invite, res(invite, '183 In band info available', 250), res(invite, '480 Error', 290, ['Reason: Q.850;cause=21'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.cause, f.data.meaning, f.frames])).toEqual([['other-cause', 'info', 21, 'call rejected', [1, 3]]]);
  });

  it('invalid: 480 after 180 Ringing with a failure cause (38, network out of order) is a warning naming the cause', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(calleeUnavailable, [invite, res(invite, '180 Ringing', 50), res(invite, '480 Temporarily Unavailable', 4000, ['Reason: Q.850;cause=38'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.cause, f.data.meaning])).toEqual([['other-cause', 'warning', 38, 'network out of order']]);
  });

  it('invalid: 480 after 180 Ringing with cause 16 (normal clearing, said of everything) is still no-answer', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(calleeUnavailable, [invite, res(invite, '180 Ringing', 50), res(invite, '480 Temporarily Unavailable', 30000, ['Reason: Q.850;cause=16'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.cause])).toEqual([['no-answer', 'info', 16]]);
  });

  it('invalid: 480 after 180 Ringing with Q.850 cause 18 is no-answer, with no meaning added to its data', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(calleeUnavailable, [invite, res(invite, '180 Ringing', 50), res(invite, '480 Temporarily Unavailable', 30000, ['Reason: Q.850;cause=18'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.cause, 'meaning' in f.data])).toEqual([['no-answer', 'info', 18, false]]);
  });

  it('invalid: 480 with Q.850 cause 20 (subscriber absent) and no ringing stays temporarily-unavailable, with the cause', () => {
    const invite = req('INVITE', 1, 0);
    const findings = findingsOf(calleeUnavailable, [invite, res(invite, '480 Temporarily Unavailable', 40, ['Reason: Q.850;cause=20'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.cause])).toEqual([['temporarily-unavailable', 'warning', 20]]);
  });

  it('invalid: 480 to a REGISTER is the registrar\'s failure, with its Warning', () => {
    const register = req('REGISTER', 1, 0, { uri: 'sip:example.com' });
    const findings = findingsOf(calleeUnavailable, [register, res(register, '480 Temporarily Unavailable', 40, ['Warning: 399 registrar.example.com "DNS lookup of the home domain failed"'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.warning])).toEqual([['registrar-unavailable', 'warning', '399 registrar.example.com "DNS lookup of the home domain failed"']]);
  });
});
