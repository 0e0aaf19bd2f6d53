/**
 * One captured frame, handed out as a zero-copy view (gopacket's ZeroCopyReadPacketData):
 * `data` is the reader's current chunk and the frame is `data[start, end)`. The object is
 * reused for every frame; a consumer that needs the bytes later must copy them.
 */
export interface FrameView {
  /** 1-based frame number, counting packet records only (as Wireshark does). */
  number: number;
  sec: number;
  nsec: number;
  /** LINKTYPE_* value of the frame's interface. */
  linkType: number;
  /** Interface index (pcapng), 0 for classic pcap. */
  interfaceId: number;
  data: Uint8Array;
  start: number;
  end: number;
  /** Length of the packet on the wire (may exceed end - start when snaplen cut it). */
  origLen: number;
  /** Byte offset of data[start] in the input. */
  fileOffset: number;
}

export function newFrameView(): FrameView {
  return { number: 0, sec: 0, nsec: 0, linkType: 0, interfaceId: 0, data: new Uint8Array(0), start: 0, end: 0, origLen: 0, fileOffset: 0 };
}

/** What a capture reader calls for each frame. */
export type FrameHandler = (frame: FrameView) => void;

/** Facts about the capture that the reader learns while reading. */
export interface CaptureInfo {
  format: 'pcap' | 'pcap-ns' | 'pcap-modified' | 'pcapng';
  bigEndian: boolean;
  /** Link types in use (classic pcap: one; pcapng: one per interface). */
  interfaces: { linkType: number; snaplen: number; tsUnitsPerSecond: number; tsOffsetSec: number; name?: string }[];
  sections: number;
}
