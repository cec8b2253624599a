// frame.protocols: the filter names of the dissectors called on the frame,
// colon-joined, the frame's own left out (as tshark builds it from pinfo->layers).
import { fieldNames } from './fields';
import { calledProto, calledCount, addFrameBytes, wanted } from './packet';
import { table } from './tables';

const BUFFER_SIZE: u32 = 8192;
const buffer = table<u8>(BUFFER_SIZE);

/** Adds field f, frame.protocols, to the frame's layer when it is wanted. */
export function addProtocolsField(f: u32): void {
  if (!unchecked(wanted[f])) return;
  const base = changetype<u32>(buffer);
  const limit = base + BUFFER_SIZE;
  let p = base;
  for (let i = 1; i < calledCount; i++) {
    const name = fieldNames[<i32>unchecked(calledProto[i])];
    const n = name.length;
    if (p + <u32>n + 1 > limit) break;
    if (i > 1) store<u8>(p++, 58);
    for (let k = 0; k < n; k++) store<u8>(p++, <u8>name.charCodeAt(k));
  }
  addFrameBytes(f, base, p - base);
}
