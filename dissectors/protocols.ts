// Every dissector, imported once so that it registers its hand-offs.
// Adding a protocol: a file in proto/ and a line here; no other file changes.
import './proto/frame';
import './proto/eth';
import './proto/ipv4';
import './proto/udp';
import './proto/tcp';
