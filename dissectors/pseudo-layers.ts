// Dissectors Wireshark calls that xcap folds into the code of others: they
// add no layer here, but Wireshark lists them in frame.protocols, so the code
// standing for each records the call with addCalled(PSEUDO_...).
import { pseudoProtocol } from './fields';

/** The ethertype dissector, which Ethernet, VLAN, SLL, MACsec ... hand their payload to. */
export const PSEUDO_ETHERTYPE = pseudoProtocol('ethertype', 'Ethertype');
/** Each Multipath TCP option, dissected by a handle of its own. */
export const PSEUDO_MPTCP = pseudoProtocol('mptcp', 'Multipath Transmission Control Protocol');
