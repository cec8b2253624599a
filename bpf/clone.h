/* Shared by bpf/clone.bpf.c and src/kernel/frame-sender.ts (which mirrors this layout). */
#ifndef XCAP_CLONE_H
#define XCAP_CLONE_H

#include <linux/types.h>

/* The most copies one frame becomes: the frame itself and 255 clones, all queued before the receiver runs (a veth's backlog holds 1000). */
#define CLONE_MAX_COPIES 256

/* Set on every frame the program has seen, so the clones it sends back out through the same hook pass untouched. */
#define CLONE_MARK 0x78636170 /* "xcap" */

/* What the program counts; user space reads it after sending. */
struct clone_counters {
	__u64 cloned;   /* clones the interface took */
	__u64 refused;  /* clones it refused (its peer's queue was full) */
};

#endif
