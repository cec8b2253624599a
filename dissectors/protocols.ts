// Every dissector, imported once so that it registers its hand-offs.
// Adding a protocol: a file in proto/ and a line here; no other file changes.
import './proto/frame';
// Link layers and encapsulations
import './proto/eth';
import './proto/vlan';
import './proto/arp';
import './proto/sll';
import './proto/null';
import './proto/raw';
import './proto/ppp';
import './proto/pppoe';
import './proto/mpls';
import './proto/gre';
import './proto/vxlan';
import './proto/geneve';
import './proto/macsec';
import './proto/lldp';
import './proto/nsh';
import './proto/erspan';
import './proto/chdlc';
import './proto/avsp';
import './proto/cmd';
import './proto/ipoib';
import './proto/arcnet';
import './proto/ipnet';
import './proto/nflog';
import './proto/pktap';
import './proto/fr';
// Network and transport
import './proto/ipv4';
import './proto/ipv6';
import './proto/icmp';
import './proto/icmpv6';
import './proto/udp';
import './proto/tcp';
import './proto/pim';
// Applications
import './proto/dns';
import './proto/echo';
import './proto/dhcp';
import './proto/ntp';
import './proto/ptp';
import './proto/bfd';
import './proto/hsrp';
import './proto/vrrp';
import './proto/http';
import './proto/tls';
