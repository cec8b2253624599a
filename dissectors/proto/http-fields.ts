// The fields of Wireshark's http dissector (shared by HTTP and SSDP, which
// reports http.* fields under its own protocol), and its table of known
// headers.  Declared in one place because a field belongs to the protocol
// declared just before it.
import { protocol, str, uint, flag, timeRel, Base } from '../fields';

export const PROTO_HTTP = protocol('http', 'Hypertext Transfer Protocol');
export const F_RESPONSE_LINE = str('http.response.line', 'Response line', Base.FINAL_TEXT);
export const F_REQUEST_LINE = str('http.request.line', 'Request line', Base.FINAL_TEXT);
export const F_METHOD = str('http.request.method', 'Request Method', Base.FINAL_TEXT);
export const F_URI = str('http.request.uri', 'Request URI', Base.FINAL_TEXT);
export const F_REQUEST_VERSION = str('http.request.version', 'Request Version', Base.FINAL_TEXT);
export const F_RESPONSE_VERSION = str('http.response.version', 'Response Version', Base.FINAL_TEXT);
export const F_FULL_URI = str('http.request.full_uri', 'Full request URI', Base.FINAL_TEXT);
export const F_CODE = uint('http.response.code', 'Status Code', 16);
export const F_CODE_DESC = str('http.response.code.desc', 'Status Code Description', Base.FINAL_TEXT);
export const F_PHRASE = str('http.response.phrase', 'Response Phrase', Base.FINAL_TEXT);
export const F_CONTENT_LENGTH = uint('http.content_length', 'Content length', 64);
export const F_COOKIE_PAIR = str('http.cookie_pair', 'Cookie pair', Base.FINAL_TEXT);
export const F_UNKNOWN_HEADER = str('http.unknown_header', 'Unknown header', Base.FINAL_TEXT);
export const F_NOTIFICATION = flag('http.notification', 'Notification');
export const F_RESPONSE = flag('http.response', 'Response');
export const F_REQUEST = flag('http.request', 'Request');
// Request/response matching (http-transactions.ts).
export const F_RESPONSE_NUMBER = uint('http.response_number', 'Response number');
export const F_REQUEST_NUMBER = uint('http.request_number', 'Request number');
export const F_TIME = timeRel('http.time', 'Time since request');
export const F_PREV_REQUEST_IN = uint('http.prev_request_in', 'Prev request in frame');
export const F_PREV_RESPONSE_IN = uint('http.prev_response_in', 'Prev response in frame');
export const F_REQUEST_IN = uint('http.request_in', 'Request in frame');
export const F_RESPONSE_IN = uint('http.response_in', 'Response in frame');
export const F_NEXT_REQUEST_IN = uint('http.next_request_in', 'Next request in frame');
export const F_NEXT_RESPONSE_IN = uint('http.next_response_in', 'Next response in frame');
export const F_RESPONSE_FOR_URI = str('http.response_for.uri', 'Request URI', Base.FINAL_TEXT);

// What a header means beyond its value.
export const enum Special { NONE = 0, CONTENT_TYPE = 1, CONTENT_LENGTH = 2, TRANSFER_ENCODING = 3, HOST = 4, COOKIE = 5, CONTENT_ENCODING = 6 }

// Wireshark's headers[] table, in its order: name (matched without regard to
// case), then its field, then what else it means.
export const headerNames: StaticArray<string> = [
  'authorization', 'proxy-authorization', 'proxy-authenticate', 'www-authenticate', 'content-type',
  'content-length', 'content-encoding', 'transfer-encoding', 'upgrade', 'user-agent', 'host', 'connection',
  'cookie', 'accept', 'referer', 'accept-language', 'accept-encoding', 'date', 'cache-control', 'server',
  'location', 'sec-websocket-accept', 'sec-websocket-extensions', 'sec-websocket-key',
  'sec-websocket-protocol', 'sec-websocket-version', 'set-cookie', 'last-modified', 'x-forwarded-for',
  'http2-settings',
];

export const headerFields: StaticArray<u32> = [
  str('http.authorization', 'Authorization', Base.FINAL_TEXT),
  str('http.proxy_authorization', 'Proxy-Authorization', Base.FINAL_TEXT),
  str('http.proxy_authenticate', 'Proxy-Authenticate', Base.FINAL_TEXT),
  str('http.www_authenticate', 'WWW-Authenticate', Base.FINAL_TEXT),
  str('http.content_type', 'Content-Type', Base.FINAL_TEXT),
  str('http.content_length_header', 'Content-Length', Base.FINAL_TEXT),
  str('http.content_encoding', 'Content-Encoding', Base.FINAL_TEXT),
  str('http.transfer_encoding', 'Transfer-Encoding', Base.FINAL_TEXT),
  str('http.upgrade', 'Upgrade', Base.FINAL_TEXT),
  str('http.user_agent', 'User-Agent', Base.FINAL_TEXT),
  str('http.host', 'Host', Base.FINAL_TEXT),
  str('http.connection', 'Connection', Base.FINAL_TEXT),
  str('http.cookie', 'Cookie', Base.FINAL_TEXT),
  str('http.accept', 'Accept', Base.FINAL_TEXT),
  str('http.referer', 'Referer', Base.FINAL_TEXT),
  str('http.accept_language', 'Accept-Language', Base.FINAL_TEXT),
  str('http.accept_encoding', 'Accept Encoding', Base.FINAL_TEXT),
  str('http.date', 'Date', Base.FINAL_TEXT),
  str('http.cache_control', 'Cache-Control', Base.FINAL_TEXT),
  str('http.server', 'Server', Base.FINAL_TEXT),
  str('http.location', 'Location', Base.FINAL_TEXT),
  str('http.sec_websocket_accept', 'Sec-WebSocket-Accept', Base.FINAL_TEXT),
  str('http.sec_websocket_extensions', 'Sec-WebSocket-Extensions', Base.FINAL_TEXT),
  str('http.sec_websocket_key', 'Sec-WebSocket-Key', Base.FINAL_TEXT),
  str('http.sec_websocket_protocol', 'Sec-WebSocket-Protocol', Base.FINAL_TEXT),
  str('http.sec_websocket_version', 'Sec-WebSocket-Version', Base.FINAL_TEXT),
  str('http.set_cookie', 'Set-Cookie', Base.FINAL_TEXT),
  str('http.last_modified', 'Last-Modified', Base.FINAL_TEXT),
  str('http.x_forwarded_for', 'X-Forwarded-For', Base.FINAL_TEXT),
  str('http.http2_settings', 'HTTP2-Settings', Base.FINAL_TEXT),
];

export const headerSpecial: StaticArray<i32> = [
  Special.NONE, Special.NONE, Special.NONE, Special.NONE, Special.CONTENT_TYPE,
  Special.CONTENT_LENGTH, Special.CONTENT_ENCODING, Special.TRANSFER_ENCODING, Special.NONE, Special.NONE, Special.HOST, Special.NONE,
  Special.COOKIE, Special.NONE, Special.NONE, Special.NONE, Special.NONE, Special.NONE, Special.NONE, Special.NONE,
  Special.NONE, Special.NONE, Special.NONE, Special.NONE,
  Special.NONE, Special.NONE, Special.NONE, Special.NONE, Special.NONE,
  Special.NONE,
];

export const PROTO_SSDP = protocol('ssdp', 'Simple Service Discovery Protocol');
