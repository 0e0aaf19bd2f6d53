import type { Endpoint } from './types.js';

/** "10.0.0.1:5060" or "[2001:db8::1]:5060" (RFC 3986 §3.2.2): how every layer and report writes an address and port. */
export function formatEndpoint(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
