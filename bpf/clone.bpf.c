// SPDX-License-Identifier: BSD-3-Clause
/*
 * Traffic multiplier for the lab's generator on kernels that refuse live
 * frames to BPF_PROG_TEST_RUN: attached at TC egress of the sending
 * interface, it sends each frame the sender's socket marked `copies` times,
 * as clones of the one socket buffer (bpf_clone_redirect back to the same
 * interface) and the frame itself redirected there last, so one frame
 * handed over by AF_PACKET costs one system call share for `copies` frames
 * on the wire.  A redirect is a successful send to the socket whatever the
 * peer then does, so a full peer never makes the sender retry a frame (and
 * send its clones again): the clones it refuses are counted instead.  (TCX
 * takes no TC_ACT_STOLEN: it would let the frame through as well.)  Every
 * other frame passes untouched, the clones too (they carry another mark).
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "clone.h"

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

	if (skb->mark != CLONE_SEND_MARK || !n || !c)
		return TC_ACT_OK;
	skb->mark = CLONE_COPY_MARK;
	/* Only the sender's frames get here, from its one thread: the counters have no other writer. */
	for (__u32 i = 1; i < CLONE_MAX_COPIES && i < *n; i++) {
		if (bpf_clone_redirect(skb, skb->ifindex, 0))
			c->refused++;
		else
			c->cloned++;
	}
	return bpf_redirect(skb->ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
