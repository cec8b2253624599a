/* Shared by bpf/clone.bpf.c and src/kernel/frame-sender.ts (which mirrors this layout). */
#ifndef XCAP_CLONE_H
#define XCAP_CLONE_H

#include <linux/types.h>

/* The most copies one frame becomes, all queued before the receiver runs (a veth's backlog holds 1000). */
#define CLONE_MAX_COPIES 256

/* The sender's socket marks its frames (SO_MARK); only those are cloned, never the host's other traffic. */
#define CLONE_SEND_MARK 0x78636170 /* "xcap" */
/* Carried by the clones, which pass the same hook on their way out. */
#define CLONE_COPY_MARK 0x78636171

/* What the program counts; user space reads it after sending. */
struct clone_counters {
	__u64 cloned;   /* clones the interface took */
	__u64 refused;  /* clones it refused (its peer's queue was full) */
};

#endif
