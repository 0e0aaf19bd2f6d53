/**
 * The media join: ties packet streams to calls through their SDP (RFC 3264 offer and answer).
 *
 * SIP messages carrying SDP announce where each side wants to receive media (c= address, m= port);
 * the join remembers those addresses per Call-ID while the call is open. Media packets (the
 * pipeline's onMedia output) are grouped into streams by UDP 5-tuple and, for RTP, SSRC
 * (RFC 3550 §8: the SSRC names a source within a session); a stream belongs to the call whose SDP
 * announced its destination, or its source (symmetric RTP, RFC 4961), or, behind NAT, its
 * destination port at the public address the SDP's SIP message came from. When the call is handed
 * over, its streams are handed over with it and forgotten here, so memory follows the calls open
 * at once, with a bound on the streams held.
 *
 * Per packet: a look at two port numbers, then a hash of the 5-tuple and SSRC read from the
 * packet's bytes, a probe of the slot table and updates in place to the stream's slot of the
 * state array (StreamStore); no allocation, no object followed.
 */
import type { Call } from '../dialog/types.js';
import type { MediaPacket } from '../outputs.js';
import { isPrivateAddress } from '../net/address-class.js';
import type { Codec, MediaDescription } from '../sip/sdp.js';
import { sdpOfMessage } from '../sip/parse.js';
import type { SipMessage } from '../sip/types.js';
import { DtmfDecoder } from './dtmf.js';
import { ALAW_TO_LINEAR, InbandDtmfDetector, isQuiet, ULAW_TO_LINEAR } from './inband-dtmf.js';
import { codecImpairment, estimateQuality, type QualityEstimate } from './quality.js';
import { parseRtcp, RtcpState } from './rtcp.js';
import { clearRtpState, countPacket, msSinceFirst, Rtp, rtpFigures, rtpPacket, staticClockRate, STATIC_PAYLOAD_TYPES, type RtpStatsFigures } from './rtp-stats.js';
import { toMs } from '../../time.js';
import type { CapturedMessage, Endpoint } from '../../types.js';
import type { AnnouncedMedia, CallMedia, CallSide, CallStream, StreamKind, StreamMatch, StreamSeries } from './types.js';

/** Streams held at once (every call's and the ones no SDP announced); past it new streams are counted, not followed. */
export const DEFAULT_MAX_STREAMS = 10_000;
/** Announced addresses held at once (several per open call with SDP); past it the oldest call's are forgotten. */
export const DEFAULT_MAX_ANNOUNCEMENTS = 100_000;

/**
 * RTP no SDP named is believed after this many packets in sequence, each at most HEURISTIC_STEP
 * numbers after the last: one stray datagram whose first byte looks like RTP (any byte
 * 0x80-0xBF does, RFC 7983 §7) is not a stream.
 */
const HEURISTIC_PACKETS = 3;
const HEURISTIC_STEP = 16;

/**
 * Payload types a stream no SDP named may carry: the assigned static ones (RFC 3551 §6) and the
 * dynamic range 96-127; 72-76 are RTCP's (RFC 5761 §4) and the rest unassigned.
 */
function plausiblePayloadType(pt: number): boolean {
  return pt >= 96 || pt <= 19 || pt === 25 || pt === 26 || pt === 28 || (pt >= 31 && pt <= 34);
}

/**
 * A stream's series (StreamSeries): its buckets (BUCKETS of them) hold, for bucket b, its packets
 * at [BUCKET·b], the sequence numbers skipped at [BUCKET·b + LOST] and the highest jitter at
 * [BUCKET·b + JITTER_AT]. A packet adds to its stream's running bucket in the stream state
 * (State.CURRENT_*), written out when the packet falls in another bucket: the bucket line is
 * touched about once a second per stream, not per packet. A const enum for the same reason as
 * State.
 */
const enum Series {
  BUCKETS = 64,
  BUCKET = 3,
  LOST = 1,
  JITTER_AT = 2,
  /** Numbers in one stream's buckets. */
  SIZE = BUCKET * BUCKETS,
}
/** The width the buckets start with. */
const INITIAL_BUCKET_MS = 1000;

/**
 * Where each figure of the join sits in a stream's state (StreamStore.f), from the stream's
 * offset. Doubles all, see rtp-stats.ts. The ones every packet reads come first, then Wireshark's
 * figures (rtp-stats.ts, their own hot ones first) at RTP_AT, then the rarely read ones. A const
 * enum, so that the bundler writes the offsets into the code as numbers (rtp-stats.ts Rtp says why).
 */
const enum State {
  /** The identity's first words (readKey): ports, SSRC, IP version and RTP-ness, the addresses' first words. An IPv4 stream is told by these alone. */
  KEY = 0,
  KEY_SRC = 3,
  KEY_DST = 4,
  /** The next packet starts a new stream: one of its calls gave its address to another call, or was forgotten (1), else 0. */
  STALE = 5,
  /** Enough packets came in sequence for it to be RTP (1): the heuristic is for streams no SDP named. */
  CONFIRMED = 6,
  /** The next sequence number expected, for the skipped ones (−1 before the first packet). */
  NEXT_SEQ = 7,
  /** The bucket width, and the running bucket: its number (−1 none), packets, skipped numbers and highest jitter. */
  BUCKET_MS = 8,
  CURRENT_BUCKET = 9,
  CURRENT_PACKETS = 10,
  CURRENT_LOST = 11,
  CURRENT_JITTER = 12,
  /** The last payload type (−1 none), its clock rate (0 unknown) and what its payloads go to (PayloadUse). */
  PAYLOAD_TYPE = 13,
  CLOCK_RATE = 14,
  PAYLOAD_USE = 15,
  /** The in-band key-tone detector holds nothing (1): a quiet packet leaves it so, and need not reach it. */
  INBAND_IDLE = 16,
  RTP_AT = 17,
  /**
   * The rest of IPv6 addresses: source words 1-3, destination words 1-3. Right after Wireshark's
   * figures (RTP_AT + Rtp.SIZE), written as a number: the bundler evaluates only this file's enum
   * members, and left the ones computed from another file's as property loads (checked below).
   */
  KEY_V6 = 70,
  /** RTP no SDP named: packets in sequence so far (each within HEURISTIC_STEP of the last) and the last sequence number (−1 before the first). */
  RUN = KEY_V6 + 6,
  RUN_SEQ = RUN + 1,
  /** The clock rate telephone events count in. */
  EVENT_RATE = RUN + 2,
  /** Numbers in one stream's state. */
  STRIDE = EVENT_RATE + 1,
}
if (State.KEY_V6 !== State.RTP_AT + Rtp.SIZE) throw new Error('join.ts: State.KEY_V6 must follow the RTP figures (RTP_AT + Rtp.SIZE)');

/** What a payload type's packets go to beyond the figures: nothing, the RFC 4733 decoder, or the in-band detector over μ-law or A-law. */
const enum PayloadUse {
  FIGURES_ONLY = 0,
  EVENTS = 1,
  ULAW = 2,
  ALAW = 3,
}

/** Streams the StreamStore has room for at its first stream: a capture of a few calls needs no more. */
const INITIAL_STREAMS = 256;
/**
 * Streams it makes room for when those overflow, before doubling: 8.9 MB of address space, whose
 * pages the system provides at their first write, so memory follows the streams open at once.
 * Doubling from 256 copied the arrays four times on a trunk capture (the 1 GB benchmark reaches
 * 4,096 streams), each copy into fresh pages, and left the old arrays to the collector.
 */
const TRUNK_STREAMS = 4096;

/** The arrays a StreamStore starts from before its first sizing. */
const NO_NUMBERS = new Float64Array(0);

/**
 * Every stream's state in one array, a stream's STRIDE numbers at its slot × STRIDE (struct of
 * arrays: a packet reads and writes its stream's lines at a computed address, with no object to
 * follow), and its series in another. Slots are reused; both arrays are made at the first stream
 * (an analysis without media makes none) and grow to TRUNK_STREAMS, then double, up to the stream
 * bound (a slot is taken only under it).
 */
class StreamStore {
  // Written here and again at the first stream, before the per-packet code is optimized: V8 takes
  // a field written once for a constant, and a later write then dropped the optimized code that
  // relied on it (a lazy deopt of addPacket and the table's find, then their recompilation).
  f = NO_NUMBERS;
  buckets = NO_NUMBERS;
  private free: number[] = [];
  private used = 0;
  private capacity = 0;

  constructor(private readonly maxStreams: number) {}

  /** A cleared slot. */
  take(): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.capacity) this.grow();
      slot = this.used++;
    }
    const at = slot * State.STRIDE;
    const f = this.f;
    f.fill(0, at, at + State.STRIDE);
    f[at + State.RUN_SEQ] = f[at + State.NEXT_SEQ] = f[at + State.CURRENT_BUCKET] = f[at + State.PAYLOAD_TYPE] = -1;
    f[at + State.BUCKET_MS] = INITIAL_BUCKET_MS;
    f[at + State.EVENT_RATE] = 8000;
    f[at + State.INBAND_IDLE] = 1;
    clearRtpState(f, at + State.RTP_AT);
    this.buckets.fill(0, slot * Series.SIZE, (slot + 1) * Series.SIZE);
    return slot;
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  private grow(): void {
    const capacity = this.capacity === 0 ? INITIAL_STREAMS : this.capacity < TRUNK_STREAMS ? TRUNK_STREAMS : 2 * this.capacity;
    this.resize(Math.min(capacity, this.maxStreams));
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    const f = new Float64Array(capacity * State.STRIDE);
    f.set(this.f);
    this.f = f;
    const buckets = new Float64Array(capacity * Series.SIZE);
    buckets.set(this.buckets);
    this.buckets = buckets;
  }
}

/** The running bucket of the stream at `at` (slot × State.STRIDE), added into its buckets (`b`: slot × Series.SIZE). */
function flushBucket(f: Float64Array, at: number, buckets: Float64Array, b: number): void {
  const current = f[at + State.CURRENT_BUCKET]!;
  if (current < 0) return;
  const to = b + Series.BUCKET * current;
  buckets[to] += f[at + State.CURRENT_PACKETS]!;
  buckets[to + Series.LOST] += f[at + State.CURRENT_LOST]!;
  if (f[at + State.CURRENT_JITTER]! > buckets[to + Series.JITTER_AT]!) buckets[to + Series.JITTER_AT] = f[at + State.CURRENT_JITTER]!;
  f[at + State.CURRENT_PACKETS] = f[at + State.CURRENT_LOST] = f[at + State.CURRENT_JITTER] = 0;
}

/** A packet `ms` after the stream's first falls past the last bucket: neighbours merge and the width doubles until it fits (the running bucket written out first). */
function widenBuckets(f: Float64Array, at: number, d: Float64Array, b: number, ms: number): number {
  flushBucket(f, at, d, b);
  f[at + State.CURRENT_BUCKET] = -1;
  let i = Math.floor(ms / f[at + State.BUCKET_MS]!);
  while (i >= Series.BUCKETS) {
    for (let k = 0; k < Series.BUCKETS / 2; k++) {
      const to = b + Series.BUCKET * k;
      const from = b + 2 * Series.BUCKET * k;
      d[to] = d[from]! + d[from + Series.BUCKET]!;
      d[to + Series.LOST] = d[from + Series.LOST]! + d[from + Series.BUCKET + Series.LOST]!;
      d[to + Series.JITTER_AT] = Math.max(d[from + Series.JITTER_AT]!, d[from + Series.BUCKET + Series.JITTER_AT]!);
    }
    d.fill(0, b + Series.BUCKET * (Series.BUCKETS / 2), b + Series.SIZE);
    f[at + State.BUCKET_MS] *= 2;
    i = Math.floor(ms / f[at + State.BUCKET_MS]!);
  }
  return i;
}

/** The buckets in use (up to the last packet's), as plain data. */
function seriesOf(store: StreamStore, slot: number): StreamSeries {
  const f = store.f;
  const at = slot * State.STRIDE;
  const b = slot * Series.SIZE;
  flushBucket(f, at, store.buckets, b);
  const r = at + State.RTP_AT;
  const bucketMs = f[at + State.BUCKET_MS]!;
  const used = Math.min(Series.BUCKETS, Math.floor(((f[r + Rtp.LAST_SEC]! - f[r + Rtp.FIRST_SEC]!) * 1000 + (f[r + Rtp.LAST_NSEC]! - f[r + Rtp.FIRST_NSEC]!) / 1e6) / bucketMs) + 1);
  // One loop into three arrays: three Array.from with a callback each, and a map, were most of
  // the hand-over's time per stream (run once per stream, that code stays in V8's baseline tier).
  const buckets = store.buckets;
  const packets: number[] = [];
  const lost: number[] = [];
  const maxJitterMs: number[] = [];
  for (let i = 0, at = b; i < used; i++, at += Series.BUCKET) {
    packets.push(buckets[at]!);
    lost.push(buckets[at + Series.LOST]!);
    maxJitterMs.push(Math.round(buckets[at + Series.JITTER_AT]! * 1000) / 1000);
  }
  return { bucketMs, packets, lost, maxJitterMs };
}

/**
 * The payload formats an m= line's rtpmap gives (the static table covers the rest, rtp-stats.ts).
 * They are read only, and the m= lines of a trunk's calls repeat a handful of codec lists, so one
 * object per distinct list is shared: each open call's SDP held two Maps and a Set of its own
 * (about 600 bytes per SDP message, promoted with the call and copied by the collector).
 */
function formatsOf(codecs: readonly Codec[]): PayloadFormats {
  // The SDP reader shares one codec list among the descriptions that repeat it (sdp.ts CODEC_LISTS): its formats are found by the list itself, without a key text.
  const known = FORMATS_OF_LIST.get(codecs);
  if (known !== undefined) return known;
  const formats = formatsByText(codecs);
  FORMATS_OF_LIST.set(codecs, formats);
  return formats;
}

/** The formats of each codec list seen while the list lives (a codec list is read-only, so its formats never change). */
const FORMATS_OF_LIST = new WeakMap<readonly Codec[], PayloadFormats>();

function formatsByText(codecs: readonly Codec[]): PayloadFormats {
  // Payload and rate are numbers and the name comes last, from one SDP line: it holds no newline.
  let key = '';
  for (const c of codecs) key += `${c.payload} ${c.rate} ${c.name}\n`;
  let formats = SHARED_FORMATS.get(key);
  if (formats === undefined) {
    formats = readFormats(codecs);
    if (SHARED_FORMATS.size < MAX_SHARED_FORMATS) SHARED_FORMATS.set(key, formats);
  }
  return formats;
}

/** Distinct codec lists remembered (they come from the senders' SDP): past this, a list gets formats of its own. */
const MAX_SHARED_FORMATS = 1024;
const SHARED_FORMATS = new Map<string, PayloadFormats>();

function readFormats(codecs: readonly Codec[]): PayloadFormats {
  const rates = new Map<number, number>();
  const names = new Map<number, string>();
  const events = new Set<number>();
  for (const c of codecs) {
    if (c.rate !== null) rates.set(c.payload, c.rate);
    if (c.name) names.set(c.payload, c.name);
    if (c.name.toLowerCase() === 'telephone-event') events.add(c.payload);
  }
  return { rates, names, events };
}

/** What the stream's formats say of payload type `pt`, into its state at `at`. */
function resolvePayloadType(f: Float64Array, at: number, formats: PayloadFormats, pt: number): void {
  f[at + State.PAYLOAD_TYPE] = pt;
  const telephoneEvent = formats.events.has(pt);
  const rate = formats.rates.get(pt) ?? staticClockRate(pt);
  const known = rate !== null && rate > 0 ? rate : 0;
  // RFC 4733 §2.5.1.2: an event's packets all carry its start as timestamp, so Wireshark computes no jitter on them.
  f[at + State.CLOCK_RATE] = telephoneEvent ? 0 : known;
  f[at + State.EVENT_RATE] = known > 0 ? known : 8000;
  // Key tones in the audio are looked for only where they are a finding: G.711 on a stream whose
  // SDP offered RFC 4733 events too (dtmf-method-mismatch), so other streams pay nothing.
  const name = (formats.names.get(pt) ?? STATIC_PAYLOAD_TYPES.get(pt)?.name ?? '').toLowerCase();
  f[at + State.PAYLOAD_USE] = telephoneEvent
    ? PayloadUse.EVENTS
    : formats.events.size === 0
      ? PayloadUse.FIGURES_ONLY
      : name === 'pcmu'
        ? PayloadUse.ULAW
        : name === 'pcma'
          ? PayloadUse.ALAW
          : PayloadUse.FIGURES_ONLY;
}

/** The RTP payload's first byte: after the header, its CSRCs and extension (RFC 3550 §5.1, §5.3.1); past `end` when there is none. */
function payloadStart(b: Uint8Array, s: number, end: number): number {
  const start = s + 12 + (b[s]! & 0x0f) * 4;
  if ((b[s]! & 0x10) === 0) return start;
  return start + 4 > end ? end : start + 4 + ((b[start + 2]! << 8) | b[start + 3]!) * 4;
}

/** The RTP payload's end: before its padding (RFC 3550 §5.1). */
function payloadEnd(b: Uint8Array, s: number, end: number): number {
  return (b[s]! & 0x20) !== 0 ? end - b[end - 1]! : end;
}

/**
 * G.711 audio into the key-tone detector of the stream in `slot` (inband-dtmf.ts); a quiet packet
 * never reaches an idle detector, which it would leave as it is, nor the stream's object.
 */
function inbandAudio(streams: readonly (Stream | null)[], slot: number, f: Float64Array, at: number, p: MediaPacket, table: Int16Array): void {
  const start = payloadStart(p.bytes, p.start, p.end);
  const end = payloadEnd(p.bytes, p.start, p.end);
  if (start >= end) return;
  if (f[at + State.INBAND_IDLE] === 1 && isQuiet(p.bytes, start, end, table)) return;
  const stream = streams[slot]!;
  stream.inband ??= new InbandDtmfDetector();
  stream.inband.packet(p.bytes, start, end, table, p.sec, p.nsec, p.frame);
  f[at + State.INBAND_IDLE] = stream.inband.idle ? 1 : 0;
}

/** An RFC 4733 event block: the RTP payload after the header, its CSRCs and extension, less padding (RFC 3550 §5.1). */
function telephoneEvent(stream: Stream, p: MediaPacket, timestamp: number, eventRate: number): void {
  const start = payloadStart(p.bytes, p.start, p.end);
  const end = payloadEnd(p.bytes, p.start, p.end);
  if (start >= end) return;
  stream.dtmf ??= new DtmfDecoder();
  stream.dtmf.packet(p.bytes, start, end, timestamp, p.sec, p.nsec, p.frame, eventRate);
}

/** The E-model estimate (quality.ts) of a stream whose codec the model knows, from its loss, mean jitter and RTCP round trip. */
function qualityOf(codec: string, rtp: RtpStatsFigures, rtcp: RtcpState | null): QualityEstimate | null {
  const impairment = codecImpairment(codec);
  if (impairment === null || rtp.expected <= 0) return null;
  return estimateQuality({ codec: impairment, lossPercent: (rtp.lost / rtp.expected) * 100, rttMs: rtcp?.lastRoundTripMs ?? null, jitterMs: rtp.meanJitterMs });
}

export interface MediaJoinOptions {
  readonly maxStreams?: number;
  readonly maxAnnouncements?: number;
}

/** What the join knows of one open call. */
interface CallState {
  readonly callId: string;
  /** Its announcements, oldest first. */
  readonly announcements: Announcement[];
  /** The streams followed for it now; null until its first (most calls of a capture without media have none). */
  streams: Set<Stream> | null;
  /** Pieces of its streams cut off when another call took over their address (waiting for its hand-over). */
  readonly finished: OwnedStream[];
  /** A 2xx to an INVITE was seen. */
  answered: boolean;
  /**
   * The call is over as far as media goes (a BYE or CANCEL, or an INVITE failed before any
   * answer): another call announcing one of its addresses takes the address over.
   */
  ended: boolean;
  /** Taken out of calls (handed over, or the oldest past the bound): a message of its Call-ID after that starts a new state. */
  forgotten: boolean;
}

/** An address and port one SDP of one call announced. */
interface Announcement {
  readonly call: CallState;
  readonly key: string;
  /** The message whose SDP said it, which m= line of it, and that line (its port, protocol and payload types). */
  readonly message: CapturedMessage;
  readonly mediaIndex: number;
  readonly media: MediaDescription;
  /** Registered for the public address the SIP message came from, the SDP's c= being private. */
  readonly nat: boolean;
  /** In the address table: true until unannounce takes it out. */
  live: boolean;
}

/** One call a stream belongs to, and how it was tied to it. */
interface Ownership {
  readonly owner: Announcement;
  readonly match: StreamMatch;
}

/** What a stream's SDP says of its payload types (RFC 4566 §6 rtpmap), asked when the type changes. */
interface PayloadFormats {
  readonly rates: ReadonlyMap<number, number>;
  readonly names: ReadonlyMap<number, string>;
  /** Payload types that carry RFC 4733 telephone events. */
  readonly events: ReadonlySet<number>;
}

const STATIC_ONLY: PayloadFormats = { rates: new Map(), names: new Map(), events: new Set() };

/** What the join holds of a stream beside its state in the StreamStore (slot): what is not touched per packet. */
class Stream {
  /**
   * The calls it belongs to: usually one; two when a B2BUA lets media bypass it, so that both
   * legs' SDP name the same addresses.
   */
  owners: Ownership[] = [];
  formats: PayloadFormats = STATIC_ONLY;
  dtmf: DtmfDecoder | null = null;
  inband: InbandDtmfDetector | null = null;
  rtcp: RtcpState | null = null;
  /** Registered in unowned (waiting for an SDP that may name it later). */
  waiting = false;
  /** No SDP named it, but it was shown with a call whose SIP hosts it ran between (not unassigned, then). */
  nearCall = false;

  constructor(
    private readonly store: StreamStore,
    readonly slot: number,
    readonly hash: number,
    readonly srcPort: number,
    readonly dstPort: number,
    /** -1 when the stream is not RTP. */
    readonly ssrc: number,
    readonly kind: StreamKind,
    readonly src: Endpoint,
    readonly dst: Endpoint,
    readonly file: string,
  ) {}

  private get at(): number {
    return this.slot * State.STRIDE;
  }

  get packets(): number {
    return this.store.f[this.at + State.RTP_AT + Rtp.PACKETS]!;
  }

  get confirmed(): boolean {
    return this.store.f[this.at + State.CONFIRMED] === 1;
  }

  markStale(): void {
    this.store.f[this.at + State.STALE] = 1;
  }

  /** Capture time of its first and last packets, in ms. */
  get firstMs(): number {
    const f = this.store.f;
    return f[this.at + State.RTP_AT + Rtp.FIRST_SEC]! * 1000 + f[this.at + State.RTP_AT + Rtp.FIRST_NSEC]! / 1e6;
  }

  get lastMs(): number {
    const f = this.store.f;
    return f[this.at + State.RTP_AT + Rtp.LAST_SEC]! * 1000 + f[this.at + State.RTP_AT + Rtp.LAST_NSEC]! / 1e6;
  }
}

/** A stream's figures before takeCall has told which m= line (`announced`) and side (`from`) they match. */
type StreamDraft = Omit<CallStream, 'from' | 'match' | 'announced'> & { from: CallSide | null; match: StreamMatch; announced: number };

/**
 * A stream's figures with the announcement that tied it to one of its calls. The figures are the
 * object handed over, completed in place: a copy without the owner and another with the two
 * fields were two objects of 25 fields per stream, made by V8's slow path for object spread.
 */
interface OwnedStream {
  readonly owner: Announcement | null;
  readonly stream: StreamDraft;
}

/** Hosts of one call's SIP whose pairs are searched for unannounced media. */
const MAX_CALL_HOSTS = 16;

/** Two addresses in either order, as one key. */
function hostPair(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function endpointKey(ip: string, port: number): string {
  return `${ip}|${port}`;
}

/**
 * A stream's identity as signed 32-bit words (small integers to V8, never boxed): ports, SSRC (0
 * for UDPTL), IP version and RTP-ness, then the source and destination addresses (one word each
 * for IPv4, the other three zero; four each for IPv6).
 */
const KEY_WORDS = 11;

function word(b: Uint8Array, i: number): number {
  return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
}

/**
 * Reads the packet's identity into `k` and returns its hash. Small enough, with isSame, for V8 to
 * inline both into addPacket (its inlining budget is counted in bytecodes): the IPv6 words are
 * read by a function of their own.
 */
function readKey(p: MediaPacket, ssrc: number, rtp: boolean, k: Int32Array): number {
  const b = p.bytes;
  k[0] = (p.srcPort << 16) | p.dstPort;
  k[1] = ssrc;
  k[2] = p.version | (rtp ? 16 : 0);
  k[3] = word(b, p.srcAddress);
  k[7] = word(b, p.dstAddress);
  let h = Math.imul(k[0] ^ 0x2545f491, 0x9e3779b1) ^ ssrc;
  h = Math.imul(h ^ k[3], 0x85ebca6b);
  h = Math.imul(h ^ k[7], 0xc2b2ae35) ^ k[2];
  // An IPv4 key's other address words are left as they are: isSame does not read them, and writeKey writes zeros.
  if (p.version === 6) h = readKeyV6(b, p.srcAddress, p.dstAddress, k, h);
  return h ^ (h >>> 16);
}

/** The rest of an IPv6 key: address words 1-3 of each side into `k`, mixed into the hash `h`. */
function readKeyV6(b: Uint8Array, src: number, dst: number, k: Int32Array, h: number): number {
  for (let i = 1; i < 4; i++) {
    k[3 + i] = word(b, src + i * 4);
    k[7 + i] = word(b, dst + i * 4);
    h = Math.imul(h ^ k[3 + i], 0x85ebca6b);
    h = Math.imul(h ^ k[7 + i], 0xc2b2ae35);
  }
  return h;
}

/** The stream whose state is at `at` is the one the key names: IPv4 keys differ in their first words, or not at all. */
function isSame(f: Float64Array, at: number, k: Int32Array): boolean {
  if (f[at + State.KEY] !== k[0] || f[at + State.KEY + 1] !== k[1] || f[at + State.KEY_SRC] !== k[3] || f[at + State.KEY_DST] !== k[7] || f[at + State.KEY + 2] !== k[2]) return false;
  return (k[2]! & 15) === 4 || isSameV6(f, at, k);
}

/** An IPv6 key whose first words match (isSame): the other address words. */
function isSameV6(f: Float64Array, at: number, k: Int32Array): boolean {
  for (let i = 0; i < 3; i++) if (f[at + State.KEY_V6 + i] !== k[4 + i] || f[at + State.KEY_V6 + 3 + i] !== k[8 + i]) return false;
  return true;
}

/** The key `k` (readKey) into the state at `at`; an IPv4 key's other address words as zeros. */
function writeKey(f: Float64Array, at: number, k: Int32Array): void {
  f[at + State.KEY] = k[0]!;
  f[at + State.KEY + 1] = k[1]!;
  f[at + State.KEY + 2] = k[2]!;
  f[at + State.KEY_SRC] = k[3]!;
  f[at + State.KEY_DST] = k[7]!;
  const v6 = (k[2]! & 15) === 6;
  for (let i = 0; i < 3; i++) {
    f[at + State.KEY_V6 + i] = v6 ? k[4 + i]! : 0;
    f[at + State.KEY_V6 + 3 + i] = v6 ? k[8 + i]! : 0;
  }
}

/** Entries of the first SlotTable (a power of two). */
const INITIAL_TABLE = 1024;

/**
 * Streams by hash: open addressing with linear probing over pairs (hash, slot + 1), 0 for an
 * empty entry, at most half full. A lookup reads one line of the table and the first line of the
 * stream's state for its key; a removal shifts the entries after it back (no tombstones).
 */
class SlotTable {
  private t = new Int32Array(0);
  private mask = 0;
  private count = 0;

  constructor() {
    // Sized by the code that grows it: fields written twice are not taken for constants by V8 (StreamStore's constructor says why that matters).
    this.resize(INITIAL_TABLE);
  }

  /** The slot of the stream with this hash whose key (in `f`) is `k`, or −1. */
  find(hash: number, f: Float64Array, k: Int32Array): number {
    const t = this.t;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const entry = t[2 * i + 1]!;
      if (entry === 0) return -1;
      if (t[2 * i] === hash && isSame(f, (entry - 1) * State.STRIDE, k)) return entry - 1;
    }
  }

  add(hash: number, slot: number): void {
    if (2 * (this.count + 1) > this.mask + 1) this.grow();
    this.insert(hash, slot + 1);
    this.count++;
  }

  remove(hash: number, slot: number): void {
    const t = this.t;
    const mask = this.mask;
    let i = hash & mask;
    while (t[2 * i + 1] !== slot + 1) {
      if (t[2 * i + 1] === 0) return;
      i = (i + 1) & mask;
    }
    this.count--;
    for (;;) {
      t[2 * i + 1] = 0;
      let j = i;
      for (;;) {
        j = (j + 1) & mask;
        if (t[2 * j + 1] === 0) return;
        const home = t[2 * j]! & mask;
        // An entry whose home lies cyclically in (i, j] is still reachable; any other moves back into the hole.
        if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
        t[2 * i] = t[2 * j]!;
        t[2 * i + 1] = t[2 * j + 1]!;
        i = j;
        break;
      }
    }
  }

  private insert(hash: number, entry: number): void {
    const t = this.t;
    let i = hash & this.mask;
    while (t[2 * i + 1] !== 0) i = (i + 1) & this.mask;
    t[2 * i] = hash;
    t[2 * i + 1] = entry;
  }

  private grow(): void {
    this.resize(this.t.length);
  }

  /** `entries` pairs (a power of two), the entries held moved in. */
  private resize(entries: number): void {
    const old = this.t;
    this.t = new Int32Array(2 * entries);
    this.mask = entries - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}

/** An open call's media so far (MediaJoin.sofar). */
export interface MediaSoFar {
  /** Addresses its SDP announced. */
  readonly announced: number;
  readonly streams: number;
  readonly packets: number;
}

/** What the join has counted over the whole analysis. */
export interface MediaJoinCounts {
  /** RTP packets seen. */
  readonly rtpPackets: number;
  readonly rtcpPackets: number;
  /** RTCP compounds not read: SRTCP or damaged (rtcp.ts RtcpCompound.intact). */
  readonly rtcpNotRead: number;
  /** SRs, report blocks, XR blocks and BYEs about an SSRC of no stream followed. */
  readonly rtcpUnmatched: number;
  /** RTP-looking packets with an unassigned payload type on no announced address: not media. */
  readonly strayPackets: number;
  /** Streams that were not followed because the stream table was full, and the first packet of the first of them. */
  readonly streamsNotFollowed: number;
  readonly firstNotFollowed: { readonly file: string; readonly frame: number } | null;
  /** Announced addresses forgotten early because their table was full. */
  readonly announcementsDropped: number;
}

/** Streams remembered as turned away by the bound; past it each new packet of such a stream is looked at again. */
const MAX_REFUSED = 100_000;

/** Hosts remembered as having sent or received RTP (for "would the capture have shown this call's media?"). */
const MAX_MEDIA_HOSTS = 100_000;

export class MediaJoin {
  readonly maxStreams: number;
  readonly maxAnnouncements: number;
  private readonly table = new SlotTable();
  private readonly store: StreamStore;
  /** The stream of each slot in use. */
  private readonly streams: (Stream | null)[] = [];
  private streamCount = 0;
  /** The identity of the packet being looked up (readKey). */
  private readonly key = new Int32Array(KEY_WORDS);
  /** Address|port -> the announcements of it by open calls (one per call; several when B2BUA legs share media). */
  private readonly announced = new Map<string, Announcement[]>();
  /** Call-ID -> what is known of it (insertion order of the map = the oldest call first). */
  private readonly calls = new Map<string, CallState>();
  /**
   * How many announcements name each port: a packet on two unannounced ports costs two lookups
   * here and nothing more. Made from the address table at the first such packet (portsOf), kept
   * in step with it from then on: a capture without them never counts.
   */
  private ports: Map<number, number> | null = null;
  /**
   * Streams no SDP has named yet, by each of their two endpoints, and by their pair of addresses
   * (hostPair): a call looks up the pairs of its own SIP hosts, so its cost follows the streams
   * between those hosts, not every unnamed stream of a busy address.
   */
  private readonly unowned = new Map<string, Stream[]>();
  private readonly unownedBetween = new Map<string, Set<Stream>>();
  /** Addresses RTP was seen from or to. */
  private readonly mediaHosts = new Set<string>();
  /** Live RTP streams by SSRC, for the RTCP reports about them. */
  private readonly bySsrc = new Map<number, Stream[]>();
  private announcementCount = 0;
  private rtpPackets = 0;
  private rtcpPackets = 0;
  private rtcpNotRead = 0;
  private rtcpUnmatched = 0;
  private strayPackets = 0;
  private streamsNotFollowed = 0;
  /** Hashes of the streams turned away by the bound (their packets are dropped at the lookup). */
  private readonly refused = new Set<number>();
  private firstNotFollowed: { readonly file: string; readonly frame: number } | null = null;
  private announcementsDropped = 0;

  constructor(options: MediaJoinOptions = {}) {
    this.maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
    this.maxAnnouncements = options.maxAnnouncements ?? DEFAULT_MAX_ANNOUNCEMENTS;
    this.store = new StreamStore(Math.max(1, Math.ceil(this.maxStreams)));
  }

  get counts(): MediaJoinCounts {
    return {
      rtpPackets: this.rtpPackets,
      rtcpPackets: this.rtcpPackets,
      rtcpNotRead: this.rtcpNotRead,
      rtcpUnmatched: this.rtcpUnmatched,
      strayPackets: this.strayPackets,
      streamsNotFollowed: this.streamsNotFollowed,
      firstNotFollowed: this.firstNotFollowed,
      announcementsDropped: this.announcementsDropped,
    };
  }

  /** A SIP message, in capture order: its SDP, if any, announces media addresses of its call; a BYE or a failure ends them. */
  addMessage(m: CapturedMessage): void {
    const msg = m.message;
    const callId = msg.callId;
    if (callId === null) return;
    // The Content-Type first: the body is a view made at its first reading, and most messages have neither.
    const hasBody = msg.contentType !== null && msg.body.length > 0;
    // Most messages neither carry SDP nor end or answer a call: the call's state is not looked up for them.
    if (!hasBody && !changesState(msg)) return;
    let call = this.calls.get(callId);
    if (call !== undefined) this.noteState(call, msg);
    if (!hasBody) return;
    const sdp = sdpOfMessage(msg);
    if (sdp === null) return;
    for (let mediaIndex = 0; mediaIndex < sdp.media.length; mediaIndex++) {
      const media = sdp.media[mediaIndex]!;
      // Port 0 rejects or disables the stream (RFC 3264 §6); 0.0.0.0 is the old way to put it on hold (§8.4).
      if (media.port === 0 || media.address === null || media.address === '0.0.0.0' || media.address === '::') continue;
      // An announcement may forget the oldest calls (the bound), this one among them: it starts again with the next.
      if (call === undefined || call.forgotten) call = this.newCall(callId);
      this.announce(call, endpointKey(media.address, media.port), m, mediaIndex, media, false);
      if (media.address !== m.src.ip && isPrivateAddress(media.address)) {
        if (call.forgotten) call = this.newCall(callId);
        this.announce(call, endpointKey(m.src.ip, media.port), m, mediaIndex, media, true);
      }
    }
  }

  /** What a message says of its call's media (changesState tells which messages say anything). */
  private noteState(call: CallState, msg: SipMessage): void {
    if (msg.kind === 'request') {
      if (msg.method === 'BYE' || msg.method === 'CANCEL') call.ended = true;
      // An INVITE after a failure (the same call re-sent with credentials after 401/407) makes it live again.
      else if (msg.method === 'INVITE') call.ended = false;
      return;
    }
    if (msg.cseq?.method !== 'INVITE' || msg.status === null) return;
    if (msg.status >= 200 && msg.status < 300) call.answered = true;
    else if (msg.status >= 300 && !call.answered) call.ended = true;
  }

  /** The state of a call the join holds nothing of (none in calls). */
  private newCall(callId: string): CallState {
    const call: CallState = { callId, announcements: [], streams: null, finished: [], answered: false, ended: false, forgotten: false };
    this.calls.set(callId, call);
    return call;
  }

  private announce(call: CallState, key: string, message: CapturedMessage, mediaIndex: number, media: MediaDescription, nat: boolean): void {
    const list = this.announced.get(key);
    const a: Announcement = { call, key, message, mediaIndex, media, nat, live: true };
    if (list === undefined) {
      // The usual case, an address no open call announced: a list of one, made to size (an open call's lists are held, so copied by the collector).
      this.announced.set(key, [a]);
      this.added(a);
      return;
    }
    const kept: Announcement[] = [];
    for (let i = 0; i < list.length; i++) {
      const other = list[i]!;
      if (other.call === call) {
        // The call's newer SDP (a re-INVITE) replaces its older word for this address; its streams go on.
        this.unannounce(other, false);
      } else if (other.call.ended) {
        // A call that is over gave the address back: its streams there end, and new packets belong to this call.
        this.unannounce(other, true);
      } else if (nat && !other.nat) {
        // The address's own announcement by another open call is never displaced by a NAT guess.
        return;
      } else {
        kept.push(other);
      }
    }
    kept.push(a);
    this.announced.set(key, kept);
    this.added(a);
  }

  /** What follows an announcement's entry in the address table: its count, its call's list, the streams waiting for it, the bound. */
  private added(a: Announcement): void {
    const { call, key, nat } = a;
    const port = a.media.port;
    if (this.ports !== null) this.ports.set(port, (this.ports.get(port) ?? 0) + 1);
    call.announcements.push(a);
    this.announcementCount++;
    // Streams that started before this SDP was read (media racing the 200 OK, or several inputs) are named now.
    const waiting = this.unowned.size === 0 ? undefined : this.unowned.get(key);
    if (waiting !== undefined) {
      for (const s of [...waiting]) {
        this.unwait(s);
        this.own(s, a, endpointKey(s.dst.ip, s.dst.port) === key ? (nat ? 'nat' : 'destination') : 'source');
      }
    }
    while (this.announcementCount > this.maxAnnouncements) {
      const oldest = this.calls.values().next().value as CallState | undefined;
      if (oldest === undefined) break;
      this.announcementsDropped += oldest.announcements.length;
      this.forget(oldest);
    }
  }

  /** Takes an announcement out of the address table; with `cut`, the streams it named become stale. */
  private unannounce(a: Announcement, cut: boolean): void {
    a.live = false;
    const list = this.announced.get(a.key);
    if (list !== undefined && list.length === 1 && list[0] === a) this.announced.delete(a.key);
    else if (list !== undefined) {
      // A new array: announce may be walking the old one.
      const rest = without(list, a);
      if (rest.length === 0) this.announced.delete(a.key);
      else this.announced.set(a.key, rest);
    }
    if (this.ports !== null) {
      const port = a.media.port;
      const n = (this.ports.get(port) ?? 1) - 1;
      if (n <= 0) this.ports.delete(port);
      else this.ports.set(port, n);
    }
    this.announcementCount--;
    if (!cut || a.call.streams === null) return;
    for (const s of a.call.streams) {
      for (let i = 0; i < s.owners.length; i++) {
        if (s.owners[i]!.owner === a) {
          s.markStale();
          break;
        }
      }
    }
  }

  /** A media packet from the pipeline (a reused view: nothing of it is kept but copies). */
  addPacket(p: MediaPacket): void {
    let ssrc = 0;
    let kind: StreamKind;
    if (p.kind === 'rtp') {
      this.rtpPackets++;
      ssrc = word(p.bytes, p.start + 8);
      kind = 'rtp';
    } else if (p.kind === 'other') {
      // UDPTL (T.38) has no signature: it counts only on a port an SDP announced for it (newStream checks which).
      const ports = (this.ports ??= portsOf(this.announced));
      if (!ports.has(p.srcPort) && !ports.has(p.dstPort)) return;
      kind = 'udptl';
    } else if (p.kind === 'rtcp') {
      this.rtcpPacket(p);
      return;
    } else {
      // STUN and DTLS on a media port set media up (ICE, DTLS-SRTP keys): not a stream of their own.
      return;
    }
    const k = this.key;
    const hash = readKey(p, ssrc, kind === 'rtp', k);
    let slot = this.table.find(hash, this.store.f, k);
    if (slot === -1) {
      if (this.refused.has(hash)) return;
      const stream = this.newStream(p, hash, kind);
      if (stream === null) return;
      slot = stream.slot;
    } else if (this.store.f[slot * State.STRIDE + State.STALE] === 1) {
      const stream = this.restart(this.streams[slot]!, p, kind);
      if (stream === null) return;
      slot = stream.slot;
    }
    // Read after newStream, which may have grown the arrays.
    const f = this.store.f;
    const at = slot * State.STRIDE;
    const r = at + State.RTP_AT;
    const sinceFirstMs = msSinceFirst(f, r, p.sec, p.nsec);
    let bucket = Math.floor(sinceFirstMs / f[at + State.BUCKET_MS]!);
    if (bucket >= Series.BUCKETS) bucket = widenBuckets(f, at, this.store.buckets, slot * Series.SIZE, sinceFirstMs);
    else if (bucket < 0) bucket = 0; // a clock step back: the first bucket
    if (bucket !== f[at + State.CURRENT_BUCKET]) {
      flushBucket(f, at, this.store.buckets, slot * Series.SIZE);
      f[at + State.CURRENT_BUCKET] = bucket;
    }
    f[at + State.CURRENT_PACKETS]++;
    if (kind === 'rtp') this.rtp(slot, f, at, p);
    else countPacket(f, r, p.sec, p.nsec, p.frame, p.end - p.start);
  }

  /** The Wireshark figures of an RTP packet, telephone events, key tones, skipped numbers and the heuristic for streams no SDP named. */
  private rtp(slot: number, f: Float64Array, at: number, p: MediaPacket): void {
    const b = p.bytes;
    const s = p.start;
    const b1 = b[s + 1]!;
    const pt = b1 & 0x7f;
    const seq = (b[s + 2]! << 8) | b[s + 3]!;
    // Signed: a small integer to V8 (an unsigned one above 2^31 would be boxed on every call); the figures and the DTMF decoder need only differences and equality.
    const timestamp = (b[s + 4]! << 24) | (b[s + 5]! << 16) | (b[s + 6]! << 8) | b[s + 7]!;
    if (pt !== f[at + State.PAYLOAD_TYPE]) resolvePayloadType(f, at, this.streams[slot]!.formats, pt);
    rtpPacket(f, at + State.RTP_AT, seq, timestamp, pt, (b1 & 0x80) !== 0, p.sec, p.nsec, p.frame, p.end - s, f[at + State.CLOCK_RATE]!);
    const use = f[at + State.PAYLOAD_USE]!;
    if (use === PayloadUse.EVENTS) telephoneEvent(this.streams[slot]!, p, timestamp, f[at + State.EVENT_RATE]!);
    else if (use !== PayloadUse.FIGURES_ONLY) inbandAudio(this.streams, slot, f, at, p, use === PayloadUse.ULAW ? ULAW_TO_LINEAR : ALAW_TO_LINEAR);
    // Numbers skipped since the last packet in order are lost before the capture point (or come late: RFC 3550 A.3 counts them at the end).
    const nextSeq = f[at + State.NEXT_SEQ]!;
    const skipped = nextSeq === -1 ? 0 : (seq - nextSeq) & 0xffff;
    if (skipped < 0x8000) {
      f[at + State.CURRENT_LOST] += skipped;
      f[at + State.NEXT_SEQ] = (seq + 1) & 0xffff;
    }
    const jitter = f[at + State.RTP_AT + Rtp.JITTER]!;
    if (jitter > f[at + State.CURRENT_JITTER]!) f[at + State.CURRENT_JITTER] = jitter;
    if (f[at + State.CONFIRMED] === 0) {
      const last = f[at + State.RUN_SEQ]!;
      const step = (seq - last) & 0xffff;
      f[at + State.RUN] = last !== -1 && step >= 1 && step <= HEURISTIC_STEP ? f[at + State.RUN]! + 1 : 1;
      f[at + State.RUN_SEQ] = seq;
      if (f[at + State.RUN]! >= HEURISTIC_PACKETS) f[at + State.CONFIRMED] = 1;
    }
  }

  /** RTCP: reports attached to the streams they describe, by SSRC (RFC 3550 §6.4). */
  private rtcpPacket(p: MediaPacket): void {
    this.rtcpPackets++;
    const compound = parseRtcp(p.bytes, p.start, p.end);
    if (!compound.intact) {
      this.rtcpNotRead++;
      return;
    }
    const timeMs = p.sec * 1000 + p.nsec / 1e6;
    // Index loops: this code runs too rarely for V8 to optimize it, where for-of makes an iterator and a result object per item.
    const { senderReports, reportBlocks, voipMetrics, byes } = compound;
    for (let i = 0; i < senderReports.length; i++) this.rtcpOf(senderReports[i]!.ssrc, p, true)?.senderReport(senderReports[i]!, timeMs);
    for (let i = 0; i < reportBlocks.length; i++) this.rtcpOf(reportBlocks[i]!.sourceSsrc, p, false)?.reportBlock(reportBlocks[i]!, timeMs);
    for (let i = 0; i < voipMetrics.length; i++) {
      const state = this.rtcpOf(voipMetrics[i]!.sourceSsrc, p, false);
      if (state !== null) state.lastVoipMetrics = voipMetrics[i]!;
    }
    for (let i = 0; i < byes.length; i++) {
      const state = this.rtcpOf(byes[i]!, p, true);
      if (state !== null) state.bye = true;
    }
  }

  /**
   * The RTCP state of the stream an item is about: its sender sends the SR and BYE
   * (`fromSender`), its receiver the report blocks; among streams with that SSRC, the one whose
   * address matches, else the first.
   */
  private rtcpOf(ssrc: number, p: MediaPacket, fromSender: boolean): RtcpState | null {
    const streams = this.bySsrc.get(ssrc);
    if (streams === undefined) {
      this.rtcpUnmatched++;
      return null;
    }
    // An index loop, not find with a closure: one closure per report item (rtcpPacket says why).
    let stream = streams[0]!;
    for (let i = 0; i < streams.length; i++) {
      if (this.isFrom(streams[i]!, p, fromSender)) {
        stream = streams[i]!;
        break;
      }
    }
    return (stream.rtcp ??= new RtcpState());
  }

  /** The RTCP packet `p` comes from the stream's source address (`sender`) or its destination's: its address words against the stream's key, no text made. */
  private isFrom(s: Stream, p: MediaPacket, sender: boolean): boolean {
    const f = this.store.f;
    const at = s.slot * State.STRIDE;
    if ((f[at + State.KEY + 2]! & 15) !== p.version || f[at + (sender ? State.KEY_SRC : State.KEY_DST)] !== word(p.bytes, p.srcAddress)) return false;
    if (p.version === 4) return true;
    for (let i = 1; i < 4; i++) if (f[at + State.KEY_V6 + (sender ? 0 : 3) + i - 1] !== word(p.bytes, p.srcAddress + 4 * i)) return false;
    return true;
  }

  private newStream(p: MediaPacket, hash: number, kind: StreamKind): Stream | null {
    const src = p.src();
    const dst = p.dst();
    const owners = this.ownersOf(src, dst);
    // Payloads with no signature are media only on an address announced for UDPTL; elsewhere (keep-alives
    // on an RTP port, another host's traffic on a shared port number) they are not a stream.
    if (kind === 'udptl' && !owners.some((o) => isUdptl(o.owner.media))) return null;
    // A byte 0x80-0xBF starts RTP to classifyMedia, and starts many other payloads: with no SDP
    // naming the stream, an unassigned payload type (RFC 3551 §6) makes it not RTP at all.
    if (kind === 'rtp' && owners.length === 0 && !plausiblePayloadType(p.bytes[p.start + 1]! & 0x7f)) {
      this.strayPackets++;
      return null;
    }
    if (this.streamCount >= this.maxStreams) {
      // Counted once per stream (by its hash, in a bounded set): its next packets are turned away before any of this.
      if (this.refused.size < MAX_REFUSED) this.refused.add(hash);
      this.streamsNotFollowed++;
      this.firstNotFollowed ??= { file: p.file, frame: p.frame };
      return null;
    }
    const ssrc = kind === 'rtp' ? this.key[1]! >>> 0 : -1;
    const slot = this.store.take();
    const stream = new Stream(this.store, slot, hash, p.srcPort, p.dstPort, ssrc, kind, src, dst, p.file);
    writeKey(this.store.f, slot * State.STRIDE, this.key);
    this.streams[slot] = stream;
    this.table.add(hash, slot);
    this.streamCount++;
    if (ssrc !== -1) {
      const same = this.bySsrc.get(ssrc);
      if (same === undefined) this.bySsrc.set(ssrc, [stream]);
      else same.push(stream);
    }
    if (kind === 'rtp' && this.mediaHosts.size < MAX_MEDIA_HOSTS) {
      this.mediaHosts.add(src.ip);
      this.mediaHosts.add(dst.ip);
    }
    if (owners.length > 0) {
      for (let i = 0; i < owners.length; i++) this.own(stream, owners[i]!.owner, owners[i]!.match);
    } else {
      stream.waiting = true;
      for (const key of [endpointKey(src.ip, src.port), endpointKey(dst.ip, dst.port)]) {
        const list = this.unowned.get(key);
        if (list === undefined) this.unowned.set(key, [stream]);
        else list.push(stream);
      }
      const pair = hostPair(src.ip, dst.ip);
      const between = this.unownedBetween.get(pair);
      if (between === undefined) this.unownedBetween.set(pair, new Set([stream]));
      else between.add(stream);
    }
    return stream;
  }

  private own(s: Stream, owner: Announcement, match: StreamMatch): void {
    if (ownershipOf(s.owners, owner.call) !== null) return;
    if (s.owners.length === 0) {
      s.formats = formatsOf(owner.media.codecs);
      this.store.f[s.slot * State.STRIDE + State.PAYLOAD_TYPE] = -1;
    }
    s.owners.push({ owner, match });
    (owner.call.streams ??= new Set()).add(s);
  }

  private unwait(s: Stream): void {
    if (!s.waiting) return;
    for (const key of [endpointKey(s.src.ip, s.src.port), endpointKey(s.dst.ip, s.dst.port)]) {
      const list = this.unowned.get(key);
      if (list === undefined) continue;
      const rest = without(list, s);
      if (rest.length === 0) this.unowned.delete(key);
      else this.unowned.set(key, rest);
    }
    const pair = hostPair(s.src.ip, s.dst.ip);
    const between = this.unownedBetween.get(pair);
    between?.delete(s);
    if (between?.size === 0) this.unownedBetween.delete(pair);
    s.waiting = false;
  }

  /**
   * The calls a new stream belongs to, one ownership per call: sent to an announced address
   * (`destination`), else from one (`source`, symmetric RTP), else to the public address a
   * private SDP came from (`nat`).
   */
  private ownersOf(src: Endpoint, dst: Endpoint): Ownership[] {
    const out: Ownership[] = [];
    const toDst = this.announced.get(endpointKey(dst.ip, dst.port));
    const fromSrc = this.announced.get(endpointKey(src.ip, src.port));
    if (toDst !== undefined) addOwners(out, toDst, false, 'destination');
    if (fromSrc !== undefined) addOwners(out, fromSrc, false, 'source');
    if (toDst !== undefined) addOwners(out, toDst, true, 'nat');
    if (fromSrc !== undefined) addOwners(out, fromSrc, true, 'source');
    return out;
  }

  /**
   * A call of the stream gave its address to another call (or was forgotten): what the stream
   * had is kept for each of its calls still open, and a new stream starts with this packet.
   */
  private restart(old: Stream, p: MediaPacket, kind: StreamKind): Stream | null {
    for (const o of old.owners) {
      if (this.calls.get(o.owner.call.callId) === o.owner.call) o.owner.call.finished.push(this.snapshot(old, o));
    }
    this.remove(old);
    return this.newStream(p, old.hash, kind);
  }

  private remove(s: Stream): void {
    if (this.streams[s.slot] !== s) return;
    this.table.remove(s.hash, s.slot);
    this.streams[s.slot] = null;
    this.store.release(s.slot);
    this.streamCount--;
    const same = s.ssrc === -1 ? undefined : this.bySsrc.get(s.ssrc);
    if (same !== undefined) {
      // In place: nothing walks these lists while a stream is removed.
      const i = same.indexOf(s);
      if (i !== -1) same.splice(i, 1);
      if (same.length === 0) this.bySsrc.delete(s.ssrc);
    }
    this.unwait(s);
    for (let i = 0; i < s.owners.length; i++) s.owners[i]!.owner.call.streams?.delete(s);
  }

  private snapshot(s: Stream, ownership: Ownership | null): OwnedStream {
    s.dtmf?.finish();
    s.inband?.finish();
    const f = this.store.f;
    const r = s.slot * State.STRIDE + State.RTP_AT;
    const rtp = s.ssrc === -1 ? null : rtpFigures(f, r, s.ssrc);
    const codec = rtp === null ? null : (s.formats.names.get(rtp.firstPayloadType) ?? STATIC_PAYLOAD_TYPES.get(rtp.firstPayloadType)?.name ?? null);
    const stream: StreamDraft = {
      src: s.src,
      dst: s.dst,
      ssrc: s.ssrc === -1 ? null : s.ssrc,
      kind: s.kind,
      from: null,
      match: ownership?.match ?? 'destination',
      announced: -1,
      packets: f[r + Rtp.PACKETS]!,
      bytes: f[r + Rtp.BYTES]!,
      first: { sec: f[r + Rtp.FIRST_SEC]!, nsec: f[r + Rtp.FIRST_NSEC]! },
      last: { sec: f[r + Rtp.LAST_SEC]!, nsec: f[r + Rtp.LAST_NSEC]! },
      firstFrame: f[r + Rtp.FIRST_FRAME]!,
      lastFrame: f[r + Rtp.LAST_FRAME]!,
      file: s.file,
      codec,
      rtp,
      rtcp: s.rtcp === null ? null : s.rtcp.figures(rtp?.clockRate ?? 0),
      dtmf: s.dtmf === null ? [] : [...s.dtmf.events],
      inbandDtmf: s.inband === null ? [] : [...s.inband.digits],
      quality: rtp === null || codec === null ? null : qualityOf(codec, rtp, s.rtcp),
      series: seriesOf(this.store, s.slot),
    };
    return { owner: ownership?.owner ?? null, stream };
  }

  /**
   * What an open call's media looks like so far, for a live view: the streams tied to it and
   * their packets (the full figures come with the call at its hand-over); null when its SDP
   * named no address yet.
   */
  sofar(callId: string): MediaSoFar | null {
    const state = this.calls.get(callId);
    if (state === undefined) return null;
    let packets = 0;
    const streams = state.streams ?? NO_STREAMS;
    for (const s of streams) packets += s.packets;
    for (const s of state.finished) packets += s.stream.packets;
    return { announced: state.announcements.length, streams: streams.size + state.finished.length, packets };
  }

  /**
   * The call is handed over: its media as data, and everything the join held for it forgotten.
   * The streams are those its SDP named, in order of their first packet.
   */
  takeCall(call: Call): CallMedia {
    const state = this.calls.get(call.callId);
    const taken: OwnedStream[] = [];
    if (state !== undefined) {
      for (let i = 0; i < state.finished.length; i++) taken.push(state.finished[i]!);
      if (state.streams !== null) {
        // Walked without a copy: remove() takes a stream out of its other calls' sets only, this call's ownership being gone by then.
        for (const s of state.streams) {
          const mine = ownershipOf(s.owners, state)!;
          if (s.packets > 0) taken.push(this.snapshot(s, mine));
          // The stream goes on for its other calls (B2BUA legs), or is forgotten with this one.
          s.owners = without(s.owners, mine);
          if (s.owners.length === 0) this.remove(s);
        }
        state.streams.clear();
      }
      this.forget(state);
    }
    // The call's SIP hosts are gathered only for what needs them: unowned streams to look for
    // between them, or media hosts to find among them when no announced address is one.
    let sipHosts: string[] | null = null;
    if (this.unownedBetween.size > 0) {
      sipHosts = sipHostsOf(call);
      // A call's SIP goes between a handful of hosts; past MAX_CALL_HOSTS (a Call-ID reused by a scanner) the pairs are not looked at.
      if (sipHosts.length <= MAX_CALL_HOSTS) this.takeNear(call, sipHosts, taken);
    }
    const announced: AnnouncedMedia[] = [];
    // Where each stream's m= line is in announced: asked only when the call has streams (a capture without media has none).
    const lines = taken.length === 0 ? null : new AnnouncedLines();
    /** The caller's tag, read once a message with SDP is found (undefined until then). */
    let callerTag: string | null | undefined;
    const messages = call.messages;
    for (let index = 0; index < messages.length; index++) {
      const entry = messages[index]!;
      const msg = entry.captured.message;
      if (msg.contentType === null || msg.body.length === 0) continue;
      if (entry.retransmission) {
        // A copy says what its original said: the join may have registered either. It adds no line of its own to announced.
        if (lines === null) continue;
        const at = entry.original === null ? -1 : lines.firstOf(entry.original);
        if (at === -1) continue;
        const sdp = sdpOfMessage(msg);
        if (sdp !== null) lines.add(entry.captured, -1, at, sdp.media.length);
        continue;
      }
      const sdp = sdpOfMessage(msg);
      if (sdp === null) continue;
      if (callerTag === undefined) callerTag = callerTagOf(call);
      const side = sideOf(entry.captured, callerTag);
      lines?.add(entry.captured, index, announced.length, sdp.media.length);
      for (let i = 0; i < sdp.media.length; i++) {
        const media = sdp.media[i]!;
        announced.push({ message: index, side, type: media.type, protocol: media.protocol, address: media.address, port: media.port, direction: media.direction, codecs: media.codecs });
      }
    }
    const streams: CallStream[] = [];
    for (let i = 0; i < taken.length; i++) {
      const { owner, stream } = taken[i]!;
      const index = owner === null ? -1 : lines!.indexOf(owner.message, owner.mediaIndex);
      const announcer = index === -1 ? null : announced[index]!.side;
      stream.announced = index;
      stream.from = announcer === null ? null : stream.match === 'source' ? announcer : announcer === 'caller' ? 'callee' : 'caller';
      streams.push(stream);
    }
    if (streams.length > 1) streams.sort(byFirstFrame);
    const mediaSeenAtHosts = this.mediaHosts.size > 0 && (this.seenAtAnnounced(announced) || this.seenAtHosts((sipHosts ??= sipHostsOf(call))));
    return { announced, streams, mediaCaptured: this.rtpPackets > 0, mediaSeenAtHosts };
  }

  /**
   * RTP no SDP named, between the hosts the call's SIP went between (`signalling`), while the
   * call lasted: most likely its media, sent to or from an address the SDP did not announce (NAT,
   * an SBC that did not rewrite the SDP, a capture with rewritten addresses). Added to `taken`,
   * shown with the call, left unowned.
   */
  private takeNear(call: Call, signalling: readonly string[], taken: OwnedStream[]): void {
    const near = new Set<Stream>();
    for (let i = 0; i < signalling.length; i++) {
      for (let j = i; j < signalling.length; j++) {
        for (const s of this.unownedBetween.get(hostPair(signalling[i]!, signalling[j]!)) ?? []) if (s.kind === 'rtp' && s.confirmed) near.add(s);
      }
    }
    if (near.size === 0) return;
    const startMs = toMs(call.start);
    const endMs = toMs(call.end);
    for (const s of near) {
      if (s.packets > 0 && s.lastMs >= startMs && s.firstMs <= endMs) {
        s.nearCall = true;
        const t = this.snapshot(s, null);
        t.stream.match = 'unannounced';
        taken.push(t);
      }
    }
  }

  /** RTP was seen at one of the addresses the call's SDP announced. */
  private seenAtAnnounced(announced: readonly AnnouncedMedia[]): boolean {
    for (let i = 0; i < announced.length; i++) {
      const address = announced[i]!.address;
      if (address !== null && this.mediaHosts.has(address)) return true;
    }
    return false;
  }

  /** RTP was seen at one of these hosts. */
  private seenAtHosts(hosts: readonly string[]): boolean {
    for (let i = 0; i < hosts.length; i++) if (this.mediaHosts.has(hosts[i]!)) return true;
    return false;
  }

  /** Forgets a call: its addresses and the streams only it owned. */
  private forget(state: CallState): void {
    const announcements = state.announcements;
    for (let i = 0; i < announcements.length; i++) if (announcements[i]!.live) this.unannounce(announcements[i]!, true);
    if (state.streams !== null) {
      // Walked without a copy, as in takeCall.
      for (const s of state.streams) {
        const mine = ownershipOf(s.owners, state);
        if (mine !== null) s.owners = without(s.owners, mine);
        if (s.owners.length === 0) this.remove(s);
      }
      state.streams.clear();
    }
    state.forgotten = true;
    if (this.calls.get(state.callId) === state) this.calls.delete(state.callId);
  }

  /**
   * Streams no SDP named, for the summary at the end: RTP found by its header alone. Any UDP
   * payload whose first byte has the top bits 10 passes classifyMedia (NetBIOS, DNS answers...),
   * so a stream counts only when its sequence numbers mostly follow each other, over enough packets.
   */
  unassigned(): CallStream[] {
    const out: CallStream[] = [];
    for (const s of this.streams) {
      if (s !== null && s.owners.length === 0 && !s.nearCall && s.confirmed) {
        out.push(this.snapshot(s, null).stream);
      }
    }
    return out.sort((a, b) => a.firstFrame - b.firstFrame);
  }
}

/** Whether a message ends, revives or answers its call for the join (MediaJoin.noteState): a BYE, CANCEL or INVITE, or a final response to an INVITE. */
function changesState(msg: SipMessage): boolean {
  if (msg.kind === 'request') return msg.method === 'BYE' || msg.method === 'CANCEL' || msg.method === 'INVITE';
  return msg.status !== null && msg.status >= 200 && msg.cseq?.method === 'INVITE';
}

// The join's per-call and per-stream bookkeeping below runs a few thousand times per capture, so
// in V8's lower tiers: index loops and module functions, not a closure per call to some, find or
// filter.

/** The ownership of `call` among a stream's owners (at most one per call), or null. */
function ownershipOf(owners: readonly Ownership[], call: CallState): Ownership | null {
  for (let i = 0; i < owners.length; i++) if (owners[i]!.owner.call === call) return owners[i]!;
  return null;
}

/** Adds to `out` the announcements in `list` made for a NAT guess (`nat`) or not, one ownership per call. */
function addOwners(out: Ownership[], list: readonly Announcement[], nat: boolean, match: StreamMatch): void {
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    if (a.nat === nat && ownershipOf(out, a.call) === null) out.push({ owner: a, match });
  }
}

/** The m= line is T.38 fax over UDPTL (ITU-T T.38 Annex D: `m=image <port> udptl t38`). */
function isUdptl(media: MediaDescription): boolean {
  return /udptl/i.test(media.protocol);
}

/** The order of a call's streams: by their first packet. */
function byFirstFrame(a: CallStream, b: CallStream): number {
  return a.firstFrame - b.firstFrame;
}

/** The streams of a call that has none yet (MediaJoin.sofar). */
const NO_STREAMS: ReadonlySet<Stream> = new Set();

/** How many announcements in the address table name each port (MediaJoin.ports). */
function portsOf(announced: ReadonlyMap<string, readonly Announcement[]>): Map<number, number> {
  const ports = new Map<number, number>();
  for (const list of announced.values()) {
    for (let i = 0; i < list.length; i++) ports.set(list[i]!.media.port, (ports.get(list[i]!.media.port) ?? 0) + 1);
  }
  return ports;
}

/** A new array of `list` without `item`, in order. */
function without<T>(list: readonly T[], item: T): T[] {
  const rest: T[] = [];
  for (let i = 0; i < list.length; i++) if (list[i] !== item) rest.push(list[i]!);
  return rest;
}

/**
 * Where the m= lines of a call's messages are in its list of announced media (takeCall): a
 * message is known by its file and byte offset, as the join's announcements name it, and a copy
 * (a retransmission) points at its original's lines. A few messages per call carry SDP, so
 * short arrays searched from the end, not Maps with a key string per m= line.
 */
class AnnouncedLines {
  /** Per message with SDP, in the call's order: its file and offset, its index in the call (-1 for a copy), its first line's index in announced, its number of m= lines. */
  private readonly files: string[] = [];
  private readonly offsets: number[] = [];
  private readonly messages: number[] = [];
  private readonly firsts: number[] = [];
  private readonly counts: number[] = [];

  add(m: CapturedMessage, message: number, first: number, count: number): void {
    this.files.push(m.file);
    this.offsets.push(m.offset);
    this.messages.push(message);
    this.firsts.push(first);
    this.counts.push(count);
  }

  /** The index in announced of the first m= line of the call's message `message` (not a copy), or -1. */
  firstOf(message: number): number {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i] === message) return this.firsts[i]!;
    return -1;
  }

  /** The index in announced of m= line `mediaIndex` of a message, or -1; the latest message with its file and offset counts. */
  indexOf(m: CapturedMessage, mediaIndex: number): number {
    for (let i = this.offsets.length - 1; i >= 0; i--) {
      if (this.offsets[i] === m.offset && this.files[i] === m.file && mediaIndex < this.counts[i]!) return this.firsts[i]! + mediaIndex;
    }
    return -1;
  }
}

/** The hosts a call's SIP went between, in order of appearance. */
function sipHostsOf(call: Call): string[] {
  const hosts = new Set<string>();
  for (const m of call.messages) hosts.add(m.captured.src.ip).add(m.captured.dst.ip);
  return [...hosts];
}

/** The From tag of the call's first request: the caller's (RFC 3261 §12.1: the dialog's local tag at the UAC). */
function callerTagOf(call: Call): string | null {
  for (const m of call.messages) if (m.captured.message.kind === 'request') return m.captured.message.fromTag;
  return null;
}

/** Who sent a message: a request comes from the side whose tag is in From; a response from the other side. */
function sideOf(m: CapturedMessage, callerTag: string | null): CallSide {
  const fromCaller = callerTag === null || m.message.fromTag === callerTag;
  const isRequest = m.message.kind === 'request';
  return isRequest === fromCaller ? 'caller' : 'callee';
}
