// The dissector a heuristic has given a TCP conversation (Wireshark's
// conversation dissector): later segments of the stream go to it even when
// they no longer look like its protocol.
import { conversationWord } from '../conversation';

export const W_TCP_DISSECTOR = conversationWord();

export const enum ConvDissector { NONE = 0, HTTP = 1, TLS = 2 }
