import { newFrameView, type FrameView } from '../../src/parse/capture/frame.js';

/** A frame view over `bytes` at a non-zero offset inside a larger buffer, as the reader hands them out. */
export function frameOf(bytes: Uint8Array, linkType: number, number = 1): FrameView {
  const lead = 7;
  const data = new Uint8Array(lead + bytes.length + 5).fill(0xcc);
  data.set(bytes, lead);
  const frame = newFrameView();
  Object.assign(frame, { number, linkType, data, start: lead, end: lead + bytes.length, origLen: bytes.length, fileOffset: 1000 });
  return frame;
}
