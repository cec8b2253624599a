/**
 * Names of field values that display filters take in place of numbers, as
 * Wireshark 4.0 takes a field's value_string or true/false strings
 * ("ip.proto == UDP", "tcp.flags.syn == Set"), matched without regard to
 * case.  xcap's dissectors carry no such tables, so a field has names here
 * only when it declares them below: a handful of the most used fields, with
 * Wireshark's names.  For any other field a name is refused.
 */

/** A field's value names: [value, name] pairs, the first match wins. */
type ValueNames = readonly (readonly [bigint, string])[];

const SET: ValueNames = [[1n, 'Set'], [0n, 'Not set']];

const IP_PROTOCOLS: ValueNames = [
  [0n, 'IPv6 Hop-by-Hop Option'], [1n, 'ICMP'], [2n, 'IGMP'], [4n, 'IPIP'], [6n, 'TCP'], [9n, 'IGRP'], [17n, 'UDP'],
  [33n, 'Datagram Congestion Control Protocol'], [41n, 'IPv6'], [43n, 'Routing Header for IPv6'], [44n, 'Fragment Header for IPv6'],
  [46n, 'Reservation Protocol'], [47n, 'Generic Routing Encapsulation'], [50n, 'Encap Security Payload'], [51n, 'Authentication Header'],
  [58n, 'ICMPv6'], [59n, 'No Next Header for IPv6'], [60n, 'Destination Options for IPv6'], [89n, 'OSPF IGP'], [103n, 'PIM'],
  [112n, 'VRRP'], [132n, 'SCTP'], [136n, 'UDPLite'],
];

const VALUE_NAMES: Record<string, ValueNames> = {
  'ip.proto': IP_PROTOCOLS,
  'ipv6.nxt': IP_PROTOCOLS,
  'eth.type': [
    [0x0800n, 'IPv4'], [0x0806n, 'ARP'], [0x86ddn, 'IPv6'], [0x8100n, '802.1Q Virtual LAN'], [0x8035n, 'RARP'], [0x80f3n, 'AARP'],
    [0x8137n, 'Netware IPX/SPX'], [0x8847n, 'MPLS label switched packet'], [0x8863n, 'PPPoE Discovery'], [0x8864n, 'PPPoE Session'],
    [0x8809n, 'Slow Protocols'], [0x888en, '802.1X Authentication'], [0x88a8n, '802.1ad Provider Bridge (Q-in-Q)'],
    [0x88ccn, '802.1 Link Layer Discovery Protocol (LLDP)'], [0x88e5n, '802.1AE (MACsec)'],
  ],
  'arp.opcode': [[1n, 'request'], [2n, 'reply'], [3n, 'reverse request'], [4n, 'reverse reply']],
  'icmpv6.type': [
    [1n, 'Destination Unreachable'], [2n, 'Packet Too Big'], [3n, 'Time Exceeded'], [4n, 'Parameter Problem'],
    [128n, 'Echo (ping) request'], [129n, 'Echo (ping) reply'], [130n, 'Multicast Listener Query'], [131n, 'Multicast Listener Report'],
    [132n, 'Multicast Listener Done'], [133n, 'Router Solicitation'], [134n, 'Router Advertisement'], [135n, 'Neighbor Solicitation'],
    [136n, 'Neighbor Advertisement'], [137n, 'Redirect'], [143n, 'Multicast Listener Report Message v2'],
  ],
  'ip.flags.rb': SET, 'ip.flags.df': SET, 'ip.flags.mf': SET,
  'tcp.flags.res': SET, 'tcp.flags.ae': SET, 'tcp.flags.cwr': SET, 'tcp.flags.ece': SET, 'tcp.flags.urg': SET,
  'tcp.flags.ack': SET, 'tcp.flags.push': SET, 'tcp.flags.reset': SET, 'tcp.flags.syn': SET, 'tcp.flags.fin': SET,
  'dns.flags.response': [[1n, 'Message is a response'], [0n, 'Message is a query']],
  'dns.flags.recdesired': [[1n, 'Do query recursively'], [0n, "Don't do query recursively"]],
  'dns.flags.recavail': [[1n, 'Server can do recursive queries'], [0n, "Server can't do recursive queries"]],
  'dns.flags.truncated': [[1n, 'Message is truncated'], [0n, 'Message is not truncated']],
  'dns.flags.authoritative': [[1n, 'Server is an authority for domain'], [0n, 'Server is not an authority for domain']],
};

/** Whether field `field` has value names. */
export function hasValueNames(field: string): boolean {
  return VALUE_NAMES[field] !== undefined;
}

/** The value field `field` names `name`, or undefined when it has no such name. */
export function valueNamed(field: string, name: string): bigint | undefined {
  const wanted = name.toLowerCase();
  return VALUE_NAMES[field]?.find(([, n]) => n.toLowerCase() === wanted)?.[0];
}
