/** The field registry's types (dissectors/fields.ts FT). */
export const enum FT { Protocol = 1, Uint = 2, Int = 3, Bool = 4, IPv4 = 5, IPv6 = 6, Ether = 7, String = 8, Bytes = 9, None = 10, TimeRel = 11, TimeAbs = 12 }
