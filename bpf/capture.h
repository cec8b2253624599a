/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared between bpf/capture.bpf.c and src/kernel/capture-layout.ts (which
 * mirrors these offsets; test/kernel/layout.test.ts checks they agree).
 *
 * Each ring record is a complete pcapng Enhanced Packet Block (little-endian,
 * if_tsresol 9) but for its first 8 bytes: the ring buffer's own header
 * {len, pgoff} sits where the block type and block total length go, and
 * user space overwrites it in its copy of the records before writing them
 * out as they are.  After the ring header:
 *   off size field
 *     0   4  iface_id   position of the ifindex in settings.ifindexes
 *     4   4  ts_high    wall-clock nanoseconds (bpf_ktime_get_tai_ns() minus
 *     8   4  ts_low       settings.tai_offset_ns), high then low 32 bits
 *    12   4  caplen     bytes of data: min(origlen, snaplen)
 *    16   4  origlen    bytes on the wire (skb->len / whole XDP buffer)
 *    20      data, zero-padded to 4 bytes
 *            struct xcap_epb_tail: the epb_flags option (direction) and,
 *            when the block needs it to be a multiple of 8 bytes long,
 *            opt_endofopt; then the block total length again.
 * A ring record's length is a multiple of 8 (the ring rounds each up to
 * that), so the tail's size is chosen to make the block fill it exactly:
 * consecutive records are consecutive blocks.
 */
#ifndef XCAP_CAPTURE_H
#define XCAP_CAPTURE_H

#include <linux/types.h>

#define XCAP_MAX_IFACES 32
#define XCAP_MAX_SNAPLEN 262144

/* pcapng epb_flags inbound / outbound. */
#define XCAP_DIR_IN 1
#define XCAP_DIR_OUT 2

/*
 * settings.flags: drop each incoming frame once captured (XDP_DROP, or
 * TC_ACT_SHOT at TC ingress), so the host's stack never spends time on it:
 * for a mirror port.  Outgoing frames always go on.
 */
#define XCAP_STEAL 1

/* pcapng block type and option code the records carry. */
#define XCAP_EPB_TYPE 6
#define XCAP_EPB_FLAGS_OPTION 2

struct xcap_record {
	__u32 iface_id;
	__u32 ts_high;
	__u32 ts_low;
	__u32 caplen;
	__u32 origlen;
} __attribute__((packed, aligned(4)));

/* After the padded data; end_of_options is left out when the block is a multiple of 8 without it. */
struct xcap_epb_tail {
	__u16 option_code;
	__u16 option_length;
	__u32 flags;
	__u32 end_of_options;
	__u32 total_length;
} __attribute__((packed, aligned(4)));

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
	__u32 flags; /* XCAP_STEAL */
	/* CLOCK_TAI - CLOCK_REALTIME, in nanoseconds, measured at start. */
	__s64 tai_offset_ns;
	__u32 ifindexes[XCAP_MAX_IFACES];
} __attribute__((packed, aligned(8)));

#endif
