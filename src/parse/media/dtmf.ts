/**
 * RFC 4733 telephone events decoded into digits. A sender repeats an event's packets while the
 * key is held, all with the event's start as RTP timestamp and a growing duration (§2.5.1.2),
 * and sends the end packet (E bit) three times (§2.5.1.4); one digit is reported per event, at
 * its first packet, with the duration of its end packet.
 */

/** RFC 4733 §3.2 Table 7: events 0-15 are the DTMF keys, 16 the hook flash. */
const KEYS = '0123456789*#ABCD';

/** The key of an event code: '0'-'9', '*', '#', 'A'-'D', 'flash', or null for other events (tones, §3 of RFC 4734). */
export function eventKey(event: number): string | null {
  if (event < 16) return KEYS[event]!;
  return event === 16 ? 'flash' : null;
}

export interface DtmfEvent {
  /** See eventKey; null for an event that is not a DTMF key. */
  readonly key: string | null;
  readonly event: number;
  /** Capture time and frame of the event's first packet. */
  readonly sec: number;
  readonly nsec: number;
  readonly frame: number;
  /** Duration from the last packet seen, in ms (the end packet's when `ended`). */
  readonly durationMs: number;
  /** Power level, 0 to −63 dBm0 (§2.3.4). */
  readonly volumeDbm0: number;
  /** An end packet was seen; false when the event stopped without one (lost, or the capture ended). */
  readonly ended: boolean;
}

/** Events of one stream, bounded: past `limit` events only `dropped` grows. */
export class DtmfDecoder {
  readonly events: DtmfEvent[] = [];
  dropped = 0;

  private active = false;
  private timestamp = 0;
  private event = 0;
  private ended = false;
  private sec = 0;
  private nsec = 0;
  private frame = 0;
  private duration = 0;
  private volume = 0;
  private clockRate = 8000;

  constructor(private readonly limit = 1000) {}

  /**
   * One telephone-event payload b[start, end) (the RTP payload, padding removed) with the packet's
   * RTP timestamp and capture time; `clockRate` of the payload type (8000 unless the SDP says).
   * A payload shorter than the 4-byte event block (§2.3) is ignored.
   */
  packet(b: Uint8Array, start: number, end: number, timestamp: number, sec: number, nsec: number, frame: number, clockRate: number): void {
    if (end - start < 4) return;
    const event = b[start]!;
    const endBit = (b[start + 1]! & 0x80) !== 0;
    const volume = b[start + 1]! & 0x3f;
    const duration = (b[start + 2]! << 8) | b[start + 3]!;
    if (!this.active || timestamp !== this.timestamp || event !== this.event) {
      // A new event (§2.5.1.2: a new timestamp); the previous one ended unseen if no end packet came.
      if (this.active && !this.ended) this.emit();
      this.active = true;
      this.timestamp = timestamp;
      this.event = event;
      this.ended = false;
      this.sec = sec;
      this.nsec = nsec;
      this.frame = frame;
      this.duration = 0;
    } else if (this.ended) {
      return; // a retransmitted end packet (§2.5.1.4) or a late one
    }
    if (clockRate > 0) this.clockRate = clockRate;
    if (duration > this.duration) this.duration = duration;
    this.volume = volume;
    if (endBit) {
      this.ended = true;
      this.emit();
    }
  }

  /** The stream is over: an event still open is reported without its end. */
  finish(): void {
    if (this.active && !this.ended) {
      this.emit();
      this.ended = true;
    }
  }

  private emit(): void {
    if (this.events.length >= this.limit) {
      this.dropped++;
      return;
    }
    this.events.push({
      key: eventKey(this.event),
      event: this.event,
      sec: this.sec,
      nsec: this.nsec,
      frame: this.frame,
      durationMs: (this.duration * 1000) / this.clockRate,
      volumeDbm0: -this.volume,
      ended: this.ended,
    });
  }
}
