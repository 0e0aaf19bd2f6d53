import type { Call } from '../../../parse/dialog/types.js';
import type { StoryRef } from '../../patterns.js';

/**
 * Where in `call` the message a cross-call story points at sits (its Call-ID, then its input and
 * frame or line), or -1 when the call does not hold it: a story is told on the one call that does.
 */
export function storyIndex(call: Call, at: StoryRef): number {
  if (call.callId !== at.callId) return -1;
  return call.messages.findIndex((m) => m.captured.file === at.file && m.captured.frame === at.frame && m.captured.line === at.line);
}
