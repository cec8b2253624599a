// Mirror of src/pcap/frame-index.ts: one 32-byte entry per frame of a batch.
export const FRAME_ENTRY_SIZE: u32 = 32;

@inline export function frameDataPtr(e: u32): u32 { return load<u32>(e, 0); }
@inline export function frameCaplen(e: u32): u32 { return load<u32>(e, 4); }
@inline export function frameOriglen(e: u32): u32 { return load<u32>(e, 8); }
@inline export function frameLinktype(e: u32): u32 { return <u32>load<u16>(e, 12); }
@inline export function frameIfaceId(e: u32): u32 { return <u32>load<u16>(e, 14); }
@inline export function frameTsSec(e: u32): i64 { return <i64>load<f64>(e, 16); }
@inline export function frameTsNsec(e: u32): u32 { return load<u32>(e, 24); }
@inline export function frameTsDigits(e: u32): u32 { return <u32>load<u8>(e, 28); }
@inline export function frameFcsLen(e: u32): u32 { return <u32>load<u8>(e, 29); }
@inline export function frameFlags(e: u32): u32 { return <u32>load<u16>(e, 30); }
