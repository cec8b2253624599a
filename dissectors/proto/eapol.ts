// 802.1X: EAPOL (ethertypes 0x888e and 0x88c7) and the EAP it carries, as
// tshark 4.0 shows them.  EAPOL names its packet type; a Key with an
// 802.11 descriptor (RSN 2, WPA 254) is numbered by its key information
// ("Key (Message 1 of 4)"); an EAP packet goes to EAP: its code, and for a
// Request or Response the method ("Request, Identity").  Not emulated:
// MKA's parameter-set list (shown as "MKA"), the TLS that EAP-TLS, TTLS,
// PEAP and FAST carry (tshark hands it to its TLS dissector, which then
// names the handshake messages), and the texts of PAX, PSK, GPSK and WPS.
import { protocol, uint, str, Base } from '../fields';
import { beginLayer, unlistNextLayer, addNum, setProtocolColumn, markReadPast, setDatagramEnd } from '../packet';
import { registerEthertype } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHexDigits, tableName, putHexUpper } from '../text';
import { has, be16, lacks } from '../cursor';
import { addAscii } from './ascii-text';

const PROTO_EAPOL = protocol('eapol', '802.1X Authentication');
const F_EAPOL_VERSION = uint('eapol.version', 'Version', 8);
const F_EAPOL_TYPE = uint('eapol.type', 'Type', 8);
const F_EAPOL_LEN = uint('eapol.len', 'Length', 16);
const PROTO_EAP = protocol('eap', 'Extensible Authentication Protocol');
const F_CODE = uint('eap.code', 'Code', 8);
const F_ID = uint('eap.id', 'Id', 8);
const F_LEN = uint('eap.len', 'Length', 16);
const F_TYPE = uint('eap.type', 'Type', 8);
const F_IDENTITY = str('eap.identity', 'Identity', Base.FINAL_TEXT);

const EAPOL_EAP: u32 = 0;
const EAPOL_KEY: u32 = 3;
const KEY_RC4: u32 = 1;
const KEY_RSN: u32 = 2;
/** Descriptor type, key length, replay counter, IV, index, signature. */
const RC4_FIELDS: u32 = 44;
const KEY_WPA: u32 = 254;
/** The key data length's offset in an 802.11 key descriptor (with a 16-byte MIC). */
const KEY_DATA_LENGTH_AT: u32 = 93;
const EAP_REQUEST: u32 = 1;
const EAP_RESPONSE: u32 = 2;
const TYPE_IDENTITY: u32 = 1;
const TYPE_NOTIFICATION: u32 = 2;
const TYPE_SIM: u32 = 18;
const TYPE_AKA: u32 = 23;
const TYPE_AKA_PRIME: u32 = 50;
const AT_IDENTITY: u32 = 14;
// The captured end of the EAP packet being read.
let eapEnd: u32 = 0;

/** Uppercase hex in parentheses, as tshark's "Unknown ... (0xNN)" for EAPOL and EAP codes. */
function putUpperHex(v: u32): void {
  puts('(0x'); putHexUpper(v, 2); puts(')');
}

function dissectEapol(start: u32, end: u32): void {
  setProtocolColumn('EAPOL');
  infoSet(); infoDone();
  beginLayer(PROTO_EAPOL);
  if (lacks(start, end, 1)) return;
  addNum(F_EAPOL_VERSION, load<u8>(start));
  if (!has(start + 1, end, 1)) { markReadPast(end, start + 2); return; }
  const type = <u32>load<u8>(start + 1);
  addNum(F_EAPOL_TYPE, type);
  if (type != EAPOL_EAP) {
    infoSet();
    const name = tableName(EAPOL_TYPES, type, '');
    if (name.length) puts(name); else { puts('Unknown Type '); putUpperHex(type); }
    infoDone();
  }
  if (!has(start + 2, end, 2)) { markReadPast(end, start + 4); return; }
  const length = be16(start + 2);
  addNum(F_EAPOL_LEN, length);
  const body = start + 4;
  // A length short of the frame trims it (the rest is padding); a longer one is not checked.
  const bodyEnd = end - body > length ? body + length : end;
  if (bodyEnd < end) setDatagramEnd(start, bodyEnd);
  if (type == EAPOL_EAP) {
    // Through the table "eapol.type", which does not list EAP's call.
    unlistNextLayer(true);
    dissectEap(body, bodyEnd);
    unlistNextLayer(false);
  } else if (type == EAPOL_KEY) dissectKey(body, bodyEnd);
  else if (body < bodyEnd) dissectData(body, bodyEnd);
}

/** An 802.11 key descriptor's message number, from its key information, as tshark puts it. */
function dissectKey(p: u32, end: u32): void {
  if (lacks(p, end, 1)) return;
  const descriptor = <u32>load<u8>(p);
  if (descriptor == KEY_RC4) {
    // Length, replay counter, IV, index and signature are read whatever is there.
    if (!has(p, end, RC4_FIELDS)) markReadPast(end, p + RC4_FIELDS);
    return;
  }
  if (descriptor != KEY_RSN && descriptor != KEY_WPA) return;
  if (lacks(p + KEY_DATA_LENGTH_AT, end, 2)) return;
  const info = be16(p + 1);
  const dataLength = be16(p + KEY_DATA_LENGTH_AT);
  infoSet();
  if (info & 0x0800) puts(info & 0x0400 ? 'Key (Request, Error)' : 'Key (Request)');
  else if (info & 0x0008) {
    const install = (info & 0x40) != 0, ack = (info & 0x80) != 0;
    if (ack) puts(install ? 'Key (Message 3 of 4)' : 'Key (Message 1 of 4)');
    else if (install) puts('Key (Message 2 of 4)');
    else puts(dataLength != 0 && dataLength != 12 ? 'Key (Message 2 of 4)' : 'Key (Message 4 of 4)');
  } else puts(info & 0x80 ? 'Key (Group Message 1 of 2)' : 'Key (Group Message 2 of 2)');
  infoDone();
}

function dissectEap(start: u32, end: u32): void {
  eapEnd = end;
  setProtocolColumn('EAP');
  infoSet(); infoDone();
  beginLayer(PROTO_EAP);
  // The code is named only once the identifier is there too.
  if (lacks(start, end, 2)) return;
  const code = <u32>load<u8>(start);
  infoSet();
  const name = tableName(EAP_CODES, code, '');
  if (name.length) puts(name); else { puts('Unknown code '); putUpperHex(code); }
  infoDone();
  if (lacks(start, end, 4)) return;
  const length = be16(start + 2);
  // A Request reads its type before any field is added; a Response after its header's.
  if (code == EAP_REQUEST && !has(start + 4, end, 1)) { markReadPast(end, start + 5); return; }
  addNum(F_CODE, code);
  addNum(F_ID, load<u8>(start + 1));
  addNum(F_LEN, length);
  if (code != EAP_REQUEST && code != EAP_RESPONSE) return;
  if (!has(start + 4, end, 1)) { markReadPast(end, start + 5); return; }
  const type = <u32>load<u8>(start + 4);
  addNum(F_TYPE, type);
  infoAppend(); puts(', ');
  const typeName = type == 254 ? 'Expanded Type' : type == 255 ? 'Experimental' : tableName(EAP_TYPES, type, '');
  if (typeName.length) puts(typeName); else { puts('Unknown type (0x'); putHexDigits(type, 2); puts(')'); }
  infoDone();
  // Method data is read only past the type, or for an Identity of length 5; it runs to the length EAP gives.
  if (length < 5 || (length == 5 && type != TYPE_IDENTITY)) return;
  const data = start + 5;
  const dataLength = length - 5;
  if (type == TYPE_IDENTITY || type == TYPE_NOTIFICATION) {
    if (lacks(data, end, dataLength)) return;
    if (type == TYPE_IDENTITY && !isThreeGppIdentity(data, dataLength)) addAscii(F_IDENTITY, data, dataLength);
  } else if (isTlsMethod(type)) {
    // Flags, and the TLS message length when the L bit says there is one; the TLS itself is not taken apart here.
    if (lacks(data, end, 1)) return;
    if ((load<u8>(data) & 0x80) != 0 && !has(data + 1, end, 4)) markReadPast(end, data + 5);
  } else if (type == TYPE_SIM || type == TYPE_AKA || type == TYPE_AKA_PRIME) readSimAttributes(data + 3, data + dataLength);
  else if (readsToEnd(type) && !has(data, end, dataLength)) markReadPast(end, data + dataLength);
}

function isTlsMethod(type: u32): bool {
  return type == 13 || type == 21 || type == 25 || type == 43 || type == 55;
}

/** The other methods whose dissectors read their data to the end EAP's length gives. */
function readsToEnd(type: u32): bool {
  return type == 4 || type == 17 || type == 26;
}

/** EAP-SIM/AKA attributes (after subtype and reserved): type, length in 4-byte units, value; AT_IDENTITY names the peer. */
function readSimAttributes(p: u32, end: u32): void {
  while (p < end) {
    if (!has(p, eapEnd, 2)) { markReadPast(eapEnd, p + 2); return; }
    const type = <u32>load<u8>(p);
    const length = <u32>load<u8>(p + 1) * 4;
    if (length == 0) return;
    if (!has(p, eapEnd, length)) { markReadPast(eapEnd, p + length); return; }
    if (type == AT_IDENTITY && length >= 4) {
      const n = be16(p + 2);
      if (n <= length - 4) addAscii(F_IDENTITY, p + 4, n);
    }
    p += length;
  }
}

/** A 3GPP identity ("1<IMSI>@wlan.mnc..mcc..3gppnetwork.org"), which tshark takes apart instead of showing as eap.identity. */
function isThreeGppIdentity(p: u32, n: u32): bool {
  const suffix = '.3gppnetwork.org';
  if (n < <u32>suffix.length + 1 || load<u8>(p) < 48 || load<u8>(p) > 57) return false;
  for (let i = 0; i < suffix.length; i++) if (<u32>load<u8>(p + n - <u32>suffix.length + <u32>i) != <u32>suffix.charCodeAt(i)) return false;
  const wlan = '@wlan.mnc';
  for (let at: u32 = 1; at + <u32>wlan.length <= n; at++) {
    let same = true;
    for (let i = 0; i < wlan.length && same; i++) same = <u32>load<u8>(p + at + <u32>i) == <u32>wlan.charCodeAt(i);
    if (same) return true;
  }
  return false;
}

const EAPOL_TYPES: StaticArray<string> = ['EAP Packet', 'Start', 'Logoff', 'Key', 'Encapsulated ASF Alert', 'MKA',
  'Announcement (Generic)', 'Announcement (Specific)', 'Announcement Request'];
const EAP_CODES: StaticArray<string> = ['', 'Request', 'Response', 'Success', 'Failure', 'Initiate', 'Finish'];
const EAP_TYPES: StaticArray<string> = ['', 'Identity', 'Notification', 'Legacy Nak (Response Only)',
  'MD5-Challenge EAP (EAP-MD5-CHALLENGE)', 'One-Time Password EAP (EAP-OTP)', 'Generic Token Card EAP (EAP-GTC)', 'Allocated', 'Allocated',
  'RSA Public Key Authentication EAP (EAP-RSA-PKA)', 'DSS Unilateral EAP (EAP-DSS)', 'KEA EAP (EAP-KEA)', 'KEA Validate EAP (EAP-KEA-VALIDATE)',
  'TLS EAP (EAP-TLS)', 'Defender Token EAP (EAP-AXENT)', 'RSA Security SecurID EAP (EAP-RSA-SECURID)', 'Arcot Systems EAP (EAP-ARCOT-SYSTEMS)',
  'Cisco Wireless EAP / Lightweight EAP (EAP-LEAP)', 'GSM Subscriber Identity Modules EAP (EAP-SIM)',
  'Secure Remote Password SHA1 Part 1 EAP (EAP-SRP-SHA1-PART1)', 'Secure Remote Password SHA1 Part 2 EAP (EAP-SRP-SHA1-PART2)',
  'Tunneled TLS EAP (EAP-TTLS)', 'Remote Access Service EAP (EAP-RAS)', 'UMTS Authentication and Key Agreement EAP (EAP-AKA)',
  '3Com Wireless EAP (EAP-3COM-WIRELESS)', 'Protected EAP (EAP-PEAP)', 'MS-Authentication EAP (EAP-MS-AUTH)',
  'Mutual Authentication w/Key Exchange EAP (EAP-MAKE)', 'CRYPTOCard EAP (EAP-CRYPTOCARD)', 'MS-CHAP-v2 EAP (EAP-MS-CHAP-V2)',
  'DynamID EAP (EAP-DYNAMID)', 'Rob EAP (EAP-ROB)', 'Protected One-Time Password EAP (EAP-POTP)', 'MS-Authentication TLV EAP (EAP-MS-AUTH-TLV)',
  'SentriNET (EAP-SENTRINET)', 'Actiontec Wireless EAP (EAP-ACTIONTEC-WIRELESS)', 'Cogent Systems Biometrics Authentication EAP (EAP-COGENT-BIOMETRIC)',
  'AirFortress EAP (EAP-AIRFORTRESS)', 'HTTP Digest EAP (EAP-HTTP-DIGEST)', 'SecureSuite EAP (EAP-SECURESUITE)', 'DeviceConnect EAP (EAP-DEVICECONNECT)',
  'Simple Password Exponential Key Exchange EAP (EAP-SPEKE)', 'MOBAC EAP (EAP-MOBAC)', 'Flexible Authentication via Secure Tunneling EAP (EAP-FAST)',
  'ZoneLabs EAP (EAP-ZLXEAP)', 'Link EAP (EAP-LINK)', 'Password Authenticated eXchange EAP (EAP-PAX)', 'Pre-Shared Key EAP (EAP-PSK)',
  'Shared-secret Authentication and Key Establishment EAP (EAP-SAKE)', 'Internet Key Exchange v2 EAP (EAP-IKEv2)',
  "UMTS Authentication and Key Agreement' EAP (EAP-AKA')", 'Generalized Pre-Shared Key EAP (EAP-GPSK)', 'Password EAP (EAP-pwd)',
  'Encrypted Key Exchange v1 EAP (EAP-EKEv1)', '', 'Tunneled EAP protocol'];

registerEthertype(0x888e, dissectEapol);
registerEthertype(0x88c7, dissectEapol);
