// SPDX-License-Identifier: BSD-3-Clause
/*
 * Traffic multiplier for the lab's generator on kernels that refuse live
 * frames to BPF_PROG_TEST_RUN: attached at TC egress of the sending
 * interface, it sends every frame that leaves through it `copies` times,
 * as clones of the one socket buffer (bpf_clone_redirect back to the same
 * interface), so one frame handed over by AF_PACKET costs one system call
 * share for `copies` frames on the wire.
 *
 * A clone passes the same hook on its way out; the mark set on the original
 * before cloning (and so carried by every clone) lets it through.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "clone.h"

const volatile __u32 target_ifindex = 0;

/* Set by user space between sends: each frame leaves this many times (1: no clones). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} copies SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct clone_counters);
} counters SEC(".maps");

SEC("tc")
int xcap_clone(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u32 *n = bpf_map_lookup_elem(&copies, &zero);
	struct clone_counters *c = bpf_map_lookup_elem(&counters, &zero);

	if (skb->mark == CLONE_MARK || !n || !c)
		return TC_ACT_OK;
	skb->mark = CLONE_MARK;
	/* One sending thread, so the counters have no other writer. */
	for (__u32 i = 1; i < CLONE_MAX_COPIES && i < *n; i++) {
		if (bpf_clone_redirect(skb, target_ifindex, 0))
			c->refused++;
		else
			c->cloned++;
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
