// AFS over RX DATA packets, as tshark 4.0 shows it: "FS Request:
// fetch-status (132)", "PROT Reply: id-to-name (505)".  The service comes
// from the server's port (the destination of a packet the client initiated,
// the source of one it did not), the operation from the first four bytes of
// the call's first request packet, which a table keyed like tshark's
// (conversation, service id, epoch, connection id, call number) keeps for
// the later packets and the reply.  An operation number above 66000 is
// "Encrypted FS Request"; a Ubik vote or disk operation on any port is
// "UBIK-VLDB Request: vote-beacon (10000)".  The request and reply bodies
// are not decoded: tshark reads them only while building a protocol tree,
// and they never change the info column.
import { protocol, uint, flag, timeRel } from '../fields';
import { beginItemLayer, addCalled, addNum, setProtocolColumn, markReadPast, frameNumber, frameTime, streamSerial, srcKind, srcPtr, dstPtr, AddrKind } from '../packet';
import { udpSrcPort, udpDstPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec } from '../text';
import { has, be32 } from '../cursor';
import { table } from '../tables';

const PROTO_AFS = protocol('afs', 'Andrew File System (AFS)');
const F_FS = flag('afs.fs', 'File Server');
const F_CB = flag('afs.cb', 'Callback');
const F_PROT = flag('afs.prot', 'Protection');
const F_VLDB = flag('afs.vldb', 'VLDB');
const F_KAUTH = flag('afs.kauth', 'KAuth');
const F_VOL = flag('afs.vol', 'Volume Server');
const F_ERROR = flag('afs.error', 'Error');
const F_BOS = flag('afs.bos', 'BOS');
const F_UPDATE = flag('afs.update', 'Update');
const F_RMTSYS = flag('afs.rmtsys', 'Rmtsys');
const F_UBIK = flag('afs.ubik', 'Ubik');
const F_BACKUP = flag('afs.backup', 'Backup');
const F_BUTC = flag('afs.butc', 'BackupTC');
const F_SERVICE = uint('afs.service', 'Service', 32);
const F_FS_OPCODE = uint('afs.fs.opcode', 'Operation', 32);
const F_CB_OPCODE = uint('afs.cb.opcode', 'Operation', 32);
const F_PROT_OPCODE = uint('afs.prot.opcode', 'Operation', 32);
const F_VLDB_OPCODE = uint('afs.vldb.opcode', 'Operation', 32);
const F_KAUTH_OPCODE = uint('afs.kauth.opcode', 'Operation', 32);
const F_VOL_OPCODE = uint('afs.vol.opcode', 'Operation', 32);
const F_BOS_OPCODE = uint('afs.bos.opcode', 'Operation', 32);
const F_UPDATE_OPCODE = uint('afs.update.opcode', 'Operation', 32);
const F_RMTSYS_OPCODE = uint('afs.rmtsys.opcode', 'Operation', 32);
const F_ERROR_OPCODE = uint('afs.error.opcode', 'Operation', 32);
const F_BACKUP_OPCODE = uint('afs.backup.opcode', 'Operation', 32);
const F_BUTC_OPCODE = uint('afs.butc.opcode', 'Operation', 32);
const F_UBIK_OPCODE = uint('afs.ubik.opcode', 'Operation', 32);
const F_REQFRAME = uint('afs.reqframe', 'Request Frame', 32);
const F_REPFRAME = uint('afs.repframe', 'Reply Frame', 32);
const F_TIME = timeRel('afs.time', 'Time from request');

const CLIENT_INITIATED: u32 = 0x01;
const OPCODE_HIGH: u32 = 66000;
const PORT_FS: u32 = 7000; // 7001-7009 follow in SHORT_NAMES' order
const PORT_RMTSYS: u32 = 7009;
const PORT_BACKUP: u32 = 7021;
const PORT_BUTC: u32 = 7025; // and every port above
const SHORT_NAMES: StaticArray<string> = ['FS', 'CB', 'PROT', 'VLDB', 'KAUTH', 'VOL', 'ERR', 'BOS', 'UPD', 'RMT'];
const enum Service { NONE, FS, CB, PROT, VLDB, KAUTH, VOL, ERROR, BOS, UPDATE, RMTSYS, BACKUP, BUTC, UBIK }

function serviceOfPort(port: u32): Service {
  if (port >= PORT_FS && port <= PORT_RMTSYS) return <Service>(port - PORT_FS + Service.FS);
  if (port == PORT_BACKUP) return Service.BACKUP;
  return port >= PORT_BUTC ? Service.BUTC : Service.NONE;
}

function isUbik(op: u32): bool { return (op >= 10000 && op <= 10007) || (op >= 20000 && op <= 20013); }

/** The short name tshark gives the server port: "FS", "BKUP", or "Unknown(1799)". */
function putPortName(port: u32): void {
  if (port >= PORT_FS && port <= PORT_RMTSYS) puts(unchecked(SHORT_NAMES[port - PORT_FS]));
  else if (port == PORT_BACKUP) puts('BKUP');
  else if (port == PORT_BUTC) puts('BUTC');
  else { puts('Unknown('); putDec(port); putc(41); }
}

function opcodeField(s: Service): i32 {
  switch (s) {
    case Service.FS: return F_FS_OPCODE;
    case Service.CB: return F_CB_OPCODE;
    case Service.PROT: return F_PROT_OPCODE;
    case Service.VLDB: return F_VLDB_OPCODE;
    case Service.KAUTH: return F_KAUTH_OPCODE;
    case Service.VOL: return F_VOL_OPCODE;
    case Service.ERROR: return F_ERROR_OPCODE;
    case Service.BOS: return F_BOS_OPCODE;
    case Service.UPDATE: return F_UPDATE_OPCODE;
    case Service.RMTSYS: return F_RMTSYS_OPCODE;
    case Service.BACKUP: return F_BACKUP_OPCODE;
    case Service.BUTC: return F_BUTC_OPCODE;
    case Service.UBIK: return F_UBIK_OPCODE;
    default: return -1;
  }
}

function serviceFlag(s: Service): i32 {
  switch (s) {
    case Service.FS: return F_FS;
    case Service.CB: return F_CB;
    case Service.PROT: return F_PROT;
    case Service.VLDB: return F_VLDB;
    case Service.KAUTH: return F_KAUTH;
    case Service.VOL: return F_VOL;
    case Service.ERROR: return F_ERROR;
    case Service.BOS: return F_BOS;
    case Service.UPDATE: return F_UPDATE;
    case Service.RMTSYS: return F_RMTSYS;
    case Service.BACKUP: return F_BACKUP;
    case Service.BUTC: return F_BUTC;
    case Service.UBIK: return F_UBIK;
    default: return -1;
  }
}

/** The operation's name in the service's table, '' when the table lacks it. */
function lookup(codes: StaticArray<u32>, names: StaticArray<string>, op: u32): string {
  for (let i = 0; i < codes.length; i++) if (unchecked(codes[i]) == op) return unchecked(names[i]);
  return '';
}

function operationName(s: Service, op: u32): string {
  switch (s) {
    case Service.FS: return lookup(FS_CODES, FS_NAMES, op);
    case Service.CB: return lookup(CB_CODES, CB_NAMES, op);
    case Service.PROT: return lookup(PROT_CODES, PROT_NAMES, op);
    case Service.VLDB: return lookup(VLDB_CODES, VLDB_NAMES, op);
    case Service.KAUTH: return lookup(KAUTH_CODES, KAUTH_NAMES, op);
    case Service.VOL: return lookup(VOL_CODES, VOL_NAMES, op);
    case Service.BOS: return lookup(BOS_CODES, BOS_NAMES, op);
    case Service.UPDATE: return lookup(UPDATE_CODES, UPDATE_NAMES, op);
    case Service.RMTSYS: return lookup(RMTSYS_CODES, RMTSYS_NAMES, op);
    case Service.BACKUP: return lookup(BACKUP_CODES, BACKUP_NAMES, op);
    case Service.BUTC: return lookup(BUTC_CODES, BUTC_NAMES, op);
    case Service.UBIK: return lookup(UBIK_CODES, UBIK_NAMES, op);
    default: return '';
  }
}

/** Whether tshark has a name table for the service (the error port has none). */
function hasNames(s: Service): bool { return s != Service.NONE && s != Service.ERROR; }

// Calls seen, as tshark's request table: the operation of a call's first
// request packet, its frame and time, and the last reply's frame.  Keyed by
// the conversation (both addresses and ports, the lower endpoint first, and
// the stream) and the call's ids.  A fixed table; when the probes of a key
// are all taken the oldest entry goes.
const CALLS: u32 = 4096; // a power of two
const PROBES: u32 = 8;
const KEY_BYTES: u32 = 60; // stream, kind, port A, port B, address A, address B, service id, epoch, cid, call number
const callKey = table<u8>(CALLS * KEY_BYTES);
const callOpcode = table<u32>(CALLS);
const callRequestFrame = table<u32>(CALLS);
const callReplyFrame = table<u32>(CALLS);
const callRequestTime = table<i64>(CALLS);
const callStamp = table<u32>(CALLS); // insertion order + 1; 0 marks a free entry
const probeKey = table<u8>(KEY_BYTES);
let callsInserted: u32 = 0;

function lowerFirst(a: u32, b: u32, n: u32, portA: u32, portB: u32): bool {
  for (let i: u32 = 0; i < n; i++) {
    const x = load<u8>(a + i), y = load<u8>(b + i);
    if (x != y) return x < y;
  }
  return portA <= portB;
}

/** Fills probeKey for the current packet's call; false without IP addresses. */
function makeKey(service: u32, epoch: u32, cid: u32, call: u32): bool {
  if (srcKind != AddrKind.IPV4 && srcKind != AddrKind.IPV6) return false;
  const n: u32 = srcKind == AddrKind.IPV4 ? 4 : 16;
  const k = changetype<usize>(probeKey);
  memory.fill(k, 0, KEY_BYTES);
  const forward = lowerFirst(srcPtr, dstPtr, n, udpSrcPort, udpDstPort);
  store<u32>(k, streamSerial());
  store<u8>(k + 4, <u8>srcKind);
  store<u16>(k + 6, <u16>(forward ? udpSrcPort : udpDstPort));
  store<u16>(k + 8, <u16>(forward ? udpDstPort : udpSrcPort));
  memory.copy(k + 10, forward ? srcPtr : dstPtr, n);
  memory.copy(k + 26, forward ? dstPtr : srcPtr, n);
  store<u16>(k + 42, <u16>service);
  store<u32>(k + 44, epoch);
  store<u32>(k + 48, cid);
  store<u32>(k + 52, call);
  return true;
}

function sameKey(a: usize, b: usize): bool {
  for (let i: u32 = 0; i < KEY_BYTES; i += 4) if (load<u32>(a + i) != load<u32>(b + i)) return false;
  return true;
}

/** The entry holding probeKey, or -1; freeEntry is left at the entry a new call would take. */
let freeEntry: u32 = 0;
function findCall(): i32 {
  const k = changetype<usize>(probeKey);
  let h: u32 = 2166136261;
  for (let i: u32 = 0; i < KEY_BYTES; i += 4) h = (h ^ load<u32>(k + i)) * 16777619;
  h ^= h >> 15;
  let oldest: u32 = 0xffffffff;
  freeEntry = h & (CALLS - 1);
  for (let i: u32 = 0; i < PROBES; i++) {
    const e = (h + i) & (CALLS - 1);
    const stamp = unchecked(callStamp[e]);
    if (stamp == 0) { if (oldest != 0) { oldest = 0; freeEntry = e; } continue; }
    if (sameKey(changetype<usize>(callKey) + e * KEY_BYTES, k)) return <i32>e;
    if (stamp < oldest) { oldest = stamp; freeEntry = e; }
  }
  return -1;
}

export function dissectAfs(start: u32, end: u32, flags: u32, service: u32, epoch: u32, cid: u32, call: u32): void {
  addCalled(PROTO_AFS); // listed from the call on; the layer opens once the operation is known
  setProtocolColumn('AFS (RX)');
  infoSet(); infoDone();
  const reply = (flags & CLIENT_INITIATED) == 0;
  const port = reply ? udpSrcPort : udpDstPort;
  const keyed = makeKey(service, epoch, cid, call);
  let e = keyed ? findCall() : -1;
  if (e < 0 && !reply) {
    // The first request packet of a call names its operation.
    if (!has(start, end, 4)) { markReadPast(end, start + 4); return; }
  }
  if (e < 0 && !reply && keyed) {
    e = <i32>freeEntry;
    memory.copy(changetype<usize>(callKey) + <u32>e * KEY_BYTES, changetype<usize>(probeKey), KEY_BYTES);
    unchecked(callOpcode[e] = be32(start));
    unchecked(callRequestFrame[e] = frameNumber());
    unchecked(callReplyFrame[e] = 0);
    unchecked(callRequestTime[e] = frameTime());
    unchecked(callStamp[e] = ++callsInserted);
  }
  if (e >= 0 && reply) unchecked(callReplyFrame[e] = frameNumber());
  const op: u32 = e >= 0 ? unchecked(callOpcode[e]) : 0;

  let s = serviceOfPort(port);
  if (isUbik(op)) s = Service.UBIK;
  const valid = op <= OPCODE_HIGH;
  infoSet();
  if (valid) {
    if (s == Service.UBIK) puts('UBIK-');
    putPortName(port);
    puts(reply ? ' Reply: ' : ' Request: ');
    const name = hasNames(s) ? operationName(s, op) : '';
    if (name.length) puts(name); else { puts('Unknown('); putDec(op); putc(41); }
    if (hasNames(s)) { puts(' ('); putDec(op); putc(41); }
  } else {
    puts('Encrypted ');
    putPortName(port);
    puts(reply ? ' Reply' : ' Request');
  }
  infoDone();

  beginItemLayer(PROTO_AFS);
  addNum(F_SERVICE, op);
  if (e >= 0) {
    const replyFrame = unchecked(callReplyFrame[e]);
    if (!reply && replyFrame != 0) addNum(F_REPFRAME, replyFrame);
    if (reply) {
      addNum(F_REQFRAME, unchecked(callRequestFrame[e]));
      addNum(F_TIME, <u64>(frameTime() - unchecked(callRequestTime[e])));
    }
  }
  if (!valid) return;
  const opField = opcodeField(s);
  if (opField >= 0) addNum(<u32>opField, op);
  const serviceField = serviceFlag(s);
  if (serviceField >= 0) addNum(<u32>serviceField, 1);
}

const FS_CODES: StaticArray<u32> = [
  130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152,
  153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 220, 65536, 65537, 65538, 65539, 65540, 65541, 65542
];
const FS_NAMES: StaticArray<string> = [
  'fetch-data', 'fetch-acl', 'fetch-status', 'store-data', 'store-acl', 'store-status', 'remove-file',
  'create-file', 'rename', 'symlink', 'link', 'makedir', 'rmdir', 'old-set-lock', 'old-extend-lock',
  'old-release-lock', 'get-stats', 'give-up-callbacks', 'get-volume-info', 'get-volume-status', 'set-volume-status',
  'get-root-volume', 'check-token', 'get-time', 'nget-volume-info', 'bulk-status', 'set-lock', 'extend-lock',
  'release-lock', 'xstats-version', 'get-xstats', 'dfs-lookup', 'dfs-flushcps', 'dfs-symlink', 'residency',
  'inline-bulk-status', 'fetch-data-64', 'store-data-64', 'give-up-all-callbacks', 'get-capabilities',
  'call-back-rxconn-addr', 'get-statistics-64'
];
const CB_CODES: StaticArray<u32> = [
  204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 65536, 65537, 65538
];
const CB_NAMES: StaticArray<string> = [
  'callback', 'init-callback-state', 'probe', 'get-lock', 'get-ce', 'xstats-version', 'get-xstats',
  'init-callback-state2', 'who-are-you', 'init-callback-state3', 'probeuuid', 'get-server-prefs', 'get-cellservdb',
  'get-local-cell', 'get-cache-config', 'get-ce-64', 'get-cell-by-num', 'get-capabilities'
];
const PROT_CODES: StaticArray<u32> = [
  500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 512, 513, 514, 515, 516, 517, 518, 519, 520, 521, 530
];
const PROT_NAMES: StaticArray<string> = [
  'new-user', 'where-is-it', 'dump-entry', 'add-to-group', 'name-to-id', 'id-to-name', 'delete',
  'remove-from-group', 'get-cps', 'new-entry', 'list-max', 'set-max', 'list-entry', 'change-entry', 'list-elements',
  'is-member-of', 'set-fld-sentry', 'list-owned', 'get-cps2', 'get-host-cps', 'update-entry', 'list-entries',
  'list-supergroups'
];
const VLDB_CODES: StaticArray<u32> = [
  501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 512, 513, 514, 515, 516, 517, 518, 519, 520, 521, 522, 523,
  524, 525, 526, 527, 528, 529, 530, 531, 532, 533, 534
];
const VLDB_NAMES: StaticArray<string> = [
  'create-entry', 'delete-entry', 'get-entry-by-id', 'get-entry-by-name', 'get-new-volume-id', 'replace-entry',
  'update-entry', 'set-lock', 'release-lock', 'list-entry', 'list-attributes', 'linked-list', 'get-stats', 'probe',
  'get-addrs', 'change-addr', 'create-entry-n', 'get-entry-by-id-n', 'get-entry-by-name-n', 'replace-entry-n',
  'list-entry-n', 'list-attrib-n', 'linked-list-n', 'update-entry-by-name', 'create-entry-u', 'get-entry-by-id-u',
  'get-entry-by-name-u', 'replace-entry-u', 'list-entry-u', 'list-attrib-u', 'linked-list-u', 'regaddr',
  'get-addrs-u', 'list-attrib-n2'
];
const KAUTH_CODES: StaticArray<u32> = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 21, 22, 23
];
const KAUTH_NAMES: StaticArray<string> = [
  'auth-old', 'change-pw', 'get-ticket-old', 'set-pw', 'set-fields', 'create-user', 'delete-user', 'get-entry',
  'list-entry', 'get-stats', 'debug', 'get-pw', 'get-random-key', 'unlock', 'lock-status', 'authenticate',
  'authenticate-v2', 'get-ticket'
];
const VOL_CODES: StaticArray<u32> = [
  100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
  123, 124, 125, 126, 127, 128, 65536, 65537, 65538, 65539
];
const VOL_NAMES: StaticArray<string> = [
  'create-volume', 'delete-volume', 'restore', 'forward', 'end-trans', 'clone', 'set-flags', 'get-flags',
  'trans-create', 'dump', 'get-nth-volume', 'set-forwarding', 'get-name', 'get-status', 'sig-restore',
  'list-partitions', 'list-volumes', 'set-id-types', 'monitor', 'partition-info', 'reclone', 'list-one-volume',
  'nuke', 'set-date', 'x-list-volumes', 'x-list-one-volume', 'set-info', 'x-list-partitions', 'forward-multiple',
  'convert-ro', 'getsize', 'dump-v2', 'partition-info-64'
];
const BOS_CODES: StaticArray<u32> = [
  80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106,
  107, 108, 109, 110, 111, 112, 113, 114, 115, 116
];
const BOS_NAMES: StaticArray<string> = [
  'create-bnode', 'delete-bnode', 'set-status', 'get-status', 'enumerate-instance', 'get-instance-info',
  'get-instance-parm', 'add-superuser', 'delete-superuser', 'list-superusers', 'list-keys', 'add-key', 'delete-key',
  'set-cell-name', 'get-cell-name', 'get-cell-host', 'add-cell-host', 'delete-cell-host', 'set-t-status',
  'shutdown-all', 'restart-all', 'startup-all', 'set-noauth-flag', 're-bozo', 'restart', 'install', 'uninstall',
  'get-dates', 'exec', 'prune', 'set-restart-time', 'get-restart-time', 'get-log', 'wait-all',
  'get-instance-strings', 'get-restricted', 'set restricted'
];
const UPDATE_CODES: StaticArray<u32> = [
  1, 2
];
const UPDATE_NAMES: StaticArray<string> = [
  'fetch-file', 'fetch-info'
];
const RMTSYS_CODES: StaticArray<u32> = [
  1, 2
];
const RMTSYS_NAMES: StaticArray<string> = [
  'setpag', 'pioctl'
];
const BACKUP_CODES: StaticArray<u32> = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
];
const BACKUP_NAMES: StaticArray<string> = [
  'add-volume', 'create-dump', 'delete-dump', 'delete-tape', 'delete-vdp', 'find-clone', 'find-dump',
  'find-latest-dump', 'make-dump-appended', 'find-last-tape', 'finish-dump', 'finish-tape', 'get-dumps',
  'get-tapes', 'get-volumes', 'use-tape', 'get-text', 'get-text-version', 'save-text', 'free-all-locks',
  'free-lock', 'get-instance-id', 'get-lock', 'db-verify', 'dump-db', 'restore-db-header', 't-get-version',
  't-dump-hash-table', 't-dump-database', 'add-volumes', 'list-dumps'
];
const BUTC_CODES: StaticArray<u32> = [
  100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118
];
const BUTC_NAMES: StaticArray<string> = [
  'perform-dump', 'perform-restore', 'check-dump', 'abort-dump', 'wait-for-dump', 'end-dump', 'get-tm-info',
  'label-tape', 'scan-nodes', 'read-label', 'scan-dumps', 'get-tc-info', 'save-database', 'restore-database',
  'get-status', 'request-abort', 'end-status', 'scan-status', 'delete-dump'
];
const UBIK_CODES: StaticArray<u32> = [
  10000, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 20000, 20001, 20002, 20003, 20004, 20005, 20006, 20007,
  20008, 20009, 20010, 20011, 20012, 20013
];
const UBIK_NAMES: StaticArray<string> = [
  'vote-beacon', 'vote-debug-old', 'vote-sdebug-old', 'vote-getsyncsite', 'vote-debug', 'vote-sdebug',
  'vote-xdebug', 'vote-xsdebug', 'disk-begin', 'disk-commit', 'disk-lock', 'disk-write', 'disk-getversion',
  'disk-getfile', 'disk-sendfile', 'disk-abort', 'disk-releaselocks', 'disk-truncate', 'disk-probe', 'disk-writev',
  'disk-interfaceaddr', 'disk-setversion'
];
