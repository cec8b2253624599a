// An IP address with its host name, as IPv4 and IPv6 show both: without
// name resolution (tshark -n) the host is the address written out.
import { addBytes, wanted } from '../packet';
import { scratchBegin, scratchEnd } from '../columns';
import { putIPv4, putIPv6 } from '../text';

/** The address at p (16 bytes when v6) under fAddr and fAnyAddr, its host under fHost and fAnyHost. */
export function addAddressAndHost(fAddr: u32, fAnyAddr: u32, fHost: u32, fAnyHost: u32, p: u32, v6: bool): void {
  const len: u32 = v6 ? 16 : 4;
  addBytes(fAddr, p, len);
  addBytes(fAnyAddr, p, len);
  if (!unchecked(wanted[fHost]) && !unchecked(wanted[fAnyHost])) return;
  const text = scratchBegin();
  if (v6) putIPv6(p); else putIPv4(p);
  const n = scratchEnd(text);
  addBytes(fHost, text, n);
  addBytes(fAnyHost, text, n);
}
