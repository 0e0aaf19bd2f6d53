/** One line per SIP method, shown beside each request in the timeline. */
export const METHOD_NOTES: Readonly<Record<string, string>> = {
  INVITE: 'asks the callee to join a session (starts a call, or changes one in a dialog)',
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

export function methodNote(method: string): string {
  return METHOD_NOTES[method] ?? 'extension method (not defined in the core SIP specifications)';
}

/**
 * Notes for a response that read better with the request it answers than the code's
 * generic summary (a 200 to BYE ends a call; a 200 to INVITE must be ACKed).
 */
const RESPONSE_IN_CONTEXT: Readonly<Record<string, string>> = {
  '200 INVITE': 'the call is answered; the caller must ACK this 200',
  '200 BYE': 'the call is over',
  '200 CANCEL': 'the CANCEL was accepted; the INVITE will end with 487',
  '200 REGISTER': 'the registration is accepted (see Contact and Expires for the binding)',
  '200 OPTIONS': 'the target is up and answered the ping',
  '202 REFER': 'the transfer request was accepted; NOTIFYs will report its progress',
  '487 INVITE': 'the INVITE ended because the caller cancelled it',
};

export function responseNoteInContext(status: number, method: string | undefined): string | undefined {
  return method === undefined ? undefined : RESPONSE_IN_CONTEXT[`${status} ${method}`];
}
