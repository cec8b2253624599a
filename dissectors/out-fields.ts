// -T fields: the requested fields of one packet, separated, every occurrence
// joined by the aggregator (tshark's -E separator / aggregator / occurrence).
import { MAX_FIELDS, FT, fieldType, fieldNames } from './fields';
import { firstEntry, entryNext, layerCount, layerProto, layerQuoted, layerNested } from './packet';
import { putc, puts, textPos, rewindTo, textOverflowed } from './text';
import { putEntryValue } from './values';
import { putColumn } from './out-summary';
import { table } from './tables';

/** -e _ws.col.Info and the other columns are added as this plus the column's number. */
export const COLUMN_FIELD_BASE: u32 = 0xff00;

const outputFields = table<u16>(MAX_FIELDS);
let outputFieldCount: i32 = 0;
let separator: u32 = 9;
let aggregator: u32 = 44;
let occurrence: u32 = 97; // 'a' all, 'f' first, 'l' last
let quote: u32 = 0; // around each value that is not empty; 0 for none

export function configureFields(sep: u32, agg: u32, occ: u32, q: u32): void {
  separator = sep; aggregator = agg; occurrence = occ; quote = q;
  outputFieldCount = 0;
}

export function addOutputField(f: u32): void {
  if (outputFieldCount < <i32>MAX_FIELDS) unchecked(outputFields[outputFieldCount++] = <u16>f);
}

/** The occurrences -E occurrence= asks for, from the first one, e. */
function putOccurrences(e: i32): void {
  if (occurrence == 108) { // last
    while (unchecked(entryNext[e]) >= 0) e = unchecked(entryNext[e]);
    putEntryValue(e);
    return;
  }
  putEntryValue(e);
  if (occurrence == 102) return; // first
  for (e = unchecked(entryNext[e]); e >= 0; e = unchecked(entryNext[e])) {
    putc(aggregator);
    putEntryValue(e);
  }
}

/** A column's text, in quotes unless it is empty (as a field's value). */
function putQuotedColumn(c: u32): void {
  const start = textPos();
  if (quote) putc(quote);
  const text = textPos();
  putColumn(c);
  if (textPos() == text && !textOverflowed()) rewindTo(start);
  else if (quote) putc(quote);
}

export function writeFieldsLine(): void {
  for (let k = 0; k < outputFieldCount; k++) {
    if (k) putc(separator);
    const f = <u32>unchecked(outputFields[k]);
    if (f >= COLUMN_FIELD_BASE) {
      putQuotedColumn(f - COLUMN_FIELD_BASE);
      continue;
    }
    if (<i32>unchecked(fieldType[f]) == FT.PROTOCOL) continue;
    const e = firstEntry(f);
    if (e < 0) continue;
    if (quote) putc(quote);
    putOccurrences(e);
    if (quote) putc(quote);
  }
  putc(10);
}

/**
 * For the host's statistics (xcap read -z): the packet's layers, colon-joined,
 * each that Wireshark's tree nests inside another protocol's item marked by a
 * '>' before its name (tshark's protocol hierarchy walks the others), those
 * of a packet quoted in an ICMP error left out; then the separator and the
 * requested fields.
 */
export function writeStatsLine(): void {
  let listed = 0;
  for (let l = 0; l < layerCount; l++) {
    const nested = unchecked(layerNested[l]);
    if (unchecked(layerQuoted[l]) && nested) continue;
    if (listed++) putc(58);
    if (nested) putc(62);
    puts(fieldNames[<i32>unchecked(layerProto[l])]);
  }
  putc(separator);
  writeFieldsLine();
}
