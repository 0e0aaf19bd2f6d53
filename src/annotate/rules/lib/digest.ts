import type { SipMessage } from '../../../parse/sip/types.js';
import { credentialsOf } from '../../../parse/sip/header-values.js';
import { parseUri } from '../../../parse/sip/headers.js';

/**
 * The Digest uri names the Request-URI: the same scheme, user, host and port, the host without
 * regard to case (RFC 3261 §19.1.4). Parameters are not compared: a uri that differs only there is
 * not claimed to be another URI.
 */
function namesRequestUri(digestUri: string, requestUri: string): boolean {
  const a = parseUri(digestUri);
  const b = parseUri(requestUri);
  if (a.scheme === '' || b.scheme === '') return digestUri === requestUri;
  return a.scheme === b.scheme && a.user === b.user && a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port;
}

/**
 * The Digest uri of the request's credentials and its Request-URI, when the uri does not name the
 * Request-URI: RFC 3261 §22.4 takes the Digest of HTTP, whose digest-uri is the Request-URI, so a server may refuse credentials computed over another URI. Null otherwise (no
 * credentials, no uri, or the right one).
 */
export function otherDigestUri(request: SipMessage): { digestUri: string; requestUri: string } | null {
  const digestUri = credentialsOf(request)?.params['uri'];
  const requestUri = request.requestUri;
  if (digestUri === undefined || requestUri === null || namesRequestUri(digestUri, requestUri)) return null;
  return { digestUri, requestUri };
}
