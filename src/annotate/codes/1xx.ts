import type { ResponseCodeInfo } from './types.js';

/** 1xx — provisional responses: the request is being worked on; a final response is still to come. */
export const PROVISIONAL_CODES: readonly ResponseCodeInfo[] = [
  {
    code: 100,
    reason: 'Trying',
    class: 'provisional',
    summary: 'the next hop has the request and is working on it',
    meaning:
      'A hop-by-hop receipt: the next SIP element (proxy, SBC, PBX) has taken charge of the INVITE, so the sender can stop retransmitting it. It says nothing about the called party, and a stateful proxy does not pass received 100s back upstream; it sends its own.',
    whenSeen:
      'Within milliseconds of nearly every INVITE, from the first proxy, SBC or PBX on the path: an INVITE server transaction sends it unless it knows another response will follow within 200 ms. It is rare on non-INVITE requests, which are expected to get a final answer quickly.',
    fix:
      'No fix needed: this is the normal first answer to an INVITE. If the trace stops at 100 for many seconds, the hop that sent it accepted the call but its own outbound leg is stuck: look at that element\'s next INVITE (DNS/SRV lookup of the destination, a gateway that is down, a firewall dropping it). If the caller keeps retransmitting the INVITE even though a 100 was sent, the 100 is not reaching it: check the top Via (sent-by, rport) and NAT in between.',
    rfc: 'RFC 3261 §21.1.1',
    confusedWith: [
      {
        code: 180,
        difference:
          '100 is produced by the next hop and only proves that hop has the request; 180 is produced by the called device itself and travels end to end, meaning someone is being alerted.',
      },
      {
        code: 183,
        difference:
          '100 never carries SDP and never creates an early dialog; 183 comes from the far end (or a gateway speaking for it), usually with SDP so early media can flow.',
      },
    ],
  },
  {
    code: 180,
    reason: 'Ringing',
    class: 'provisional',
    summary: 'the called device is alerting its user; the caller should hear ringback',
    meaning:
      'The user agent that received the INVITE is alerting its user. The response is end to end, usually carries a To tag and so creates an early dialog; without SDP the caller is expected to generate ringback locally.',
    whenSeen:
      'As soon as a phone starts ringing. With parallel forking you see one 180 per ringing device, each with its own To tag. PSTN gateways send it when the network reports alerting, sometimes with SDP attached.',
    fix:
      'No fix needed: the call is ringing. If the caller hears silence after 180, the 180 probably carried SDP and the caller waits for early media that never comes (or the reverse): check whether the 180 has a body and the caller\'s ringback/early-media settings. If the 180 carries Require: 100rel, the caller must answer it with PRACK or the callee retransmits and may drop the call.',
    rfc: 'RFC 3261 §21.1.2',
    confusedWith: [
      {
        code: 183,
        difference:
          '180 says the user is being alerted and the caller normally plays its own ringback; 183 reports other progress and usually brings SDP so the network can play tones or announcements as early media.',
      },
      {
        code: 100,
        difference:
          '180 comes from the called device and proves it was reached; 100 only proves the next hop received the request.',
      },
    ],
  },
  {
    code: 181,
    reason: 'Call Is Being Forwarded',
    class: 'provisional',
    summary: 'a server is diverting the call to another destination',
    meaning:
      'Informational: a proxy or the called user agent is sending the call on to a different target (call forwarding). The call continues; nothing is asked of the caller.',
    whenSeen:
      'Call forwarding (unconditional, busy or no answer) on PBXes and feature servers, often next to a Diversion or History-Info header naming the original target. Many systems forward without ever sending it.',
    fix:
      'No fix needed: the call is being forwarded. If it ends up somewhere unexpected, read the Diversion / History-Info headers of the forwarded INVITE and check the called user\'s forwarding rules; forwarding that points back at itself shows up later as 482 or 483.',
    rfc: 'RFC 3261 §21.1.3',
    confusedWith: [
      {
        code: 302,
        difference:
          '181 means the server itself forwards the call and the transaction goes on; 302 is a final answer telling the caller to send a new request to the Contact address itself.',
      },
      {
        code: 180,
        difference:
          '181 only reports that forwarding is under way; 180 means a device is actually alerting its user.',
      },
    ],
  },
  {
    code: 182,
    reason: 'Queued',
    class: 'provisional',
    summary: 'the callee is busy or unavailable, and the call is waiting in a queue',
    meaning:
      'The called party cannot take the call now, but the server holds the call in a queue instead of rejecting it; a final response follows once it is served or gives up. It may be repeated, and the reason phrase may carry queue details.',
    whenSeen:
      'Call-centre queues, ACDs and hunt groups when every agent is busy. It is uncommon: many queue systems answer with 200 and play music instead.',
    fix:
      'No fix needed while the wait is acceptable. If queued calls end in 408 or 487, the caller or a proxy timer (the proxy INVITE timer Timer C is over three minutes) gave up first: look at queue capacity and agent availability, or announce an overflow destination.',
    rfc: 'RFC 3261 §21.1.4',
    confusedWith: [
      {
        code: 486,
        difference:
          '486 rejects the call because the callee is busy; 182 keeps the call pending and a final answer comes later.',
      },
      {
        code: 180,
        difference:
          '180 means a device is alerting now; 182 means the call waits before any device is alerted.',
      },
    ],
  },
  {
    code: 183,
    reason: 'Session Progress',
    class: 'provisional',
    summary: 'call-setup progress, usually with SDP so early media (tones, messages) can flow',
    meaning:
      'A catch-all progress report for a call still being set up. In practice it almost always carries an SDP answer so the caller can hear early media (remote ringback, announcements, IVR prompts) before the call is answered.',
    whenSeen:
      'From PSTN gateways and carriers when the network has in-band tones or announcements, from SBCs and PBXes playing ringback, before "number not in service" style announcements that end in a 4xx/5xx, and in IMS/VoLTE where 183 with preconditions drives QoS setup (normally with 100rel/PRACK).',
    fix:
      'No fix needed in itself. If early audio is missing or one-way, check the SDP connection address (a private IP behind NAT), the firewall pinholes for RTP, codec agreement, and whether the caller\'s device is allowed to play early media. If the 183 carries Require: 100rel, the caller must send PRACK.',
    rfc: 'RFC 3261 §21.1.5',
    confusedWith: [
      {
        code: 180,
        difference:
          '183 reports progress and typically brings early media from the network; 180 specifically means a user is being alerted, with local ringback expected when it has no SDP.',
      },
      {
        code: 199,
        difference:
          '183 opens or updates an early dialog; 199 announces that one early dialog has ended.',
      },
    ],
  },
  {
    code: 199,
    reason: 'Early Dialog Terminated',
    class: 'provisional',
    summary: 'one early dialog (a forked branch) ended before the final response',
    meaning:
      'A forking proxy or the UAS tells upstream that the early dialog with this To tag is gone, before the INVITE gets its final answer. The caller can release media resources tied to that branch; the INVITE transaction itself carries on.',
    whenSeen:
      'Mostly IMS/VoLTE with parallel forking, when one device rejects (e.g. 486 or 603) while others keep ringing, and only if the caller advertised Supported: 199.',
    fix:
      'No fix needed. If the caller keeps playing early media from the dead branch, check that it sends Supported: 199 and acts on the response; remember that the call is still in progress until a final response arrives.',
    rfc: 'RFC 6228',
    confusedWith: [
      {
        code: 487,
        difference:
          '487 is a final response that ends the whole INVITE; 199 is provisional and only closes one early dialog while other branches go on.',
      },
      {
        code: 183,
        difference:
          '183 reports progress on a live early dialog; 199 reports that an early dialog has been terminated.',
      },
    ],
  },
];
