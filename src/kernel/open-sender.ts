// The entry points of the frame senders: one of the three methods on an interface.
import { AfPacketSender, TestRunSender, singleFrame, type FrameSender, type SendMethod, type SendOutcome, type SendPlan } from './frame-sender.js';
import { CloneSender } from './clone-sender.js';

/**
 * Opens a sender on an interface of the calling thread's network namespace.
 * `capacity`: the most frames a loaded sequence will have (test-run sizes its map by it).
 */
export function openSender(method: SendMethod, ifname: string, rate: number | 'max', capacity = 1): FrameSender {
  if (method === 'test-run') return new TestRunSender(ifname, rate, capacity);
  if (method === 'tc-clone') return new CloneSender(ifname, rate);
  return new AfPacketSender(ifname, rate);
}

/** Sends one frame plan.count times (or until plan.maxSeconds). */
export function sendFrame(method: SendMethod, plan: SendPlan): SendOutcome {
  const sender = openSender(method, plan.ifname, plan.rate);
  try {
    sender.load(singleFrame(plan.frame));
    sender.send(plan.count, process.hrtime.bigint() + BigInt(Math.round(plan.maxSeconds * 1e9)));
    return sender.outcome();
  } finally {
    sender.close();
  }
}
