// SPDX-License-Identifier: BSD-3-Clause
/*
 * Ring-buffer capture: XDP for ingress, TC (attached through TCX) for egress
 * and for ingress where XDP cannot attach.  Each frame becomes one ring
 * record laid out as a pcapng Enhanced Packet Block (capture.h), with a
 * VLAN tag the kernel holds outside the frame put back; every program
 * passes the frame on unchanged, unless told to steal incoming frames.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "capture.h"

#define ETH_ADDRS 12 /* destination and source MAC */
#define VLAN_TAG 4

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
 * Each record is built whole in this CPU's slot, then copied into the ring
 * with bpf_ringbuf_output, which, unlike bpf_ringbuf_reserve, takes a size
 * known only at run time: the record is exactly one pcapng block, with no
 * slack for user space to cut out.  Room for the tail beyond the largest
 * padded snaplen, with a margin for the verifier's bounds of the padding.
 */
struct xcap_scratch {
	struct xcap_record rec;
	__u8 data[XCAP_MAX_SNAPLEN + 2 * sizeof(struct xcap_epb_tail)];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* one per possible CPU, set by user space before load */
	__type(key, __u32);
	__type(value, struct xcap_scratch);
} scratch SEC(".maps");

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

/*
 * Copies the frame's first n bytes (n <= XCAP_MAX_SNAPLEN) into data.  At TC
 * the kernel may have moved an 802.1Q/802.1ad tag out of the frame into the
 * skb (hardware offload, or the receive path's untagging): it is put back
 * after the MAC addresses, as libpcap does from PACKET_AUXDATA, so the file
 * holds the frame as it was on the wire; `tagged` says n counts those 4 bytes.
 */
static __always_inline int copy_frame(void *ctx, int xdp, __u8 *data, __u32 n, int tagged)
{
	struct __sk_buff *skb = ctx;
	__u32 rest;

	if (xdp)
		return n >= 1 ? bpf_xdp_load_bytes(ctx, 0, data, n) : 0;
	/* The tag sits at bytes 12-15; a snaplen shorter than that keeps the untagged start. */
	if (!tagged || n < ETH_ADDRS + VLAN_TAG)
		return n >= 1 ? bpf_skb_load_bytes(ctx, 0, data, n) : 0;
	if (bpf_skb_load_bytes(ctx, 0, data, ETH_ADDRS))
		return -1;
	*(__u16 *)(data + ETH_ADDRS) = (__u16)skb->vlan_proto; /* already in network order */
	*(__u16 *)(data + ETH_ADDRS + 2) = bpf_htons((__u16)skb->vlan_tci);
	rest = n - ETH_ADDRS - VLAN_TAG;
	asm volatile("" : "+r"(rest));
	if (rest > XCAP_MAX_SNAPLEN - ETH_ADDRS - VLAN_TAG)
		rest = XCAP_MAX_SNAPLEN - ETH_ADDRS - VLAN_TAG;
	asm volatile("" : "+r"(rest));
	return rest >= 1 ? bpf_skb_load_bytes(ctx, ETH_ADDRS, data + ETH_ADDRS + VLAN_TAG, rest) : 0;
}

/* Returns 0 when the frame is in the ring, -1 when it was dropped. */
static __always_inline int emit(void *ctx, int xdp, __u32 slot, __u32 origlen, __u8 direction)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct xcap_scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
	int tagged = !xdp && ((struct __sk_buff *)ctx)->vlan_present;
	__u64 ts = bpf_ktime_get_tai_ns() - settings.tai_offset_ns;
	struct xcap_epb_tail *tail;
	__u32 n, padded, body;

	if (!s)
		return -1;
	if (tagged)
		origlen += VLAN_TAG;
	n = origlen < settings.snaplen ? origlen : settings.snaplen;
	s->rec.iface_id = slot;
	s->rec.ts_high = ts >> 32;
	s->rec.ts_low = (__u32)ts;
	s->rec.caplen = n;
	s->rec.origlen = origlen;
	/*
	 * The barriers keep clang from copying with a register the verifier
	 * cannot bound; it then sees n <= XCAP_MAX_SNAPLEN.
	 */
	asm volatile("" : "+r"(n));
	if (n > XCAP_MAX_SNAPLEN)
		n = XCAP_MAX_SNAPLEN;
	asm volatile("" : "+r"(n));
	/* The padding after the data must read as zeros: clear the word the data ends in first. */
	*(__u32 *)(s->data + (n & ~3u)) = 0;
	if (copy_frame(ctx, xdp, s->data, n, tagged))
		return -1;
	padded = (n + 3) & ~3u;
	tail = (struct xcap_epb_tail *)(s->data + padded);
	tail->option_code = XCAP_EPB_FLAGS_OPTION;
	tail->option_length = sizeof(tail->flags);
	tail->flags = direction;
	/*
	 * The ring keeps 8-byte units (its 8-byte header included): with
	 * opt_endofopt the block is 44 + padded bytes, without it 40 + padded,
	 * and exactly one of the two is a multiple of 8.
	 */
	if (padded & 4) {
		tail->end_of_options = 0;
		tail->total_length = 8 + sizeof(s->rec) + padded + sizeof(*tail);
		body = sizeof(s->rec) + padded + sizeof(*tail);
	} else {
		/* No opt_endofopt: the block total length goes in its place. */
		tail->end_of_options = 8 + sizeof(s->rec) + padded + sizeof(*tail) - 4;
		body = sizeof(s->rec) + padded + sizeof(*tail) - 4;
	}
	asm volatile("" : "+r"(body));
	if (body > sizeof(*s))
		body = sizeof(*s);
	asm volatile("" : "+r"(body));
	/*
	 * Batched wakeups: wake the consumer only when this record carries the
	 * unread data across the threshold.  Waking on every record while the
	 * data stays above it (a consumer that lags) costs a wakeup per packet
	 * and halves the receive path; the consumer's own 5 ms timeout covers a
	 * crossing two CPUs both miss.
	 */
	__u64 avail = bpf_ringbuf_query(&ring, BPF_RB_AVAIL_DATA);
	__u64 wake = avail < settings.wakeup_bytes && avail + body + 8 >= settings.wakeup_bytes;

	return bpf_ringbuf_output(&ring, s, body, wake ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP) ? -1 : 0;
}

static __always_inline void capture(void *ctx, int xdp, __u32 origlen, __u32 ifindex, __u8 direction)
{
	__u32 slot = slot_of(ifindex);

	/* Frames of an interface not in the list (a misconfiguration) are counted, never written. */
	count(slot, slot >= XCAP_MAX_IFACES || emit(ctx, xdp, slot, origlen, direction));
}

SEC("xdp.frags")
int xcap_xdp(struct xdp_md *ctx)
{
	capture(ctx, 1, bpf_xdp_get_buff_len(ctx), ctx->ingress_ifindex, XCAP_DIR_IN);
	return settings.flags & XCAP_STEAL ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int xcap_tc_ingress(struct __sk_buff *skb)
{
	capture(skb, 0, skb->len, skb->ifindex, XCAP_DIR_IN);
	return settings.flags & XCAP_STEAL ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}

SEC("tc")
int xcap_tc_egress(struct __sk_buff *skb)
{
	capture(skb, 0, skb->len, skb->ifindex, XCAP_DIR_OUT);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
