// The fields of Wireshark's tls dissector that xcap reports, declared in one
// place because a field belongs to the protocol declared just before it.
import { protocol, uint, str, bytes, flag, Base } from '../fields';

export const PROTO_TLS = protocol('tls', 'Transport Layer Security');
export const F_CONTENT_TYPE = uint('tls.record.content_type', 'Content Type', 8);
export const F_OPAQUE_TYPE = uint('tls.record.opaque_type', 'Opaque Type', 8);
export const F_RECORD_VERSION = uint('tls.record.version', 'Version', 16, Base.HEX);
export const F_RECORD_LENGTH = uint('tls.record.length', 'Length', 16);
export const F_IS_ESCAPE = flag('tls.record.is_escape', 'Is Escape');
export const F_PADDING_LENGTH = uint('tls.record.padding_length', 'Padding Length', 8);
export const F_APP_DATA = bytes('tls.app_data', 'Encrypted Application Data');
export const F_ALERT_LEVEL = uint('tls.alert_message.level', 'Level', 8);
export const F_ALERT_DESC = uint('tls.alert_message.desc', 'Description', 8);
export const F_HS_TYPE = uint('tls.handshake.type', 'Handshake Type', 8);
export const F_HS_LENGTH = uint('tls.handshake.length', 'Length', 24);
export const F_HS_VERSION = uint('tls.handshake.version', 'Version', 16, Base.HEX);
export const F_RANDOM = bytes('tls.handshake.random', 'Random');
export const F_SESSION_ID_LENGTH = uint('tls.handshake.session_id_length', 'Session ID Length', 16);
export const F_SESSION_ID = bytes('tls.handshake.session_id', 'Session ID');
export const F_CIPHER_SUITES_LENGTH = uint('tls.handshake.cipher_suites_length', 'Cipher Suites Length', 16);
export const F_CIPHERSUITE = uint('tls.handshake.ciphersuite', 'Cipher Suite', 16, Base.HEX);
export const F_COMP_METHODS_LENGTH = uint('tls.handshake.comp_methods_length', 'Compression Methods Length', 8);
export const F_COMP_METHOD = uint('tls.handshake.comp_method', 'Compression Method', 8);
export const F_EXTENSIONS_LENGTH = uint('tls.handshake.extensions_length', 'Extensions Length', 16);
export const F_EXT_TYPE = uint('tls.handshake.extension.type', 'Type', 16);
export const F_EXT_LEN = uint('tls.handshake.extension.len', 'Length', 16);
export const F_SNI_LIST_LEN = uint('tls.handshake.extensions_server_name_list_len', 'Server Name list length', 16);
export const F_SNI_TYPE = uint('tls.handshake.extensions_server_name_type', 'Server Name Type', 8);
export const F_SNI_LEN = uint('tls.handshake.extensions_server_name_len', 'Server Name length', 16);
export const F_SNI = str('tls.handshake.extensions_server_name', 'Server Name', Base.FINAL_TEXT);
export const F_ALPN_LEN = uint('tls.handshake.extensions_alpn_len', 'ALPN Extension Length', 16);
export const F_ALPN_STR_LEN = uint('tls.handshake.extensions_alpn_str_len', 'ALPN string length', 8);
export const F_ALPN_STR = str('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol', Base.FINAL_TEXT);
export const F_VERSIONS_LEN = uint('tls.handshake.extensions.supported_versions_len', 'Supported Versions length', 8);
export const F_SUPPORTED_VERSION = uint('tls.handshake.extensions.supported_version', 'Supported Version', 16, Base.HEX);
// SSL 2.0 Client Hello
export const F_CIPHER_SPEC_LEN = uint('tls.handshake.cipher_spec_len', 'Cipher Spec Length', 16);
export const F_CHALLENGE_LENGTH = uint('tls.handshake.challenge_length', 'Challenge Length', 16);
export const F_CIPHER_SPEC = uint('tls.handshake.cipherspec', 'Cipher Spec', 24, Base.HEX);
