import type { ResponseCodeInfo } from './types.js';

/** 4xx — client failure: this server will not carry out the request as sent; a changed request, or another server, may succeed. */
export const CLIENT_FAILURE_CODES: readonly ResponseCodeInfo[] = [
  {
    code: 400,
    reason: 'Bad Request',
    class: 'client-failure',
    summary: 'the request was malformed or lacks something the server needs',
    meaning:
      'The server could not parse the request or found its syntax invalid. The reason phrase often names the problem ("Missing Call-ID", "Invalid Content-Length"), and a Warning header may add detail.',
    whenSeen:
      'Buggy or hand-written SIP stacks; home routers with a SIP ALG that mangle headers or SDP; UDP messages cut short by fragmentation; a Content-Length that does not match the body; unescaped spaces or illegal characters in URIs; missing or duplicated mandatory headers.',
    fix:
      'Read the reason phrase and Warning header first: they usually name the offending field. Capture on both sides of any router, ALG or SBC and compare what was sent with what arrived; turn off SIP ALG on routers. Check that To, From, Call-ID, CSeq, Max-Forwards and Via are present and well formed, that URIs are escaped, and that Content-Length matches the body.',
    rfc: 'RFC 3261 §21.4.1',
    confusedWith: [
      {
        code: 488,
        difference:
          '400 means the message itself could not be parsed or is invalid; 488 means it parsed fine but the SDP offer is unacceptable.',
      },
      {
        code: 415,
        difference:
          '415 rejects the type, encoding or language of a well-formed body; 400 rejects broken syntax.',
      },
      {
        code: 500,
        difference:
          '400 blames the request; 500 admits the server failed on a request that looked valid.',
      },
    ],
  },
  {
    code: 401,
    reason: 'Unauthorized',
    class: 'client-failure',
    summary: 'the UAS or registrar wants credentials: resend with an Authorization header',
    meaning:
      'An authentication challenge from a registrar or user agent (not a proxy). WWW-Authenticate gives the realm and nonce; the client resends the request with an Authorization header computed from its credentials.',
    whenSeen:
      'On the first REGISTER to almost every registrar, and on INVITEs to PBXes that challenge calls. One 401 followed by success is the normal handshake. A loop of REGISTER → 401 → REGISTER with credentials → 401 means the credentials are rejected; a flood of 401s to unknown sources is usually a password-guessing scanner.',
    fix:
      'Nothing to do for a single challenge. When credentials keep failing: check the authentication user name (often not the same as the extension or From user), the password and the realm; a challenge with stale=true only means the nonce expired, so just retry. Check the digest algorithm both sides support (MD5 versus SHA-256), and that the client ACKs a 401 to an INVITE and retries with a higher CSeq. Block scanners with an ACL or fail2ban.',
    rfc: 'RFC 3261 §21.4.2',
    confusedWith: [
      {
        code: 407,
        difference:
          '401 comes from the registrar or UAS and uses WWW-Authenticate / Authorization; 407 comes from a proxy and uses Proxy-Authenticate / Proxy-Authorization.',
      },
      {
        code: 403,
        difference:
          '401 invites the client to retry with credentials; 403 refuses outright and new credentials will not change the answer.',
      },
    ],
  },
  {
    code: 402,
    reason: 'Payment Required',
    class: 'client-failure',
    summary: 'reserved code; some providers use it for exhausted prepaid credit',
    meaning:
      'Registered but reserved by RFC 3261 for future use, so it has no standard meaning. When it does appear it almost always means a billing problem on the account.',
    whenSeen:
      'Some ITSPs and prepaid or billing platforms, when the balance is used up or a credit limit is reached.',
    fix:
      'Check the account balance and credit limits with the provider, and that calls go out on the trunk or account you expect to be billed. Devices that do not know the code handle it like any other 4xx failure.',
    rfc: 'RFC 3261 §21.4.3',
    confusedWith: [
      {
        code: 403,
        difference:
          '403 is the generic policy refusal (many providers use it for "no credit" as well); 402 is the reserved code a few of them use specifically for payment.',
      },
      {
        code: 603,
        difference:
          '603 is the callee declining the call; 402 is the caller\'s own provider refusing for billing reasons.',
      },
    ],
  },
  {
    code: 403,
    reason: 'Forbidden',
    class: 'client-failure',
    summary: 'the server understood the request and refuses it; credentials will not help',
    meaning:
      'The server understood the request and will not carry it out, by policy. Unlike 401/407, authenticating again does not help. The reason phrase often carries the real cause.',
    whenSeen:
      'Very common: registrars refusing a wrong password after the challenge (instead of another 401); trunks whose source IP is not on the provider\'s allow-list; international or premium destinations not enabled on the account; a caller ID (From or P-Asserted-Identity) the account does not own; fraud blocks; disabled accounts; calling before registering; STIR verifiers rejecting a signature as "Stale Date".',
    fix:
      'Start from the reason phrase and any Warning header. Then check: the source IP is allowed by the provider; the authentication user and password; the calling number belongs to the trunk; the dialled number is in the format the provider wants (E.164 with +, country code); the account is active and allowed to call that destination; for a PBX user, the dial plan/context permissions.',
    rfc: 'RFC 3261 §21.4.4',
    confusedWith: [
      {
        code: 401,
        difference:
          '401 is a challenge to be answered with credentials; 403 is a refusal that credentials will not change.',
      },
      {
        code: 404,
        difference:
          '404 says the target does not exist here; 403 says the target may well exist but this request is not allowed.',
      },
      {
        code: 603,
        difference:
          '603 is the called user declining, valid for every location; 403 is a policy decision by this server, often on the caller\'s own side.',
      },
    ],
  },
  {
    code: 404,
    reason: 'Not Found',
    class: 'client-failure',
    summary: 'the target user or number does not exist in this domain',
    meaning:
      'The server is responsible for the domain in the Request-URI but does not know the user part there.',
    whenSeen:
      'The dialled number matches no extension or route on the PBX; the number format is wrong (missing +, country code or prefix); the user was never provisioned; the host part is not one the server treats as local, so it looks in the wrong domain; a DID that is not mapped to any inbound route; some servers also use it for users who exist but are not registered.',
    fix:
      'Check the user part of the Request-URI against the number format the receiving side expects (E.164, leading +, national prefix) and the host part against the domains it serves. On a PBX, confirm the extension exists and, for inbound calls, that the DID is mapped to a destination (inbound route).',
    rfc: 'RFC 3261 §21.4.5',
    confusedWith: [
      {
        code: 410,
        difference:
          '404 says the user is not known here and may never have been; 410 says the user existed and is permanently gone.',
      },
      {
        code: 480,
        difference:
          '480 says the user exists but cannot be reached now (offline, not registered); 404 says no such user.',
      },
      {
        code: 484,
        difference:
          '484 says the number is incomplete and more digits would help; 404 says the complete address matches nobody.',
      },
      {
        code: 604,
        difference:
          '404 only speaks for this server\'s domain, so other servers may still know the user; 604 claims the user exists nowhere.',
      },
    ],
  },
  {
    code: 405,
    reason: 'Method Not Allowed',
    class: 'client-failure',
    summary: 'the server knows the method but does not allow it for this address',
    meaning:
      'The method is understood but not allowed for the resource in the Request-URI. The response must carry an Allow header listing the methods that are accepted.',
    whenSeen:
      'MESSAGE, SUBSCRIBE (presence, BLF), PUBLISH, REFER, INFO or UPDATE sent to a device or service that does not accept them for that address; REGISTER sent to a proxy or phone that is not a registrar.',
    fix:
      'Read the Allow header and make the sender use an allowed method: switch off presence/BLF subscriptions toward that peer, send DTMF as RFC 4733 events instead of INFO, use re-INVITE instead of UPDATE; or enable the feature on the receiving side.',
    rfc: 'RFC 3261 §21.4.6',
    confusedWith: [
      {
        code: 501,
        difference:
          '501 means the server does not implement the method at all; 405 means it implements it but not for this target.',
      },
      {
        code: 489,
        difference:
          '489 accepts SUBSCRIBE in general but not the event package named; 405 rejects the method itself for this address.',
      },
    ],
  },
  {
    code: 406,
    reason: 'Not Acceptable',
    class: 'client-failure',
    summary: 'the answer would need a content type the request\'s Accept header rules out',
    meaning:
      'The resource can only produce response bodies whose types are not listed in the request\'s Accept header.',
    whenSeen:
      'Uncommon: SUBSCRIBE or OPTIONS requests whose Accept lists body formats the server cannot produce (for example a presence format the notifier does not support), or a client with a hard-coded, too narrow Accept header.',
    fix:
      'Widen the client\'s Accept header to include a type the server can produce, or enable that format on the server.',
    rfc: 'RFC 3261 §21.4.7',
    confusedWith: [
      {
        code: 415,
        difference:
          '415 is about the body the client sent; 406 is about the body the client is willing to receive.',
      },
      {
        code: 488,
        difference:
          '488 rejects the session described in the SDP; 406 is about content types of response bodies.',
      },
      {
        code: 606,
        difference:
          '606 is a global refusal of the proposed session; 406 is a content-type mismatch at this server.',
      },
    ],
  },
  {
    code: 407,
    reason: 'Proxy Authentication Required',
    class: 'client-failure',
    summary: 'a proxy wants credentials: resend with a Proxy-Authorization header',
    meaning:
      'Like 401 but issued by a proxy: Proxy-Authenticate carries the challenge, and the client resends the request with Proxy-Authorization. Several proxies on a path may each challenge.',
    whenSeen:
      'On the first INVITE (and other requests) to providers and proxies that authenticate calls. The normal pattern is INVITE → 407 → ACK → INVITE with credentials and a higher CSeq → 100.',
    fix:
      'Nothing to do for one challenge. If it repeats: check user name, password and realm, that the client ACKs the 407, retries on the same Call-ID with the CSeq increased, and answers with Proxy-Authorization (not Authorization). Some simple clients only know how to answer 401.',
    rfc: 'RFC 3261 §21.4.8',
    confusedWith: [
      {
        code: 401,
        difference:
          '407 comes from a proxy on the path (Proxy-Authenticate / Proxy-Authorization); 401 comes from the registrar or UAS (WWW-Authenticate / Authorization).',
      },
      {
        code: 403,
        difference:
          '407 asks for credentials; 403 refuses whatever credentials are offered.',
      },
    ],
  },
  {
    code: 408,
    reason: 'Request Timeout',
    class: 'client-failure',
    summary: 'no final answer could be obtained in time (often the callee never replied)',
    meaning:
      'The server could not produce a final response within a suitable time, for example it could not locate or reach the user in time; the request may be retried later. Proxies and user agents also report 408 locally when their transaction timer expires (64×T1, about 32 s) with no response at all, so it may not be on the wire.',
    whenSeen:
      'A proxy forwarding an INVITE to a registered phone that no longer answers (phone off the network, stale NAT binding), a REGISTER or OPTIONS to a server that does not reply, an unreachable provider, and on some systems a ring-no-answer timeout.',
    fix:
      'Find the hop that went silent: the last request in the trace forwarded with no response, not even 100. Typical causes: NAT or a firewall dropping requests sent toward the phone (registration interval longer than the NAT timeout; use rport, shorter re-registration or keep-alives), a wrong Contact address, large UDP messages lost to fragmentation (use TCP), or a host that is down. If it is a deliberate no-answer timeout, route the call to voicemail instead.',
    rfc: 'RFC 3261 §21.4.9',
    confusedWith: [
      {
        code: 480,
        difference:
          '480 is an explicit answer that the user is unavailable; 408 means no answer came in time at all.',
      },
      {
        code: 504,
        difference:
          '504 says a server timed out waiting for another server it consulted (a gateway or lookup); 408 says the request itself could not be completed in time.',
      },
      {
        code: 487,
        difference:
          '487 follows a CANCEL or BYE from the caller; 408 follows a timer running out.',
      },
    ],
  },
  {
    code: 410,
    reason: 'Gone',
    class: 'client-failure',
    summary: 'the user used to be here but is permanently gone, with no forwarding address',
    meaning:
      'The resource no longer exists at this server and no forwarding address is known; the condition is expected to be permanent.',
    whenSeen:
      'Deprovisioned accounts and numbers; PSTN gateways translating a "number changed" release cause; carriers answering for disconnected numbers.',
    fix:
      'Remove or update the number or URI: retrying will not help. If the user should still exist, the account or number was deprovisioned by mistake and must be restored on the server.',
    rfc: 'RFC 3261 §21.4.10',
    confusedWith: [
      {
        code: 404,
        difference:
          '410 says the user once existed and is gone for good; 404 says the user is not known here, with no history implied.',
      },
      {
        code: 301,
        difference:
          '301 says the user moved and gives the new address; 410 says the user is gone and no new address is known.',
      },
      {
        code: 604,
        difference:
          '604 claims the user exists nowhere; 410 only speaks for this server.',
      },
    ],
  },
  {
    code: 412,
    reason: 'Conditional Request Failed',
    class: 'client-failure',
    summary: 'a PUBLISH refresh named an entity-tag the server no longer has',
    meaning:
      'The SIP-If-Match entity-tag in a PUBLISH did not match any current publication (it expired or never existed), so the refresh or modification was refused; the client must publish its full state again without SIP-If-Match.',
    whenSeen:
      'Presence and IMS/RCS clients refreshing a publication after it expired, after the presence server restarted and lost its state, or when a load balancer sends the refresh to a node that never saw the original PUBLISH.',
    fix:
      'The client should send a fresh initial PUBLISH with the full body and no SIP-If-Match. Make it refresh before the publication expires, and make sure refreshes reach the node (or shared store) that holds the publication.',
    rfc: 'RFC 3903',
    confusedWith: [
      {
        code: 481,
        difference:
          '481 means no dialog or transaction matches; 412 means no publication matches the entity-tag of a PUBLISH.',
      },
      {
        code: 423,
        difference:
          '423 objects to the requested expiry being too short; 412 objects to the entity-tag.',
      },
    ],
  },
  {
    code: 413,
    reason: 'Request Entity Too Large',
    class: 'client-failure',
    summary: 'the request body is larger than the server will accept',
    meaning:
      'The body of the request is larger than the server is willing or able to handle. If the limit is temporary, Retry-After may say when to try again.',
    whenSeen:
      'INVITEs with very large SDP (long codec lists, video, many ICE candidates from WebRTC clients), multipart bodies carrying ISUP or XML, large MESSAGE payloads.',
    fix:
      'Shrink the body: trim codec lists, drop unused media lines and ICE candidates, send large content by MSRP or HTTP instead of MESSAGE; or raise the server\'s body size limit.',
    rfc: 'RFC 3261 §21.4.11',
    confusedWith: [
      {
        code: 513,
        difference:
          '513 is about the length of the whole message (headers included) and is a server failure; 413 is about the body alone.',
      },
      {
        code: 414,
        difference:
          '414 is about the Request-URI being too long; 413 is about the body.',
      },
    ],
  },
  {
    code: 414,
    reason: 'Request-URI Too Long',
    class: 'client-failure',
    summary: 'the Request-URI is longer than the server is willing to interpret',
    meaning: 'The Request-URI is too long for the server to process.',
    whenSeen:
      'Rare: URIs carrying many parameters or embedded headers, very long user parts, routing logic that appends a parameter at every pass (a sign of a loop), fuzzing or attack traffic.',
    fix:
      'Shorten the Request-URI: remove embedded headers and unneeded parameters. If each hop adds the same parameter again, fix the routing loop that causes it.',
    rfc: 'RFC 3261 §21.4.12',
    confusedWith: [
      {
        code: 413,
        difference:
          '413 complains about the body size; 414 complains only about the Request-URI.',
      },
      {
        code: 400,
        difference:
          '400 is for syntax errors in general; 414 means the URI may be valid but is too long.',
      },
    ],
  },
  {
    code: 415,
    reason: 'Unsupported Media Type',
    class: 'client-failure',
    summary: 'the server cannot handle the body\'s type, encoding or language',
    meaning:
      'The request body uses a Content-Type, Content-Encoding or Content-Language the server does not support. The response lists what it does accept in Accept, Accept-Encoding or Accept-Language.',
    whenSeen:
      'INVITEs with multipart/mixed bodies (SDP plus ISUP for SIP-I/SIP-T) to devices that only take application/sdp; MESSAGE with an unsupported content type; compressed bodies; INFO with a DTMF body type the peer does not know.',
    fix:
      'Compare the request\'s Content-Type with the Accept headers of the response and make the sender use a supported type: strip ISUP bodies at the SBC, send plain SDP, switch off body compression, or pick the DTMF format the peer expects.',
    rfc: 'RFC 3261 §21.4.13',
    confusedWith: [
      {
        code: 406,
        difference:
          '406 is about the body types the client will accept in the answer; 415 is about the body the client sent.',
      },
      {
        code: 488,
        difference:
          '488 means the SDP was understood but the session it describes is unacceptable; 415 means the body format itself is not supported.',
      },
      {
        code: 400,
        difference:
          '400 is for a malformed message; 415 is for a well-formed body of a type the server does not handle.',
      },
    ],
  },
  {
    code: 416,
    reason: 'Unsupported URI Scheme',
    class: 'client-failure',
    summary: 'the server does not support the Request-URI scheme (e.g. tel:, sips:)',
    meaning: 'The scheme of the Request-URI is one the server does not handle.',
    whenSeen:
      'tel: URIs sent to servers that only route sip:, sips: sent to servers without TLS, im:/pres: or other non-SIP schemes coming out of ENUM or a directory.',
    fix:
      'Convert the address to a scheme the server supports (for example sip:+15551234567@domain;user=phone instead of tel:+15551234567), or enable TLS for sips:. Check the dial plan or ENUM output that produced the URI.',
    rfc: 'RFC 3261 §21.4.14',
    confusedWith: [
      {
        code: 400,
        difference:
          '400 is for malformed syntax; 416 means the URI is well formed but uses a scheme the server does not serve.',
      },
      {
        code: 404,
        difference:
          '404 looks the user up and does not find it; 416 never gets that far because of the scheme.',
      },
    ],
  },
  {
    code: 417,
    reason: 'Unknown Resource-Priority',
    class: 'client-failure',
    summary: 'the Resource-Priority namespace or value is not understood here',
    meaning:
      'The request required resource-priority handling but used a namespace or priority value the server does not understand. The response lists the ones it knows in Accept-Resource-Priority.',
    whenSeen:
      'Priority-calling networks: government emergency preference schemes (ets, wps), defence networks (dsn, drsn) and emergency-services networks, when a hop is not configured for the namespace the caller uses.',
    fix:
      'Compare the request\'s Resource-Priority with the response\'s Accept-Resource-Priority and configure matching namespaces and values on both sides, or have the border element remove Resource-Priority (and its Require) toward networks that do not support it.',
    rfc: 'RFC 4412',
    confusedWith: [
      {
        code: 420,
        difference:
          '420 means the extension named in Require is not supported at all; 417 means the resource-priority extension is supported but the namespace or value is unknown.',
      },
      {
        code: 403,
        difference:
          '403 is the answer when the caller is not entitled to the priority it asks for; 417 is the answer when the priority value is not even understood.',
      },
    ],
  },
  {
    code: 420,
    reason: 'Bad Extension',
    class: 'client-failure',
    summary: 'the server lacks an extension listed in Require or Proxy-Require',
    meaning:
      'The request listed option tags in Require or Proxy-Require that the server does not support; the Unsupported header in the response names them. The client may retry without requiring them.',
    whenSeen:
      'Require: 100rel toward a device that cannot do PRACK, Require: timer toward a device without session timers, Require: precondition outside IMS, Proxy-Require: sec-agree at a non-IMS proxy, Require: replaces on transfer.',
    fix:
      'Read the Unsupported header and stop requiring that extension: move it from Require to Supported on the caller (for example set 100rel to "supported" rather than "required" on the PBX or SBC), or enable the extension on the receiving side.',
    rfc: 'RFC 3261 §21.4.15',
    confusedWith: [
      {
        code: 421,
        difference:
          '420 is the server refusing an extension the client demanded; 421 is the server demanding an extension the client did not offer.',
      },
      {
        code: 400,
        difference:
          '400 is a syntax problem; 420 is a well-formed request that needs a feature the server lacks.',
      },
    ],
  },
  {
    code: 421,
    reason: 'Extension Required',
    class: 'client-failure',
    summary: 'the server will only proceed if the client supports a required extension',
    meaning:
      'The server needs an extension that the request did not list in Supported; the Require header of the response says which.',
    whenSeen:
      'Servers that insist on reliable provisional responses (100rel), IMS elements requiring preconditions or sec-agree, registrars requiring outbound or GRUU support.',
    fix:
      'Read the Require header of the 421 and enable that extension on the client (PRACK, preconditions, session timers, outbound …), or relax the server\'s requirement.',
    rfc: 'RFC 3261 §21.4.16',
    confusedWith: [
      {
        code: 420,
        difference:
          '421 asks the client to support something; 420 says the server does not support something the client required.',
      },
      {
        code: 422,
        difference:
          '422 is specific to session timers and gives the minimum interval in Min-SE; 421 is the general "you must support extension X".',
      },
      {
        code: 494,
        difference:
          '494 is specific to security-mechanism agreement and lists mechanisms in Security-Server; 421 is the general form.',
      },
    ],
  },
  {
    code: 422,
    reason: 'Session Interval Too Small',
    class: 'client-failure',
    summary: 'Session-Expires is below the minimum this element allows (see Min-SE)',
    meaning:
      'The session-timer interval in the request (Session-Expires) is shorter than a proxy or the UAS accepts. The response carries Min-SE, and the client should retry with a Session-Expires at least that large.',
    whenSeen:
      'INVITEs, re-INVITEs or UPDATEs with a short Session-Expires (90 s, say) toward carriers or SBCs that demand a longer one. INVITE → 422 → INVITE with a larger value is a normal, self-healing exchange.',
    fix:
      'Usually nothing: the caller retries with the Min-SE value. If the call fails at the 422, the client does not implement the retry: raise its session-expires / min-se settings (1800 s is a common choice) or let the SBC normalise session timers.',
    rfc: 'RFC 4028 §6',
    confusedWith: [
      {
        code: 423,
        difference:
          '423 is the same idea for REGISTER/SUBSCRIBE expiry (Min-Expires); 422 is for session-timer intervals (Min-SE).',
      },
      {
        code: 421,
        difference:
          '421 asks for an extension to be supported; 422 accepts session timers but wants a longer interval.',
      },
    ],
  },
  {
    code: 423,
    reason: 'Interval Too Brief',
    class: 'client-failure',
    summary: 'the requested Expires is too short; Min-Expires gives the minimum',
    meaning:
      'The registrar or notifier refuses because the expiry requested is shorter than it allows; Min-Expires in the response gives the smallest value it accepts.',
    whenSeen:
      'Phones set to re-register every 30-60 s to keep NAT bindings open, toward registrars whose minimum is higher; SUBSCRIBE requests with very short expiry.',
    fix:
      'Set the registration or subscription expiry to at least Min-Expires. To keep NAT bindings open, use keep-alives (CRLF, OPTIONS, STUN) rather than very short registrations.',
    rfc: 'RFC 3261 §21.4.17',
    confusedWith: [
      {
        code: 422,
        difference:
          '422 concerns session-timer intervals of a call (Min-SE); 423 concerns the expiry of a registration or subscription (Min-Expires).',
      },
      {
        code: 400,
        difference:
          '400 would mean the Expires value is malformed; 423 means it is valid but too small.',
      },
    ],
  },
  {
    code: 424,
    reason: 'Bad Location Information',
    class: 'client-failure',
    summary: 'the conveyed location (Geolocation header / PIDF-LO) is malformed or unusable',
    meaning:
      'The location carried with the request (a PIDF-LO body or a location reference in the Geolocation header) could not be used: it is malformed, missing, or could not be fetched. A Geolocation-Error header gives a code.',
    whenSeen:
      'Emergency calling (NG911/NG112 and similar): routing elements or PSAPs rejecting calls whose location is malformed, whose location-by-reference URI cannot be dereferenced, or whose Geolocation header points at a body part that is not there.',
    fix:
      'Read the Geolocation-Error code. Validate the PIDF-LO XML (civic or geodetic), make sure a cid: reference matches a body part that is actually present, and that a by-reference URI is reachable and authorised for the recipient.',
    rfc: 'RFC 6442',
    confusedWith: [
      {
        code: 400,
        difference:
          '400 is about the SIP message; 424 is about the location information it conveys.',
      },
      {
        code: 425,
        difference:
          '425 rejects the alert (CAP) payload of a non-interactive emergency message; 424 rejects the location information.',
      },
    ],
  },
  {
    code: 425,
    reason: 'Bad Alert Message',
    class: 'client-failure',
    summary: 'the CAP alert in a non-interactive emergency MESSAGE was rejected',
    meaning:
      'For data-only (non-interactive) emergency calls sent as SIP MESSAGE with a Common Alerting Protocol payload: the recipient could not use the CAP body. An AlertMsg-Error header gives the reason (payload missing, corrupted, or not enough information).',
    whenSeen:
      'Emergency-services networks receiving automatic alerts from sensors, vehicles or other devices that send data but no voice.',
    fix:
      'Read the AlertMsg-Error code; validate the CAP XML against its schema, check that the payload is actually attached where the message says, and that the fields the receiving authority needs are filled in.',
    rfc: 'RFC 8876',
    confusedWith: [
      {
        code: 424,
        difference:
          '424 rejects the location conveyed with a request; 425 rejects the alert payload itself.',
      },
      {
        code: 415,
        difference:
          '415 means the body type is not supported at all; 425 means the CAP body is of the right kind but unusable.',
      },
    ],
  },
  {
    code: 428,
    reason: 'Use Identity Header',
    class: 'client-failure',
    summary: 'the verifier requires an Identity (STIR) header and the request had none',
    meaning:
      'The verification service\'s policy requires calls to carry an Identity header (a signed PASSporT), and this request did not.',
    whenSeen:
      'STIR/SHAKEN deployments: a terminating network or enterprise refusing unsigned calls, often because the originating SBC did not sign or an intermediate element stripped the Identity header.',
    fix:
      'Make sure calls are signed by the originating authentication service (yours or your carrier\'s) and that no SBC or gateway on the path removes the Identity header; check the calling number is one the signer can attest.',
    rfc: 'RFC 8224 §6.2.2',
    confusedWith: [
      {
        code: 438,
        difference:
          '438 means an Identity header was present but failed verification; 428 means there was none.',
      },
      {
        code: 436,
        difference:
          '436 means the certificate reference in the Identity header was unusable; 428 means the header was missing altogether.',
      },
    ],
  },
  {
    code: 429,
    reason: 'Provide Referrer Identity',
    class: 'client-failure',
    summary: 'the refer target wants a signed Referred-By token and got none',
    meaning:
      'For requests triggered by a REFER (call transfer): the transfer target insists on a valid Referred-By security token (an S/MIME-signed body) and the request carried none. The referee should report it back to the referrer, which may resend the REFER with a token.',
    whenSeen:
      'Rarely: transfer targets with strict Referred-By policies. Note that it is not HTTP\'s 429 "Too Many Requests"; SIP has no such code.',
    fix:
      'Have the referrer include a Referred-By token, or relax the transfer target\'s policy. If you were looking for rate limiting, SIP expresses it with 503 and Retry-After.',
    rfc: 'RFC 3892',
    confusedWith: [
      {
        code: 503,
        difference:
          'HTTP uses 429 for rate limiting, but in SIP overload and rate limits are signalled with 503 (usually with Retry-After); SIP\'s 429 is only about Referred-By tokens.',
      },
      {
        code: 403,
        difference:
          '403 is a flat refusal; 429 names what is missing (a Referred-By token) so the request can succeed once it is supplied.',
      },
    ],
  },
  {
    code: 430,
    reason: 'Flow Failed',
    class: 'client-failure',
    summary: 'an edge proxy reports that its outbound flow to the user agent is broken',
    meaning:
      'SIP Outbound: an edge proxy tells the authoritative proxy that one particular flow (connection) to a user agent has failed, so it should try another flow or contact of the same user agent. End devices are not supposed to receive it, and one that does treats it like 400.',
    whenSeen:
      'Deployments using SIP Outbound with edge proxies (often for WebRTC or mobile clients over TCP, TLS or WebSocket) when the client\'s connection has dropped.',
    fix:
      'The client should reconnect and re-register on a new flow. Check that its keep-alive interval (CRLF or STUN) is shorter than the idle timeouts of the NATs, firewalls and load balancers in between, and look at the edge proxy\'s logs for why the connection closed.',
    rfc: 'RFC 5626',
    confusedWith: [
      {
        code: 480,
        difference:
          '480 says the user is unavailable; 430 says only one connection to the user failed and another may still work.',
      },
      {
        code: 439,
        difference:
          '439 rejects a registration because the first hop lacks Outbound support; 430 reports a failed flow for a request being routed.',
      },
      {
        code: 408,
        difference:
          '408 reports a timeout with no reply; 430 is an explicit report from the edge proxy that its flow is dead.',
      },
    ],
  },
  {
    code: 433,
    reason: 'Anonymity Disallowed',
    class: 'client-failure',
    summary: 'the callee\'s policy rejects anonymous (privacy-hidden) callers',
    meaning:
      'The server or callee refuses the request because it is anonymous (From anonymous, Privacy: id and similar) and its policy does not accept anonymous requests.',
    whenSeen:
      'Called users or carriers with anonymous-call rejection enabled, when the caller withholds the number (CLIR, *67) or a PBX/SBC applies privacy on the caller\'s behalf.',
    fix:
      'Present the caller\'s identity and retry: disable number withholding or the Privacy header for that call. If the identity should have been shown, check the PBX/SBC privacy handling (From set to anonymous or Privacy: id added by mistake).',
    rfc: 'RFC 5079',
    confusedWith: [
      {
        code: 403,
        difference:
          '403 is a generic refusal; 433 says exactly why: the request was anonymous.',
      },
      {
        code: 603,
        difference:
          '603 is the callee declining a specific call; 433 is a standing policy against anonymous callers, which presenting an identity resolves.',
      },
    ],
  },
  {
    code: 436,
    reason: 'Bad Identity Info',
    class: 'client-failure',
    summary: 'the certificate reference in the Identity header cannot be used',
    meaning:
      'The verifier could not use the credential reference of the Identity header (the info parameter, the certificate URL): it could not be fetched, uses an unsupported scheme, or is malformed. RFC 4474 called it "Bad Identity-Info".',
    whenSeen:
      'STIR/SHAKEN: certificate URLs (x5u) that the terminating verifier cannot reach (DNS, HTTP errors, firewall), or that point outside the repositories it trusts.',
    fix:
      'Check the certificate URL in the Identity header: it must be reachable over HTTPS from the verifying network and serve the certificate chain in the expected format. Fix the authentication service configuration that sets it.',
    rfc: 'RFC 8224 §6.2.2',
    confusedWith: [
      {
        code: 437,
        difference:
          '437 means the certificate was obtained but is not accepted; 436 means it could not be obtained or used at all.',
      },
      {
        code: 438,
        difference:
          '438 means the signature or claims are wrong; 436 means the verifier never got a usable credential to check them with.',
      },
    ],
  },
  {
    code: 437,
    reason: 'Unsupported Credential',
    class: 'client-failure',
    summary: 'the verifier does not accept the credential (certificate) used to sign',
    meaning:
      'The verifier obtained the signer\'s credential but cannot validate or does not trust it (unknown issuer, unsupported type). RFC 4474 named it "Unsupported Certificate".',
    whenSeen:
      'STIR/SHAKEN: certificates from a CA the verifier does not trust, expired or revoked certificates, test or self-signed certificates in production.',
    fix:
      'Obtain the certificate from a certification authority the terminating networks trust, serve the complete chain, and watch expiry dates; on the verifying side, check the trust anchors.',
    rfc: 'RFC 8224 §6.2.2',
    confusedWith: [
      {
        code: 436,
        difference:
          '436 means the credential could not be retrieved or used; 437 means it was retrieved but is not acceptable.',
      },
      {
        code: 438,
        difference:
          '438 means the credential is fine but the signature does not verify against the request; 437 means the credential itself is rejected.',
      },
    ],
  },
  {
    code: 438,
    reason: 'Invalid Identity Header',
    class: 'client-failure',
    summary: 'the Identity header\'s signature or claims failed verification',
    meaning:
      'The verifier had a usable credential, but the signature in the Identity header does not verify, or the signed claims (calling and called numbers) do not match the request as received.',
    whenSeen:
      'STIR/SHAKEN calls where a hop rewrote the From or To number after signing (adding or removing +, a prefix or a country code), corrupted headers, or a signer using the wrong key for its certificate.',
    fix:
      'Make sure nothing changes the calling and called numbers after signing (or re-sign after the change), normalise numbers to E.164 the same way on both sides, and check that the signing key matches the published certificate. A signature that is merely too old is reported as 403 "Stale Date" instead.',
    rfc: 'RFC 8224 §6.2.2',
    confusedWith: [
      {
        code: 436,
        difference:
          '436 means the verifier could not get at the credential; 438 means it could, and the signature or claims did not check out.',
      },
      {
        code: 428,
        difference:
          '428 means the Identity header was missing; 438 means it was present but invalid.',
      },
    ],
  },
  {
    code: 439,
    reason: 'First Hop Lacks Outbound Support',
    class: 'client-failure',
    summary: 'the registrar supports SIP Outbound but the first-hop proxy does not',
    meaning:
      'A user agent registered using SIP Outbound (reg-id and instance-id), and the registrar supports it, but the edge proxy the registration came through did not show Outbound support, so the registrar refuses to create an Outbound binding.',
    whenSeen:
      'WebRTC or mobile clients with Outbound switched on, registering through an edge proxy or SBC that does not implement it (it adds no Path header with the ob parameter).',
    fix:
      'Enable Outbound on the edge proxy (Path with the ob parameter), or switch Outbound off on the client (no reg-id/instance), then re-register.',
    rfc: 'RFC 5626',
    confusedWith: [
      {
        code: 430,
        difference:
          '430 reports a broken flow while routing a request; 439 rejects a registration because the path cannot support Outbound.',
      },
      {
        code: 421,
        difference:
          '421 asks the client to support an extension; 439 says the client supports it but its first hop does not.',
      },
    ],
  },
  {
    code: 440,
    reason: 'Max-Breadth Exceeded',
    class: 'client-failure',
    summary: 'the forking fan-out limit (Max-Breadth) is used up; no more branches allowed',
    meaning:
      'Max-Breadth limits how many parallel branches a forked request may have in total. A proxy that would need to fork, but has no breadth left to hand out, refuses with 440.',
    whenSeen:
      'Parallel forking with many contacts per user, nested ring groups, or chains of forking proxies; the limit also protects against forking amplification attacks.',
    fix:
      'Reduce the fan-out (fewer simultaneous contacts, sequential rather than parallel hunting), look for forking proxies that route to each other, and only then consider raising Max-Breadth at the origin.',
    rfc: 'RFC 5393',
    confusedWith: [
      {
        code: 483,
        difference:
          '483 is about depth (Max-Forwards ran out along one path); 440 is about breadth (too many parallel branches).',
      },
      {
        code: 482,
        difference:
          '482 reports a detected loop; 440 reports that the fan-out budget ran out, which loops can cause but need not.',
      },
    ],
  },
  {
    code: 469,
    reason: 'Bad Info Package',
    class: 'client-failure',
    summary: 'the INFO used an Info Package the receiver has not agreed to receive',
    meaning:
      'An INFO request named an Info Package (Info-Package header) that the receiver did not declare in Recv-Info for this dialog. The 469 lists the acceptable packages in Recv-Info; the dialog itself continues.',
    whenSeen:
      'DTMF or other mid-call data sent by INFO (for example video fast-update requests, IMS packages) to a peer that did not announce the package during call setup.',
    fix:
      'Check the Recv-Info headers exchanged in the INVITE and its answer and configure both ends to agree on the package; for DTMF, sending RFC 4733 events in the media avoids INFO altogether.',
    rfc: 'RFC 6086',
    confusedWith: [
      {
        code: 489,
        difference:
          '489 rejects an event package (SUBSCRIBE/NOTIFY); 469 rejects an Info Package (INFO).',
      },
      {
        code: 415,
        difference:
          '415 rejects the body type; 469 rejects the package the INFO belongs to.',
      },
    ],
  },
  {
    code: 470,
    reason: 'Consent Needed',
    class: 'client-failure',
    summary: 'a relay needs the recipient\'s permission before sending to this target',
    meaning:
      'Under the SIP consent framework, a relay (such as a URI-list server that fans a request out to many recipients) refuses because a target has not granted permission. Permission-Missing lists those targets; the sender may request permission first.',
    whenSeen:
      'URI-list services: mass INVITEs to conferences, MESSAGE exploders, IMS/RCS group services that implement the consent framework. Rare elsewhere.',
    fix:
      'Obtain the recipients\' consent through the consent mechanism (permission requests) or remove them from the list.',
    rfc: 'RFC 5360',
    confusedWith: [
      {
        code: 403,
        difference:
          '403 is a plain refusal; 470 says permission from the recipient is what is missing and lists whose.',
      },
      {
        code: 433,
        difference:
          '433 is about the sender being anonymous; 470 is about the recipient not having agreed to receive requests through the relay.',
      },
    ],
  },
  {
    code: 480,
    reason: 'Temporarily Unavailable',
    class: 'client-failure',
    summary: 'the callee exists but cannot be reached now (not registered, DND, offline)',
    meaning:
      'The user is known (or the end system was reached), but cannot take the call right now: not registered, logged out, do-not-disturb. Retry-After may suggest when to try again, and the reason phrase may be more specific.',
    whenSeen:
      'Calling an extension whose phone is offline or whose registration has expired, do-not-disturb, mobile softphones that could not be woken by a push notification, and proxies whose forked branches all failed without a better answer.',
    fix:
      'Check whether the callee has a current registration in the registrar\'s location table and, if not, why: network loss, registration expiry longer than the NAT timeout, push-notification setup. Check DND settings. Routing 480 to voicemail is normal behaviour.',
    rfc: 'RFC 3261 §21.4.18',
    confusedWith: [
      {
        code: 404,
        difference:
          '404 says the user does not exist here; 480 says the user exists but is not reachable now.',
      },
      {
        code: 486,
        difference:
          '486 means the callee\'s device was reached and is busy; 480 means the callee could not be reached at all.',
      },
      {
        code: 408,
        difference:
          '408 means nothing answered in time; 480 is an explicit statement that the user is unavailable.',
      },
    ],
  },
  {
    code: 481,
    reason: 'Call/Transaction Does Not Exist',
    class: 'client-failure',
    summary: 'the receiver has no dialog or transaction matching this request',
    meaning:
      'A request meant for an existing dialog or transaction (BYE, re-INVITE, UPDATE, PRACK, NOTIFY, CANCEL…) matches nothing the receiver knows about.',
    whenSeen:
      'BYE or re-INVITE after the other side already ended the call (crossing BYEs, a restart), CANCEL arriving after a 2xx already ended the INVITE transaction, NOTIFY for an expired subscription, a session refresh after the far end timed the session out, B2BUAs or SBCs altering Call-ID or tags inconsistently, load balancers sending in-dialog requests to a different node.',
    fix:
      'Compare the Call-ID, From tag and To tag of the failing request with the messages that created the dialog. Check that in-dialog requests follow the Record-Route set to the same node, whether the session timer expired or the other side already sent BYE, and for NOTIFY, resubscribe.',
    rfc: 'RFC 3261 §21.4.19',
    confusedWith: [
      {
        code: 487,
        difference:
          '487 answers an INVITE that was cancelled; 481 answers a request (often the CANCEL or BYE itself) that matches no known dialog or transaction.',
      },
      {
        code: 408,
        difference:
          '408 means no answer came in time; 481 is a prompt answer that the dialog is unknown.',
      },
      {
        code: 404,
        difference:
          '404 is about the target user of a new request; 481 is about the dialog or transaction of an in-dialog request.',
      },
    ],
  },
  {
    code: 482,
    reason: 'Loop Detected',
    class: 'client-failure',
    summary: 'the request came back to a server it had already passed through',
    meaning:
      'A proxy found that the request had already been through it in the same form, i.e. it is looping.',
    whenSeen:
      'A PBX routing a number to its provider while the provider routes it back; a domain resolving (via DNS) to the proxy itself but missing from its local-domain list; two users forwarding to each other; a server that does not consider one of its own addresses local.',
    fix:
      'Read the Via headers to see the path, and fix the routes so the destination ends on one side. Make sure every proxy lists all of its own hostnames and IP addresses as local domains/aliases, and break circular call forwarding.',
    rfc: 'RFC 3261 §21.4.20',
    confusedWith: [
      {
        code: 483,
        difference:
          '483 means Max-Forwards reached zero, which may or may not be a loop; 482 means a loop was positively detected.',
      },
      {
        code: 440,
        difference:
          '440 is about too many parallel branches; 482 is about the same request coming round again.',
      },
    ],
  },
  {
    code: 483,
    reason: 'Too Many Hops',
    class: 'client-failure',
    summary: 'Max-Forwards reached zero before the request reached its target',
    meaning:
      'The request arrived at an element that would have to forward it, with Max-Forwards already at zero.',
    whenSeen:
      'Routing loops in which each pass alters the request so loop detection does not fire (B2BUAs that reset Max-Forwards make them worse), very long chains of proxies, or a client starting with a tiny Max-Forwards. An OPTIONS sent with Max-Forwards: 0 is a deliberate way to ping the first hop, which may then answer the OPTIONS itself.',
    fix:
      'Count the Via headers and look for repeating hosts; fix the loop in routing. Make sure user agents start with Max-Forwards 70 and that B2BUAs decrement rather than reset it.',
    rfc: 'RFC 3261 §21.4.21',
    confusedWith: [
      {
        code: 482,
        difference:
          '482 means the proxy saw its own earlier pass of the request; 483 only means the hop budget ran out.',
      },
      {
        code: 440,
        difference:
          '440 limits the total number of parallel branches (breadth); 483 limits the number of hops along one path (depth).',
      },
    ],
  },
  {
    code: 484,
    reason: 'Address Incomplete',
    class: 'client-failure',
    summary: 'the dialled number is incomplete; more digits are needed',
    meaning:
      'The Request-URI is incomplete; more digits or information are needed. It is the basis of overlap dialling, where digits are sent as they are typed.',
    whenSeen:
      'Overlap dialling with ISDN/ISUP gateways, PBX dial plans that match a prefix but need more digits, phones that send the call before the user finished dialling (short inter-digit timeout, wrong digit map).',
    fix:
      'Dial the complete number (with area or country code); fix the phone\'s digit map or inter-digit timeout so it sends complete numbers; configure gateways for en-bloc sending if overlap is not wanted.',
    rfc: 'RFC 3261 §21.4.22',
    confusedWith: [
      {
        code: 404,
        difference:
          '404 says the complete address matches nobody; 484 says the address is not complete yet.',
      },
      {
        code: 485,
        difference:
          '485 says the address matches several users; 484 says it does not yet identify anyone.',
      },
    ],
  },
  {
    code: 485,
    reason: 'Ambiguous',
    class: 'client-failure',
    summary: 'the Request-URI matches several users; candidates may be listed',
    meaning:
      'The Request-URI is ambiguous; the response may list the possible addresses in Contact (a server may keep them back for privacy).',
    whenSeen:
      'Rare: name-based or alias dialling (several users called "john"), short codes that map to more than one user.',
    fix:
      'Call a more specific address; fix the directory or alias configuration so each alias maps to exactly one user.',
    rfc: 'RFC 3261 §21.4.23',
    confusedWith: [
      {
        code: 300,
        difference:
          '300 is a redirect offering equivalent locations of the same user; 485 is a failure because the address matches different users.',
      },
      {
        code: 484,
        difference:
          '484 says the address is incomplete; 485 says it matches more than one user.',
      },
    ],
  },
  {
    code: 486,
    reason: 'Busy Here',
    class: 'client-failure',
    summary: 'the callee\'s device is busy; voicemail or other devices may still take it',
    meaning:
      'The callee\'s end system was reached but cannot take another call now. "Here" matters: other locations (other devices, voicemail) may still accept it, so proxies may keep trying other branches. Retry-After may be given.',
    whenSeen:
      'A phone already on a call with call waiting off, users pressing reject on some phones, per-extension or trunk concurrent-call limits on PBXes, and PSTN gateways translating a "user busy" release.',
    fix:
      'Usually a real user state. If it happens wrongly, check call waiting, the per-device or per-user call limit on the PBX, and trunk channel limits; configure forward-on-busy to voicemail if callers should not just get busy tone.',
    rfc: 'RFC 3261 §21.4.24',
    confusedWith: [
      {
        code: 600,
        difference:
          '600 says the callee is busy everywhere and nobody else should be tried; 486 says only this device is busy.',
      },
      {
        code: 480,
        difference:
          '480 means the callee could not be reached; 486 means the device was reached and is busy.',
      },
      {
        code: 603,
        difference:
          '603 is an explicit decline; 486 reports busy (though some phones send 486 when the user rejects a call).',
      },
    ],
  },
  {
    code: 487,
    reason: 'Request Terminated',
    class: 'client-failure',
    summary: 'the INVITE was cancelled (CANCEL or BYE) before it was answered',
    meaning:
      'The request was ended by a CANCEL or BYE before it completed. It is the final answer to the INVITE after a CANCEL; the CANCEL itself gets its own 200.',
    whenSeen:
      'The caller hangs up while it is still ringing; a forking proxy cancels the other branches once one device answers (the cancelled devices answer 487); ring timeouts implemented by sending CANCEL; hunt groups moving to the next member.',
    fix:
      'No fix needed when the caller simply gave up. If calls are cancelled unexpectedly, find who sent the CANCEL (its Via) and why: a caller-side no-answer timer, a PBX ring timeout, an SBC timer waiting for 180. A Reason header on the CANCEL (for example cause 200, "call completed elsewhere") explains branches cancelled after another device answered.',
    rfc: 'RFC 3261 §21.4.25',
    confusedWith: [
      {
        code: 481,
        difference:
          '481 answers a CANCEL or BYE that matches nothing; 487 answers the INVITE that the CANCEL did match and stop.',
      },
      {
        code: 408,
        difference:
          '408 comes from a timer with no answer; 487 comes from someone actively cancelling the request.',
      },
      {
        code: 199,
        difference:
          '199 closes one early dialog while the INVITE continues; 487 ends the INVITE.',
      },
    ],
  },
  {
    code: 488,
    reason: 'Not Acceptable Here',
    class: 'client-failure',
    summary: 'the SDP offer is unacceptable here: codecs, media types, encryption',
    meaning:
      'Some part of the session description (codecs, media type, transport, bandwidth, encryption) is not acceptable to this user agent. A Warning header may say what (e.g. incompatible media format, media type not available).',
    whenSeen:
      'Codec mismatch (G.729-only versus G.711-only), SRTP required on one side and plain RTP offered (RTP/SAVP versus RTP/AVP), a T.38 re-INVITE to a device without fax support, video offered to an audio-only gateway, WebRTC offers (DTLS-SRTP, ICE) to legacy equipment, odd hold or resume SDP.',
    fix:
      'Compare the m= lines and rtpmap codecs of the offer with what the callee allows; enable a common codec or transcoding on the SBC/PBX; align SRTP settings (mandatory, optional, off); read the Warning header; for fax, enable T.38 or fall back to G.711 pass-through.',
    rfc: 'RFC 3261 §21.4.26',
    confusedWith: [
      {
        code: 606,
        difference:
          '606 says the session is unacceptable at every location; 488 only speaks for this device, so other branches may still accept the offer.',
      },
      {
        code: 415,
        difference:
          '415 means the body type itself is not supported; 488 means the SDP was understood but the session it proposes is not acceptable.',
      },
      {
        code: 580,
        difference:
          '580 means required preconditions (QoS, security) cannot be met; 488 means the offered media themselves are unacceptable.',
      },
    ],
  },
  {
    code: 489,
    reason: 'Bad Event',
    class: 'client-failure',
    summary: 'the server does not support the event package in the Event header',
    meaning:
      'A SUBSCRIBE (or NOTIFY, or PUBLISH) named an event package the server does not understand; Allow-Events in the response lists the ones it does.',
    whenSeen:
      'Phones subscribing to BLF (dialog), presence, voicemail indication (message-summary), reg, or vendor events (for example feature-key synchronisation) toward servers that do not offer them, and unsolicited NOTIFYs to devices that do not expect them.',
    fix:
      'Read Allow-Events and either switch the unsupported subscription off on the phone or enable the package on the server (BLF hints, voicemail notification, presence module).',
    rfc: 'RFC 6665 (first defined in RFC 3265)',
    confusedWith: [
      {
        code: 405,
        difference:
          '405 rejects the method for this address; 489 accepts the method but not the event package named.',
      },
      {
        code: 481,
        difference:
          '481 answers a NOTIFY for a subscription that no longer exists; 489 rejects the event package itself.',
      },
    ],
  },
  {
    code: 491,
    reason: 'Request Pending',
    class: 'client-failure',
    summary: 'a re-INVITE/UPDATE collided with one already pending in the dialog (glare)',
    meaning:
      'The receiver has its own offer/answer exchange pending in the same dialog, so it refuses this one. Each side retries after a random delay: the side that owns the Call-ID (sent the original INVITE) waits 2.1-4 s, the other side 0-2 s.',
    whenSeen:
      'Both ends sending re-INVITEs at the same time (hold and resume, session-timer refreshes, codec or media changes by SBCs, transfers), or one side sending a new offer before the previous exchange, including its ACK or PRACK, has finished.',
    fix:
      'Usually self-healing after the back-off. If it keeps happening, make sure only one side refreshes session timers (the refresher parameter), that both honour the random back-off, and that no UPDATE or re-INVITE is sent while an offer is still outstanding.',
    rfc: 'RFC 3261 §21.4.27',
    confusedWith: [
      {
        code: 500,
        difference:
          'A UAS that receives a new INVITE while it is still answering an earlier one in the same dialog replies 500 with Retry-After; 491 is for two offers crossing each other (glare).',
      },
      {
        code: 481,
        difference:
          '481 means the dialog is unknown; 491 means the dialog exists but is busy with another offer.',
      },
    ],
  },
  {
    code: 493,
    reason: 'Undecipherable',
    class: 'client-failure',
    summary: 'the receiver cannot decrypt an S/MIME body (no matching key)',
    meaning:
      'The request carried an encrypted S/MIME body that the receiver cannot decrypt because it has no suitable key.',
    whenSeen:
      'Very rarely: end-to-end S/MIME in SIP is hardly ever deployed; mostly in interoperability testing.',
    fix:
      'Encrypt with the recipient\'s correct public key (check which certificate was used), or send the body unencrypted and rely on TLS hop by hop.',
    rfc: 'RFC 3261 §21.4.28',
    confusedWith: [
      {
        code: 415,
        difference:
          '415 means the body type is not supported; 493 means the S/MIME body is supported but cannot be decrypted.',
      },
      {
        code: 400,
        difference:
          '400 is about malformed syntax; 493 is about an encrypted body that is well formed but unreadable to this receiver.',
      },
    ],
  },
  {
    code: 494,
    reason: 'Security Agreement Required',
    class: 'client-failure',
    summary: 'the server demands a security-mechanism agreement (sec-agree) first',
    meaning:
      'Security-mechanism agreement: the server requires the client to negotiate a security mechanism (TLS, IPsec, digest…) before proceeding. Security-Server in the response lists the mechanisms it offers; the client sets one up and retries with Security-Verify.',
    whenSeen:
      'IMS/VoLTE access (P-CSCF) and SBCs emulating it, toward clients that did not include Security-Client or Require: sec-agree. In 3GPP IMS the first REGISTER is often challenged with a 401 carrying Security-Server rather than a 494.',
    fix:
      'Enable sec-agree on the client (or disable it on the P-CSCF for non-3GPP clients). Make sure the client sends Security-Client with the mechanisms it supports, sets up the chosen one (e.g. IPsec security associations), and echoes the server\'s list unchanged in Security-Verify.',
    rfc: 'RFC 3329',
    confusedWith: [
      {
        code: 421,
        difference:
          '421 asks for an extension in general; 494 asks specifically for a security mechanism to be agreed and lists the options.',
      },
      {
        code: 401,
        difference:
          '401 asks for credentials; 494 asks for a protected channel to be negotiated first (authentication may follow).',
      },
    ],
  },
];
