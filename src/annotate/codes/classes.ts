import type { ResponseClass, ResponseClassInfo } from './types.js';

/**
 * The six response classes (RFC 3261 §7.2, §21): the first digit of a status code decides
 * its class, and the class alone decides how an element reacts to a code it does not know.
 */
export const RESPONSE_CLASSES: Readonly<Record<ResponseClass, ResponseClassInfo>> = Object.freeze({
  provisional: Object.freeze({
    class: 'provisional',
    firstDigit: 1,
    range: '1xx',
    title: 'Provisional',
    description:
      'The request arrived and is being worked on; a final response is still to come. Provisional responses never end a transaction and are not acknowledged (unless sent reliably with 100rel, when PRACK confirms them). Apart from 100, which only concerns the next hop, they travel end to end and may create early dialogs, often carrying SDP for early media.',
    final: false,
    fallbackCode: 183,
  }),
  success: Object.freeze({
    class: 'success',
    firstDigit: 2,
    range: '2xx',
    title: 'Success',
    description:
      'The request was carried out. A 2xx to an INVITE confirms the dialog and is acknowledged end to end with ACK; a forked INVITE can collect several of them, one per device that answered.',
    final: true,
    fallbackCode: 200,
  }),
  redirection: Object.freeze({
    class: 'redirection',
    firstDigit: 3,
    range: '3xx',
    title: 'Redirection',
    description:
      'The request should be sent again somewhere else, normally to the Contact address(es) of the response. The client, or a proxy acting for it, places the new request; nothing is retried automatically by the server that redirected.',
    final: true,
    fallbackCode: 300,
  }),
  'client-failure': Object.freeze({
    class: 'client-failure',
    firstDigit: 4,
    range: '4xx',
    title: 'Client failure',
    description:
      'This server will not carry out the request as it stands: it is malformed, lacks credentials or a needed extension, names an unknown or unavailable target, or is not allowed. A changed request, or another location, may still succeed, so a forking proxy keeps trying its other branches.',
    final: true,
    fallbackCode: 400,
  }),
  'server-failure': Object.freeze({
    class: 'server-failure',
    firstDigit: 5,
    range: '5xx',
    title: 'Server failure',
    description:
      'The server failed to carry out a request that looked valid: the fault is on the server side (overload, internal error, a downstream failure). The same request may work on another server, such as the next DNS SRV target or an alternative route.',
    final: true,
    fallbackCode: 500,
  }),
  'global-failure': Object.freeze({
    class: 'global-failure',
    firstDigit: 6,
    range: '6xx',
    title: 'Global failure',
    description:
      'The request will fail wherever it is sent: the callee (or a service acting for it) gave a definitive answer. A proxy that receives a 6xx stops forking and cancels its other branches, and the caller should not retry elsewhere.',
    final: true,
    fallbackCode: 600,
  }),
});

const BY_DIGIT: readonly ResponseClass[] = [
  'provisional',
  'success',
  'redirection',
  'client-failure',
  'server-failure',
  'global-failure',
];

/** The class a first digit (1-6) stands for, or undefined for any other digit. */
export function classForFirstDigit(digit: number): ResponseClass | undefined {
  return Number.isInteger(digit) && digit >= 1 && digit <= 6 ? BY_DIGIT[digit - 1] : undefined;
}
