// The TCP protocol's field, declared before any of the files that declare TCP's fields.
import { protocol } from '../fields';

export const PROTO_TCP = protocol('tcp', 'Transmission Control Protocol');
