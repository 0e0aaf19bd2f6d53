/**
 * A call's media as data: what its SDP announced (RFC 3264 offer and answer, every m= line)
 * and the packet streams tied to it. Built by the media join (join.ts) when the call is handed
 * over; rules and the presentation read it. Times are capture times; nothing here is a sentence.
 */
import type { Codec, Direction } from '../sip/sdp.js';
import type { DtmfEvent } from './dtmf.js';
import type { InbandDigit } from './inband-dtmf.js';
import type { QualityEstimate } from './quality.js';
import type { RtcpFigures } from './rtcp.js';
import type { RtpStatsFigures } from './rtp-stats.js';
import type { Endpoint, Timestamp } from '../../types.js';

/** Which side of the call: the one that sent the dialog-creating INVITE, or the one that answered it. */
export type CallSide = 'caller' | 'callee';

/** One m= line of one SDP body of the call: where its sender wants to receive that media. */
export interface AnnouncedMedia {
  /** Index into call.messages of the message whose SDP said it. */
  readonly message: number;
  /** Who sent that SDP (and so receives the media at this address). */
  readonly side: CallSide;
  /** m= media type: audio, video, image (T.38 fax), application... */
  readonly type: string;
  /** m= transport protocol: RTP/AVP, RTP/SAVP (SRTP), UDP/TLS/RTP/SAVPF (DTLS-SRTP), udptl... */
  readonly protocol: string;
  /** c= address (media level, else session level); null when the SDP gave none. */
  readonly address: string | null;
  readonly port: number;
  /** a=sendrecv/sendonly/recvonly/inactive, from the sender's point of view (RFC 3264 §5.1). */
  readonly direction: Direction;
  readonly codecs: readonly Codec[];
}

/**
 * How a stream was tied to the call: it was sent to an address and port the SDP announced
 * (`destination`), it came from one (`source`: symmetric RTP, RFC 4961, the announcer sends from
 * where it receives), or it was sent to the SDP port at the address the SDP's SIP message came
 * from (`nat`: the announced c= address is private and the packets go to the public address of
 * the same host, as an SBC latching on the first packet does), or no SDP named it but it ran
 * between the hosts of the call's SIP while the call lasted (`unannounced`: most likely its media,
 * at an address the SDP did not give; its side is not known).
 */
export type StreamMatch = 'destination' | 'source' | 'nat' | 'unannounced';

/** How a stream's packets look: RTP (plain or SRTP: the header is clear in both), or UDPTL (T.38 fax, on a port announced for it). */
export type StreamKind = 'rtp' | 'udptl';

/** Packets of one stream (UDP 5-tuple, and the SSRC for RTP) tied to a call. */
export interface CallStream {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** RTP synchronization source (RFC 3550 §5.1); null for UDPTL and other payloads. */
  readonly ssrc: number | null;
  readonly kind: StreamKind;
  /** Which side sent it, from the announcement it matched; null when that is not known. */
  readonly from: CallSide | null;
  readonly match: StreamMatch;
  /** Index into CallMedia.announced of the m= line it matched. */
  readonly announced: number;
  readonly packets: number;
  readonly bytes: number;
  readonly first: Timestamp;
  readonly last: Timestamp;
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** Input the stream was read from. */
  readonly file: string;
  /** Encoding of the first payload type: the SDP rtpmap's name, else the static table's (RFC 3551 §6); null when unknown or not RTP. */
  readonly codec: string | null;
  /** The figures Wireshark's RTP analysis gives (rtp-stats.ts); null for UDPTL. */
  readonly rtp: RtpStatsFigures | null;
  /** What RTCP said about the stream (rtcp.ts); null when no report named it. */
  readonly rtcp: RtcpFigures | null;
  /** RFC 4733 events (DTMF digits) on a telephone-event payload type the SDP named. */
  readonly dtmf: readonly DtmfEvent[];
  /** DTMF keys sent as tones in G.711 audio (inband-dtmf.ts); looked for only when the stream's SDP offered RFC 4733 events too. */
  readonly inbandDtmf: readonly InbandDigit[];
  /** The E-model estimate (quality.ts), for codecs the model knows; null otherwise. */
  readonly quality: QualityEstimate | null;
  readonly series: StreamSeries;
}

/**
 * A stream over time, for a chart: a fixed number of buckets from its first packet, each
 * `bucketMs` wide (the width doubles, merging neighbours, whenever the stream outlasts them), so
 * memory stays the same however long the stream.
 */
export interface StreamSeries {
  readonly bucketMs: number;
  /** Packets received in each bucket. */
  readonly packets: readonly number[];
  /** Sequence numbers skipped in each bucket (packets lost before the capture point, RTP only). */
  readonly lost: readonly number[];
  /** The highest interarrival jitter in each bucket, ms (RTP with a known clock rate, else 0). */
  readonly maxJitterMs: readonly number[];
}

export interface CallMedia {
  /** Every m= line of every SDP of the call, in message order. */
  readonly announced: readonly AnnouncedMedia[];
  readonly streams: readonly CallStream[];
  /**
   * True when the inputs carried any RTP up to the moment the call was handed over: without it,
   * a call with no stream says nothing about the call (the capture filter left media out).
   */
  readonly mediaCaptured: boolean;
  /**
   * True when RTP to or from one of the call's hosts (an address its SDP announced, or one its
   * SIP went between) was seen in the inputs: the capture point is on a media path of these
   * hosts, so the absence of this call's media means something.
   */
  readonly mediaSeenAtHosts: boolean;
}
