/** RFC 4733 events to digits: one per event, end retransmissions dropped, a lost end still reported. */
import { describe, expect, it } from 'vitest';
import { DtmfDecoder, eventKey } from '../../../src/parse/media/dtmf.js';
import { telephoneEvent } from './rtp.js';

function feed(d: DtmfDecoder, event: number, end: boolean, duration: number, timestamp: number, at: number, frame: number): void {
  const b = telephoneEvent(event, end, duration);
  d.packet(b, 0, b.length, timestamp, Math.floor(at), Math.round((at % 1) * 1e9), frame, 8000);
}

describe('RFC 4733 telephone events', () => {
  it('keys: 0-9, *, #, A-D, flash; other events have none', () => {
    expect([0, 9, 10, 11, 12, 15, 16, 32].map(eventKey)).toEqual(['0', '9', '*', '#', 'A', 'D', 'flash', null]);
  });

  it('one digit per event with the end packet duration; the three end packets count once', () => {
    const d = new DtmfDecoder();
    let frame = 1;
    for (const [end, duration] of [[false, 160], [false, 320], [false, 480], [true, 640], [true, 640], [true, 640]] as const) feed(d, 5, end, duration, 8000, 10 + frame * 0.02, frame++);
    for (const [end, duration] of [[false, 160], [true, 800], [true, 800]] as const) feed(d, 11, end, duration, 16000, 12 + frame * 0.02, frame++);
    d.finish();
    expect(d.events.map((e) => [e.key, e.durationMs, e.ended, e.frame, e.sec, e.volumeDbm0])).toEqual([
      ['5', 80, true, 1, 10, -10],
      ['#', 100, true, 7, 12, -10],
    ]);
  });

  it('an event whose end packets were lost is reported when the next starts, or at finish()', () => {
    const d = new DtmfDecoder();
    feed(d, 1, false, 160, 100, 1, 1);
    feed(d, 1, false, 320, 100, 1.02, 2);
    feed(d, 2, false, 160, 900, 2, 3);
    expect(d.events.map((e) => [e.key, e.durationMs, e.ended])).toEqual([['1', 40, false]]);
    d.finish();
    d.finish();
    expect(d.events.map((e) => [e.key, e.ended])).toEqual([
      ['1', false],
      ['2', false],
    ]);
  });

  it('the same key pressed twice is two events (new timestamp); payloads shorter than 4 bytes are ignored; bounded', () => {
    const d = new DtmfDecoder(2);
    feed(d, 7, true, 400, 100, 1, 1);
    feed(d, 7, true, 400, 900, 2, 2);
    d.packet(Uint8Array.of(7, 0x80, 1), 0, 3, 1700, 3, 0, 3, 8000);
    feed(d, 8, true, 400, 2000, 4, 4);
    expect(d.events.map((e) => e.key)).toEqual(['7', '7']);
    expect(d.dropped).toBe(1);
  });
});
