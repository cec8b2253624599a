/**
 * The few libc calls the kernel side needs, through koffi: mmap of the ring,
 * epoll on its fd, clocks, interface indexes, entering a network namespace,
 * and the socket calls of AF_XDP.  Memory arguments are Buffers or typed arrays; pointers come
 * back as bigint.
 */
import koffi from 'koffi';
import { KernelError, check } from './errors.js';

const lib = koffi.load('libc.so.6');

export const errno = (): number => koffi.errno();

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const MAP_SHARED = 0x1;
export const CLOCK_REALTIME = 0;
export const CLOCK_TAI = 11;
export const CLONE_NEWNET = 0x40000000;
const EPOLL_CLOEXEC = 0o2000000;
const EPOLL_CTL_ADD = 1;
const EPOLLIN = 0x1;
const MAP_FAILED = 0xffffffffffffffffn;

const mmapFn = lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)');
const munmapFn = lib.func('int munmap(void *addr, size_t length)');
const closeFn = lib.func('int close(int fd)');
const epollCreate1 = lib.func('int epoll_create1(int flags)');
const epollCtl = lib.func('int epoll_ctl(int epfd, int op, int fd, void *event)');
const epollWait = lib.func('int epoll_wait(int epfd, void *events, int maxevents, int timeout)');
const clockGettime = lib.func('int clock_gettime(int clockid, void *ts)');
const ifNametoindex = lib.func('unsigned int if_nametoindex(const char *ifname)');
const setnsFn = lib.func('int setns(int fd, int nstype)');
const sysconf = lib.func('long sysconf(int name)');
const vsnprintfFn = lib.func('int vsnprintf(void *buf, size_t size, const char *format, void *ap)');
const socketFn = lib.func('int socket(int domain, int type, int protocol)');
const setsockoptFn = lib.func('int setsockopt(int fd, int level, int name, void *value, uint32_t len)');
const getsockoptFn = lib.func('int getsockopt(int fd, int level, int name, void *value, void *len)');
const bindFn = lib.func('int bind(int fd, void *addr, uint32_t len)');
const sendmmsgFn = lib.func('int sendmmsg(int fd, void *msgvec, unsigned int vlen, int flags)');
const recvfromFn = lib.func('long recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *addrlen)');

const _SC_PAGESIZE = 30;
export const PAGE_SIZE = Number(sysconf(_SC_PAGESIZE));

/** A mapping and a view of it; unmap once. */
export interface Mapping {
  readonly address: bigint;
  readonly length: number;
  readonly buffer: ArrayBuffer;
}

export function mmap(fd: number, length: number, prot: number, offset: number, what: string): Mapping {
  const address = mmapFn(null, length, prot, MAP_SHARED, fd, BigInt(offset)) as bigint | null;
  if (address === null || address === MAP_FAILED) throw new KernelError(`map ${what}`, errno() || 1);
  return { address, length, buffer: koffi.view(address, length) };
}

export function munmap(m: Mapping): void {
  munmapFn(m.address, m.length);
}

export function close(fd: number): void {
  closeFn(fd);
}

const EPOLL_EVENT_SIZE = 12; // struct epoll_event is packed on x86-64

/** An epoll instance that wakes when any of the fds is readable. */
export function epollFor(fds: number | number[], what: string): number {
  const epfd = check(epollCreate1(EPOLL_CLOEXEC), `create an epoll instance for ${what}`, errno);
  const ev = Buffer.alloc(EPOLL_EVENT_SIZE);
  ev.writeUInt32LE(EPOLLIN, 0);
  try {
    for (const fd of typeof fds === 'number' ? [fds] : fds) check(epollCtl(epfd, EPOLL_CTL_ADD, fd, ev), `watch ${what} with epoll`, errno);
  } catch (err) {
    closeFn(epfd);
    throw err;
  }
  return epfd;
}

const eventsScratch = Buffer.alloc(EPOLL_EVENT_SIZE * 4);
const EINTR = 4;

/** Blocks up to timeoutMs; true when the fd became readable. */
export function epollWaitReadable(epfd: number, timeoutMs: number): boolean {
  const n = epollWait(epfd, eventsScratch, 4, timeoutMs) as number;
  if (n < 0 && errno() !== EINTR) throw new KernelError('wait for captured data', errno());
  return n > 0;
}

const ts = new BigInt64Array(2);

export function clockNs(clock: number): bigint {
  check(clockGettime(clock, ts), `read clock ${clock}`, errno);
  return ts[0] * 1_000_000_000n + ts[1];
}

/** 0 when there is no such interface (in the calling thread's network namespace). */
export function ifNameToIndex(name: string): number {
  return ifNametoindex(name) as number;
}

export function setns(fd: number, nstype: number, what: string): void {
  check(setnsFn(fd, nstype), `enter ${what}`, errno);
}

/** Formats a C format string with a va_list received in a callback. */
export function vformat(format: string, ap: unknown): string {
  const buf = Buffer.alloc(1024);
  const n = vsnprintfFn(buf, buf.length, format, ap) as number;
  return buf.toString('utf8', 0, Math.max(0, Math.min(n, buf.length - 1)));
}

const SOCK_CLOEXEC = 0o2000000;

export function socket(domain: number, type: number, what: string): number {
  return check(socketFn(domain, type | SOCK_CLOEXEC, 0), `open ${what}`, errno);
}

/** setsockopt with a struct or integer value; returns the negative errno instead of throwing (callers explain their own refusals). */
export function setsockopt(fd: number, level: number, name: number, value: Uint8Array | Uint32Array): number {
  return setsockoptFn(fd, level, name, value, value.byteLength) === 0 ? 0 : -(errno() || 1);
}

/** getsockopt into `value`; returns the length the kernel filled or the negative errno. */
export function getsockopt(fd: number, level: number, name: number, value: Uint8Array): number {
  const len = new Uint32Array([value.byteLength]);
  return getsockoptFn(fd, level, name, value, len) === 0 ? len[0] : -(errno() || 1);
}

/** sendmmsg over `vlen` mmsghdrs at native address `msgvec`; returns the messages sent, or -1 with errno set. */
export function sendmmsg(fd: number, msgvec: bigint | number, vlen: number, flags: number): number {
  return sendmmsgFn(fd, msgvec, vlen, flags) as number;
}

export function bind(fd: number, addr: Uint8Array): number {
  return bindFn(fd, addr, addr.byteLength) === 0 ? 0 : -(errno() || 1);
}

const MSG_DONTWAIT = 0x40;

/** An empty non-blocking receive: how an AF_XDP socket is told that its fill ring has frames again. */
export function kick(fd: number): void {
  recvfromFn(fd, null, 0, MSG_DONTWAIT, null, null);
}
