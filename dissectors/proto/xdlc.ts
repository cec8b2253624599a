// The control field shared by the HDLC family (LLC, LAPF under Frame Relay,
// LAPB): information (I), supervisory (S) and unnumbered (U) frames, as
// Wireshark's xdlc routines name them in the info column.  In extended
// operation I and S frames carry a two-byte little-endian field with 7-bit
// sequence numbers; U frames always have one byte.
import { puts, putDec } from '../text';

const S: u32 = 0x01, U: u32 = 0x03;
const POLL_FINAL: u32 = 0x10, POLL_FINAL_EXT: u32 = 0x0100;
const U_MODIFIER: u32 = 0xec;
const UI: u32 = 0x03;

export function isUnnumbered(control: u32): bool { return (control & 3) == U; }
export function isSupervisory(control: u32): bool { return (control & 3) == S; }

/** I frames, and UI frames without the poll bit: the ones that carry a payload for the next protocol. */
export function isInformation(control: u32): bool { return (control & 1) == 0 || control == UI; }

/** Bytes of the control field whose first byte is `first`. */
export function controlLength(first: u32, extended: bool): u32 {
  return extended && (first & 3) != U ? 2 : 1;
}

/** The control field's value from its `length` bytes at p (little-endian when two). */
export function controlValue(p: u32, length: u32): u32 {
  return length == 2 ? <u32>load<u16>(p) : <u32>load<u8>(p);
}

/** The frame type as Wireshark's ftype field holds it: 0 for I frames, else the two low bits. */
export function frameType(control: u32): u32 { return (control & 1) == 0 ? 0 : control & 3; }

/** The N(R) and N(S) sequence numbers. */
export function receiveSequence(control: u32, extended: bool): u32 { return extended ? (control >> 9) & 0x7f : (control >> 5) & 7; }
export function sendSequence(control: u32, extended: bool): u32 { return extended ? (control >> 1) & 0x7f : (control >> 1) & 7; }
export function pollFinal(control: u32, extended: bool): bool {
  return (control & (extended && !isUnnumbered(control) ? POLL_FINAL_EXT : POLL_FINAL)) != 0;
}

/**
 * The info text: "I P, N(R)=2, N(S)=5", "S F, func=RNR, N(R)=3", "U, func=UI".
 * The P/F bit reads "P" on commands and "F" on responses, except on I frames,
 * which Wireshark always marks "P".
 */
export function putControlInfo(control: u32, extended: bool, response: bool): void {
  const pf = pollFinal(control, extended);
  if ((control & 1) == 0) {
    puts(pf ? 'I P, N(R)=' : 'I, N(R)=');
    putDec(receiveSequence(control, extended));
    puts(', N(S)=');
    putDec(sendSequence(control, extended));
    return;
  }
  puts(isUnnumbered(control) ? 'U' : 'S');
  if (pf) puts(response ? ' F' : ' P');
  puts(', func=');
  if (isUnnumbered(control)) {
    puts(modifierName(control & U_MODIFIER, response));
    return;
  }
  puts(supervisoryName(control));
  puts(', N(R)=');
  putDec(receiveSequence(control, extended));
}

function supervisoryName(control: u32): string {
  switch (control & 0x0c) {
    case 0x00: return 'RR';
    case 0x04: return 'RNR';
    case 0x08: return 'REJ';
    default: return 'SREJ';
  }
}

/** The U frame's short name; three modifiers mean one thing as a command and another as a response. */
function modifierName(modifier: u32, response: bool): string {
  switch (modifier) {
    case 0x00: return 'UI';
    case 0x04: return response ? 'RIM' : 'SIM';
    case 0x0c: return response ? 'DM' : 'SARM';
    case 0x20: return 'UP';
    case 0x2c: return 'SABM';
    case 0x40: return response ? 'RD' : 'DISC';
    case 0x4c: return 'SARME';
    case 0x60: return 'UA';
    case 0x6c: return 'SABME';
    case 0x80: return 'SNRM';
    case 0x84: return 'FRMR';
    case 0x8c: return 'RESET';
    case 0xac: return 'XID';
    case 0xc4: return 'CFGR';
    case 0xcc: return 'SNRME';
    case 0xe0: return 'TEST';
    case 0xec: return 'BCN';
    default: return 'Unknown';
  }
}
