// Dissectors Wireshark calls that xcap folds into the code of others: they
// add no layer here, but Wireshark lists them in frame.protocols, so the code
// standing for each records the call: addCalled(PSEUDO_...) where Wireshark's
// dissector adds no item of its protocol, addCalledItem where it does (so
// that a display filter naming the protocol matches).
import { pseudoProtocol } from './fields';

/** The ethertype dissector, which Ethernet, VLAN, SLL, MACsec ... hand their payload to. */
export const PSEUDO_ETHERTYPE = pseudoProtocol('ethertype', 'Ethertype');
/** Each Multipath TCP option, dissected by a handle of its own. */
export const PSEUDO_MPTCP = pseudoProtocol('mptcp', 'Multipath Transmission Control Protocol');
/** IS-IS's dissectors for each kind of PDU. */
export const PSEUDO_ISIS_HELLO = pseudoProtocol('isis.hello', 'ISIS HELLO');
export const PSEUDO_ISIS_LSP = pseudoProtocol('isis.lsp', 'ISIS LSP');
export const PSEUDO_ISIS_CSNP = pseudoProtocol('isis.csnp', 'ISIS CSNP');
export const PSEUDO_ISIS_PSNP = pseudoProtocol('isis.psnp', 'ISIS PSNP');
/** The F5 Ethernet trailer heuristic, listed when it takes a trailer or fails reading one. */
export const PSEUDO_F5_TRAILER = pseudoProtocol('f5ethtrailer', 'F5 Ethernet Trailer Protocol');
// What HTTP hands a body to by its media type (Wireshark's "media_type" table; media when no entry).
export const PSEUDO_TEXT_LINES = pseudoProtocol('data-text-lines', 'Line-based text data');
export const PSEUDO_JSON = pseudoProtocol('json', 'JavaScript Object Notation');
export const PSEUDO_XML = pseudoProtocol('xml', 'eXtensible Markup Language');
export const PSEUDO_URLENCODED_FORM = pseudoProtocol('urlencoded-form', 'HTML Form URL Encoded');
export const PSEUDO_MEDIA = pseudoProtocol('media', 'Media Type');
/** The dissector of the link types left to users (USER0 to USER15). */
export const PSEUDO_USER_DLT = pseudoProtocol('user_dlt', 'DLT User');
