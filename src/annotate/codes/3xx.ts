import type { ResponseCodeInfo } from './types.js';

/** 3xx — redirection: the request should be tried again somewhere else (usually the Contact addresses). */
export const REDIRECTION_CODES: readonly ResponseCodeInfo[] = [
  {
    code: 300,
    reason: 'Multiple Choices',
    class: 'redirection',
    summary: 'the target resolves to several addresses; pick one from Contact and retry',
    meaning:
      'The Request-URI maps to several possible locations, listed in Contact (possibly with q-values) or in the body. The client or its user chooses one and sends the request there.',
    whenSeen:
      'Rarely: redirect servers, or registrars acting as redirect servers for a user with several registered devices. Most phones either try the first Contact or treat it as a failure.',
    fix:
      'Make the calling side follow redirects (the UAC, or an upstream proxy or SBC set to recurse on 3xx). If the goal was to ring all the devices at once, configure the server to fork the call instead of redirecting it.',
    rfc: 'RFC 3261 §21.3.1',
    confusedWith: [
      {
        code: 302,
        difference:
          '302 usually points at one new address for this attempt; 300 offers a choice between several equally valid ones.',
      },
      {
        code: 485,
        difference:
          '485 is a failure saying the address was ambiguous (candidates may be listed); 300 is a redirect that expects the client to choose and retry.',
      },
    ],
  },
  {
    code: 301,
    reason: 'Moved Permanently',
    class: 'redirection',
    summary: 'the user has moved for good; retry at Contact and update stored addresses',
    meaning:
      'The address in the Request-URI is no longer valid; the client should retry at the Contact address and may replace the old address in its own records.',
    whenSeen:
      'Uncommon: migrations of accounts or numbers between platforms, redirect servers for retired addresses.',
    fix:
      'Follow the Contact URI and update the stored destination (trunk route, directory entry, speed dial). If the caller does not follow redirects, enable 3xx handling on it or on the proxy in front of it.',
    rfc: 'RFC 3261 §21.3.2',
    confusedWith: [
      {
        code: 302,
        difference:
          '301 says the move is permanent and stored addresses should be updated; 302 applies to this attempt only.',
      },
      {
        code: 410,
        difference:
          '410 says the user is gone and no new address is known; 301 says the user is gone from here and gives the new address.',
      },
    ],
  },
  {
    code: 302,
    reason: 'Moved Temporarily',
    class: 'redirection',
    summary: 'retry the request at the address(es) in Contact; this redirection is temporary',
    meaning:
      'The client should send the request again to the Contact address(es) given; the redirection holds only for now (an Expires value may bound it), so stored addresses stay as they are.',
    whenSeen:
      'The most common 3xx: call forwarding done by redirect (some hosted PBXes, CUCM), routing or least-cost-routing engines that answer a query INVITE with 302 listing the gateways to use, and number-lookup or portability services that return their result in Contact.',
    fix:
      'Make sure the side receiving the 302 acts on it: the UAC, or the proxy/SBC in front of it, must send a new INVITE to the Contact (enable redirect following on that trunk, or make the routing engine proxy instead of redirect). If the new attempt fails, check that the Contact is reachable from the redirected side; a chain of 302s that leads back to the start is a loop.',
    rfc: 'RFC 3261 §21.3.3',
    confusedWith: [
      {
        code: 301,
        difference:
          '302 is temporary and for this attempt; 301 is permanent and invites the client to update its records.',
      },
      {
        code: 181,
        difference:
          '181 is provisional: the server forwards the call itself. 302 is final: the caller must place the new request.',
      },
      {
        code: 305,
        difference:
          '302 changes the destination; 305 keeps the destination but says which proxy the request must go through.',
      },
    ],
  },
  {
    code: 305,
    reason: 'Use Proxy',
    class: 'redirection',
    summary: 'the request must be sent through the proxy named in Contact',
    meaning:
      'The resource can only be reached through the proxy given in Contact; the client should resend the request via that proxy.',
    whenSeen:
      'Very rare: legacy redirect setups, or networks that insist on a particular outbound proxy. Because following it blindly lets anyone divert your traffic, many clients refuse to act on it.',
    fix:
      'Check that the named proxy is legitimate, then configure it as the outbound proxy of the client (or the route on the SBC) rather than relying on the client following the 305 automatically.',
    rfc: 'RFC 3261 §21.3.4',
    confusedWith: [
      {
        code: 302,
        difference:
          '305 keeps the target and changes the path (use this proxy); 302 changes the target itself.',
      },
      {
        code: 380,
        difference:
          '380 says the call cannot be completed as asked and describes another service; 305 says the same request will work through another proxy.',
      },
    ],
  },
  {
    code: 380,
    reason: 'Alternative Service',
    class: 'redirection',
    summary: 'the call failed as asked, but an alternative service is offered (e.g. emergency)',
    meaning:
      'The call could not be completed as requested, but alternative services are possible; the body says what they are.',
    whenSeen:
      'Mainly IMS/VoLTE: when a phone dials an emergency number it did not recognise as one, the network answers 380 with a 3GPP XML body telling the phone to set the call up as an emergency call. Elsewhere it is rare.',
    fix:
      'The phone should retry the call as an emergency session as the body instructs; if it does not, check its emergency-number lists (including those downloaded from the network). Outside IMS, read the body for the suggested alternative.',
    rfc: 'RFC 3261 §21.3.5',
    confusedWith: [
      {
        code: 302,
        difference:
          '302 names a new address for the same service; 380 says the service itself must change (for example to an emergency call).',
      },
      {
        code: 305,
        difference:
          '305 keeps the request as it is and names a proxy to send it through; 380 describes a different service to use.',
      },
    ],
  },
];
