import { table } from './tables';
// The field registry: every field a dissector can report, under its Wireshark
// display-filter name, with the type and base that decide how it is printed.
// Registration happens once, at module start; nothing is allocated per packet.

export const enum FT {
  PROTOCOL = 1,
  UINT = 2,
  INT = 3,
  BOOL = 4,
  IPV4 = 5,
  IPV6 = 6,
  ETHER = 7,
  STRING = 8,
  BYTES = 9,
  NONE = 10,
  TIME_REL = 11,
  TIME_ABS = 12,
}

// How an integer prints under -T fields: DEC "42", HEX "0x002a" padded to the
// field's width, HEX_DEC shows as HEX there too (Wireshark's BASE_HEX_DEC).
export const enum Base {
  DEC = 0,
  HEX = 1,
  HEX_DEC = 2,
  DEC_HEX = 3,
  /** Bytes that may be empty: printed "<none>" then, where other empty bytes print "<MISSING>". */
  ALLOW_ZERO = 4,
  /**
   * A string the dissector already made what tshark holds (ENC_ASCII text:
   * no NUL, non-ASCII bytes as U+FFFD): printed as tshark's -T fields prints
   * any string, escaping only \b \f \n \r \t.
   */
  FINAL_TEXT = 5,
  /** An absolute time shown in the local time zone, as tshark's frame.time ("Jan  1, 2024 00:00:00.000000000 UTC"). */
  LOCAL_TIME = 6,
}

export const MAX_FIELDS: u32 = 4096;

export const fieldNames = new Array<string>();
export const fieldLabels = new Array<string>();
export const fieldType = table<u8>(MAX_FIELDS);
export const fieldBase = table<u8>(MAX_FIELDS);
export const fieldHexDigits = table<u8>(MAX_FIELDS);
/** The protocol field a field belongs to (itself for a protocol). */
export const fieldProto = table<u16>(MAX_FIELDS);

let currentProto: u32 = 0;

function register(name: string, label: string, type: FT, base: Base, bits: u32): u32 {
  const id = <u32>fieldNames.length;
  if (id >= MAX_FIELDS) unreachable();
  fieldNames.push(name);
  fieldLabels.push(label);
  unchecked(fieldType[id] = <u8>type);
  unchecked(fieldBase[id] = <u8>base);
  unchecked(fieldHexDigits[id] = <u8>((bits + 3) / 4));
  unchecked(fieldProto[id] = <u16>(type == FT.PROTOCOL ? id : currentProto));
  return id;
}

/** Declares a protocol; fields declared after it belong to it. */
export function protocol(name: string, label: string): u32 {
  const id = register(name, label, FT.PROTOCOL, Base.DEC, 0);
  currentProto = id;
  return id;
}

/**
 * Declares a protocol that has no fields and adds no layer, only a name in
 * frame.protocols; it leaves the protocol that later fields belong to as it was.
 */
export function pseudoProtocol(name: string, label: string): u32 {
  return register(name, label, FT.PROTOCOL, Base.DEC, 0);
}

/**
 * Fields declared after this belong to `proto` again: for a protocol whose
 * fields are declared in several files, where another protocol's file may
 * have started in between.
 */
export function fieldsBelongTo(proto: u32): void { currentProto = proto; }

/** An unsigned integer field of `bits` width (the width sets hex padding). */
export function uint(name: string, label: string, bits: u32 = 32, base: Base = Base.DEC): u32 {
  return register(name, label, FT.UINT, base, bits);
}

export function sint(name: string, label: string): u32 {
  return register(name, label, FT.INT, Base.DEC, 32);
}

export function flag(name: string, label: string): u32 {
  return register(name, label, FT.BOOL, Base.DEC, 0);
}

export function ipv4(name: string, label: string): u32 {
  return register(name, label, FT.IPV4, Base.DEC, 0);
}

export function ipv6(name: string, label: string): u32 {
  return register(name, label, FT.IPV6, Base.DEC, 0);
}

export function ether(name: string, label: string): u32 {
  return register(name, label, FT.ETHER, Base.DEC, 0);
}

export function str(name: string, label: string, base: Base = Base.DEC): u32 {
  return register(name, label, FT.STRING, base, 0);
}

export function bytes(name: string, label: string, base: Base = Base.DEC): u32 {
  return register(name, label, FT.BYTES, base, 0);
}

/** A field with no value (Wireshark's FT_NONE): its presence is what it says. */
export function none(name: string, label: string): u32 {
  return register(name, label, FT.NONE, Base.DEC, 0);
}

export function timeRel(name: string, label: string): u32 {
  return register(name, label, FT.TIME_REL, Base.DEC, 0);
}

export function timeAbs(name: string, label: string, base: Base = Base.DEC): u32 {
  return register(name, label, FT.TIME_ABS, base, 0);
}

export function fieldCount(): u32 {
  return <u32>fieldNames.length;
}
