/**
 * The live view's words for data the analysis gives (src/analysis/progress.ts, the open calls'
 * media so far): "INVITE sent 8 s ago, only 100 Trying", "answered 0:42", "ended 486".
 */
import type { CallProgress } from '../../analysis/progress.js';
import type { Lang } from '../../annotate/i18n.js';
import type { MediaSoFar } from '../../parse/media/join.js';
import { LIVE } from '../catalog.js';

/** A span as a clock: "0:42", "12:05", "1:02:09" (whole seconds, rounded down: a call answered 0.9 s ago shows 0:00). */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A wait in whole seconds: "8 s"; past a minute, as a clock. */
function ago(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.floor(ms / 1000))} s` : clock(ms);
}

/** Where a call stands, in one line. */
export function progressText(p: CallProgress, lang: Lang): string {
  const w = LIVE[lang];
  switch (p.phase) {
    case 'inviting':
      return p.provisional === null ? w.inviting(ago(p.sinceMs)) : w.trying(ago(p.sinceMs));
    case 'ringing':
      return w.ringing(ago(p.sinceMs), p.status);
    case 'answered':
      return w.answered(clock(p.sinceMs));
    case 'ended':
      if (p.how === 'bye') return p.talkMs === null ? w.hungUpUnanswered : w.hungUp(clock(p.talkMs));
      if (p.how === 'cancel') return w.cancelled;
      return w.rejected(p.status ?? 0);
    case 'request':
      return p.status === null ? w.waiting(p.method ?? '?', ago(p.sinceMs)) : w.done(p.method ?? '?', p.status);
  }
}

/** An open call's media so far in a few words; empty when none was announced. */
export function mediaSoFarText(m: MediaSoFar | null, lang: Lang): string {
  if (m === null || (m.announced === 0 && m.streams === 0)) return '';
  return m.streams === 0 ? LIVE[lang].mediaAnnounced : LIVE[lang].media(m.streams, m.packets);
}
