/**
 * koffi bindings for the parts of libbpf 1.1 (libbpf.so.1) the kernel side
 * uses.  Objects, maps, programs and libbpf-managed links are opaque
 * pointers (bigint); everything else is a file descriptor.  libbpf returns
 * -errno (or NULL with errno set); errors.ts turns that into KernelError.
 * Out-parameters are passed as typed arrays.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { XcapError } from '../errors.js';
import { vformat } from './libc.js';

let lib: LibraryHandle;
try {
  lib = koffi.load('libbpf.so.1');
} catch (err) {
  throw new XcapError(`libbpf.so.1 is not installed (Debian: apt-get install libbpf1): ${(err as Error).message}`);
}

export type Ptr = bigint;

export const bpf_object__open_file = lib.func('void *bpf_object__open_file(const char *path, void *opts)');
export const bpf_object__load = lib.func('int bpf_object__load(void *obj)');
export const bpf_object__close = lib.func('void bpf_object__close(void *obj)');
export const bpf_object__next_map = lib.func('void *bpf_object__next_map(void *obj, void *prev)');
export const bpf_object__find_map_by_name = lib.func('void *bpf_object__find_map_by_name(void *obj, const char *name)');
export const bpf_object__find_program_by_name = lib.func('void *bpf_object__find_program_by_name(void *obj, const char *name)');
export const bpf_map__name = lib.func('const char *bpf_map__name(void *map)');
export const bpf_map__fd = lib.func('int bpf_map__fd(void *map)');
export const bpf_map__set_max_entries = lib.func('int bpf_map__set_max_entries(void *map, uint32_t max_entries)');
export const bpf_map__initial_value = lib.func('void *bpf_map__initial_value(void *map, void *psize)');
export const bpf_map__set_initial_value = lib.func('int bpf_map__set_initial_value(void *map, void *data, size_t size)');
export const bpf_program__fd = lib.func('int bpf_program__fd(void *prog)');
export const bpf_program__attach_xdp = lib.func('void *bpf_program__attach_xdp(void *prog, int ifindex)');
export const bpf_link__fd = lib.func('int bpf_link__fd(void *link)');
export const bpf_link__destroy = lib.func('int bpf_link__destroy(void *link)');
export const bpf_link_create = lib.func('int bpf_link_create(int prog_fd, int target_fd, int attach_type, void *opts)');
export const bpf_map_lookup_elem = lib.func('int bpf_map_lookup_elem(int fd, void *key, void *value)');
export const bpf_map_update_elem = lib.func('int bpf_map_update_elem(int fd, void *key, void *value, uint64_t flags)');
export const bpf_obj_get_info_by_fd = lib.func('int bpf_obj_get_info_by_fd(int fd, void *info, void *info_len)');
export const bpf_prog_query = lib.func('int bpf_prog_query(int target_fd, int type, uint32_t query_flags, void *attach_flags, void *prog_ids, void *prog_cnt)');
export const bpf_xdp_query_id = lib.func('int bpf_xdp_query_id(int ifindex, int flags, void *prog_id)');
export const libbpf_num_possible_cpus = lib.func('int libbpf_num_possible_cpus(void)');

/** enum bpf_attach_type values (uapi/linux/bpf.h) that libbpf 1.1's headers predate. */
export const enum AttachType {
  TcxIngress = 46,
  TcxEgress = 47,
}

// libbpf's print callback: (level, fmt, va_list).  Warnings are kept so a
// failed load can say why (the verifier log); XCAP_DEBUG=1 shows everything.
const LIBBPF_DEBUG = 2;
const recent: string[] = [];
const RECENT_LINES = 40;
const PrintFn = koffi.proto('int xcap_libbpf_print(int level, const char *format, void *args)');
const setPrint = lib.func('void *libbpf_set_print(void *fn)');
const printer = koffi.register((level: number, format: string, args: unknown): number => {
  if (level === LIBBPF_DEBUG && !process.env.XCAP_DEBUG) return 0;
  const text = vformat(format, args).trimEnd();
  if (process.env.XCAP_DEBUG) process.stderr.write(`${text}\n`);
  if (level < LIBBPF_DEBUG) {
    recent.push(...text.split('\n'));
    if (recent.length > RECENT_LINES) recent.splice(0, recent.length - RECENT_LINES);
  }
  return 0;
}, koffi.pointer(PrintFn));
setPrint(printer);

/** Starts collecting libbpf's messages for one operation. */
export function clearLibbpfLog(): void {
  recent.length = 0;
}

/** The last lines libbpf printed (warnings and info), most useful last. */
export function libbpfLog(maxLines = 12): string {
  return recent.slice(-maxLines).join('\n');
}
