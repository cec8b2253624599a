// SPDX-License-Identifier: BSD-3-Clause
/*
 * AF_XDP capture: every frame of a queue that has a socket in `xsks` goes to
 * that socket, with a kernel timestamp in front of it as XDP metadata; frames
 * of queues without a socket go on to the stack.  Self-contained (no
 * settings, no other program), so a generated entry program can tail-call it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "afxdp.h"

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64); /* set to the interface's RX queue count before load */
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xcap_afxdp_counters);
} afxdp_counters SEC(".maps");

SEC("xdp")
int xcap_afxdp(struct xdp_md *ctx)
{
	__u32 queue = ctx->rx_queue_index;
	__u32 zero = 0;
	struct xcap_afxdp_counters *c = bpf_map_lookup_elem(&afxdp_counters, &zero);
	struct xcap_afxdp_meta *meta;
	void *data;
	long action;

	/* Not our queue: leave the frame (and its metadata area) alone. */
	if (!bpf_map_lookup_elem(&xsks, &queue))
		return XDP_PASS;
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)) == 0) {
		meta = (void *)(long)ctx->data_meta;
		data = (void *)(long)ctx->data;
		if ((void *)(meta + 1) <= data) {
			meta->ts_ns = bpf_ktime_get_tai_ns();
			meta->magic = XCAP_AFXDP_MAGIC;
			meta->queue = queue;
		}
	} else if (c) {
		c->no_meta++;
	}
	action = bpf_redirect_map(&xsks, queue, XDP_PASS);
	/* Per-CPU, run with bottom halves off: no atomics needed. */
	if (action == XDP_REDIRECT && c)
		c->redirected++;
	return action;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
