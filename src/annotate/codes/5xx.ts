import type { ResponseCodeInfo } from './types.js';

/** 5xx — server failure: the server could not carry out an apparently valid request; another server may. */
export const SERVER_FAILURE_CODES: readonly ResponseCodeInfo[] = [
  {
    code: 500,
    reason: 'Server Internal Error',
    class: 'server-failure',
    summary: 'the server hit an unexpected error on an otherwise valid request',
    meaning:
      'Something unexpected went wrong inside the server while it handled the request; Retry-After may say when to try again. It is also the prescribed answer, with Retry-After, when a new INVITE arrives in a dialog while the previous one is still being answered.',
    whenSeen:
      'Script or dial-plan errors in PBXes and proxies, a database or external API (routing, billing) that is down, failure to allocate media or RTP-proxy resources, licence limits on some products, and overlapping re-INVITEs.',
    fix:
      'Look at the server\'s logs at the moment of the response; the reason phrase or a Warning header sometimes names the fault. Check the services it depends on (database, RTP proxy, routing API). For overlapping re-INVITEs, honour the Retry-After and avoid sending a new INVITE before the previous one has completed.',
    rfc: 'RFC 3261 §21.5.1',
    confusedWith: [
      {
        code: 503,
        difference:
          '503 says the server is temporarily unable (overload, maintenance, no capacity) and another server may be tried; 500 says it failed unexpectedly while trying.',
      },
      {
        code: 491,
        difference:
          '491 is for two offers crossing (glare) in a dialog; 500 with Retry-After is for a new INVITE arriving while the UAS is still answering the previous one.',
      },
      {
        code: 400,
        difference:
          '400 blames the request; 500 admits the fault is the server\'s.',
      },
    ],
  },
  {
    code: 501,
    reason: 'Not Implemented',
    class: 'server-failure',
    summary: 'the server does not implement this request method at all',
    meaning:
      'The server does not support what the request needs; typically it does not recognise the method at all, for any address.',
    whenSeen:
      'UPDATE, PRACK, MESSAGE, INFO, PUBLISH, REFER or SUBSCRIBE sent to minimal or old gateways and devices, or proprietary methods sent to standard equipment.',
    fix:
      'Check the peer\'s Allow header (from an OPTIONS answer or earlier responses) and stop sending methods it lacks: refresh sessions with re-INVITE instead of UPDATE, send DTMF as RFC 4733 events rather than INFO, switch off subscriptions toward that device.',
    rfc: 'RFC 3261 §21.5.2',
    confusedWith: [
      {
        code: 405,
        difference:
          '405 means the method exists on the server but is not allowed for this address; 501 means the server does not implement it anywhere.',
      },
      {
        code: 420,
        difference:
          '420 is about an extension listed in Require; 501 is about the method itself.',
      },
    ],
  },
  {
    code: 502,
    reason: 'Bad Gateway',
    class: 'server-failure',
    summary: 'a gateway or proxy got an invalid response from the next server downstream',
    meaning:
      'The server, acting as a gateway or proxy, got an invalid response from a server further downstream that it contacted to complete the request.',
    whenSeen:
      'SBCs and B2BUAs passing on a downstream failure, PSTN gateways whose network side failed (some PSTN release causes, such as "destination out of order", are translated to 502), and proxies that could not resolve or reach the next hop.',
    fix:
      'Follow the call one hop further downstream: capture on the far side of the gateway or SBC and find the response or failure it could not use. Read any Reason header for a PSTN (Q.850) cause, and check the trunk toward the carrier.',
    rfc: 'RFC 3261 §21.5.3',
    confusedWith: [
      {
        code: 504,
        difference:
          '504 means the downstream server did not answer in time; 502 means it answered, but with something unusable.',
      },
      {
        code: 503,
        difference:
          '503 says this server itself cannot serve right now; 502 says a server behind it misbehaved.',
      },
      {
        code: 500,
        difference:
          '500 is a fault inside this server; 502 is a fault reported from downstream.',
      },
    ],
  },
  {
    code: 503,
    reason: 'Service Unavailable',
    class: 'server-failure',
    summary: 'the server is overloaded, in maintenance, or has no route/capacity right now',
    meaning:
      'The server temporarily cannot handle the request (overload, maintenance, no available resources); Retry-After may say when to come back. Clients treat it as a cue to fail over to the next server (the next DNS SRV target, for example), and a proxy normally does not relay a 503 upstream as it is.',
    whenSeen:
      'Very common: channel or calls-per-second limits at the carrier, no usable route because every gateway is marked down, SBC overload control, servers restarting, licence limits, and rate limiting (SIP has no "Too Many Requests" code, so 503 plays that role).',
    fix:
      'Read Retry-After and the reason phrase. Check carrier channel/CPS limits and account status; check whether all routes or gateways are marked down (failing OPTIONS pings) and why; configure failover to a second server or SRV target; throttle origination if you are the one overloading it.',
    rfc: 'RFC 3261 §21.5.4',
    confusedWith: [
      {
        code: 500,
        difference:
          '500 is an unexpected internal error; 503 is a known temporary inability (load, maintenance, capacity).',
      },
      {
        code: 480,
        difference:
          '480 says the callee is unavailable; 503 says the server (or its routes) is unavailable, whoever was called.',
      },
      {
        code: 504,
        difference:
          '504 says a server further on did not answer in time; 503 says this server is not serving right now.',
      },
    ],
  },
  {
    code: 504,
    reason: 'Server Time-out',
    class: 'server-failure',
    summary: 'a server it relied on (next hop, DNS, routing lookup) did not answer in time',
    meaning:
      'The server did not get a timely answer from another server it needed to complete the request, such as the next hop, a location service or DNS.',
    whenSeen:
      'Proxies and SBCs whose forwarded INVITE timed out downstream (some products report 504 here, others 408), slow DNS, ENUM or number-portability lookups, HTTP routing APIs that do not answer in time.',
    fix:
      'Find the dependency that timed out: a next hop that is unreachable (firewall, wrong address or port, UDP versus TCP mismatch), a slow DNS/ENUM server, a slow routing API. Fix it, adjust timeouts, and add alternative routes.',
    rfc: 'RFC 3261 §21.5.5',
    confusedWith: [
      {
        code: 408,
        difference:
          '408 says the request itself could not be completed in time (often the callee did not answer); 504 says a server that this one consulted did not answer.',
      },
      {
        code: 502,
        difference:
          '502 means the downstream server answered with something invalid; 504 means it did not answer in time.',
      },
    ],
  },
  {
    code: 505,
    reason: 'Version Not Supported',
    class: 'server-failure',
    summary: 'the server does not support the SIP version in the request line',
    meaning:
      'The SIP protocol version of the request (anything other than SIP/2.0 in practice) is not supported.',
    whenSeen:
      'Almost never in normal traffic: scanners and fuzzers sending odd versions, or a broken ALG or proxy corrupting the request line.',
    fix:
      'Make sure the request line ends in "SIP/2.0"; look for a device rewriting the start line; if the source is a scanner, block it.',
    rfc: 'RFC 3261 §21.5.6',
    confusedWith: [
      {
        code: 400,
        difference:
          '400 is for general syntax errors; 505 is specifically about the protocol version in the request line.',
      },
      {
        code: 501,
        difference:
          '501 is about the method; 505 is about the protocol version.',
      },
    ],
  },
  {
    code: 513,
    reason: 'Message Too Large',
    class: 'server-failure',
    summary: 'the whole message is longer than the server can process',
    meaning: 'The length of the message exceeds what the server can handle.',
    whenSeen:
      'Large INVITEs (big SDP with many codecs or ICE candidates, several bodies, long Via or Record-Route chains), typically over UDP, where they also risk IP fragmentation. SIP expects messages near the path MTU (or over 1300 bytes when it is unknown) to go over a congestion-controlled transport such as TCP.',
    fix:
      'Make the message smaller (drop unneeded headers, codecs, candidates, bodies), send large messages over TCP or TLS, or raise the server\'s maximum message size.',
    rfc: 'RFC 3261 §21.5.7',
    confusedWith: [
      {
        code: 413,
        difference:
          '413 is a client failure about the body size; 513 is a server failure about the size of the whole message.',
      },
      {
        code: 414,
        difference:
          '414 is about the Request-URI only; 513 is about the entire message.',
      },
    ],
  },
  {
    code: 555,
    reason: 'Push Notification Service Not Supported',
    class: 'server-failure',
    summary: 'the proxy cannot use the push service named in the pn-provider parameter',
    meaning:
      'SIP push notification: the user agent registered with pn-* URI parameters naming a push notification service (pn-provider), and the proxy does not support that service, so it cannot wake the device by push.',
    whenSeen:
      'Mobile softphones registering with push parameters to a registrar or proxy that lacks support for the named provider, or that were given a wrong pn-provider value.',
    fix:
      'Configure the app to use a push provider the server supports, or enable that provider on the proxy; otherwise register without pn-* parameters and keep the client reachable another way (keep-alives, staying in the foreground).',
    rfc: 'RFC 8599',
    confusedWith: [
      {
        code: 501,
        difference:
          '501 means a method is not implemented; 555 means one specific push service is not supported while the registration mechanism itself works.',
      },
      {
        code: 480,
        difference:
          '480 is what callers get when a device cannot be reached (for example a push that failed to wake it); 555 is what the registering device gets when the push service is not supported at all.',
      },
    ],
  },
  {
    code: 580,
    reason: 'Precondition Failure',
    class: 'server-failure',
    summary: 'the QoS/security preconditions required for the session cannot be met',
    meaning:
      'Preconditions framework: the offer made the session depend on preconditions (typically a QoS resource reservation, sometimes security) that the UAS cannot or will not meet, so the session is not established.',
    whenSeen:
      'IMS/VoLTE, where calls wait for dedicated bearers to be reserved; failures of network resource reservation (policy control, bearer setup), and interworking with peers that do not handle mandatory preconditions.',
    fix:
      'Check the curr/des/conf attributes in the SDP and whether resource reservation failed in the network (policy server, bearer setup). Toward peers that do not support preconditions, let the SBC remove mandatory preconditions from the offer.',
    rfc: 'RFC 3312',
    confusedWith: [
      {
        code: 488,
        difference:
          '488 means the media themselves (codecs, transports) are unacceptable; 580 means the media are fine but the required preconditions cannot be met.',
      },
      {
        code: 420,
        difference:
          '420 means the peer does not support the precondition extension at all; 580 means it supports it but the condition failed.',
      },
    ],
  },
];
