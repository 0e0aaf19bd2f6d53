/** The rules that read SDP and addresses (part of the explicit registry in index.ts). */
import { codecMismatch } from './codec-mismatch.js';
import { mediaHints } from './media-hints.js';
import { lateMedia } from './late-media.js';
import { mediaAfterBye } from './media-after-bye.js';
import { mediaQuality } from './media-quality.js';
import { natHints } from './nat-hints.js';
import { noMedia } from './no-media.js';
import { oneWayMedia } from './one-way-media.js';
import { payloadNotNegotiated } from './payload-not-negotiated.js';
import { ssrcChange } from './ssrc-change.js';
import { mediaStopped } from './media-stopped.js';
import { dtmfMethodMismatch } from './dtmf-method-mismatch.js';
import { mediaUnannouncedAddress } from './media-unannounced-address.js';
import { t38Switch } from './t38-switch.js';
import { sdpInvalid } from './sdp-invalid.js';
import { icmpUnreachable } from './icmp-unreachable.js';
import type { Rule } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own option type
export const MEDIA_RULES: readonly Rule<any>[] = [codecMismatch, sdpInvalid, mediaHints, natHints, noMedia, oneWayMedia, lateMedia, mediaAfterBye, mediaQuality, payloadNotNegotiated, ssrcChange, mediaStopped, dtmfMethodMismatch, mediaUnannouncedAddress, t38Switch, icmpUnreachable];
