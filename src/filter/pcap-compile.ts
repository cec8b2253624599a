/**
 * libpcap's own filter compiler (pcap_compile on a "dead" handle), through
 * koffi, so an expression means exactly what it means to tcpdump.  The
 * result is a copy of the classic BPF program; libpcap's memory is freed
 * before returning.  libpcap is loaded on first use only.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { UsageError, XcapError } from '../errors.js';
import { type CbpfProgram, INSN_SIZE, programFromBytes } from './cbpf.js';

const PCAP_NETMASK_UNKNOWN = 0xffffffff;
/** struct bpf_program on LP64: u_int bf_len, 4 bytes of padding, struct bpf_insn *bf_insns. */
const BPF_PROGRAM_SIZE = 16;
const BF_INSNS_OFFSET = 8;

type KoffiFunction = ReturnType<LibraryHandle['func']>;

interface Libpcap {
  openDead: KoffiFunction;
  openOffline: KoffiFunction;
  datalink: KoffiFunction;
  compile: KoffiFunction;
  geterr: KoffiFunction;
  freecode: KoffiFunction;
  close: KoffiFunction;
}

let libpcap: Libpcap | undefined;

function load(): Libpcap {
  if (libpcap) return libpcap;
  let lib;
  try {
    lib = koffi.load('libpcap.so.0.8');
  } catch (err) {
    throw new XcapError(`filter expressions need libpcap (Debian: apt-get install libpcap0.8): ${(err as Error).message}`);
  }
  libpcap = {
    openDead: lib.func('void *pcap_open_dead(int linktype, int snaplen)'),
    openOffline: lib.func('void *pcap_open_offline(const char *fname, void *errbuf)'),
    datalink: lib.func('int pcap_datalink(void *p)'),
    compile: lib.func('int pcap_compile(void *p, void *fp, const char *str, int optimize, uint32_t netmask)'),
    geterr: lib.func('const char *pcap_geterr(void *p)'),
    freecode: lib.func('void pcap_freecode(void *fp)'),
    close: lib.func('void pcap_close(void *p)'),
  };
  return libpcap;
}

export interface CompileOptions {
  /** LINKTYPE_* of the frames the filter will see (1: Ethernet). */
  linktype: number;
  /** What a match returns (tcpdump compiles with the capture's snaplen). */
  snaplen: number;
  /**
   * The capture file the frames come from, when libpcap can open it: the
   * filter is then compiled on that file, as `tcpdump -r` does, which
   * matters for link types whose header depends on the capturing machine
   * (BSD loopback: its byte order, and every OS's AF_INET6 value).
   */
  file?: string;
}

const PCAP_ERRBUF_SIZE = 256;

/** LINKTYPE_* values that differ from the DLT_* value libpcap's API takes (pcap-common.c's mapping, on Linux). */
const DLT_OF_LINKTYPE: Record<number, number> = { 100: 11, 101: 12, 102: 15, 103: 16, 106: 19 };

export function linktypeToDlt(linktype: number): number {
  return DLT_OF_LINKTYPE[linktype] ?? linktype;
}

/** A libpcap handle to compile on: the file when libpcap opens it with this link type, else a dead handle. */
function compileHandle(pcap: Libpcap, o: CompileOptions): unknown {
  const dlt = linktypeToDlt(o.linktype);
  if (o.file !== undefined) {
    const offline = pcap.openOffline(o.file, Buffer.alloc(PCAP_ERRBUF_SIZE)) as unknown;
    if (offline !== null) {
      if ((pcap.datalink(offline) as number) === dlt) return offline;
      pcap.close(offline);
    }
  }
  return pcap.openDead(dlt, o.snaplen) as unknown;
}

/** An expression and the classic BPF program libpcap made of it for one link type. */
export interface CompiledFilter {
  readonly expression: string;
  readonly linktype: number;
  readonly snaplen: number;
  readonly program: CbpfProgram;
}

/**
 * Compiles a tcpdump expression with optimisation on, as tcpdump does.
 * A syntax or semantic error becomes a UsageError carrying libpcap's message.
 */
export function compileFilter(expression: string, o: CompileOptions): CompiledFilter {
  const pcap = load();
  const handle = compileHandle(pcap, o);
  if (handle === null) throw new XcapError(`libpcap refused link type ${o.linktype} with snaplen ${o.snaplen}`);
  const prog = Buffer.alloc(BPF_PROGRAM_SIZE);
  try {
    if ((pcap.compile(handle, prog, expression, 1, PCAP_NETMASK_UNKNOWN) as number) !== 0) {
      throw new UsageError(`bad filter expression '${expression}': ${pcap.geterr(handle) as string}`);
    }
    try {
      const count = prog.readUInt32LE(0);
      const insns = prog.readBigUInt64LE(BF_INSNS_OFFSET);
      const bytes = new Uint8Array(koffi.view(insns, count * INSN_SIZE)).slice();
      return { expression, linktype: o.linktype, snaplen: o.snaplen, program: programFromBytes(bytes) };
    } finally {
      pcap.freecode(prog);
    }
  } finally {
    pcap.close(handle);
  }
}
