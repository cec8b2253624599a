// SPDX-License-Identifier: BSD-3-Clause
/*
 * AF_XDP capture: every frame of a queue that has a socket in `xsks` goes to
 * that socket, with a header carrying a kernel timestamp in front of it; frames
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
	void *end;
	long action;

	/* Not our queue: leave the frame alone. */
	if (!bpf_map_lookup_elem(&xsks, &queue))
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(*meta)) != 0) {
		if (c)
			c->no_meta++;
		return XDP_PASS;
	}
	meta = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if ((void *)(meta + 1) > end)
		return XDP_ABORTED; /* cannot happen: the head just grew by this much */
	meta->ts_ns = bpf_ktime_get_tai_ns();
	meta->magic = XCAP_AFXDP_MAGIC;
	meta->queue = queue;
	action = bpf_redirect_map(&xsks, queue, XDP_PASS);
	/* Per-CPU, run with bottom halves off: no atomics needed. */
	if (action == XDP_REDIRECT) {
		if (c)
			c->redirected++;
	} else if (bpf_xdp_adjust_head(ctx, (int)sizeof(*meta)) != 0) {
		/* The socket went away since the lookup, and the header cannot be taken off again. */
		return XDP_DROP;
	}
	return action;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
