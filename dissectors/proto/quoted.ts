// The packet an ICMP or ICMPv6 error quotes.  It is dissected like any
// other, except that, as in Wireshark, it cannot change the summary columns,
// the dissectors know they are inside an error packet (inErrorPacket(), which
// relaxes their length checks), and running out of bytes there ends only the
// quoted packet: the frame is not marked malformed for it.
import { srcKind, srcPtr, dstKind, dstPtr, protoColumn, protoColumnHex, errors, setErrors, setAddresses,
  setSourceAddress, setProtocolColumn, setProtocolColumnHex, inErrorPacket, setInErrorPacket } from '../packet';
import { dispatchEthertype } from '../dispatch';

/** Dissects [start, end) as the protocol `ethertype` names (0x0800 or 0x86dd), columns left as they are. */
export function dissectQuotedPacket(ethertype: u32, start: u32, end: u32): void {
  const savedSrcKind = srcKind, savedSrc = srcPtr, savedDstKind = dstKind, savedDst = dstPtr;
  const savedProtocol = protoColumn, savedProtocolHex = protoColumnHex;
  const savedErrors = errors;
  const wasInError = inErrorPacket();
  setInErrorPacket(true);
  dispatchEthertype(ethertype, start, end);
  setInErrorPacket(wasInError);
  setErrors(savedErrors);
  setAddresses(savedDstKind, savedSrc, savedDst);
  setSourceAddress(savedSrcKind, savedSrc);
  setProtocolColumn(savedProtocol);
  if (savedProtocolHex >= 0) setProtocolColumnHex(<u32>savedProtocolHex);
}
