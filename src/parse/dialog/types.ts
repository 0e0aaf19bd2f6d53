/**
 * Calls, dialogs and transactions rebuilt from SIP messages (RFC 3261 §12, §17).
 * Messages are referred to by their index in `Call.messages`.
 */
import type { CapturedMessage, Timestamp } from '../../types.js';

export type CallType = 'call' | 'registration' | 'options' | 'subscription' | 'message' | 'other';

/** A message within a call, with what correlation learnt about it. */
export interface CallMessage {
  readonly captured: CapturedMessage;
  /** Index of the transaction in `Call.transactions`. */
  readonly transaction: number;
  /** Index of the dialog in `Call.dialogs`, or null when the message belongs to none (no To tag yet, REGISTER...). */
  readonly dialog: number | null;
  /** A retransmission: the same request or response already seen on the same hop in this transaction. */
  readonly retransmission: boolean;
  /** For a retransmission, the index of the first copy. */
  readonly original: number | null;
}

/**
 * A second capture of a message already in the call: the same packet seen again (another
 * interface, a mirror port, a HEP copy, a second trace of the same hop), not a new transmission
 * by its sender (criterion: duplicates.ts). Kept beside the call for reports, out of its
 * messages, so no rule or figure counts it.
 */
export interface DuplicateMessage {
  readonly captured: CapturedMessage;
  /** Index in `Call.messages` of the copy it repeats. */
  readonly of: number;
}

export interface Transaction {
  /** The request method of the transaction (ACK for non-2xx and CANCEL are folded into INVITE as RFC 3261 §17 says; see `ack`, `cancel`). */
  readonly method: string;
  readonly branch: string | null;
  /** Top Via sent-by ("host:port"). */
  readonly sentBy: string;
  readonly cseq: number;
  /** Index of the first copy of the request, or null when only responses were captured. */
  request: number | null;
  /** Every request copy on the wire (first copy and retransmissions, all hops). */
  requests: number[];
  /** Every response, retransmissions included. */
  responses: number[];
  /** ACK for a non-2xx final response (same transaction, RFC 3261 §17.1.1.3). */
  acks: number[];
  /** Index of the CANCEL transaction that targets this INVITE, if any. */
  cancelledBy: number | null;
  /** For a CANCEL transaction, the INVITE transaction it cancels. */
  cancels: number | null;
  /** For an INVITE, the ACK(s) sent for its 2xx (separate transactions, RFC 3261 §13.2.2.4). */
  ack2xx: number[];
}

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface Dialog {
  /** Tag of the side that sent the dialog-creating request (From tag). */
  readonly callerTag: string;
  /** Tag of the side that answered (To tag). */
  readonly calleeTag: string;
  state: DialogState;
  /** Message that created the dialog (first 1xx/2xx with this To tag). */
  readonly createdBy: number;
}

export interface Call {
  /** 1-based, in order of the entry's first message among all entries of the analysis: how reports number calls. */
  readonly number: number;
  readonly callId: string;
  type: CallType;
  readonly messages: CallMessage[];
  transactions: Transaction[];
  dialogs: Dialog[];
  /** Second captures of its messages, in capture order. */
  readonly duplicates: DuplicateMessage[];
  readonly start: Timestamp;
  end: Timestamp;
  /**
   * The REGISTER or SUBSCRIBE that refreshed this entry's binding and began the next entry with
   * the same Call-ID (each refresh cycle is an entry of its own), when there was one.
   */
  refreshedBy?: CapturedMessage;
}
