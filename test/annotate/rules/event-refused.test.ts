import { beforeEach, describe, expect, it } from 'vitest';
import { eventRefused } from '../../../src/annotate/rules/event-refused.js';
import { req, res, resetCatalogFrames } from '../../support/catalog.js';
import { findingsOf, ep } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

describe('event-refused', () => {
  it('valid: 488 to INVITE is codec-mismatch\'s; 489 to INFO and 200 to NOTIFY are not this rule\'s', () => {
    const invite = req('INVITE', 1, 0);
    const info = req('INFO', 2, 10, { toTag: 'b' });
    const notify = req('NOTIFY', 3, 20, { toTag: 'b', extra: ['Event: dialog'] });
    expect(findingsOf(eventRefused, [invite, res(invite, '488 Not Acceptable Here', 5), info, res(info, '489 Bad Event', 15), notify, res(notify, '200 OK', 25)])).toEqual([]);
  });

  it('invalid: 489 to a SUBSCRIBE for presence is bad-event (info), with the package and what the server offers', () => {
    const sub = req('SUBSCRIBE', 1, 0, { extra: ['Event: presence;id=1'] });
    expect(findingsOf(eventRefused, [sub, res(sub, '489 Bad Event', 5, ['Allow-Events: message-summary, refer'])])).toEqual([
      {
        rule: 'event-refused',
        messageId: 'bad-event',
        severity: 'info',
        frames: [1, 2],
        data: { method: 'SUBSCRIBE', uri: 'sip:bob@example.com', server: ep('10.0.0.3', 5060), status: 489, response: '489 Bad Event', event: 'presence', contentType: 'none', accept: 'not given', allowEvents: 'message-summary, refer' },
      },
    ]);
  });

  it('invalid: 415 to an INFO carrying DTMF is body-refused (warning), with the body type and Accept', () => {
    const info = req('INFO', 2, 0, { toTag: 'b', extra: ['Content-Type: application/dtmf-relay'] });
    const findings = findingsOf(eventRefused, [info, res(info, '415 Unsupported Media Type', 5, ['Accept: application/sdp'])]);
    expect(findings.map((f) => [f.messageId, f.severity, f.data.contentType, f.data.accept])).toEqual([['body-refused', 'warning', 'application/dtmf-relay', 'application/sdp']]);
  });

  it('invalid: 488 to a NOTIFY is about its body, not an SDP offer', () => {
    const notify = req('NOTIFY', 2, 0, { toTag: 'b', extra: ['Event: message-summary', 'Content-Type: application/simple-message-summary'] });
    expect(findingsOf(eventRefused, [notify, res(notify, '488 Not Acceptable Here', 5)]).map((f) => [f.messageId, f.data.event, f.data.contentType])).toEqual([['body-refused', 'message-summary', 'application/simple-message-summary']]);
  });
});
