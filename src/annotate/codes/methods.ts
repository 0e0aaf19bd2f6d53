import { checkLang, type Lang } from '../i18n.js';
import { METHOD_NOTES_ES, REINVITE_NOTE_ES, RESPONSE_IN_CONTEXT_ES, TIMELINE_NOTES_ES, UNKNOWN_METHOD_NOTE_ES } from './es/methods.js';

/** One line per SIP method, shown beside each request in the timeline. */
export const METHOD_NOTES: Readonly<Record<string, string>> = {
  INVITE: 'asks the callee to join a session (starts a call)',
  ACK: 'confirms the final response to an INVITE',
  BYE: 'ends the call',
  CANCEL: 'the caller gives up on a pending INVITE',
  REGISTER: 'binds a contact address to an address-of-record',
  OPTIONS: 'asks about capabilities; often a keep-alive ping',
  PRACK: 'acknowledges a reliable provisional response (RFC 3262)',
  UPDATE: 'changes session parameters before or during a call (RFC 3311)',
  INFO: 'carries application data inside a dialog, often DTMF (RFC 6086)',
  SUBSCRIBE: 'asks to be notified of an event (RFC 6665)',
  NOTIFY: 'reports the state of a subscribed event (RFC 6665)',
  REFER: 'asks the recipient to contact a third party, e.g. a transfer (RFC 3515)',
  MESSAGE: 'carries an instant message (RFC 3428)',
  PUBLISH: 'publishes event state to a presence server (RFC 3903)',
};

const UNKNOWN_METHOD_NOTE = 'extension method (not defined in the core SIP specifications)';

/** Method notes by language; every language has the same methods as English. */
export const METHOD_NOTES_BY_LANG: Readonly<Record<Lang, Readonly<Record<string, string>>>> = {
  en: METHOD_NOTES,
  es: METHOD_NOTES_ES,
};

/** The note for a method no table knows (extension methods). */
export const UNKNOWN_METHOD_NOTES: Readonly<Record<Lang, string>> = {
  en: UNKNOWN_METHOD_NOTE,
  es: UNKNOWN_METHOD_NOTE_ES,
};

/**
 * The note of an INVITE sent inside a dialog (its To has a tag, RFC 3261 §14): a re-INVITE
 * changes an established call, it does not start one. Its responses are looked up in
 * RESPONSE_IN_CONTEXT as "<status> re-INVITE".
 */
export const REINVITE_NOTES: Readonly<Record<Lang, string>> = {
  en: 're-INVITE: changes the session of an established call (hold, resume, another codec or address, T.38 fax)',
  es: REINVITE_NOTE_ES,
};

/** The method's name in RESPONSE_IN_CONTEXT keys for an INVITE inside a dialog. */
export const REINVITE = 're-INVITE';

/** Own properties only: a method token such as "toString" or "constructor" must not reach Object.prototype. */
function own(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function methodNote(method: string, lang: Lang = 'en'): string {
  return own(METHOD_NOTES_BY_LANG[checkLang(lang)], method) ?? own(METHOD_NOTES, method) ?? UNKNOWN_METHOD_NOTES[lang];
}

/**
 * Notes for a response that read better with the request it answers than the code's
 * generic summary (a 200 to BYE ends a call; a 200 to INVITE must be ACKed), keyed
 * "<status> <method>", with "re-INVITE" (REINVITE) for an INVITE inside a dialog.
 */
export const RESPONSE_IN_CONTEXT: Readonly<Record<string, string>> = {
  '200 INVITE': 'the call is answered; the caller must ACK this 200',
  '200 re-INVITE': 'the change is accepted (the answer SDP, if any, is in this 200); its sender must ACK this 200',
  '488 re-INVITE': 'the new session (a codec, hold, T.38) is refused; the call goes on as it was (RFC 3261 §14.2)',
  '200 BYE': 'the call is over',
  '200 CANCEL': 'the CANCEL was accepted; the INVITE should end with 487 unless a 200 crossed it',
  '200 REGISTER': 'the registration is accepted (see Contact and Expires for the binding)',
  '200 OPTIONS': 'the target is up and answered the ping',
  '202 REFER': 'the transfer request was accepted; NOTIFYs will report its progress',
  '487 INVITE': 'the INVITE ended because the caller cancelled it',
  '488 NOTIFY': 'the body (its type or content) was refused: not an SDP offer, check Content-Type and Accept',
  '415 NOTIFY': 'the body type is not accepted (see Accept): not about SDP',
  '488 SUBSCRIBE': 'the body (its type or content) was refused: not an SDP offer, check Content-Type and Accept',
  '415 SUBSCRIBE': 'the body type is not accepted (see Accept): not about SDP',
  '488 INFO': 'the body (its type or content) was refused: not an SDP offer, check Content-Type and Accept',
  '415 INFO': 'the body type is not accepted (see Accept): not about SDP',
  '488 MESSAGE': 'the body (its type or content) was refused: not an SDP offer, check Content-Type and Accept',
  '415 MESSAGE': 'the body type is not accepted (see Accept): not about SDP',
  '488 PUBLISH': 'the body (its type or content) was refused: not an SDP offer, check Content-Type and Accept',
  '415 PUBLISH': 'the body type is not accepted (see Accept): not about SDP',
  '489 SUBSCRIBE': 'the event package of the Event header is not supported (see Allow-Events)',
  '489 NOTIFY': 'the event package of the Event header is not supported (see Allow-Events)',
  '489 PUBLISH': 'the event package of the Event header is not supported (see Allow-Events)',
  '404 SUBSCRIBE': 'no state of this event package for the resource (no mailbox, no presence source), not an unknown user',
  '404 PUBLISH': 'no state of this event package for the resource (no mailbox, no presence source), not an unknown user',
  '501 SUBSCRIBE': 'the server offers no subscriptions or presence; calls are not affected',
  '501 PUBLISH': 'the server offers no subscriptions or presence; calls are not affected',
  '480 REGISTER': 'the registrar could not complete the registration (routing or DNS): read the Warning',
};

/** Context notes by language, keyed "<status> <method>"; every language has the same keys as English. */
export const RESPONSE_IN_CONTEXT_BY_LANG: Readonly<Record<Lang, Readonly<Record<string, string>>>> = {
  en: RESPONSE_IN_CONTEXT,
  es: RESPONSE_IN_CONTEXT_ES,
};

export function responseNoteInContext(status: number, method: string | undefined, lang: Lang = 'en'): string | undefined {
  checkLang(lang);
  if (method === undefined) return undefined;
  const key = `${status} ${method}`;
  return own(RESPONSE_IN_CONTEXT_BY_LANG[lang], key) ?? own(RESPONSE_IN_CONTEXT, key);
}

/** The timeline notes that depend on neither a method nor a code. */
export interface TimelineNotes {
  /** Note of a retransmitted message; `ref` is where the first copy is ("#12", "L34"). */
  retransmission(ref: string): string;
  /** Note of a second capture of one packet (another interface, a mirror, a HEP copy); `ref` is the first copy. */
  duplicate(ref: string): string;
  readonly unreadableStatus: string;
  readonly invalidStatus: string;
}

export const TIMELINE_NOTES: Readonly<Record<Lang, TimelineNotes>> = {
  en: {
    retransmission: (ref) => `retransmission of ${ref}`,
    duplicate: (ref) => `the same packet as ${ref}, captured again (not a retransmission)`,
    unreadableStatus: 'unreadable status line',
    invalidStatus: 'not a valid SIP status code',
  },
  es: TIMELINE_NOTES_ES,
};
