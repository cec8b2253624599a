// Wireshark 4.0's names for HTTP status codes (http.response.code.desc).
import { puts, putDec, putc } from '../text';

const CODES: StaticArray<u16> = [100, 101, 102, 103, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 299,
  300, 301, 302, 303, 304, 305, 307, 308, 399, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
  413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 499, 500, 501, 502, 503, 504,
  505, 506, 507, 508, 510, 511, 599];

const NAMES: StaticArray<string> = ['Continue', 'Switching Protocols', 'Processing', 'Early Hints',
  'Informational - Others', 'OK', 'Created', 'Accepted', 'Non-authoritative Information', 'No Content',
  'Reset Content', 'Partial Content', 'Multi-Status', 'Already Reported', 'IM Used', 'Success - Others',
  'Multiple Choices', 'Moved Permanently', 'Found', 'See Other', 'Not Modified', 'Use Proxy', 'Temporary Redirect',
  'Permanent Redirect', 'Redirection - Others', 'Bad Request', 'Unauthorized', 'Payment Required', 'Forbidden',
  'Not Found', 'Method Not Allowed', 'Not Acceptable', 'Proxy Authentication Required', 'Request Time-out',
  'Conflict', 'Gone', 'Length Required', 'Precondition Failed', 'Request Entity Too Large', 'Request-URI Too Long',
  'Unsupported Media Type', 'Requested Range Not Satisfiable', 'Expectation Failed', "I'm a teapot",
  'Misdirected Request', 'Unprocessable Entity', 'Locked', 'Failed Dependency', 'Too Early', 'Upgrade Required',
  'Precondition Required', 'Too Many Requests', 'Request Header Fields Too Large', 'Unavailable For Legal Reasons',
  'Client Error - Others', 'Internal Server Error', 'Not Implemented', 'Bad Gateway', 'Service Unavailable',
  'Gateway Time-out', 'HTTP Version not supported', 'Variant Also Negotiates', 'Insufficient Storage',
  'Loop Detected', 'Not Extended', 'Network Authentication Required', 'Server Error - Others'];

/** The code's name, or "Unknown (code)". */
export function putStatusText(code: u32): void {
  for (let i = 0; i < CODES.length; i++) {
    if (<u32>unchecked(CODES[i]) == code) { puts(unchecked(NAMES[i])); return; }
  }
  puts('Unknown ('); putDec(<u64><i32>code); putc(41);
}
