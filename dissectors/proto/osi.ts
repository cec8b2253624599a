// The OSI network layer's NLPID dispatch (Wireshark's dissect_osi), for LLC's
// ISO SAPs and Cisco HDLC's OSI type: protocols whose PDU starts with its
// NLPID (Wireshark's "osinl.incl" table: CLNP, ES-IS, IS-IS), then IP and
// IPv6 after theirs, then "Unknown ISO protocol (7f)" over the bytes as data.
// Frame Relay consults the first table alone.
import { protocol, uint, Base } from '../fields';
import { addCalled, addNum, setProtocolColumn } from '../packet';
import { has, lacks } from '../cursor';
import { dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putHexDigits } from '../text';
import { dissectData } from './frame';
import { dissectClnp } from './clnp';
import { dissectEsis } from './esis';
import { dissectIsis } from './isis';

const PROTO_OSI = protocol('osi', 'OSI');
const F_NLPID = uint('osi.nlpid', 'Network Layer Protocol Identifier', 8, Base.HEX);

const NLPID_NULL: u32 = 0x00, NLPID_Q931: u32 = 0x08, NLPID_CLNP: u32 = 0x81, NLPID_ESIS: u32 = 0x82, NLPID_ISIS: u32 = 0x83;
const NLPID_IDRP: u32 = 0x85, NLPID_ESIS_X25: u32 = 0x8a, NLPID_IPV6: u32 = 0x8e, NLPID_IPV4: u32 = 0xcc, NLPID_PPP: u32 = 0xcf;

/** A PDU that starts with its own NLPID, if xcap takes that protocol apart; false leaves the bytes to the caller. */
export function dissectOsiIncluded(p: u32, end: u32): bool {
  if (!has(p, end, 1)) return false;
  const nlpid = <u32>load<u8>(p);
  if (nlpid == NLPID_CLNP) dissectClnp(p, end);
  else if (nlpid == NLPID_ESIS) dissectEsis(p, end);
  else if (nlpid == NLPID_ISIS) dissectIsis(p, end);
  else return false;
  return true;
}

/**
 * The packet at p by its NLPID; false (nothing added) for the NLPIDs tshark
 * hands to dissectors xcap lacks: CLNP's inactive subset (0), Q.931 and PPP.
 */
export function dissectOsi(p: u32, end: u32): bool {
  if (has(p, end, 1)) {
    const nlpid = <u32>load<u8>(p);
    if (nlpid == NLPID_NULL || nlpid == NLPID_Q931 || nlpid == NLPID_PPP) return false;
  }
  addCalled(PROTO_OSI);
  if (lacks(p, end, 1)) return true;
  if (dissectOsiIncluded(p, end)) return true;
  const nlpid = <u32>load<u8>(p);
  addNum(F_NLPID, nlpid);
  if (nlpid == NLPID_IPV4 && dispatchEthertype(0x0800, p + 1, end)) return true;
  if (nlpid == NLPID_IPV6 && dispatchEthertype(0x86dd, p + 1, end)) return true;
  if (nlpid == NLPID_ESIS_X25) setProtocolColumn('ESIS (X.25)');
  else if (nlpid == NLPID_IDRP) setProtocolColumn('IDRP');
  else {
    setProtocolColumn('ISO');
    infoSet(); puts('Unknown ISO protocol ('); putHexDigits(nlpid, 2); puts(')'); infoDone();
  }
  dissectData(p, end);
  return true;
}
