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
 * packet's bytes, a table lookup and a few integer updates; no allocation.
 */
import type { Call } from '../dialog/types.js';
import type { MediaPacket } from '../outputs.js';
import { isPrivateAddress } from '../net/address-class.js';
import { sdpOfMessage, type Codec } from '../sip/sdp.js';
import { DtmfDecoder } from './dtmf.js';
import { ALAW_TO_LINEAR, InbandDtmfDetector, ULAW_TO_LINEAR } from './inband-dtmf.js';
import { codecImpairment, estimateQuality, type QualityEstimate } from './quality.js';
import { parseRtcp, RtcpState } from './rtcp.js';
import { JITTER_SLOT, RtpStats, staticClockRate, STATIC_PAYLOAD_TYPES, type RtpStatsFigures } from './rtp-stats.js';
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

/** Buckets of a stream's series (StreamSeries), and the width they start with. */
const SERIES_BUCKETS = 64;
/**
 * Stream.buckets holds, for bucket b, its packets at [3b], the sequence numbers skipped at
 * [3b + LOST] and the highest jitter at [3b + JITTER_AT]: a packet updates 24 adjacent bytes,
 * one cache line, where three separate runs cost three (with a thousand streams interleaved, each
 * packet's stream state is a cache miss per line it touches).
 */
const BUCKET = 3;
const LOST = 1;
const JITTER_AT = 2;
const INITIAL_BUCKET_MS = 1000;

/** The bucket of a packet `ms` after the stream's first, which falls past the last (or before the first: a clock step): neighbours merge and the width doubles until it fits. */
function widenBuckets(s: Stream, ms: number): number {
  let i = Math.floor(ms / s.bucketMs);
  if (i < 0) return 0;
  while (i >= SERIES_BUCKETS) {
    const d = s.buckets;
    for (let b = 0; b < SERIES_BUCKETS / 2; b++) {
      const to = BUCKET * b;
      const from = 2 * BUCKET * b;
      d[to] = d[from]! + d[from + BUCKET]!;
      d[to + LOST] = d[from + LOST]! + d[from + BUCKET + LOST]!;
      d[to + JITTER_AT] = Math.max(d[from + JITTER_AT]!, d[from + BUCKET + JITTER_AT]!);
    }
    d.fill(0, BUCKET * (SERIES_BUCKETS / 2));
    s.bucketMs *= 2;
    i = Math.floor(ms / s.bucketMs);
  }
  return i;
}

/** The buckets in use (up to the last packet's), as plain data. */
function seriesOf(s: Stream): StreamSeries {
  const used = Math.min(SERIES_BUCKETS, Math.floor(((s.lastSec - s.firstSec) * 1000 + (s.lastNsec - s.firstNsec) / 1e6) / s.bucketMs) + 1);
  const field = (at: number): number[] => Array.from({ length: used }, (_, b) => s.buckets[BUCKET * b + at]!);
  return {
    bucketMs: s.bucketMs,
    packets: field(0),
    lost: field(LOST),
    maxJitterMs: field(JITTER_AT).map((j) => Math.round(j * 1000) / 1000),
  };
}

/** The payload formats an m= line's rtpmap gives (the static table covers the rest, rtp-stats.ts). */
function formatsOf(codecs: readonly Codec[]): PayloadFormats {
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

function resolvePayloadType(stream: Stream, pt: number): void {
  stream.cachedPayloadType = pt;
  stream.cachedTelephoneEvent = stream.formats.events.has(pt);
  const rate = stream.formats.rates.get(pt) ?? staticClockRate(pt);
  const known = rate !== null && rate > 0 ? rate : 0;
  // RFC 4733 §2.5.1.2: an event's packets all carry its start as timestamp, so Wireshark computes no jitter on them.
  stream.cachedClockRate = stream.cachedTelephoneEvent ? 0 : known;
  stream.cachedEventRate = known > 0 ? known : 8000;
  // Key tones in the audio are looked for only where they are a finding: G.711 on a stream whose
  // SDP offered RFC 4733 events too (dtmf-method-mismatch), so other streams pay nothing.
  const name = (stream.formats.names.get(pt) ?? STATIC_PAYLOAD_TYPES.get(pt)?.name ?? '').toLowerCase();
  stream.cachedG711 = stream.formats.events.size === 0 ? null : name === 'pcmu' ? ULAW_TO_LINEAR : name === 'pcma' ? ALAW_TO_LINEAR : null;
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

/** G.711 audio into the stream's key-tone detector (inband-dtmf.ts). */
function inbandAudio(stream: Stream, p: MediaPacket, table: Int16Array): void {
  const start = payloadStart(p.bytes, p.start, p.end);
  const end = payloadEnd(p.bytes, p.start, p.end);
  if (start >= end) return;
  stream.inband ??= new InbandDtmfDetector();
  stream.inband.packet(p.bytes, start, end, table, p.sec, p.nsec, p.frame);
}

/** An RFC 4733 event block: the RTP payload after the header, its CSRCs and extension, less padding (RFC 3550 §5.1). */
function telephoneEvent(stream: Stream, p: MediaPacket, timestamp: number): void {
  const start = payloadStart(p.bytes, p.start, p.end);
  const end = payloadEnd(p.bytes, p.start, p.end);
  if (start >= end) return;
  stream.dtmf ??= new DtmfDecoder();
  stream.dtmf.packet(p.bytes, start, end, timestamp, p.sec, p.nsec, p.frame, stream.cachedEventRate);
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
  /** The streams followed for it now. */
  readonly streams: Set<Stream>;
  /** Pieces of its streams cut off when another call took over their address (waiting for its hand-over). */
  readonly finished: OwnedStream[];
  /** A 2xx to an INVITE was seen. */
  answered: boolean;
  /**
   * The call is over as far as media goes (a BYE or CANCEL, or an INVITE failed before any
   * answer): another call announcing one of its addresses takes the address over.
   */
  ended: boolean;
}

/** An address and port one SDP of one call announced. */
interface Announcement {
  readonly call: CallState;
  readonly key: string;
  readonly port: number;
  /** The message whose SDP said it, and which m= line of it. */
  readonly message: CapturedMessage;
  readonly mediaIndex: number;
  /** Registered for the public address the SIP message came from, the SDP's c= being private. */
  readonly nat: boolean;
  /** The m= line is T.38 fax over UDPTL (ITU-T T.38 Annex D: `m=image <port> udptl t38`). */
  readonly udptl: boolean;
  /** Its payload types' names and clock rates. */
  readonly formats: PayloadFormats;
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

class Stream {
  next: Stream | null = null;
  /**
   * The calls it belongs to: usually one; two when a B2BUA lets media bypass it, so that both
   * legs' SDP name the same addresses.
   */
  owners: Ownership[] = [];
  /** One of its calls gave its address to another call, or was forgotten: the next packet starts a new stream. */
  stale = false;
  /** The figures Wireshark computes (RTP only). */
  readonly stats = new RtpStats();
  /** UDPTL and other non-RTP payloads: counted only. */
  packets = 0;
  bytes = 0;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  firstFrame = 0;
  lastFrame = 0;
  formats: PayloadFormats = STATIC_ONLY;
  /** The last payload type, its clock rate (0 unknown) and whether it carries telephone events. */
  cachedPayloadType = -1;
  cachedClockRate = 0;
  cachedEventRate = 8000;
  cachedTelephoneEvent = false;
  /** The G.711 decoding table of the last payload type when its key tones are looked for (resolvePayloadType), else null. */
  cachedG711: Int16Array | null = null;
  dtmf: DtmfDecoder | null = null;
  inband: InbandDtmfDetector | null = null;
  rtcp: RtcpState | null = null;
  /** RTP no SDP named: packets in sequence so far (each within HEURISTIC_STEP of the last) and the last sequence number. */
  run = 0;
  lastSeq = -1;
  /** The stream over time (StreamSeries): bucket width and, per bucket, packets, skipped sequence numbers and the highest jitter. */
  bucketMs = INITIAL_BUCKET_MS;
  /** Per bucket: packets, sequence numbers skipped, highest jitter (see BUCKET). */
  readonly buckets = new Float64Array(BUCKET * SERIES_BUCKETS);
  /** The next sequence number expected, for the skipped ones (-1 before the first packet). */
  nextSeq = -1;
  /** Enough packets came in sequence for it to be RTP (the heuristic is for streams no SDP named). */
  confirmed = false;
  /** Registered in unowned (waiting for an SDP that may name it later). */
  waiting = false;
  /** No SDP named it, but it was shown with a call whose SIP hosts it ran between (not unassigned, then). */
  nearCall = false;

  /** The identity's first words (readKey), held in the object itself: an IPv4 stream is told by these alone. */
  readonly ports: number;
  readonly ssrcWord: number;
  readonly versionWord: number;
  readonly srcWord: number;
  readonly dstWord: number;

  constructor(
    readonly hash: number,
    /** The identity as KEY_WORDS signed 32-bit words (see readKey); the rest of an IPv6 address is compared here. */
    readonly key: Int32Array,
    readonly srcPort: number,
    readonly dstPort: number,
    /** -1 when the stream is not RTP. */
    readonly ssrc: number,
    readonly kind: StreamKind,
    readonly src: Endpoint,
    readonly dst: Endpoint,
    readonly file: string,
  ) {
    this.stats.ssrc = ssrc === -1 ? 0 : ssrc;
    this.ports = key[0]!;
    this.ssrcWord = key[1]!;
    this.versionWord = key[2]!;
    this.srcWord = key[3]!;
    this.dstWord = key[7]!;
  }
}

/** A stream's figures with the announcement that tied it to one of its calls. */
type OwnedStream = CallStream & { readonly owner: Announcement | null };

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

/** Reads the packet's identity into `k` and returns its hash. */
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
  if (p.version === 6) {
    for (let i = 1; i < 4; i++) {
      k[3 + i] = word(b, p.srcAddress + i * 4);
      k[7 + i] = word(b, p.dstAddress + i * 4);
      h = Math.imul(h ^ k[3 + i], 0x85ebca6b);
      h = Math.imul(h ^ k[7 + i], 0xc2b2ae35);
    }
  } else {
    k[4] = k[5] = k[6] = k[8] = k[9] = k[10] = 0;
  }
  return h ^ (h >>> 16);
}

/** The stream is the one the key names: IPv4 keys differ in their first words, or not at all. */
function isSame(s: Stream, k: Int32Array): boolean {
  if (s.ports !== k[0] || s.ssrcWord !== k[1] || s.srcWord !== k[3] || s.dstWord !== k[7] || s.versionWord !== k[2]) return false;
  if ((k[2]! & 15) === 4) return true;
  const o = s.key;
  for (let i = 4; i < KEY_WORDS; i++) if (o[i] !== k[i]) return false;
  return true;
}


/** What the join has counted over the whole analysis. */
/** An open call's media so far (MediaJoin.sofar). */
export interface MediaSoFar {
  /** Addresses its SDP announced. */
  readonly announced: number;
  readonly streams: number;
  readonly packets: number;
}

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
  private readonly table = new Map<number, Stream>();
  private streamCount = 0;
  private lastHit: Stream | null = null;
  /** The identity of the packet being looked up (readKey). */
  private readonly key = new Int32Array(KEY_WORDS);
  /** Address|port -> the announcements of it by open calls (one per call; several when B2BUA legs share media). */
  private readonly announced = new Map<string, Announcement[]>();
  /** Call-ID -> what is known of it (insertion order of the map = the oldest call first). */
  private readonly calls = new Map<string, CallState>();
  /** How many announcements name each port: a packet on two unannounced ports costs two lookups here and nothing more. */
  private readonly ports = new Map<number, number>();
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
    const known = this.calls.get(callId);
    if (known !== undefined) this.noteState(known, m);
    if (msg.body.length === 0 || msg.contentType === null) return;
    const sdp = sdpOfMessage(msg.contentType, msg.body);
    if (sdp === null) return;
    sdp.media.forEach((media, mediaIndex) => {
      // Port 0 rejects or disables the stream (RFC 3264 §6); 0.0.0.0 is the old way to put it on hold (§8.4).
      if (media.port === 0 || media.address === null || media.address === '0.0.0.0' || media.address === '::') return;
      const udptl = /udptl/i.test(media.protocol);
      const formats = formatsOf(media.codecs);
      this.announce(callId, endpointKey(media.address, media.port), m, mediaIndex, media.port, false, udptl, formats);
      if (media.address !== m.src.ip && isPrivateAddress(media.address)) {
        this.announce(callId, endpointKey(m.src.ip, media.port), m, mediaIndex, media.port, true, udptl, formats);
      }
    });
  }

  private noteState(call: CallState, m: CapturedMessage): void {
    const msg = m.message;
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

  private stateOf(callId: string): CallState {
    let call = this.calls.get(callId);
    if (call === undefined) {
      call = { callId, announcements: [], streams: new Set(), finished: [], answered: false, ended: false };
      this.calls.set(callId, call);
    }
    return call;
  }

  private announce(callId: string, key: string, message: CapturedMessage, mediaIndex: number, port: number, nat: boolean, udptl: boolean, formats: PayloadFormats): void {
    const call = this.stateOf(callId);
    const list = this.announced.get(key) ?? [];
    const kept: Announcement[] = [];
    for (const other of list) {
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
    const a: Announcement = { call, key, port, message, mediaIndex, nat, udptl, formats };
    kept.push(a);
    this.announced.set(key, kept);
    this.ports.set(port, (this.ports.get(port) ?? 0) + 1);
    call.announcements.push(a);
    this.announcementCount++;
    // Streams that started before this SDP was read (media racing the 200 OK, or several inputs) are named now.
    const waiting = this.unowned.get(key);
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
    const list = this.announced.get(a.key);
    if (list !== undefined) {
      const rest = list.filter((x) => x !== a);
      if (rest.length === 0) this.announced.delete(a.key);
      else this.announced.set(a.key, rest);
    }
    const n = (this.ports.get(a.port) ?? 1) - 1;
    if (n <= 0) this.ports.delete(a.port);
    else this.ports.set(a.port, n);
    this.announcementCount--;
    if (cut) for (const s of a.call.streams) if (s.owners.some((o) => o.owner === a)) s.stale = true;
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
      if (!this.ports.has(p.srcPort) && !this.ports.has(p.dstPort)) return;
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
    let stream = this.lastHit;
    if (stream === null || stream.hash !== hash || !isSame(stream, k)) {
      stream = this.table.get(hash) ?? null;
      while (stream !== null && !isSame(stream, k)) stream = stream.next;
      if (stream === null) {
        if (this.refused.has(hash)) return;
        stream = this.newStream(p, hash, kind);
        if (stream === null) return;
      }
      this.lastHit = stream;
    }
    if (stream.stale) {
      stream = this.restart(stream, p, kind);
      if (stream === null) return;
    }
    if (stream.packets === 0) {
      stream.firstSec = p.sec;
      stream.firstNsec = p.nsec;
      stream.firstFrame = p.frame;
    }
    stream.packets++;
    stream.bytes += p.end - p.start;
    stream.lastSec = p.sec;
    stream.lastNsec = p.nsec;
    stream.lastFrame = p.frame;
    const sinceFirstMs = (p.sec - stream.firstSec) * 1000 + (p.nsec - stream.firstNsec) / 1e6;
    let bucket = Math.floor(sinceFirstMs / stream.bucketMs);
    if (bucket >= SERIES_BUCKETS || bucket < 0) bucket = widenBuckets(stream, sinceFirstMs);
    stream.buckets[BUCKET * bucket]!++;
    if (kind === 'rtp') this.rtp(stream, p, BUCKET * bucket);
  }

  /** The Wireshark figures of an RTP packet, telephone events, and the heuristic for streams no SDP named; `at` is its bucket's place in Stream.buckets. */
  private rtp(stream: Stream, p: MediaPacket, at: number): void {
    const b = p.bytes;
    const s = p.start;
    const b1 = b[s + 1]!;
    const pt = b1 & 0x7f;
    const seq = (b[s + 2]! << 8) | b[s + 3]!;
    // Signed: a small integer to V8 (an unsigned one above 2^31 would be boxed on every call); RtpStats and the DTMF decoder need only differences and equality.
    const timestamp = (b[s + 4]! << 24) | (b[s + 5]! << 16) | (b[s + 6]! << 8) | b[s + 7]!;
    if (pt !== stream.cachedPayloadType) resolvePayloadType(stream, pt);
    stream.stats.packet(seq, timestamp, pt, (b1 & 0x80) !== 0, p.sec, p.nsec, p.frame, p.end - s, stream.cachedClockRate);
    if (stream.cachedTelephoneEvent) telephoneEvent(stream, p, timestamp);
    else if (stream.cachedG711 !== null) inbandAudio(stream, p, stream.cachedG711);
    // Numbers skipped since the last packet in order are lost before the capture point (or come late: RFC 3550 A.3 counts them at the end).
    const skipped = stream.nextSeq === -1 ? 0 : (seq - stream.nextSeq) & 0xffff;
    if (skipped < 0x8000) {
      stream.buckets[at + LOST] += skipped;
      stream.nextSeq = (seq + 1) & 0xffff;
    }
    const jitter = stream.stats.d[JITTER_SLOT]!;
    if (jitter > stream.buckets[at + JITTER_AT]!) stream.buckets[at + JITTER_AT] = jitter;
    if (!stream.confirmed) {
      const step = (seq - stream.lastSeq) & 0xffff;
      stream.run = stream.lastSeq !== -1 && step >= 1 && step <= HEURISTIC_STEP ? stream.run + 1 : 1;
      stream.lastSeq = seq;
      if (stream.run >= HEURISTIC_PACKETS) stream.confirmed = true;
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
    const from = p.src().ip;
    const timeMs = p.sec * 1000 + p.nsec / 1e6;
    for (const sr of compound.senderReports) this.rtcpOf(sr.ssrc, from, true)?.senderReport(sr, timeMs);
    for (const block of compound.reportBlocks) this.rtcpOf(block.sourceSsrc, from, false)?.reportBlock(block, timeMs);
    for (const metrics of compound.voipMetrics) {
      const state = this.rtcpOf(metrics.sourceSsrc, from, false);
      if (state !== null) state.lastVoipMetrics = metrics;
    }
    for (const ssrc of compound.byes) {
      const state = this.rtcpOf(ssrc, from, true);
      if (state !== null) state.bye = true;
    }
  }

  /**
   * The RTCP state of the stream an item is about: its sender sends the SR and BYE
   * (`fromSender`), its receiver the report blocks; among streams with that SSRC, the one whose
   * address matches, else the first.
   */
  private rtcpOf(ssrc: number, from: string, fromSender: boolean): RtcpState | null {
    const streams = this.bySsrc.get(ssrc);
    if (streams === undefined) {
      this.rtcpUnmatched++;
      return null;
    }
    const stream = streams.find((s) => (fromSender ? s.src.ip : s.dst.ip) === from) ?? streams[0]!;
    return (stream.rtcp ??= new RtcpState());
  }

  private newStream(p: MediaPacket, hash: number, kind: StreamKind): Stream | null {
    const src = p.src();
    const dst = p.dst();
    const owners = this.ownersOf(src, dst);
    // Payloads with no signature are media only on an address announced for UDPTL; elsewhere (keep-alives
    // on an RTP port, another host's traffic on a shared port number) they are not a stream.
    if (kind === 'udptl' && !owners.some((o) => o.owner.udptl)) return null;
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
    const stream = new Stream(hash, this.key.slice(), p.srcPort, p.dstPort, ssrc, kind, src, dst, p.file);
    stream.next = this.table.get(hash) ?? null;
    this.table.set(hash, stream);
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
      for (const o of owners) this.own(stream, o.owner, o.match);
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
    if (s.owners.some((o) => o.owner.call === owner.call)) return;
    if (s.owners.length === 0) {
      s.formats = owner.formats;
      s.cachedPayloadType = -1;
    }
    s.owners.push({ owner, match });
    owner.call.streams.add(s);
  }

  private unwait(s: Stream): void {
    if (!s.waiting) return;
    for (const key of [endpointKey(s.src.ip, s.src.port), endpointKey(s.dst.ip, s.dst.port)]) {
      const list = this.unowned.get(key);
      if (list === undefined) continue;
      const rest = list.filter((x) => x !== s);
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
    const add = (list: readonly Announcement[] | undefined, toDst: boolean, nat: boolean): void => {
      for (const a of list ?? []) {
        if (a.nat !== nat || out.some((o) => o.owner.call === a.call)) continue;
        out.push({ owner: a, match: toDst ? (nat ? 'nat' : 'destination') : 'source' });
      }
    };
    const toDst = this.announced.get(endpointKey(dst.ip, dst.port));
    const fromSrc = this.announced.get(endpointKey(src.ip, src.port));
    add(toDst, true, false);
    add(fromSrc, false, false);
    add(toDst, true, true);
    add(fromSrc, false, true);
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
    let at = this.table.get(s.hash) ?? null;
    let before: Stream | null = null;
    while (at !== null && at !== s) {
      before = at;
      at = at.next;
    }
    if (at === null) return;
    if (before === null) {
      if (s.next === null) this.table.delete(s.hash);
      else this.table.set(s.hash, s.next);
    } else {
      before.next = s.next;
    }
    this.streamCount--;
    if (this.lastHit === s) this.lastHit = null;
    if (s.ssrc !== -1) {
      const same = this.bySsrc.get(s.ssrc)?.filter((x) => x !== s) ?? [];
      if (same.length === 0) this.bySsrc.delete(s.ssrc);
      else this.bySsrc.set(s.ssrc, same);
    }
    this.unwait(s);
    for (const o of s.owners) o.owner.call.streams.delete(s);
  }

  private snapshot(s: Stream, ownership: Ownership | null): OwnedStream {
    s.dtmf?.finish();
    s.inband?.finish();
    const rtp = s.ssrc === -1 ? null : s.stats.figures();
    const codec = rtp === null ? null : (s.formats.names.get(rtp.firstPayloadType) ?? STATIC_PAYLOAD_TYPES.get(rtp.firstPayloadType)?.name ?? null);
    return {
      owner: ownership?.owner ?? null,
      src: s.src,
      dst: s.dst,
      ssrc: s.ssrc === -1 ? null : s.ssrc,
      kind: s.kind,
      from: null,
      match: ownership?.match ?? 'destination',
      announced: -1,
      packets: s.packets,
      bytes: s.bytes,
      first: { sec: s.firstSec, nsec: s.firstNsec },
      last: { sec: s.lastSec, nsec: s.lastNsec },
      firstFrame: s.firstFrame,
      lastFrame: s.lastFrame,
      file: s.file,
      codec,
      rtp,
      rtcp: s.rtcp === null ? null : s.rtcp.figures(rtp?.clockRate ?? 0),
      dtmf: s.dtmf === null ? [] : [...s.dtmf.events],
      inbandDtmf: s.inband === null ? [] : [...s.inband.digits],
      quality: rtp === null || codec === null ? null : qualityOf(codec, rtp, s.rtcp),
      series: seriesOf(s),
    };
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
    for (const s of state.streams) packets += s.packets;
    for (const s of state.finished) packets += s.packets;
    return { announced: state.announcements.length, streams: state.streams.size + state.finished.length, packets };
  }

  /**
   * The call is handed over: its media as data, and everything the join held for it forgotten.
   * The streams are those its SDP named, in order of their first packet.
   */
  takeCall(call: Call): CallMedia {
    const state = this.calls.get(call.callId);
    const announced: AnnouncedMedia[] = [];
    /** (message, m= line) -> index into announced. */
    const indexOf = new Map<string, number>();
    const callerTag = callerTagOf(call);
    /** Message index -> index into announced of its first m= line. */
    const firstAnnounced = new Map<number, number>();
    call.messages.forEach((entry, index) => {
      const msg = entry.captured.message;
      if (msg.body.length === 0 || msg.contentType === null) return;
      if (entry.retransmission) {
        // A copy says what its original said: the join may have registered either.
        const at = entry.original === null ? undefined : firstAnnounced.get(entry.original);
        if (at === undefined) return;
        const sdp = sdpOfMessage(msg.contentType, msg.body);
        sdp?.media.forEach((_, mediaIndex) => indexOf.set(`${entry.captured.offset}|${entry.captured.file}|${mediaIndex}`, at + mediaIndex));
        return;
      }
      const sdp = sdpOfMessage(msg.contentType, msg.body);
      if (sdp === null) return;
      const side = sideOf(entry.captured, callerTag);
      firstAnnounced.set(index, announced.length);
      sdp.media.forEach((media, mediaIndex) => {
        indexOf.set(`${entry.captured.offset}|${entry.captured.file}|${mediaIndex}`, announced.length);
        announced.push({ message: index, side, type: media.type, protocol: media.protocol, address: media.address, port: media.port, direction: media.direction, codecs: media.codecs });
      });
    });
    const taken: OwnedStream[] = [];
    if (state !== undefined) {
      taken.push(...state.finished);
      for (const s of [...state.streams]) {
        const mine = s.owners.find((o) => o.owner.call === state)!;
        if (s.packets > 0) taken.push(this.snapshot(s, mine));
        // The stream goes on for its other calls (B2BUA legs), or is forgotten with this one.
        s.owners = s.owners.filter((o) => o !== mine);
        if (s.owners.length === 0) this.remove(s);
      }
      state.streams.clear();
      this.forget(state);
    }
    // RTP no SDP named, between the hosts the call's SIP went between, while the call lasted: most
    // likely its media, sent to or from an address the SDP did not announce (NAT, an SBC that did
    // not rewrite the SDP, a capture with rewritten addresses). Shown with the call, left unowned.
    // A call's SIP goes between a handful of hosts; past MAX_CALL_HOSTS (a Call-ID reused by a scanner) the pairs are not looked at.
    const sipHosts = [...new Set(call.messages.flatMap((m) => [m.captured.src.ip, m.captured.dst.ip]))];
    const signalling = sipHosts.length > MAX_CALL_HOSTS ? [] : sipHosts;
    const near = new Set<Stream>();
    for (let i = 0; i < signalling.length; i++) {
      for (let j = i; j < signalling.length; j++) {
        for (const s of this.unownedBetween.get(hostPair(signalling[i]!, signalling[j]!)) ?? []) if (s.kind === 'rtp' && s.confirmed) near.add(s);
      }
    }
    const startMs = toMs(call.start);
    const endMs = toMs(call.end);
    for (const s of near) {
      const firstMs = s.firstSec * 1000 + s.firstNsec / 1e6;
      const lastMs = s.lastSec * 1000 + s.lastNsec / 1e6;
      if (s.packets > 0 && lastMs >= startMs && firstMs <= endMs) {
        s.nearCall = true;
        taken.push({ ...this.snapshot(s, null), match: 'unannounced' });
      }
    }
    const streams = taken
      .map((t): CallStream => {
        const { owner, ...stream } = t;
        const index = owner === null ? -1 : (indexOf.get(`${owner.message.offset}|${owner.message.file}|${owner.mediaIndex}`) ?? -1);
        const announcer = index === -1 ? null : announced[index]!.side;
        const from = announcer === null ? null : stream.match === 'source' ? announcer : announcer === 'caller' ? 'callee' : 'caller';
        return { ...stream, announced: index, from };
      })
      .sort((a, b) => a.firstFrame - b.firstFrame);
    const hosts = [...announced.flatMap((a) => (a.address === null ? [] : [a.address])), ...call.messages.flatMap((m) => [m.captured.src.ip, m.captured.dst.ip])];
    return { announced, streams, mediaCaptured: this.rtpPackets > 0, mediaSeenAtHosts: hosts.some((h) => this.mediaHosts.has(h)) };
  }

  /** Forgets a call: its addresses and the streams only it owned. */
  private forget(state: CallState): void {
    for (const a of state.announcements) {
      if (this.announced.get(a.key)?.includes(a)) this.unannounce(a, true);
    }
    for (const s of [...state.streams]) {
      s.owners = s.owners.filter((o) => o.owner.call !== state);
      if (s.owners.length === 0) this.remove(s);
    }
    state.streams.clear();
    if (this.calls.get(state.callId) === state) this.calls.delete(state.callId);
  }

  /**
   * Streams no SDP named, for the summary at the end: RTP found by its header alone. Any UDP
   * payload whose first byte has the top bits 10 passes classifyMedia (NetBIOS, DNS answers...),
   * so a stream counts only when its sequence numbers mostly follow each other, over enough packets.
   */
  unassigned(): CallStream[] {
    const out: CallStream[] = [];
    for (const head of this.table.values()) {
      for (let s: Stream | null = head; s !== null; s = s.next) {
        if (s.owners.length === 0 && !s.nearCall && s.confirmed) {
          const { owner: _owner, ...stream } = this.snapshot(s, null);
          out.push(stream);
        }
      }
    }
    return out.sort((a, b) => a.firstFrame - b.firstFrame);
  }
}

/** The From tag of the call's first request: the caller's (RFC 3261 §12.1: the dialog's local tag at the UAC). */
function callerTagOf(call: Call): string | null {
  for (const m of call.messages) if (m.captured.message.kind === 'request') return m.captured.message.from?.tag ?? null;
  return null;
}

/** Who sent a message: a request comes from the side whose tag is in From; a response from the other side. */
function sideOf(m: CapturedMessage, callerTag: string | null): CallSide {
  const fromCaller = callerTag === null || m.message.from?.tag === callerTag;
  const isRequest = m.message.kind === 'request';
  return isRequest === fromCaller ? 'caller' : 'callee';
}
