/**
 * Literal values of display filters, read the way Wireshark 4.0 reads them
 * for a field of a given type: integers (decimal, 0x hex, 0b binary, 0
 * octal), seconds with a fraction for times, dotted IPv4 and IPv6 addresses
 * with an optional /prefix, Ethernet addresses and byte strings as hex pairs
 * with optional ':', '-' or '.' between them.
 */
import { FilterSyntaxError } from './parse.js';

export interface Bytes { bytes: Uint8Array; prefixBits?: number }

export function parseInteger(text: string): bigint {
  const m = /^(-?)(0x[0-9a-fA-F]+|0b[01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) throw new FilterSyntaxError(`"${text}" is not a valid number`);
  const digits = m[2];
  const v = digits.startsWith('0x') || digits.startsWith('0b') ? BigInt(digits)
    : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return m[1] ? -v : v;
}

/** An integer literal, with an error that says what a word that is no number may have meant. */
export function integerLiteral(text: string): bigint {
  try {
    return parseInteger(text);
  } catch (err) {
    if (/^[A-Za-z]/.test(text)) throw new FilterSyntaxError(`"${text}" is not a valid number (the field has no value names)`);
    throw err;
  }
}

/** A boolean field's value: True, False (or TRUE, FALSE) or any integer (non-zero is true), as 1 or 0. */
export function parseBoolean(text: string): bigint {
  if (text === 'True' || text === 'TRUE') return 1n;
  if (text === 'False' || text === 'FALSE') return 0n;
  if (!/^-?[0-9]/.test(text)) throw new FilterSyntaxError(`"${text}" is not a boolean (True, False, 1 or 0)`);
  return parseInteger(text) !== 0n ? 1n : 0n;
}

/** Seconds, as "1", "-0.5" or "12.000001", in nanoseconds. */
export function parseSeconds(text: string): bigint {
  const m = /^(-?)([0-9]+)(?:\.([0-9]{0,9})[0-9]*)?$/.exec(text);
  if (!m) throw new FilterSyntaxError(`"${text}" is not a valid time (seconds, as 1.5)`);
  const ns = BigInt(m[2]) * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
  return m[1] ? -ns : ns;
}

function prefixOf(text: string, maxBits: number, what: string): { address: string; prefixBits?: number } {
  const slash = text.indexOf('/');
  if (slash < 0) return { address: text };
  const bits = text.slice(slash + 1);
  if (!/^[0-9]+$/.test(bits) || Number(bits) > maxBits) {
    throw new FilterSyntaxError(`the prefix length in "${text}" should be a number from 0 to ${maxBits} for an ${what} address`);
  }
  return { address: text.slice(0, slash), prefixBits: Number(bits) };
}

function ipv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return Uint8Array.from(parts.map(Number));
}

export function parseIPv4(text: string): Bytes {
  const { address, prefixBits } = prefixOf(text, 32, 'IPv4');
  const bytes = ipv4Bytes(address);
  if (!bytes) throw new FilterSyntaxError(`"${address}" is not a valid IPv4 address (xcap resolves no host names)`);
  return { bytes, prefixBits };
}

export function parseIPv6(text: string): Bytes {
  const { address, prefixBits } = prefixOf(text, 128, 'IPv6');
  const bytes = ipv6Bytes(address);
  if (!bytes) throw new FilterSyntaxError(`"${address}" is not a valid IPv6 address (xcap resolves no host names)`);
  return { bytes, prefixBits };
}

function ipv6Bytes(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = ipv4Bytes(p);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => { bytes[2 * i] = g >> 8; bytes[2 * i + 1] = g & 0xff; });
  return bytes;
}

/** Hex pairs, with at most one ':', '-' or '.' between two of them: "02:00:5e", "0200.5e10", "5e". */
export function parseByteString(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{2}([:.-]?[0-9a-fA-F]{2})*$/.test(text)) return undefined;
  const hex = text.replace(/[:.-]/g, '');
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

export function parseBytes(text: string): Bytes {
  const bytes = parseByteString(text);
  if (!bytes) throw new FilterSyntaxError(`"${text}" is not a valid byte string (hex pairs, as 02:00:5e)`);
  return { bytes };
}

export function parseEther(text: string): Bytes {
  const bytes = parseByteString(text);
  if (!bytes || bytes.length !== 6) throw new FilterSyntaxError(`"${text}" is not a valid Ethernet address (six bytes, as 02:00:5e:10:00:10)`);
  return { bytes };
}

export function utf8(text: string): Bytes {
  return { bytes: new TextEncoder().encode(text) };
}
