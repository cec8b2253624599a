// The QUIC protocol item, shared by the files that declare QUIC's fields.
import { protocol } from '../fields';

export const PROTO_QUIC = protocol('quic', 'QUIC IETF');
