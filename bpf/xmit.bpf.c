// SPDX-License-Identifier: BSD-3-Clause
/*
 * Traffic generator for `xcap replay` and the lab's tests and benchmarks:
 * run through BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES, every test
 * frame is redirected out of one interface (set by user space before load),
 * so the kernel transmits it as if XDP had forwarded it there.
 *
 * One call repeats one input frame.  To send a sequence of different frames
 * in one call, user space stores them in `frames` and sets `cursor.count`;
 * each run then rewrites its frame with the next one of the sequence (the
 * input frame only has to be as long as the longest).  With count 0 the
 * input frame goes out unchanged.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xmit.h"

const volatile __u32 target_ifindex = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set by user space before load */
	__type(key, __u32);
	__type(value, struct xmit_frame);
} frames SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xmit_cursor);
} cursor SEC(".maps");

SEC("xdp")
int xcap_xmit(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct xmit_cursor *c = bpf_map_lookup_elem(&cursor, &zero);

	if (c && c->count) {
		/* Test runs of one call run one after another on one CPU: no other writer. */
		__u32 i = c->next;
		c->next = i + 1 >= c->count ? 0 : i + 1;
		struct xmit_frame *f = bpf_map_lookup_elem(&frames, &i);
		if (!f)
			return XDP_ABORTED;
		__u32 len = f->len;
		asm volatile("" : "+r"(len));
		if (len < XMIT_MIN_FRAME || len > XMIT_MAX_FRAME)
			return XDP_ABORTED;
		asm volatile("" : "+r"(len));
		int delta = (int)len - (int)(ctx->data_end - ctx->data);
		if (delta && bpf_xdp_adjust_tail(ctx, delta))
			return XDP_ABORTED;
		if (bpf_xdp_store_bytes(ctx, 0, f->bytes, len))
			return XDP_ABORTED;
	}
	return bpf_redirect(target_ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
