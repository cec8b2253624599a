/**
 * The fixed-size test frame of `xcap replay --synthetic` and of the capture
 * benchmark: UDP from 198.18.0.2 port 40000 to 198.18.0.1 port 9 (discard) by default,
 * addressed to a MAC nobody has (02:00:00:00:00:99), so a receiving stack
 * drops it unanswered, as frames seen on a mirror port.
 */
import { ethernet } from '../../fixtures/gen/link-layer.js';
import { ipv4, IpProto } from '../../fixtures/gen/ip-layer.js';
import { udp } from '../../fixtures/gen/transport-layer.js';
import { ip4, mac } from '../../fixtures/gen/hosts.js';
import { XcapError } from '../errors.js';

/** Ethernet, IPv4 and UDP headers: the shortest synthetic frame (no FCS). */
export const SYNTHETIC_MIN_SIZE = 42;
export const SYNTHETIC_DST_MAC = '02:00:00:00:00:99';

export interface SyntheticFrameOptions {
  /** Frame length without FCS. */
  size: number;
  /** The sending interface's MAC, "aa:bb:cc:dd:ee:ff". */
  srcMac: string;
  srcAddr?: string;
  dstAddr?: string;
  /** UDP destination port; 9 (discard) unless given. */
  dstPort?: number;
}

export function syntheticFrame(o: SyntheticFrameOptions): Uint8Array {
  if (!Number.isInteger(o.size) || o.size < SYNTHETIC_MIN_SIZE) throw new XcapError(`a synthetic frame has at least ${SYNTHETIC_MIN_SIZE} bytes (its headers), not ${o.size}`);
  const src = ip4(o.srcAddr ?? '198.18.0.2');
  const dst = ip4(o.dstAddr ?? '198.18.0.1');
  const payload = new Uint8Array(o.size - SYNTHETIC_MIN_SIZE);
  return ethernet(mac(SYNTHETIC_DST_MAC), mac(o.srcMac), 0x0800,
    ipv4({ src, dst, protocol: IpProto.UDP }, udp({ src, dst }, { srcPort: 40000, dstPort: o.dstPort ?? 9 }, payload)));
}
