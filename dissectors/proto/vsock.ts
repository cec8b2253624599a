// Linux vsockmon captures (link type 271): the AF_VSOCK monitor header
// (little-endian context IDs and ports, operation, transport) and, for the
// virtio transport, its 44-byte header.  The context IDs go in the address
// columns, CID 2 as "host", as tshark shows them.
import { protocol, uint, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, setAddresses, AddrKind, markReadPast, reportedLength } from '../packet';
import { has } from '../cursor';
import { registerLinktype } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectData } from './frame';

const PROTO_VSOCK = protocol('vsock', 'vSocket');
const F_SRC_CID = uint('vsock.src_cid', 'Source cid', 64);
const F_DST_CID = uint('vsock.dst_cid', 'Destination cid', 64);
const F_SRC_PORT = uint('vsock.src_port', 'Source port');
const F_DST_PORT = uint('vsock.dst_port', 'Destination port');
const F_OP = uint('vsock.op', 'Operation', 16);
const F_TRANSPORT = uint('vsock.trans', 'Transport', 16);
const F_TRANSPORT_LEN = uint('vsock.trans_len', 'Transport length', 16);
const F_RESERVED = bytes('vsock.reserved', 'Reserved');
const F_VIRTIO_SRC_CID = uint('vsock.virtio.src_cid', 'Source cid', 64);
const F_VIRTIO_DST_CID = uint('vsock.virtio.dst_cid', 'Destination cid', 64);
const F_VIRTIO_SRC_PORT = uint('vsock.virtio.src_prot', 'Source port');
const F_VIRTIO_DST_PORT = uint('vsock.virtio.dst_prot', 'Destination port');
const F_VIRTIO_LEN = uint('vsock.virtio.len', 'Length');
const F_VIRTIO_TYPE = uint('vsock.virtio.type', 'Type', 16);
const F_VIRTIO_OP = uint('vsock.virtio.op', 'Operation', 16);
const F_VIRTIO_FLAGS = uint('vsock.virtio.flags', 'Flags', 32, Base.HEX);
const F_VIRTIO_BUF_ALLOC = uint('vsock.virtio.buf_alloc', 'Buf alloc');
const F_VIRTIO_FWD_CNT = uint('vsock.virtio.fwd_cnt', 'Fwd cnt');

const LINKTYPE_VSOCK: u32 = 271;
/** tshark leaves shorter frames to the data dissector. */
const MIN_LENGTH: u32 = 32;
const HEADER_LEN: u32 = 32;
const VIRTIO_HEADER_LEN: u32 = 44;
const TRANSPORT_VIRTIO: u32 = 2;
const OPERATIONS: StaticArray<string> = ['Unknown', 'Connect', 'Disconnect', 'Control', 'Payload'];
const TRANSPORTS: StaticArray<string> = ['Unknown', 'No info', 'Virtio'];
const VIRTIO_TYPES: StaticArray<string> = ['', 'Stream'];
const VIRTIO_OPS: StaticArray<string> = ['Invalid', 'Request', 'Response', 'Rst', 'Shutdown', 'RW', 'Credit update', 'Credit response'];

/** A value_string name, or tshark's "Unknown (N)". */
function putName(table: StaticArray<string>, v: u32): void {
  if (v < <u32>table.length && unchecked(table[v]).length) { puts(unchecked(table[v])); return; }
  puts('Unknown ('); putDec(v); puts(')');
}

@inline function le16(p: u32): u32 { return <u32>load<u16>(p); }

function dissectVsock(start: u32, end: u32): void {
  if (reportedLength(start, end) < MIN_LENGTH) { dissectData(start, end); return; }
  setProtocolColumn('vSocket');
  beginLayer(PROTO_VSOCK);
  if (!has(start, end, HEADER_LEN)) { markReadPast(end, start + HEADER_LEN); return; }
  setAddresses(AddrKind.VSOCK, start, start + 8);
  addNum(F_SRC_CID, load<u64>(start));
  addNum(F_DST_CID, load<u64>(start + 8));
  addNum(F_SRC_PORT, load<u32>(start + 16));
  addNum(F_DST_PORT, load<u32>(start + 20));
  const op = le16(start + 24), transport = le16(start + 26);
  addNum(F_OP, op);
  addNum(F_TRANSPORT, transport);
  addNum(F_TRANSPORT_LEN, le16(start + 28));
  addBytes(F_RESERVED, start + 30, 2);
  infoSet();
  puts('['); putName(OPERATIONS, op); puts('] '); putName(TRANSPORTS, transport);
  infoDone();
  if (transport != TRANSPORT_VIRTIO) return;
  const v = start + HEADER_LEN;
  if (!has(v, end, VIRTIO_HEADER_LEN)) { markReadPast(end, v + VIRTIO_HEADER_LEN); return; }
  addNum(F_VIRTIO_SRC_CID, load<u64>(v));
  addNum(F_VIRTIO_DST_CID, load<u64>(v + 8));
  addNum(F_VIRTIO_SRC_PORT, load<u32>(v + 16));
  addNum(F_VIRTIO_DST_PORT, load<u32>(v + 20));
  addNum(F_VIRTIO_LEN, load<u32>(v + 24));
  const type = le16(v + 28), virtioOp = le16(v + 30);
  addNum(F_VIRTIO_TYPE, type);
  addNum(F_VIRTIO_OP, virtioOp);
  addNum(F_VIRTIO_FLAGS, load<u32>(v + 32));
  const bufAlloc = load<u32>(v + 36), fwdCnt = load<u32>(v + 40);
  addNum(F_VIRTIO_BUF_ALLOC, bufAlloc);
  addNum(F_VIRTIO_FWD_CNT, fwdCnt);
  infoAppend();
  puts(': '); putName(VIRTIO_TYPES, type);
  puts(', Op: '); putName(VIRTIO_OPS, virtioOp);
  puts(', Buf alloc: '); putDec(bufAlloc);
  puts(', Fwd cnt: '); putDec(fwdCnt);
  infoDone();
}



registerLinktype(LINKTYPE_VSOCK, dissectVsock);
