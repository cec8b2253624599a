// Wireshark 4.0's names for TLS versions, handshake messages and alerts.
import { puts } from '../text';

export const SSLV2: u32 = 0x0002;
export const SSLV3: u32 = 0x0300;
export const TLS10: u32 = 0x0301;
export const TLS11: u32 = 0x0302;
export const TLS12: u32 = 0x0303;
export const TLS13: u32 = 0x0304;
export const GMTLS: u32 = 0x0101;

/** The protocol column for a version ("SSL" for one without a short name). */
export function versionColumn(v: u32): string {
  switch (v) {
    case SSLV2: return 'SSLv2';
    case SSLV3: return 'SSLv3';
    case TLS10: return 'TLSv1';
    case TLS11: return 'TLSv1.1';
    case TLS12: return 'TLSv1.2';
    case TLS13: return 'TLSv1.3';
    case 0xfeff: return 'DTLSv1.0';
    case 0xfefd: return 'DTLSv1.2';
    case 0x0100: return 'DTLS 1.0 (OpenSSL pre 0.9.8f)';
    default: return 'SSL';
  }
}

/** The session version a record or ServerHello version sets (0: none): drafts of 1.3 count as 1.3. */
export function sessionVersionOf(v: u32): u32 {
  if (v == SSLV3 || v == TLS10 || v == TLS11 || v == TLS12 || v == GMTLS) return v;
  if (v == TLS13 || (v & 0xff00) == 0x7f00 || v == 0xfb17 || v == 0xfb1a) return TLS13;
  return 0;
}

export function isValidContentType(t: u32): bool { return t >= 20 && t <= 25; }

/** Record versions the SSL 3.0 / TLS record heuristic accepts. */
export function isRecordVersion(v: u32): bool {
  return v == SSLV3 || v == TLS10 || v == TLS11 || v == TLS12 || v == GMTLS;
}

/** ssl_versions: every version Wireshark can name (used to validate SSL 2.0 hellos). */
export function isKnownVersion(v: u32): bool {
  if (v == SSLV2 || v == SSLV3 || v == TLS10 || v == GMTLS || v == TLS11 || v == TLS12 || v == TLS13) return true;
  if (v >= 0x7f0e && v <= 0x7f1c) return true;
  if (v == 0xfb17 || v == 0xfb1a || v == 0x0100 || v == 0xfeff || v == 0xfefd) return true;
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

export function handshakeName(t: u32): string | null {
  switch (t) {
    case 0: return 'Hello Request';
    case 1: return 'Client Hello';
    case 2: return 'Server Hello';
    case 3: return 'Hello Verify Request';
    case 4: return 'New Session Ticket';
    case 5: return 'End of Early Data';
    case 6: return 'Hello Retry Request';
    case 8: return 'Encrypted Extensions';
    case 11: return 'Certificate';
    case 12: return 'Server Key Exchange';
    case 13: return 'Certificate Request';
    case 14: return 'Server Hello Done';
    case 15: return 'Certificate Verify';
    case 16: return 'Client Key Exchange';
    case 20: return 'Finished';
    case 21: return 'Client Certificate URL';
    case 22: return 'Certificate Status';
    case 23: return 'Supplemental Data';
    case 24: return 'Key Update';
    case 25: return 'Compressed Certificate';
    case 67: return 'Encrypted Extensions';
    default: return null;
  }
}

/** Handshake messages that may settle a session's version (TLS: not HelloVerifyRequest, not ClientHello). */
export function isVersionSettingHandshake(t: u32): bool {
  return t != 1 && t != 3 && handshakeName(t) !== null;
}

export function ssl2MessageName(t: u32): string | null {
  switch (t) {
    case 0: return 'Error';
    case 1: return 'Client Hello';
    case 2: return 'Client Master Key';
    case 3: return 'Client Finished';
    case 4: return 'Server Hello';
    case 5: return 'Server Verify';
    case 6: return 'Server Finished';
    case 7: return 'Request Certificate';
    case 8: return 'Client Certificate';
    default: return null;
  }
}

export function putAlertLevel(v: u32): void {
  puts(v == 1 ? 'Warning' : v == 2 ? 'Fatal' : 'Unknown');
}

const ALERT_CODES: StaticArray<u8> = [0, 1, 10, 20, 21, 22, 30, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 60, 70,
  71, 80, 86, 90, 100, 109, 110, 111, 112, 113, 114, 115, 116, 120, 121];
const ALERT_NAMES: StaticArray<string> = ['Close Notify', 'End of Early Data', 'Unexpected Message', 'Bad Record MAC',
  'Decryption Failed', 'Record Overflow', 'Decompression Failure', 'Handshake Failure', 'No Certificate',
  'Bad Certificate', 'Unsupported Certificate', 'Certificate Revoked', 'Certificate Expired', 'Certificate Unknown',
  'Illegal Parameter', 'Unknown CA', 'Access Denied', 'Decode Error', 'Decrypt Error', 'Export Restriction',
  'Protocol Version', 'Insufficient Security', 'Internal Error', 'Inappropriate Fallback', 'User Canceled',
  'No Renegotiation', 'Missing Extension', 'Unsupported Extension', 'Certificate Unobtainable', 'Unrecognized Name',
  'Bad Certificate Status Response', 'Bad Certificate Hash Value', 'Unknown PSK Identity', 'Certificate Required',
  'No application Protocol', 'ECH Required'];

export function putAlertDescription(v: u32): void {
  for (let i = 0; i < ALERT_CODES.length; i++) {
    if (<u32>unchecked(ALERT_CODES[i]) == v) { puts(unchecked(ALERT_NAMES[i])); return; }
  }
  puts('Unknown');
}
