// SPDX-License-Identifier: BSD-3-Clause
/*
 * Ring-buffer capture: XDP for ingress, TC (attached through TCX) for egress
 * and for ingress where XDP cannot attach.  Each frame becomes one ring
 * record (struct xcap_record + up to snaplen bytes); every program passes
 * the frame on unchanged.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "capture.h"

/* Set by user space between open and load; the defaults are never used. */
const volatile struct xcap_settings settings = {
	.snaplen = 262144,
	.wakeup_bytes = 256 * 1024,
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20); /* replaced by user space before load */
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XCAP_MAX_IFACES + 1);
	__type(key, __u32);
	__type(value, struct xcap_counters);
} counters SEC(".maps");

/*
 * Reserved data sizes.  A record's size must be a constant the verifier
 * knows, so frames go to the smallest class that holds them instead of
 * every frame taking snaplen bytes of ring.
 */
#define CLASS_SMALL 128
#define CLASS_MEDIUM 512
#define CLASS_MTU 1536
#define CAPPED(c) (settings.snaplen < (c) ? settings.snaplen : (c))

static __always_inline __u32 slot_of(__u32 ifindex)
{
	for (__u32 i = 0; i < XCAP_MAX_IFACES; i++) {
		if (i >= settings.n_ifaces)
			break;
		if (settings.ifindexes[i] == ifindex)
			return i;
	}
	return XCAP_MAX_IFACES;
}

static __always_inline void count(__u32 slot, int dropped)
{
	struct xcap_counters *c = bpf_map_lookup_elem(&counters, &slot);

	if (!c)
		return;
	/* Per-CPU and always run with bottom halves off: no atomics needed. */
	c->seen++;
	if (dropped)
		c->dropped++;
}

/* Returns 0 when the frame is in the ring, -1 when it was dropped. */
static __always_inline int emit(void *ctx, int xdp, __u32 class_bytes, struct xcap_record *hdr)
{
	struct xcap_record *rec = bpf_ringbuf_reserve(&ring, sizeof(*rec) + class_bytes, 0);
	__u32 n = hdr->caplen;
	int err = 0;

	if (!rec)
		return -1;
	*rec = *hdr;
	/* Stamped after the reserve, so ring order follows time order across CPUs as closely as it can. */
	rec->ts_ns = bpf_ktime_get_tai_ns();
	/*
	 * The barriers keep clang from copying with a register the verifier
	 * cannot bound; it then sees 1 <= n <= class_bytes.
	 */
	asm volatile("" : "+r"(n));
	if (n > class_bytes)
		n = class_bytes;
	asm volatile("" : "+r"(n));
	if (n >= 1)
		err = xdp ? bpf_xdp_load_bytes(ctx, 0, rec + 1, n) : bpf_skb_load_bytes(ctx, 0, rec + 1, n);
	if (err) {
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
		return -1;
	}
	/*
	 * Batched wakeups: wake the consumer only when this record carries the
	 * unread data across the threshold.  Waking on every record while the
	 * data stays above it (a consumer that lags) costs a wakeup per packet
	 * and halves the receive path; the consumer's own 5 ms timeout covers a
	 * crossing two CPUs both miss.
	 */
	__u64 avail = bpf_ringbuf_query(&ring, BPF_RB_AVAIL_DATA);
	__u64 size = sizeof(*rec) + class_bytes;
	bpf_ringbuf_submit(rec, avail >= settings.wakeup_bytes && avail - size < settings.wakeup_bytes
				? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return 0;
}

static __always_inline void capture(void *ctx, int xdp, __u32 origlen, __u32 ifindex, __u8 direction)
{
	struct xcap_record hdr = {
		.ifindex = ifindex,
		.origlen = origlen,
		.caplen = origlen < settings.snaplen ? origlen : settings.snaplen,
		.iface_slot = slot_of(ifindex),
		.direction = direction,
		.flags = xdp ? 0 : XCAP_F_TC,
	};
	int err;

	if (hdr.caplen <= CAPPED(CLASS_SMALL))
		err = emit(ctx, xdp, CAPPED(CLASS_SMALL), &hdr);
	else if (hdr.caplen <= CAPPED(CLASS_MEDIUM))
		err = emit(ctx, xdp, CAPPED(CLASS_MEDIUM), &hdr);
	else if (hdr.caplen <= CAPPED(CLASS_MTU))
		err = emit(ctx, xdp, CAPPED(CLASS_MTU), &hdr);
	else
		err = emit(ctx, xdp, settings.snaplen, &hdr);
	count(hdr.iface_slot, err);
}

SEC("xdp.frags")
int xcap_xdp(struct xdp_md *ctx)
{
	capture(ctx, 1, bpf_xdp_get_buff_len(ctx), ctx->ingress_ifindex, XCAP_DIR_IN);
	return XDP_PASS;
}

SEC("tc")
int xcap_tc_ingress(struct __sk_buff *skb)
{
	capture(skb, 0, skb->len, skb->ifindex, XCAP_DIR_IN);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int xcap_tc_egress(struct __sk_buff *skb)
{
	capture(skb, 0, skb->len, skb->ifindex, XCAP_DIR_OUT);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
