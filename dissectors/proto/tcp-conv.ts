// The dissector a heuristic has given a TCP conversation (Wireshark's
// conversation dissector): later segments of the stream go to it even when
// they no longer look like its protocol, and the last heuristic to recognise
// the stream takes it over.  Wireshark asks it before the port tables; here
// it is asked by the first TCP heuristic, so it decides for streams on ports
// no dissector claims.
import { conversationWord, findConversation, convGet } from '../conversation';
import { registerTcpHeuristic, tcpSrcPort, tcpDstPort, Heuristic } from '../dispatch';
import { table } from '../tables';

export const W_TCP_DISSECTOR = conversationWord();

export const enum ConvDissector { NONE = 0, HTTP = 1, TLS = 2, OPENFLOW = 3 }

const owners = table<Heuristic | null>(4);

/** What a protocol does with a segment of a stream it owns (false: declined). */
export function registerConversationDissector(id: u32, h: Heuristic): void { owners[id] = h; }

export function conversationOwner(): u32 {
  return convGet(findConversation(6, tcpSrcPort, tcpDstPort), W_TCP_DISSECTOR);
}

function askOwner(start: u32, end: u32): bool {
  const id = conversationOwner();
  if (id == ConvDissector.NONE || id > 3) return false;
  const h = unchecked(owners[id]);
  return h !== null && (h as Heuristic)(start, end);
}

registerTcpHeuristic(askOwner);
