// Wireshark's conversations with a wildcard port B (NO_PORT_B): opened by a
// request from a client's address and port to a server's address, they
// take every later datagram between those two endpoints, in either
// direction, whatever the server's port (a TFTP transfer, a Kerberos
// client's follow-ups).  A ring of the last CAPACITY opened; a capture with
// more live ones forgets the oldest.
import { srcKind, srcPtr, dstPtr, AddrKind, streamSerial } from './packet';

export const CONVERSATION_CAPACITY: u32 = 64;
const CAPACITY = CONVERSATION_CAPACITY;
const ADDR: u32 = 16;

function addrLength(): u32 { return srcKind == AddrKind.IPV4 ? 4 : 16; }

function sameBytes(a: usize, b: u32, n: u32): bool {
  for (let i: u32 = 0; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

export class PortlessConversations {
  private clientAddr: StaticArray<u8> = new StaticArray<u8>(CAPACITY * ADDR);
  private serverAddr: StaticArray<u8> = new StaticArray<u8>(CAPACITY * ADDR);
  private clientPort: StaticArray<u32> = new StaticArray<u32>(CAPACITY);
  private kind: StaticArray<u32> = new StaticArray<u32>(CAPACITY);
  private stream: StaticArray<u32> = new StaticArray<u32>(CAPACITY);
  private next: u32 = 0;
  // Opened ever, up to CAPACITY: most captures have none, and then no datagram pays for the search.
  private opened: u32 = 0;

  /** The conversation the current datagram (ports srcPort, dstPort) belongs to, either way round; -1 when none. */
  find(srcPort: u32, dstPort: u32): i32 {
    if (this.opened == 0) return -1;
    if (srcKind != AddrKind.IPV4 && srcKind != AddrKind.IPV6) return -1;
    const n = addrLength();
    const s = streamSerial();
    for (let t: u32 = 0; t < this.opened; t++) {
      if (unchecked(this.kind[t]) != srcKind || unchecked(this.stream[t]) != s) continue;
      const c = changetype<usize>(this.clientAddr) + t * ADDR, v = changetype<usize>(this.serverAddr) + t * ADDR;
      const port = unchecked(this.clientPort[t]);
      if (srcPort == port && sameBytes(c, srcPtr, n) && sameBytes(v, dstPtr, n)) return <i32>t;
      if (dstPort == port && sameBytes(c, dstPtr, n) && sameBytes(v, srcPtr, n)) return <i32>t;
    }
    return -1;
  }

  /** Opens one from the current datagram's source (port srcPort) to its destination, any port; its index, -1 without IP addresses. */
  open(srcPort: u32): i32 {
    if (srcKind != AddrKind.IPV4 && srcKind != AddrKind.IPV6) return -1;
    const t = this.next;
    this.next = (this.next + 1) % CAPACITY;
    if (this.opened < CAPACITY) this.opened++;
    const n = addrLength();
    memory.copy(changetype<usize>(this.clientAddr) + t * ADDR, srcPtr, n);
    memory.copy(changetype<usize>(this.serverAddr) + t * ADDR, dstPtr, n);
    unchecked(this.clientPort[t] = srcPort);
    unchecked(this.kind[t] = srcKind);
    unchecked(this.stream[t] = streamSerial());
    return <i32>t;
  }
}
