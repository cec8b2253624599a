/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared between bpf/afxdp.bpf.c and src/kernel/afxdp-layout.ts.
 *
 * A header pushed in front of each frame redirected to an AF_XDP socket
 * (bpf_xdp_adjust_head into the headroom, so the RX descriptor's address
 * points at the header and its length counts it).  Not XDP metadata
 * (bpf_xdp_adjust_meta): some kernels refuse that helper to XDP programs.
 *   off size field
 *     0   8  ts_ns   bpf_ktime_get_tai_ns() when the program ran
 *     8   4  magic   XCAP_AFXDP_MAGIC: the header is ours and complete
 *    12   4  queue   rx_queue_index the frame arrived on
 *    16      frame data
 */
#ifndef XCAP_AFXDP_H
#define XCAP_AFXDP_H

#include <linux/types.h>

#define XCAP_AFXDP_MAGIC 0x58434150 /* "XCAP" */

struct xcap_afxdp_meta {
	__u64 ts_ns;
	__u32 magic;
	__u32 queue;
} __attribute__((packed, aligned(8)));

/* Per-CPU counters (one entry). */
struct xcap_afxdp_counters {
	/* Frames handed to an AF_XDP socket (the redirect was accepted). */
	__u64 redirected;
	/* Frames with no headroom for the header: passed on to the stack, not captured. */
	__u64 no_meta;
} __attribute__((packed, aligned(8)));

#endif
