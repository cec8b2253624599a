// BGP OPEN: its header fields, then its optional parameters and the
// capabilities in them, read as tshark 4.0 reads them.
import { reads, byteField, shortField } from './bgp-read';
import { uint, ipv4 } from '../fields';
import { addNum, addBytes } from '../packet';
import { be16, be32 } from '../cursor';

const F_OPEN_VERSION = uint('bgp.open.version', 'Version', 8);
const F_OPEN_MY_AS = uint('bgp.open.myas', 'My AS', 16);
const F_OPEN_HOLD_TIME = uint('bgp.open.holdtime', 'Hold Time', 16);
const F_OPEN_IDENTIFIER = ipv4('bgp.open.identifier', 'BGP Identifier');
const F_OPEN_OPTIONS_LENGTH = uint('bgp.open.opt.len', 'Optional Parameters Length', 8);
const F_PARAMETER_TYPE = uint('bgp.open.opt.param.type', 'Parameter Type', 8);
const F_PARAMETER_LENGTH = uint('bgp.open.opt.param.len', 'Parameter Length', 8);
const F_CAP_TYPE = uint('bgp.cap.type', 'Type', 8);
const F_CAP_LENGTH = uint('bgp.cap.length', 'Length', 8);
const F_CAP_MP_AFI = uint('bgp.cap.mp.afi', 'AFI', 16);
const F_CAP_MP_SAFI = uint('bgp.cap.mp.safi', 'SAFI', 8);
const F_CAP_4AS = uint('bgp.cap.4as', 'AS Number', 32);
const AUTHENTICATION_PARAMETER: u32 = 1;
const CAPABILITY_PARAMETER: u32 = 2;
const CAP_MULTIPROTOCOL: u32 = 1;
const CAP_4_OCTET_AS: u32 = 65;
const CAP_FQDN: u32 = 73;
const CAP_MULTISESSION_CISCO: u32 = 131;

/** OPEN: version, AS, hold time, identifier, the parameters' length, then parameter by parameter. */
export function readOpen(p: u32): void {
  if (!byteField(F_OPEN_VERSION, p + 19) || !shortField(F_OPEN_MY_AS, p + 20) || !shortField(F_OPEN_HOLD_TIME, p + 22)) return;
  if (!reads(p + 28)) return;
  addBytes(F_OPEN_IDENTIFIER, p + 24, 4);
  if (!byteField(F_OPEN_OPTIONS_LENGTH, p + 28)) return;
  const optionsLength = <u32>load<u8>(p + 28);
  let q = p + 29;
  // The parameters are not checked whole: each one is, as the walk reaches it.
  const optionsEnd = q + optionsLength;
  // tshark 4.0 knows no RFC 9072 extended parameters: type 255 is one more unknown parameter.
  while (q < optionsEnd) {
    if (!byteField(F_PARAMETER_TYPE, q) || !byteField(F_PARAMETER_LENGTH, q + 1)) return;
    const type = <u32>load<u8>(q);
    const length = <u32>load<u8>(q + 1);
    if (!reads(q + 2 + length)) return;
    q += 2;
    // Past an unknown parameter's header tshark reads its value as the next parameter.
    if (type == AUTHENTICATION_PARAMETER) q += length;
    if (type != CAPABILITY_PARAMETER) continue;
    // A capability may run past its parameter: the next one starts where it ends.
    const capabilitiesEnd = q + length;
    while (q < capabilitiesEnd) {
      q = readCapability(q);
      if (q == 0) return;
    }
  }
}

/**
 * The capability at p: where the next one starts, or 0 when a read fails.
 * Its value is read for all its length, except the FQDN capability's, read
 * by its own two lengths, and Cisco's multisession one's: a flags byte, then
 * (when longer) one capability inside it, where the next one starts.
 */
function readCapability(p: u32): u32 {
  if (!byteField(F_CAP_TYPE, p) || !byteField(F_CAP_LENGTH, p + 1)) return 0;
  const code = <u32>load<u8>(p);
  const length = <u32>load<u8>(p + 1);
  const value = p + 2;
  if (code == CAP_FQDN) {
    if (!reads(value + 1)) return 0;
    const domainLength = value + 1 + <u32>load<u8>(value);
    if (!reads(domainLength + 1) || !reads(domainLength + 1 + <u32>load<u8>(domainLength))) return 0;
  } else if (code == CAP_MULTISESSION_CISCO && length > 0) {
    if (!reads(value + 1)) return 0;
    return length > 1 ? readCapability(value + 1) : value + 1;
  } else if (!reads(value + length)) {
    return 0;
  }
  if (code == CAP_MULTIPROTOCOL && length == 4) { addNum(F_CAP_MP_AFI, be16(value)); addNum(F_CAP_MP_SAFI, load<u8>(value + 3)); }
  if (code == CAP_4_OCTET_AS && length == 4) addNum(F_CAP_4AS, be32(value));
  return value + length;
}
