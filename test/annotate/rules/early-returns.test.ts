/**
 * The rules that return early since session 10 (figures and lists made only when a rule can
 * report: early-media-without-ringing, post-dial-delay, reason-and-warning, codec-mismatch,
 * dtmf-method-mismatch, session-timer) on the inputs next to each early return, where the old
 * code could have reported and the new one returns first. Each expectation is what b5f036e gave.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { codecMismatch } from '../../../src/annotate/rules/codec-mismatch.js';
import { dtmfMethodMismatch } from '../../../src/annotate/rules/dtmf-method-mismatch.js';
import { earlyMediaWithoutRinging } from '../../../src/annotate/rules/early-media-without-ringing.js';
import { postDialDelay } from '../../../src/annotate/rules/post-dial-delay.js';
import { reasonAndWarning } from '../../../src/annotate/rules/reason-and-warning.js';
import { sessionTimer } from '../../../src/annotate/rules/session-timer.js';
import { A, B, P, rawMessage, req, res, resetCatalogFrames, sdp } from '../../support/catalog.js';
import { ep, findingsOf, ms } from '../../support/rules.js';

beforeEach(resetCatalogFrames);

/** An SDP offering or answering `media` (m= lines with their attributes). */
function sdpWith(ip: string, media: string[]): string {
  return ['v=0', `o=- 1 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', ...media, ''].join('\r\n');
}
const AUDIO_EVENTS = ['m=audio 4000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000'];
const T38 = ['m=image 4002 udptl t38'];

/** An in-dialog INFO from the caller carrying the key `key` as application/dtmf-relay. */
function dtmfInfo(seq: number, at: number, key: string) {
  const body = `Signal=${key}\r\nDuration=160\r\n`;
  const lines = [
    'INFO sip:bob@10.0.0.3 SIP/2.0',
    `Via: SIP/2.0/UDP ${A.ip}:${A.port};branch=z9hG4bK-info-${seq}`,
    'From: <sip:alice@example.com>;tag=a',
    'To: <sip:bob@example.com>;tag=b',
    'Call-ID: call-1',
    `CSeq: ${seq} INFO`,
    'Content-Type: application/dtmf-relay',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return rawMessage(lines.join('\r\n'), at, A, B);
}

describe('early-media-without-ringing: no 183 to an initial INVITE', () => {
  it('valid: a 183 with SDP to a re-INVITE only (the call was answered at once)', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const reinvite = req('INVITE', 2, 5000, { toTag: 'b', body: sdp() });
    const messages = [invite, res(invite, '200 OK', 100, [], { body: sdp('10.0.0.3') }), reinvite, res(reinvite, '183 Session Progress', 5100, [], { body: sdp('10.0.0.3') }), res(reinvite, '200 OK', 5200, [], { body: sdp('10.0.0.3') })];
    expect(findingsOf(earlyMediaWithoutRinging, messages)).toEqual([]);
  });
});

describe('post-dial-delay: the caller\'s own wait counted only for a challenge before the progress', () => {
  it('invalid: a challenge after the progress is not the caller\'s time: slow-progress with the whole delay', () => {
    const first = req('INVITE', 1, 0, { to: P });
    const messages = [first, res(first, '183 Session Progress', 6000), res(first, '407 Proxy Authentication Required', 6100)];
    const second = req('INVITE', 2, 9000, { to: P });
    messages.push(second, res(second, '180 Ringing', 9100));
    expect(findingsOf(postDialDelay, messages).map((f) => [f.messageId, f.severity, f.data.pdd])).toEqual([['slow-progress', 'warning', ms(6000)]]);
  });
  it('valid: a challenge answered by an INVITE from another address is not this caller\'s attempt (no progress of its own)', () => {
    const first = req('INVITE', 1, 0, { to: P });
    const messages = [first, res(first, '401 Unauthorized', 100)];
    const second = req('INVITE', 2, 9000, { to: P, from: { ip: '10.0.0.9', port: 5060 } });
    messages.push(second, res(second, '180 Ringing', 9100));
    expect(findingsOf(postDialDelay, messages)).toEqual([]);
  });
});

describe('reason-and-warning: only a message with a Reason or a Warning', () => {
  it('invalid: a Reason with a Q.850 cause on a CANCEL', () => {
    const cancel = req('CANCEL', 1, 0, { extra: ['Reason: Q.850;cause=41;text="Temporary failure"'] });
    expect(findingsOf(reasonAndWarning, [cancel])).toEqual([
      { rule: 'reason-and-warning', messageId: 'q850', severity: 'info', frames: [1], data: { where: 'CANCEL', sender: ep('10.0.0.1', 5060), agent: '', cause: 41, meaning: 'temporary failure', text: 'Temporary failure', detail: ' ("Temporary failure")' } },
    ]);
  });
  it('invalid: a Warning alone on a CANCEL and on a BYE', () => {
    const cancel = req('CANCEL', 1, 0, { extra: ['Warning: 399 pbx "Caller gave up"'] });
    const bye = req('BYE', 2, 10, { toTag: 'b', extra: ['Warning: 399 pbx "RTP timeout"'] });
    expect(findingsOf(reasonAndWarning, [cancel, bye]).map((f) => [f.messageId, f.data.where, f.data.text])).toEqual([
      ['warning', 'CANCEL', 'Caller gave up'],
      ['warning', 'BYE', 'RTP timeout'],
    ]);
  });
  it('valid: a 487 and a BYE with neither', () => {
    const invite = req('INVITE', 1, 0);
    expect(findingsOf(reasonAndWarning, [invite, res(invite, '487 Request Terminated', 10), req('BYE', 2, 20, { toTag: 'b' })])).toEqual([]);
  });
});

describe('codec-mismatch: an answer without audio', () => {
  it('valid: an answer with an image stream (T.38) and no audio line', () => {
    const invite = req('INVITE', 1, 0, { body: sdpWith('10.0.0.1', [...AUDIO_EVENTS, ...T38]) });
    expect(findingsOf(codecMismatch, [invite, res(invite, '200 OK', 100, [], { body: sdpWith('10.0.0.3', T38) })])).toEqual([]);
  });
  it('invalid: an answer refusing the audio (port 0) beside an image stream', () => {
    const invite = req('INVITE', 1, 0, { body: sdpWith('10.0.0.1', [...AUDIO_EVENTS, ...T38]) });
    const answer = res(invite, '200 OK', 100, [], { body: sdpWith('10.0.0.3', ['m=audio 0 RTP/AVP 0', ...T38]) });
    expect(findingsOf(codecMismatch, [invite, answer]).map((f) => [f.messageId, f.frames, f.data])).toEqual([['all-streams-rejected', [1, 2], { offered: 'PCMU/8000', answered: 'no stream' }]]);
  });
});

describe('dtmf-method-mismatch: telephone-event negotiated by a re-INVITE, digits by INFO in its dialog', () => {
  it('invalid (info): the payload type of the re-INVITE\'s answer', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    const reinvite = req('INVITE', 2, 3000, { toTag: 'b', body: sdpWith('10.0.0.1', AUDIO_EVENTS) });
    const messages = [invite, res(invite, '200 OK', 100, [], { body: sdp('10.0.0.3') }), reinvite, res(reinvite, '200 OK', 3100, [], { body: sdpWith('10.0.0.3', AUDIO_EVENTS) }), dtmfInfo(3, 5000, '5')];
    messages.push(res(messages[4]!, '200 OK', 5010));
    expect(findingsOf(dtmfMethodMismatch, messages).map((f) => [f.messageId, f.severity, f.frames, f.data])).toEqual([
      ['info', 'info', [5, 6], { sender: ep('10.0.0.1', 5060), digits: '5', count: 1, contentType: 'application/dtmf-relay', payloadType: 101, status: 0 }],
    ]);
  });
  it('valid: INFO when no offer and answer named telephone-event', () => {
    const invite = req('INVITE', 1, 0, { body: sdp() });
    expect(findingsOf(dtmfMethodMismatch, [invite, res(invite, '200 OK', 100, [], { body: sdp('10.0.0.3') }), dtmfInfo(2, 5000, '5')])).toEqual([]);
  });
});

describe('session-timer: one of the two findings, or neither', () => {
  const invite = () => req('INVITE', 1, 0, { extra: ['Session-Expires: 90;refresher=uac', 'Supported: timer'] });
  const answered = (i: ReturnType<typeof req>) => res(i, '200 OK', 100, ['Session-Expires: 90;refresher=uac', 'Require: timer']);
  it('invalid: a BYE at the expiry is bye-at-expiry only, not refresh-missing too', () => {
    const i = invite();
    expect(findingsOf(sessionTimer, [i, answered(i), req('BYE', 2, 90_100, { toTag: 'b' })]).map((f) => f.messageId)).toEqual(['bye-at-expiry']);
  });
  it('invalid: a re-INVITE without Session-Expires that fails, then a BYE past half the interval and not at its expiry: refresh-missing', () => {
    const i = invite();
    const refresh = req('INVITE', 2, 45_000, { toTag: 'b' });
    expect(findingsOf(sessionTimer, [i, answered(i), refresh, res(refresh, '500 Server Internal Error', 45_100), req('BYE', 3, 70_000, { toTag: 'b' })]).map((f) => f.messageId)).toEqual(['refresh-missing']);
  });
});
