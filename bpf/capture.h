/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared between bpf/capture.bpf.c and src/kernel/ring-reader.ts (which
 * mirrors these offsets; test/kernel/layout.test.ts checks they agree).
 *
 * Ring record (after the ring buffer's own 8-byte header):
 *   off size field
 *     0   8  ts_ns      bpf_ktime_get_tai_ns() when the program ran
 *     8   4  ifindex    interface the frame was seen on
 *    12   4  origlen    bytes on the wire (skb->len / whole XDP buffer)
 *    16   4  caplen     bytes copied after this header: min(origlen, snaplen)
 *    20   2  iface_slot position of ifindex in settings.ifindexes (XCAP_MAX_IFACES: not listed)
 *    22   1  direction  XCAP_DIR_IN / XCAP_DIR_OUT
 *    23   1  flags      XCAP_F_*
 *    24      data
 * Packed so there is no hidden padding; aligned so clang still emits word
 * loads and stores.
 * A record's reserved data area is one of a few fixed sizes, so it may be
 * longer than caplen; only caplen bytes are meaningful.
 */
#ifndef XCAP_CAPTURE_H
#define XCAP_CAPTURE_H

#include <linux/types.h>

#define XCAP_MAX_IFACES 32

#define XCAP_DIR_IN 1
#define XCAP_DIR_OUT 2

/* Captured by the TC program (TCX) rather than XDP. */
#define XCAP_F_TC 0x01

struct xcap_record {
	__u64 ts_ns;
	__u32 ifindex;
	__u32 origlen;
	__u32 caplen;
	__u16 iface_slot;
	__u8 direction;
	__u8 flags;
} __attribute__((packed, aligned(8)));

/* Per-CPU counters, one entry per interface slot plus one for unlisted interfaces. */
struct xcap_counters {
	__u64 seen;
	__u64 dropped;
} __attribute__((packed, aligned(8)));

/* The whole .rodata section: set by user space between open and load. */
struct xcap_settings {
	__u32 snaplen;
	/* Force a consumer wakeup once this many bytes wait in the ring. */
	__u32 wakeup_bytes;
	__u32 n_ifaces;
	__u32 reserved;
	__u32 ifindexes[XCAP_MAX_IFACES];
} __attribute__((packed, aligned(4)));

#endif
