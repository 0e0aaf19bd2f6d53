/**
 * Types that cross layers. Plain data; every object remembers where in the
 * input it came from (frame numbers are 1-based, as Wireshark counts them).
 */

export type Severity = 'error' | 'warning' | 'info';

/** A capture timestamp: whole seconds since the Unix epoch plus nanoseconds. Always from the capture, never from the clock. */
export interface Timestamp {
  readonly sec: number;
  readonly nsec: number;
}

/** Where something was found in an input. */
export interface Location {
  /** Input path ("-" for stdin). */
  readonly file?: string;
  /** 1-based frame number (captures). */
  readonly frame?: number;
  /** Byte offset in the input (after decompression). */
  readonly offset?: number;
  /** 1-based line number (text logs). */
  readonly line?: number;
}

/**
 * Something noticed about an input (src/diagnostics.ts lists every code): its code, where, and
 * the raw values its sentence needs. The sentence is made when a report is shown
 * (src/present/diagnostics.ts), in the report's language.
 */
export type Diagnostic = { readonly [C in DiagnosticCode]: DiagnosticOf<C> }[DiagnosticCode];

/** A diagnostic of one code. */
export interface DiagnosticOf<C extends DiagnosticCode> extends Location {
  readonly code: C;
  readonly severity: Severity;
  readonly values: DiagnosticValues[C];
  /** For aggregated diagnostics: how many times it happened (the location is the first occurrence). */
  readonly count?: number;
}

export type CaptureFormat =
  | 'pcap'
  | 'pcap-ns'
  | 'pcap-modified'
  | 'pcapng'
  /** A plain-text SIP log (see InputSummary.logFormats). */
  | 'text'
  | 'unknown';

export type Transport = 'UDP' | 'TCP' | 'SCTP' | 'TLS' | 'WS' | 'WSS';

export interface Endpoint {
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  readonly ip: string;
  readonly port: number;
}

import type { SipMessage } from './parse/sip/types.js';
import type { DiagnosticCode, DiagnosticValues } from './diagnostics.js';

/** A SIP message as found in an input, with where and when it was seen. */
export interface CapturedMessage {
  /** Input path ("-" for stdin). */
  readonly file: string;
  /** Frame that completed the message (1-based); null for a message read from a text log. */
  readonly frame: number | null;
  /** Every frame the message came from (one for UDP; none for a text log). */
  readonly frames: readonly number[];
  /** 1-based line of the start line in a text log; null for captures. */
  readonly line: number | null;
  readonly time: Timestamp;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly transport: Transport;
  /** Byte offset of the message's first byte in the input. */
  readonly offset: number;
  readonly message: SipMessage;
  /**
   * The sender's identification of the IP packet that carried a UDP message (IPv4
   * Identification, IPv6 Fragment identification); absent or -1 when there is none (TCP, HEP,
   * text logs, unfragmented IPv6). Tells two transmissions of the same bytes apart.
   */
  readonly ipId?: number;
  /**
   * Bytes of the message's datagram that the capture's snap length left out (the frame's
   * captured length is below its original length); absent or 0 when it was captured whole.
   */
  readonly cutByCapture?: number;
}

/** What was read from one input. */
export interface InputSummary {
  readonly path: string;
  /** Capture format, or "unknown" when the input could not be read. */
  readonly format: CaptureFormat;
  /** False when nothing could be read from the input (missing, directory, empty, unknown format). */
  readonly readable: boolean;
  readonly bytes: number;
  readonly frames: number;
  readonly sipMessages: number;
  /** Time of the first and of the latest frame (null when no frame was read). */
  readonly firstTime: Timestamp | null;
  readonly lastTime: Timestamp | null;
  /** Link types seen, one per interface. */
  readonly linkTypes: readonly number[];
  readonly diagnostics: readonly Diagnostic[];
  /** Text logs: lines read. */
  readonly lines?: number;
  /** Text logs: the log formats recognised (ids from src/parse/text/formats.ts, `raw-sip`), in order of first use. */
  readonly logFormats?: readonly string[];
}
