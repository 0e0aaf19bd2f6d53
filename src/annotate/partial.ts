/**
 * Whether an entry is a fragment: nothing in the capture shows it being set up. Every request
 * in it carries a To tag, so it was sent inside a dialog (RFC 3261 §12.2.1.1: a request within a
 * dialog has the remote tag in To), and so does every response; what began the dialog (the
 * INVITE, the SUBSCRIBE) was sent before the capture began, or was missed. A BYE and its 200 OK
 * alone are such a fragment: the call is over, but it was not "completed" in the capture, and
 * how it was set up, answered and how long it rang is not there.
 *
 * CANCEL is left out: it copies the To of the INVITE it cancels (RFC 3261 §9.1), tag and all,
 * so a CANCEL with no tag does not say the INVITE was captured. A response with no To tag
 * (a 100 Trying, RFC 3261 §8.2.6.2) answers a request sent outside any dialog: that request
 * began the entry, even when it is not itself in the capture (sent inside an IPsec tunnel).
 */
import type { Call } from '../parse/dialog/types.js';

export function isPartial(call: Call): boolean {
  if (call.messages.length === 0) return false;
  for (const m of call.messages) {
    const msg = m.captured.message;
    if (msg.kind === 'request' && msg.method === 'CANCEL') continue;
    if (msg.toTag == null) return false;
  }
  return true;
}
