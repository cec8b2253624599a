// What `-d` prints: the classic program exactly as `tcpdump -d` prints it, then the entry program it becomes.
import { printCbpf } from './cbpf.js';
import { printEbpf } from './ebpf.js';
import { HELPER_NAMES, translateFilter, type FilterHook } from './ebpf-translate.js';
import type { CompiledFilter } from './pcap-compile.js';

export function describeFilter(f: CompiledFilter, hooks: FilterHook[] = ['xdp', 'tc']): string {
  let out = printCbpf(f.program);
  for (const hook of hooks) {
    const t = translateFilter(f.program, hook, 'tail-call');
    out += `\n; eBPF entry program at ${hook === 'xdp' ? 'XDP' : 'TC (TCX)'}: ${t.insns.length / 8} instructions; a match tail-calls the capture program\n`;
    out += printEbpf(t.insns, t.mapSlots, HELPER_NAMES);
  }
  return out;
}
