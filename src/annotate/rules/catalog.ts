/**
 * The catalog rules driven by transactions and status codes (issue 6, part A), in the order
 * docs/rules.md lists them. index.ts spreads this list into RULES.
 */
import { authLoop } from './auth-loop.js';
import { byeNotAnswered } from './bye-not-answered.js';
import { callDoesNotExist } from './call-does-not-exist.js';
import { calleeUnavailable } from './callee-unavailable.js';
import { cancelRace } from './cancel-race.js';
import { earlyMediaWithoutRinging } from './early-media-without-ringing.js';
import { eventRefused } from './event-refused.js';
import { forbidden } from './forbidden.js';
import { glare } from './glare.js';
import { hunting } from './hunting.js';
import { loopDetected } from './loop-detected.js';
import { malformedMessage } from './malformed-message.js';
import { noAckFor2xx } from './no-ack-for-2xx.js';
import { noAckForErrorResponse } from './no-ack-for-error-response.js';
import { noResponse } from './no-response.js';
import { notFound } from './not-found.js';
import { optionsKeepaliveFailures } from './options-keepalive-failures.js';
import { overload } from './overload.js';
import { postDialDelay } from './post-dial-delay.js';
import { prackProblems } from './prack-problems.js';
import { reasonAndWarning } from './reason-and-warning.js';
import { redirectNotFollowed } from './redirect-not-followed.js';
import { registrationProblems } from './registration-problems.js';
import { requestRetransmissions } from './request-retransmissions.js';
import { scanner } from './scanner.js';
import { serverError } from './server-error.js';
import { sessionTimer } from './session-timer.js';
import { stirShaken } from './stir-shaken.js';
import { subscriptionNotFound } from './subscription-not-found.js';
import { transfer } from './transfer.js';
import { udpMessageTooLarge } from './udp-message-too-large.js';
import type { Rule } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own option type (as AnyRule in index.ts, which cannot be imported here without a cycle)
export const TRANSACTION_RULES: readonly Rule<any>[] = [
  // Transactions: answers, retransmissions, ACKs.
  noResponse,
  requestRetransmissions,
  noAckFor2xx,
  noAckForErrorResponse,
  byeNotAnswered,
  cancelRace,
  prackProblems,
  // Status codes.
  authLoop,
  forbidden,
  notFound,
  subscriptionNotFound,
  eventRefused,
  calleeUnavailable,
  callDoesNotExist,
  loopDetected,
  overload,
  serverError,
  redirectNotFollowed,
  glare,
  sessionTimer,
  stirShaken,
  transfer,
  hunting,
  // Call figures and progress.
  postDialDelay,
  earlyMediaWithoutRinging,
  // Security: a scanner's calls (its findings replace the others on the call).
  scanner,
  // Registrations and keep-alives.
  registrationProblems,
  optionsKeepaliveFailures,
  // Messages themselves.
  udpMessageTooLarge,
  malformedMessage,
  reasonAndWarning,
];
