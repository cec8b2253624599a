// SPDX-License-Identifier: BSD-3-Clause
/*
 * Traffic generator for the lab's tests and benchmarks: run through
 * BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES, every test frame is
 * redirected out of one interface (set by user space before load), so the
 * kernel transmits it as if XDP had forwarded it there.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_ifindex = 0;

SEC("xdp")
int xcap_xmit(struct xdp_md *ctx)
{
	return bpf_redirect(target_ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
