/**
 * Where tshark's conversation and endpoint taps fire in a frame: once for
 * every layer of the tapped protocol that got as far as tapping (an
 * IP-in-IP frame taps ip twice), each time with that layer's addresses, and
 * for TCP and UDP with pinfo->src and pinfo->dst as the IP layer above left
 * them (an IPv6 routing header's final destination).
 */
import type { FrameRecord } from './statistic.js';

export type AddressType = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';

export const ADDRESS_TYPES: readonly AddressType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** The protocol's short name, which titles its tables ("IPv4 Conversations"). */
export const TYPE_TITLES: Record<AddressType, string> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

export interface Tap {
  src: string;
  dst: string;
  /** Ports of TCP and UDP; 0 for the others. */
  srcPort: number;
  dstPort: number;
  /** TCP's and UDP's stream number, which tells a reused address pair apart; -1 for the others. */
  stream: number;
}

const FIELDS = {
  eth: ['eth.src', 'eth.dst'],
  ip: ['ip.src', 'ip.dst'],
  ipv6: ['ipv6.src', 'ipv6.dst', 'ipv6.fraghdr.offset'],
  routing: ['ipv6.routing.type', 'ipv6.routing.segleft', 'ipv6.routing.src.addr', 'ipv6.routing.mipv6.home_address'],
  tcp: ['tcp.srcport', 'tcp.dstport', 'tcp.stream', 'tcp.hdr_len'],
  udp: ['udp.srcport', 'udp.dstport', 'udp.stream'],
};

/** The fields tapsOf reads for this type. */
export function tapFields(type: AddressType): string[] {
  if (type === 'tcp' || type === 'udp') return [...FIELDS[type], ...FIELDS.ip, ...FIELDS.ipv6, ...FIELDS.routing];
  return type === 'ipv6' ? [...FIELDS.ipv6] : [...FIELDS[type]];
}

const isError = (layer: string | undefined): boolean => layer === '_ws.malformed' || layer === '_ws.short';
const isIpv6Extension = (layer: string): boolean => layer.startsWith('ipv6.');

/** The frame's taps of this type, in order. */
export function tapsOf(type: AddressType, frame: FrameRecord): Tap[] {
  const taps: Tap[] = [];
  const v = (name: string, k: number): string | undefined => frame.values(name)[k];
  const seen = new Map<string, number>();
  const nth = (layer: string): number => {
    const k = seen.get(layer) ?? 0;
    seen.set(layer, k + 1);
    return k;
  };
  const layers = frame.layers;
  let net: { src: string; dst: string } | undefined;
  let fragments = 0;
  let routing = 0;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    if (layer === 'eth' || layer === 'ip') {
      const k = nth(layer);
      const src = v(`${layer}.src`, k);
      const dst = v(`${layer}.dst`, k);
      if (src === undefined || dst === undefined) continue;
      if (layer === 'ip') net = { src, dst };
      if (layer === type) taps.push({ src, dst, srcPort: 0, dstPort: 0, stream: -1 });
    } else if (layer === 'ipv6') {
      const k = nth(layer);
      const src = v('ipv6.src', k);
      const dst = v('ipv6.dst', k);
      if (src === undefined || dst === undefined) continue;
      net = { src, dst };
      // IPv6 taps once past its extension headers, and not for a fragment after the first.
      let j = i + 1;
      let laterFragment = false;
      let finalDst: string | undefined;
      for (; j < layers.length && isIpv6Extension(layers[j]); j++) {
        if (layers[j] === 'ipv6.fraghdr' && Number(v('ipv6.fraghdr.offset', fragments++) ?? 0) > 0) laterFragment = true;
        if (layers[j] === 'ipv6.routing') finalDst = routingDestination(frame, routing++) ?? finalDst;
      }
      if (finalDst !== undefined) net = { src, dst: finalDst };
      if (type === 'ipv6' && !laterFragment && j < layers.length && !isError(layers[j])) {
        taps.push({ src, dst, srcPort: 0, dstPort: 0, stream: -1 });
      }
      i = j - 1;
    } else if (layer === 'tcp' || layer === 'udp') {
      const k = nth(layer);
      const [sp, dp, stream] = FIELDS[layer].map((name) => v(name, k));
      if (layer !== type || !net || sp === undefined || dp === undefined || stream === undefined) continue;
      // TCP taps after its header and options: not when they are bogus or cut short.
      if (layer === 'tcp' && (Number(v('tcp.hdr_len', k) ?? 0) < 20 || isError(layers[i + 1]))) continue;
      taps.push({ src: net.src, dst: net.dst, srcPort: Number(sp), dstPort: Number(dp), stream: Number(stream) });
    }
  }
  return taps;
}

/** Where the k-th routing header says the packet finally goes (Wireshark then sets pinfo->dst to it), if it has segments left. */
function routingDestination(frame: FrameRecord, k: number): string | undefined {
  if (Number(frame.values('ipv6.routing.segleft')[k] ?? 0) === 0) return undefined;
  const type = Number(frame.values('ipv6.routing.type')[k]);
  // Each header's addresses are not told apart by occurrence: only a frame's single routing header is read.
  if (frame.values('ipv6.routing.type').length !== 1) return undefined;
  if (type === 0) return frame.values('ipv6.routing.src.addr').at(-1);
  if (type === 2) return frame.values('ipv6.routing.mipv6.home_address')[0];
  return undefined;
}
