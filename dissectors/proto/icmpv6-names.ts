// ICMPv6 type and code names as tshark words them in the info column.
import { puts, putc, putDec, tableName, putTableName } from '../text';

// Types 128 to 161, in order.
const INFORMATIONAL: StaticArray<string> = [
  'Echo (ping) request', 'Echo (ping) reply', 'Multicast Listener Query', 'Multicast Listener Report',
  'Multicast Listener Done', 'Router Solicitation', 'Router Advertisement', 'Neighbor Solicitation',
  'Neighbor Advertisement', 'Redirect', 'Router Renumbering', 'Node Information Query', 'Node Information Reply',
  'Inverse Neighbor Discovery Solicitation', 'Inverse Neighbor Discovery Advertisement',
  'Multicast Listener Report Message v2', 'Home Agent Address Discovery Request',
  'Home Agent Address Discovery Reply', 'Mobile Prefix Solicitation', 'Mobile Prefix Advertisement',
  'Certification Path Solicitation', 'Certification Path Advertisement', 'Experimental Mobility',
  'Multicast Router Advertisement', 'Multicast Router Solicitation', 'Multicast Router Termination', 'FMIPv6',
  'RPL Control', 'Locator Update', 'Duplicate Address Request', 'Duplicate Address Confirmation',
  'MPL Control Message', 'Extended Echo request', 'Extended Echo reply',
];
const ERRORS: StaticArray<string> = ['Destination Unreachable', 'Packet Too Big', 'Time Exceeded', 'Parameter Problem'];

const UNREACH_CODES: StaticArray<string> = [
  'no route to destination', 'Administratively prohibited', 'Beyond scope of source address', 'Address unreachable',
  'Port unreachable', 'Source address failed ingress/egress policy', 'Reject route to destination',
  'Error in Source Routing Header',
];
const TIME_EXCEEDED_CODES: StaticArray<string> = ['hop limit exceeded in transit', 'fragment reassembly time exceeded'];
const PARAM_PROBLEM_CODES: StaticArray<string> = [
  'erroneous header field encountered', 'unrecognized Next Header type encountered',
  'unrecognized IPv6 option encountered', 'IPv6 First Fragment has incomplete IPv6 Header Chain',
];
const RENUMBERING_CODES: StaticArray<string> = ['Command', 'Result'];
const NI_QUERY_CODES: StaticArray<string> = [
  'Query subject = IPv6 addresses', 'Query subject = DNS name or empty', 'Query subject = IPv4 addresses',
];
const NI_REPLY_CODES: StaticArray<string> = ['Successful', 'Refused', 'Unknown query type'];
// RPL codes 0-5, and 128-133 the same messages secured (RFC 6550, 6997).
const RPL_CODES: StaticArray<string> = [
  'DODAG Information Solicitation', 'DODAG Information Object', 'Destination Advertisement Object',
  'Destination Advertisement Object Acknowledgment', 'P2P Discovery Reply Object',
  'P2P Discovery Reply Object Acknowledgement',
];
const RPL_SECURE_CODES: StaticArray<string> = [
  'Secure DODAG Information Solicitation', 'Secure DODAG Information Object', 'Secure Destination Advertisement Object',
  'Secure Destination Advertisement Object Acknowledgment', 'P2P Secure Discovery Reply Object',
  'P2P Secure Discovery Reply Object Acknowledgement',
];
const EXT_ECHO_REPLY_CODES: StaticArray<string> = [
  'No error', 'Malformed Query', 'No Such Interface', 'No Such Table Entry', 'Multiple Interfaces Satisfy Query',
];

export function putIcmpv6TypeName(type: u32): void {
  if (type >= 1 && type <= 4) puts(unchecked(ERRORS[type - 1]));
  else if (type >= 128 && type <= 161) puts(unchecked(INFORMATIONAL[type - 128]));
  else if (type == 100 || type == 101 || type == 200 || type == 201) puts('Private experimentation');
  else if (type == 127) puts('Reserved for expansion of ICMPv6 error messages');
  else if (type == 255) puts('Reserved for expansion of ICMPv6 informational messages');
  else { puts('Unknown ('); putDec(type); putc(41); }
}

/** Whether tshark names this type's codes in the info column. */
export function icmpv6NamesCodes(type: u32): bool {
  return type == 1 || type == 3 || type == 4 || type == 138 || type == 139 || type == 140 || type == 155
    || type == 160 || type == 161;
}


export function putIcmpv6CodeName(type: u32, code: u32): void {
  if (type == 1) { puts(tableName(UNREACH_CODES, code, 'Unknown')); return; }
  if (type == 3) { putTableName(TIME_EXCEEDED_CODES, code); return; }
  if (type == 4) { putTableName(PARAM_PROBLEM_CODES, code); return; }
  if (type == 138) { if (code == 255) puts('Sequence number reset'); else putTableName(RENUMBERING_CODES, code); return; }
  if (type == 139) { putTableName(NI_QUERY_CODES, code); return; }
  if (type == 140) { putTableName(NI_REPLY_CODES, code); return; }
  if (type == 155) {
    if (code >= 128 && code < 128 + <u32>RPL_SECURE_CODES.length) puts(unchecked(RPL_SECURE_CODES[code - 128]));
    else if (code == 138) puts('Consistency Check');
    else putTableName(RPL_CODES, code);
    return;
  }
  if (type == 160) { if (code == 0) puts('No error'); else { puts('Unknown ('); putDec(code); putc(41); } return; }
  putTableName(EXT_ECHO_REPLY_CODES, code);
}
