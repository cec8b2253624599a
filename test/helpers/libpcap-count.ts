// What tcpdump -r FILE EXPR keeps, computed in this process: libpcap opens
// the file, compiles the expression on it and filters with its own
// bpf_filter() (pcap_setfilter + pcap_next_ex: tcpdump's own path), without
// starting a process per file and expression.
import koffi from 'koffi';

const lib = koffi.load('libpcap.so.0.8');
const openOffline = lib.func('void *pcap_open_offline(const char *fname, void *errbuf)');
const compile = lib.func('int pcap_compile(void *p, void *fp, const char *str, int optimize, uint32_t netmask)');
const setfilter = lib.func('int pcap_setfilter(void *p, void *fp)');
const freecode = lib.func('void pcap_freecode(void *fp)');
const nextEx = lib.func('int pcap_next_ex(void *p, void *header, void *data)');
const closeFn = lib.func('void pcap_close(void *p)');

/** Frames libpcap keeps, or undefined when it cannot open the file or compile the expression for it. */
export function libpcapCount(file: string, expr?: string): number | undefined {
  const p = openOffline(file, Buffer.alloc(256)) as unknown;
  if (p === null) return undefined;
  const prog = Buffer.alloc(16);
  try {
    if (expr !== undefined) {
      if ((compile(p, prog, expr, 1, 0xffffffff) as number) !== 0) return undefined;
      const ok = (setfilter(p, prog) as number) === 0;
      freecode(prog);
      if (!ok) return undefined;
    }
    const hdr = new BigUint64Array(1);
    const data = new BigUint64Array(1);
    let n = 0;
    for (;;) {
      const r = nextEx(p, hdr, data) as number;
      if (r === 1) n++;
      else if (r === -2) return n; // end of file
      else return r === -1 ? undefined : n;
    }
  } finally {
    closeFn(p);
  }
}
