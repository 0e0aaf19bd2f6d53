import type { ResponseCodeInfo } from './types.js';

/** 6xx — global failure: the request will fail wherever it is sent; forking stops. */
export const GLOBAL_FAILURE_CODES: readonly ResponseCodeInfo[] = [
  {
    code: 600,
    reason: 'Busy Everywhere',
    class: 'global-failure',
    summary: 'the callee is busy, and no other location (devices, voicemail) will take it',
    meaning:
      'The callee\'s end system was reached and is busy, and it knows that no other destination (other devices, voicemail) will accept the call, so proxies should stop trying. Retry-After may be given.',
    whenSeen:
      'Rarely: some hosted PBXes when every device of the user is busy and there is no voicemail, and some carriers or do-not-disturb features.',
    fix:
      'Nothing to fix on the network: the user is busy; try again later. If voicemail should have taken the call, the callee\'s side should answer busy with 486 (which lets the call fall through to other targets) instead of 600.',
    rfc: 'RFC 3261 §21.6.1',
    confusedWith: [
      {
        code: 486,
        difference:
          '486 says this device is busy and other locations may still answer; 600 says every location is busy and forking should stop.',
      },
      {
        code: 603,
        difference:
          '603 is a deliberate decline; 600 reports that the callee is occupied.',
      },
    ],
  },
  {
    code: 603,
    reason: 'Decline',
    class: 'global-failure',
    summary: 'the callee refused the call, and no other location should be tried',
    meaning:
      'The callee\'s device was reached, but the user does not want to (or cannot) take part, and no other location should be tried. Retry-After may suggest a better time.',
    whenSeen:
      'Users pressing decline on phones and mobile apps (some send 486 instead), call screening, do-not-disturb set to reject, and carrier-side blocking of some destinations or callers.',
    fix:
      'Usually the callee\'s choice; nothing to fix. If it is unexpected, check whether the callee\'s device rejects automatically (DND mapped to 603), blocking lists, and carrier fraud or robocall blocks against the calling number.',
    rfc: 'RFC 3261 §21.6.2',
    confusedWith: [
      {
        code: 486,
        difference:
          '486 reports a busy device, and other locations may still answer; 603 is an explicit refusal that ends the search.',
      },
      {
        code: 403,
        difference:
          '403 is a server policy decision at one server; 603 is the callee (or its device) refusing, valid for every location.',
      },
      {
        code: 607,
        difference:
          '607 also marks the caller as unwanted (spam), which can feed call analytics; 603 just declines this call.',
      },
    ],
  },
  {
    code: 604,
    reason: 'Does Not Exist Anywhere',
    class: 'global-failure',
    summary: 'authoritative answer: the called user does not exist anywhere',
    meaning:
      'The server has authoritative information that the user named in the Request-URI does not exist anywhere, so trying other servers is pointless.',
    whenSeen:
      'Uncommon: some carriers and number-lookup or routing databases for unallocated or invalid numbers (many send 404 in the same case).',
    fix:
      'Check the number or address itself (format, typos, country code); if it is right, the number is not in service: update the contact or routing data.',
    rfc: 'RFC 3261 §21.6.3',
    confusedWith: [
      {
        code: 404,
        difference:
          '404 only covers the domain this server is responsible for; 604 claims the user exists nowhere.',
      },
      {
        code: 410,
        difference:
          '410 says the user existed here and left; 604 says the user does not exist anywhere.',
      },
    ],
  },
  {
    code: 606,
    reason: 'Not Acceptable',
    class: 'global-failure',
    summary: 'the proposed session is unacceptable everywhere (media, bandwidth, addressing)',
    meaning:
      'The callee\'s agent was reached, but some part of the session description (media type, bandwidth, addressing) is not acceptable, and this holds for every location. A Warning header may explain.',
    whenSeen:
      'Endpoints that reject video or unsupported codecs with 606 instead of 488; rare compared with 488.',
    fix:
      'Treat it like 488: read the Warning header and the SDP, offer a codec and media the callee supports, and strip unsupported media lines (video, for instance) at the SBC.',
    rfc: 'RFC 3261 §21.6.4',
    confusedWith: [
      {
        code: 488,
        difference:
          '488 only concerns this device, so other branches may accept the offer; 606 says no location will.',
      },
      {
        code: 406,
        difference:
          '406 is about content types of response bodies; 606 is about the session described in the SDP.',
      },
    ],
  },
  {
    code: 607,
    reason: 'Unwanted',
    class: 'global-failure',
    summary: 'the called party marked this call as unwanted (spam or robocall)',
    meaning:
      'The called party does not want this call and flags the caller as unwanted; networks and call-analytics services may use the signal, and later calls from the same source will probably be rejected too.',
    whenSeen:
      'Users pressing a "block" or "report spam" button on devices or carrier apps; spam-filtering services acting for the user.',
    fix:
      'If you are the caller and the traffic is legitimate: check the reputation of your calling numbers with analytics providers, sign calls with STIR/SHAKEN at full attestation, and contact the terminating carrier. Do not simply retry.',
    rfc: 'RFC 8197',
    confusedWith: [
      {
        code: 603,
        difference:
          '603 declines this call; 607 additionally says the caller is unwanted, which can be used to block future calls.',
      },
      {
        code: 608,
        difference:
          '607 is the called user\'s decision; 608 is a decision by an intermediary (such as an analytics engine) in the network.',
      },
    ],
  },
  {
    code: 608,
    reason: 'Rejected',
    class: 'global-failure',
    summary: 'an intermediary (e.g. a call-analytics engine) rejected the call, not the user',
    meaning:
      'An intermediary, not the called user, rejected the call, typically an automated call-analytics or robocall filter. The response can carry a Call-Info header with a contact for callers who believe they were blocked in error.',
    whenSeen:
      'Carrier-level robocall and fraud blocking, enterprise call-screening services.',
    fix:
      'As the caller, look in the 608 for Call-Info and use it to ask for the block to be lifted; check your numbers\' reputation, STIR/SHAKEN attestation and calling patterns (very high call rates, very short calls).',
    rfc: 'RFC 8688',
    confusedWith: [
      {
        code: 607,
        difference:
          '607 comes from the called party; 608 comes from a machine or service in the network.',
      },
      {
        code: 603,
        difference:
          '603 is the callee declining; 608 is an intermediary rejecting the call before the callee is involved.',
      },
      {
        code: 403,
        difference:
          '403 is a policy refusal by one server that other routes might not share; 608 is a global rejection meant to stop retries everywhere.',
      },
    ],
  },
];
