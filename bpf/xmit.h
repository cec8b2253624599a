/* Shared by bpf/xmit.bpf.c and src/kernel/frame-sender.ts (which mirrors these sizes and offsets). */
#ifndef XCAP_XMIT_H
#define XCAP_XMIT_H

#include <linux/types.h>

/* An Ethernet header; BPF_PROG_TEST_RUN fits at most about 3.5 KiB of frame in its page. */
#define XMIT_MIN_FRAME 14
#define XMIT_MAX_FRAME 3500

/* One frame of the sequence: 4 + 3500 bytes, padded by the compiler to 3504. */
struct xmit_frame {
	__u32 len;
	__u8 bytes[XMIT_MAX_FRAME];
};

/* Where the sequence is: the frame the next run sends, and how many there are (0: send the input frame). */
struct xmit_cursor {
	__u32 next;
	__u32 count;
};

#endif
