// IP protocol numbers as tshark names them in the info column ("Unknown IP
// Protocol: %s (%u)").  The names are IANA's, worded as Wireshark words them.
import { puts } from '../text';

const NAMES: StaticArray<string> = [
  'IPv6 Hop-by-Hop Option', 'ICMP', 'IGMP', 'GGP', 'IPIP', 'Stream', 'TCP', 'CBT', 'EGP', 'IGRP', 'BBN RCC',
  'Network Voice', 'PUP', 'ARGUS', 'EMCON', 'XNET', 'CHAOS', 'UDP', 'Multiplex', 'DCN Measurement',
  'Host Monitoring', 'Packet radio', 'IDP', 'Trunk-1', 'Trunk-2', 'Leaf-1', 'Leaf-2', 'Reliable Data', 'IRT',
  'ISO TP4', 'Bulk Data', 'MFE NSP', 'Merit Internodal', 'Datagram Congestion Control Protocol',
  '3rd Party Connect', 'Inter-Domain Policy Routing Protocol', 'XTP', 'Datagram delivery', 'Control Message',
  'TP++', 'IL', 'IPv6', 'Source demand routing', 'Routing Header for IPv6', 'Fragment Header for IPv6',
  'Inter-Domain Routing Protocol', 'Reservation Protocol', 'Generic Routing Encapsulation',
  'Dynamic source routing', 'BNA', 'Encap Security Payload', 'Authentication Header', 'INSLP', 'SWIPE',
  'NBMA ARP', 'IP Mobility', 'TLSP Kryptonet', 'SKIP', 'ICMPv6', 'No Next Header for IPv6',
  'Destination Options for IPv6', 'any host internal protocol', 'Mobile IPv6 (old)', 'any local network',
  'SATNET EXPAK', 'Kryptolan', 'Remote Virtual Disk', 'IPPC', 'any distributed file system',
  'SATNET Monitoring', 'VISA', 'IPCV', 'CPNX', 'CPHB', 'Wang Span', 'Packet Video', 'Backroom SATNET Mon',
  'Sun ND Protocol', 'Wideband Mon', 'Wideband Expak', 'ISO Internet Protocol', 'VMTP', 'Secure VMTP',
  'VINES', 'TTP', 'NSFNET IGP', 'Dissimilar Gateway', 'TCF', 'EIGRP', 'OSPF IGP', 'Sprite RPC', 'Locus ARP',
  'Multicast Transport', 'AX.25 Frames', 'IP in IP', 'MICP', 'Semaphore', 'Ether in IP', 'ENCAP',
  'any private encryption scheme', 'GMTP', 'Ipsilon Flow', 'PNNI over IP', 'PIM', 'ARIS', 'SCPS', 'QNX',
  'Active Networks', 'IPComp', 'Sitara Networks', 'Compaq Peer', 'IPX IN IP', 'VRRP', 'PGM',
  'any 0-hop protocol', 'Layer 2 Tunneling', 'DDX', 'IATP', 'STP', 'SpectraLink', 'UTI', 'SMP', 'SM', 'PTP',
  'ISIS over IP', 'FIRE', 'CRTP', 'CRUDP', 'SSCOPMCE', 'IPLT', 'Secure Packet', 'PIPE', 'SCTP',
  'Fibre Channel', 'RSVP E2EI', 'Mobile IPv6', 'UDPLite', 'MPLS in IP', 'MANET', 'HIP', 'Shim6 header',
  'WESP', 'ROHC', 'Ethernet',
];

/** The name of IP protocol p, 'Unassigned' or 'Unknown' as tshark has it. */
export function putIpProtoName(p: u32): void {
  if (p < <u32>NAMES.length) puts(unchecked(NAMES[p]));
  else if (p == 173) puts('AX/4000 Testframe');
  else if (p == 224) puts('Novell NCS Heartbeat');
  else if (p < 225) puts('Unassigned');
  else puts('Unknown');
}
