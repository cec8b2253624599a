/**
 * A BPF object file through libbpf: open, configure (.rodata and map sizes)
 * before load, load, then look up programs and maps.  close() frees the
 * object and with it every program and map fd libbpf holds; safe twice.
 */
import * as bpf from './libbpf.js';
import { KernelError, check } from './errors.js';
import { errno } from './libc.js';

export interface BpfProgram {
  readonly name: string;
  readonly fd: number;
  readonly handle: bpf.Ptr;
}

export class BpfObject {
  private handle: bpf.Ptr | null;
  private loaded = false;

  private constructor(handle: bpf.Ptr, readonly path: string) {
    this.handle = handle;
  }

  static open(path: string): BpfObject {
    bpf.clearLibbpfLog();
    const handle = bpf.bpf_object__open_file(path, null) as bpf.Ptr | null;
    if (handle === null) throw new KernelError(`open BPF object ${path}`, errno() || 1, bpf.libbpfLog(3) || undefined);
    return new BpfObject(handle, path);
  }

  private get live(): bpf.Ptr {
    if (this.handle === null) throw new Error(`BPF object ${this.path} is closed`);
    return this.handle;
  }

  private mapHandle(name: string): bpf.Ptr {
    const map = bpf.bpf_object__find_map_by_name(this.live, name) as bpf.Ptr | null;
    if (map === null) throw new KernelError(`find map ${name} in ${this.path}`, 2 /* ENOENT */);
    return map;
  }

  /** The internal map holding `const volatile` globals (libbpf names it "<object>.rodata"). */
  private rodataHandle(): bpf.Ptr {
    for (let m = bpf.bpf_object__next_map(this.live, null) as bpf.Ptr | null; m !== null; m = bpf.bpf_object__next_map(this.live, m) as bpf.Ptr | null) {
      if ((bpf.bpf_map__name(m) as string).endsWith('.rodata')) return m;
    }
    throw new KernelError(`find the .rodata section of ${this.path}`, 2 /* ENOENT */);
  }

  /** Replaces the whole .rodata image; its size must equal the section's, so a layout mismatch cannot go unnoticed. */
  setRodata(image: Uint8Array): void {
    this.assertNotLoaded('set .rodata');
    const map = this.rodataHandle();
    const size = new BigUint64Array(1);
    bpf.bpf_map__initial_value(map, size);
    if (Number(size[0]) !== image.byteLength) {
      throw new KernelError(`configure ${this.path}: .rodata is ${size[0]} bytes, settings are ${image.byteLength}`, 22 /* EINVAL */);
    }
    check(bpf.bpf_map__set_initial_value(map, image, image.byteLength), `set .rodata of ${this.path}`, errno);
  }

  setMaxEntries(mapName: string, entries: number): void {
    this.assertNotLoaded(`resize map ${mapName}`);
    check(bpf.bpf_map__set_max_entries(this.mapHandle(mapName), entries), `set the size of map ${mapName} to ${entries}`, errno);
  }

  load(): void {
    bpf.clearLibbpfLog();
    check(bpf.bpf_object__load(this.live), `load BPF object ${this.path}`, errno, () => bpf.libbpfLog() || undefined);
    this.loaded = true;
  }

  program(name: string): BpfProgram {
    const handle = bpf.bpf_object__find_program_by_name(this.live, name) as bpf.Ptr | null;
    if (handle === null) throw new KernelError(`find program ${name} in ${this.path}`, 2 /* ENOENT */);
    const fd = this.loaded ? check(bpf.bpf_program__fd(handle), `get the fd of program ${name}`, errno) : -1;
    return { name, fd, handle };
  }

  mapFd(name: string): number {
    return check(bpf.bpf_map__fd(this.mapHandle(name)), `get the fd of map ${name}`, errno);
  }

  close(): void {
    if (this.handle === null) return;
    bpf.bpf_object__close(this.handle);
    this.handle = null;
  }

  private assertNotLoaded(op: string): void {
    if (this.loaded) throw new Error(`${op}: ${this.path} is already loaded`);
  }
}

/** The kernel's id of a program, map or link fd (struct bpf_*_info starts with type then id). */
export function objectId(fd: number): number {
  const info = new Uint32Array(2);
  const len = new Uint32Array([info.byteLength]);
  check(bpf.bpf_obj_get_info_by_fd(fd, info, len), `get the id of BPF fd ${fd}`, errno);
  return info[1];
}

let possibleCpus = 0;
/** How many values a per-CPU map holds per key. */
export function cpuCount(): number {
  if (possibleCpus > 0) return possibleCpus;
  const n = bpf.libbpf_num_possible_cpus() as number;
  if (n <= 0) throw new KernelError('count the possible CPUs', -n || 1);
  return (possibleCpus = n);
}
