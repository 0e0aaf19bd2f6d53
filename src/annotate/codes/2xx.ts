import type { ResponseCodeInfo } from './types.js';

/** 2xx — success: the request was received, understood and carried out. */
export const SUCCESS_CODES: readonly ResponseCodeInfo[] = [
  {
    code: 200,
    reason: 'OK',
    class: 'success',
    summary: 'the request succeeded; for INVITE the call is answered and must be ACKed',
    meaning:
      'The request worked. For INVITE it means the callee answered: the dialog is confirmed, the SDP answer (or offer) is in the body, and the caller must ACK it end to end. For REGISTER it confirms the bindings listed in Contact with their granted expiry; for BYE, the call is over.',
    whenSeen:
      'Everywhere. Worth a look when the 200 to an INVITE is retransmitted again and again: the callee is not getting the ACK, and it will usually hang up with a BYE after about 32 seconds.',
    fix:
      'No fix needed. If the INVITE\'s 200 keeps being retransmitted, the ACK is lost: check the Contact in the 200 (a private address behind NAT), the Record-Route set, any SIP ALG rewriting, and the firewall on the ACK\'s path. For REGISTER, compare the Expires granted in the 200 with what the client asked for.',
    rfc: 'RFC 3261 §21.2.1',
    confusedWith: [
      {
        code: 202,
        difference:
          '200 means the request is done; 202 (now deprecated) meant it was accepted and the real outcome would be reported later, e.g. by NOTIFY after a REFER.',
      },
      {
        code: 204,
        difference:
          '204 also means success, but for a SUBSCRIBE refresh it adds that no NOTIFY will follow because the state has not changed; 200 to a SUBSCRIBE is followed by a NOTIFY.',
      },
    ],
  },
  {
    code: 202,
    reason: 'Accepted',
    class: 'success',
    summary: 'accepted for processing, outcome reported later (deprecated: treat as 200)',
    meaning:
      'The request was understood and will be acted on, but its outcome is not known yet. It was used for REFER and SUBSCRIBE, whose results arrive by NOTIFY; RFC 6665 deprecated it (IANA lists it as "Accepted (Deprecated)"): senders now use 200, and receivers handle a 202 exactly like a 200.',
    whenSeen:
      'Call transfer: the transferee answers the REFER with 202 and then reports progress in NOTIFY requests carrying message/sipfrag ("SIP/2.0 100 Trying", "SIP/2.0 200 OK"). Also from older SUBSCRIBE implementations (BLF, voicemail indication).',
    fix:
      'No fix needed; handle it as 200. If a transfer fails after the 202, the real result is in the sipfrag body of the following NOTIFYs (for example "SIP/2.0 603 Decline" or "SIP/2.0 404 Not Found" from the transfer target): follow that leg.',
    rfc: 'RFC 6665 (deprecated there; defined in RFC 3265, used by RFC 3515 REFER)',
    confusedWith: [
      {
        code: 200,
        difference:
          '202 only says the request was accepted and the result will come later; 200 says the action is complete. Since RFC 6665 the two are handled the same way.',
      },
      {
        code: 204,
        difference:
          '202 promises a later report (NOTIFY); 204 says explicitly that no NOTIFY will be sent because nothing changed.',
      },
    ],
  },
  {
    code: 204,
    reason: 'No Notification',
    class: 'success',
    summary: 'the subscription worked, but no NOTIFY follows because nothing changed',
    meaning:
      'Conditional event notification: a SUBSCRIBE refresh carried the entity-tag of the state the subscriber already has (Suppress-If-Match), the state has not changed, so the notifier confirms the subscription and skips the NOTIFY.',
    whenSeen:
      'Presence, dialog (BLF) and reg-event subscriptions toward servers that support entity-tags, typically IMS or presence servers, on refresh SUBSCRIBEs that carry Suppress-If-Match.',
    fix:
      'No fix needed: the subscription was refreshed. A subscriber that lost its copy of the state (after a restart, say) must resubscribe without Suppress-If-Match to get a full NOTIFY.',
    rfc: 'RFC 5839',
    confusedWith: [
      {
        code: 200,
        difference:
          '200 to a SUBSCRIBE is followed by a NOTIFY with the current state; 204 confirms the subscription and deliberately sends none.',
      },
      {
        code: 412,
        difference:
          '204 answers a SUBSCRIBE whose entity-tag still matches; 412 answers a PUBLISH whose entity-tag no longer matches any publication.',
      },
    ],
  },
];
