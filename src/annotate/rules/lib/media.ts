/**
 * What the media rules share: when the call was answered and ended, which side the SDP expects
 * to send audio (RFC 3264 §5.1: a direction attribute is the sender's view), and the streams each
 * side sent.
 */
import type { Call } from '../../../parse/dialog/types.js';
import type { AnnouncedMedia, CallMedia, CallSide, CallStream } from '../../../parse/media/types.js';
import { diffMs } from '../../../time.js';
import { offerAnswers } from '../../media.js';
import { PerCall } from '../../facts.js';
import type { Timestamp } from '../../../types.js';

export interface Answered {
  /** Index into call.messages of the first 2xx to the dialog-creating INVITE. */
  readonly answer: number;
  readonly at: Timestamp;
  /** The first BYE after it, or null. */
  readonly bye: number | null;
  /** When media could last be expected: the BYE, else the end of the capture. */
  readonly until: Timestamp;
}


export function otherSide(side: CallSide): CallSide {
  return side === 'caller' ? 'callee' : 'caller';
}

/** Audio m= lines that ask for media: a port, an address, not the 0.0.0.0 hold (RFC 3264 §8.4). */
export function liveAudio(media: CallMedia, side: CallSide): AnnouncedMedia[] {
  return media.announced.filter((a) => a.side === side && a.type === 'audio' && a.port !== 0 && a.address !== null && a.address !== '0.0.0.0');
}

/**
 * Whether `side` is expected to send audio at some point: one of its audio m= lines lets it send
 * (sendrecv, sendonly) while one of the other side's lets it receive (sendrecv, recvonly).
 */
export function expectedToSend(media: CallMedia, side: CallSide): boolean {
  const sends = liveAudio(media, side).some((a) => a.direction === 'sendrecv' || a.direction === 'sendonly');
  const peerReceives = liveAudio(media, otherSide(side)).some((a) => a.direction === 'sendrecv' || a.direction === 'recvonly');
  return sends && peerReceives;
}

/** RTP streams (with packets) a side sent, first first. */
export function streamsFrom(media: CallMedia, side: CallSide): CallStream[] {
  return media.streams.filter((s) => s.from === side && s.kind === 'rtp' && s.packets > 0);
}

/** Whether a side sent an RTP stream with packets (streamsFrom is not empty), without making the list. */
export function sentRtp(media: CallMedia, side: CallSide): boolean {
  for (let i = 0; i < media.streams.length; i++) {
    const s = media.streams[i]!;
    if (s.from === side && s.kind === 'rtp' && s.packets > 0) return true;
  }
  return false;
}

/** How long the answered call lasted, ms. */
export function talkMs(answered: Answered): number {
  return diffMs(answered.at, answered.until);
}

/** The hosts a side is seen at: the addresses its audio SDP announced, and where that SDP's SIP came from (its public address behind NAT). */
export function hostsOf(call: Call, media: CallMedia, side: CallSide): Set<string> {
  const hosts = new Set<string>();
  for (const a of liveAudio(media, side)) {
    hosts.add(a.address!);
    hosts.add(call.messages[a.message]!.captured.src.ip);
  }
  return hosts;
}

/** The m= lines of the call's SDPs of the same media type as `announced` (every offer and answer of audio, say), whichever side said them. */
export function sameType(media: CallMedia, announced: AnnouncedMedia): AnnouncedMedia[] {
  return media.announced.filter((a) => a.type === announced.type);
}

/** The payload types an m= line names telephone-event (RFC 4733 §2.4.1). */
export function telephoneEventTypes(announced: readonly AnnouncedMedia[]): Set<number> {
  const types = new Set<number>();
  for (const a of announced) for (const c of a.codecs) if (c.name.toLowerCase() === 'telephone-event') types.add(c.payload);
  return types;
}

/**
 * Whether an m= line tells `sender` not to send that media (RFC 3264 §5.1, §8.4): its own SDP
 * says recvonly or inactive, or the other side's says sendonly or inactive, or gives the 0.0.0.0
 * hold address or port 0.
 */
export function stopsSending(a: AnnouncedMedia, sender: CallSide): boolean {
  if (a.side === sender) return a.direction === 'recvonly' || a.direction === 'inactive';
  return a.direction === 'sendonly' || a.direction === 'inactive' || a.address === '0.0.0.0' || a.port === 0;
}

/** An SSRC as trace tools show it: 0x and 8 hex digits. */
export function ssrcHex(ssrc: number): string {
  return `0x${(ssrc >>> 0).toString(16).padStart(8, '0')}`;
}

/** The index of the last message of the call before a media packet frame of the same file, or null when the files differ or no message came before. */
export function messageBeforeFrame(call: Call, file: string, frame: number): number | null {
  let found: number | null = null;
  call.messages.forEach((m, i) => {
    const c = m.captured;
    if (c.file === file && c.frame !== null && c.frame < frame) found = i;
  });
  return found;
}

/**
 * The call's answer: the first 2xx to an initial INVITE (no To tag), whichever attempt it was (a
 * call is often challenged 401/407 first and answered on the INVITE sent again with credentials),
 * and its end: the first BYE after it, else the end of the capture. Null when never answered.
 */
export function answeredCall(call: Call, captureEnd: Timestamp): Answered | null {
  const fact = ANSWER.of(call);
  if (fact === null) return null;
  // The capture's end is one object for every rule of a call (engine.ts CallChecks): the answer is made once.
  if (fact.answered === null || fact.captureEnd !== captureEnd) {
    const { answer, bye } = fact;
    fact.answered = { answer, at: call.messages[answer]!.captured.time, bye, until: bye === null ? captureEnd : call.messages[bye]!.captured.time };
    fact.captureEnd = captureEnd;
  }
  return fact.answered;
}

/** The call's answer and the BYE after it (answeredCall), and the Answered made from them for one capture end. */
interface AnswerFact {
  readonly answer: number;
  readonly bye: number | null;
  captureEnd: Timestamp | null;
  answered: Answered | null;
}

/** Six media rules ask for the call's answer (late-media, no-media, one-way-media, media-after-bye, ssrc-change, media-stopped): found once per call. */
const ANSWER = new PerCall<AnswerFact | null>((call) => {
  for (const tx of call.transactions) {
    if (tx.method !== 'INVITE' || tx.request === null || call.messages[tx.request]!.captured.message.toTag != null) continue;
    const answer = tx.responses.find((i) => {
      const status = call.messages[i]!.captured.message.status ?? 0;
      return status >= 200 && status < 300;
    });
    if (answer === undefined) continue;
    const bye = call.messages.findIndex((m, i) => i > answer && m.captured.message.method === 'BYE');
    return { answer, bye: bye === -1 ? null : bye, captureEnd: null, answered: null };
  }
  return null;
});

/** The times of every SDP offer or answer after the call was answered (re-INVITE, UPDATE). */
export function renegotiationTimes(call: Call, answered: Answered): Timestamp[] {
  const times = offerAnswers(call)
    .flatMap((p) => [p.offer.index, ...(p.answer === null ? [] : [p.answer.index])])
    .filter((i) => i > answered.answer)
    .map((i) => call.messages[i]!.captured.time);
  for (const m of call.messages) if (m.captured.message.method === 'UPDATE' && m.captured.message.body.length > 0) times.push(m.captured.time);
  return times;
}
