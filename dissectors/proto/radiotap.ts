// Radiotap (link type 127): the capture's per-frame radio metadata in front
// of an 802.11 frame.  Only what changes tshark's view of the frame is taken
// apart: the header length, the chain of present-flag words, and the Flags
// field (the frame ends in an FCS; the header is padded to 32 bits).
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast } from '../packet';
import { has, u8at, u16le } from '../cursor';
import { registerLinktype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectWlanFrame, FCS_UNKNOWN } from './wlan';

const PROTO_RADIOTAP = protocol('radiotap', 'Radiotap Header');
const F_VERSION = uint('radiotap.version', 'Header revision');
const F_PAD = uint('radiotap.pad', 'Header pad');
const F_LENGTH = uint('radiotap.length', 'Header length');
const F_FLAGS = uint('radiotap.flags', 'Flags', 8, Base.HEX);
const PROTO_WLAN_RADIO = protocol('wlan_radio', '802.11 radio information');

const LINKTYPE_IEEE802_11_RADIOTAP: u32 = 127;
const PRESENT_TSFT: u32 = 1;
const PRESENT_FLAGS: u32 = 2;
const PRESENT_EXT: u32 = 0x80000000;
const FLAG_FCS_AT_END: u32 = 0x10;
const FLAG_DATAPAD: u32 = 0x20;

export function dissectRadiotap(start: u32, end: u32): void {
  beginLayer(PROTO_RADIOTAP);
  setProtocolColumn('WLAN');
  if (!has(start, end, 4)) { markReadPast(end, start + 4); return; }
  const version = u8at(start, end);
  const length = u16le(start + 2, end);
  infoSet(); puts('Radiotap Capture v'); putDec(version); puts(', Length '); putDec(length); infoDone();
  addNum(F_VERSION, version);
  addNum(F_PAD, u8at(start + 1, end));
  addNum(F_LENGTH, length);
  if (length < 8) return;
  // tshark copies the whole header before walking it.
  if (!has(start, end, length)) { markReadPast(end, start + length); return; }
  const headerEnd = start + length;
  let fcs = FCS_UNKNOWN;
  let datapad = false;
  // A version other than 0, or a chain of present words running past the header, is not walked:
  // the 802.11 frame then goes on without knowing whether it ends in an FCS.
  if (version == 0) {
    const present = load<u32>(start + 4);
    let word = start + 4;
    let chainValid = true;
    while ((load<u32>(word) & PRESENT_EXT) != 0) {
      word += 4;
      if (!has(word, headerEnd, 4)) { chainValid = false; break; }
    }
    if (chainValid) {
      // Fields follow the last present word, each aligned to its size from the header's start.
      let offset = word + 4 - start;
      let flagsReachable = true;
      if ((present & PRESENT_TSFT) != 0) {
        offset = (offset + 7) & ~7;
        offset += 8;
        if (offset > length) flagsReachable = false;
      }
      if (flagsReachable && (present & PRESENT_FLAGS) != 0 && offset < length) {
        const flags = <u32>load<u8>(start + offset);
        addNum(F_FLAGS, flags);
        fcs = (flags & FLAG_FCS_AT_END) != 0 ? 4 : 0;
        datapad = (flags & FLAG_DATAPAD) != 0;
      }
    }
  }
  beginLayer(PROTO_WLAN_RADIO);
  dissectWlanFrame(headerEnd, end, fcs, datapad);
}

registerLinktype(LINKTYPE_IEEE802_11_RADIOTAP, dissectRadiotap);
