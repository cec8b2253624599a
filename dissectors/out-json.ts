// -T json (tshark's layout: one object per packet with a "layers" map, values
// as strings, a field seen several times in one layer as an array), -T ek
// (one index line and one document line per packet) and -V (a text tree).
import { fieldNames, fieldLabels, fieldType, FT } from './fields';
import { entryCount, entryField, entryLayer, entryNext, layerCount, layerProto, MAX_ENTRIES } from './packet';
import { putc, puts, putDec, putDecPadded, textPos, rewindTo } from './text';
import { putEntryValue } from './values';
import { putJsonString } from './escape';
import { scratchBegin, scratchEnd } from './columns';
import { civilFromDays, civilYear, civilMonth, civilDay } from './calendar';
import { localOffset } from './local-time';
import { table } from './tables';

const printed = table<u8>(MAX_ENTRIES);

/** "YYYY-MM-DD" of a time in seconds since the epoch (proleptic Gregorian). */
/** The local date of `sec`, as tshark names its index: "2024-01-01". */
export function putDate(sec: i64): void {
  const local = sec + localOffset(sec);
  let days = local / 86400;
  if (local % 86400 < 0) days--;
  civilFromDays(days);
  putDec(<u64>civilYear); putc(45); putDecPadded(<u64>civilMonth, 2); putc(45); putDecPadded(<u64>civilDay, 2);
}

/** Writes an entry's value as a JSON string (values are formatted, then escaped). */
function putJsonValue(e: i32, ek: bool): void {
  // A field without a value: an empty string in -T json, null in -T ek, as tshark writes them.
  if (<i32>unchecked(fieldType[unchecked(entryField[e])]) == FT.NONE) { puts(ek ? 'null' : '""'); return; }
  putc(34);
  const start = scratchBegin();
  putEntryValue(e);
  const len = scratchEnd(start);
  putJsonString(start, len);
  putc(34);
}

function putIndent(n: i32): void {
  for (let i = 0; i < n; i++) putc(32);
}

/** ek keys: "ip_ip_src" (protocol, then the field name with dots as underscores). */
function putEkKey(f: u32, proto: u32): void {
  putc(34);
  putAsciiReplacingDots(fieldNames[proto]);
  putc(95);
  putAsciiReplacingDots(fieldNames[f]);
  putc(34);
}

function putAsciiReplacingDots(s: string): void {
  for (let i = 0, n = s.length; i < n; i++) {
    const c = <u32>s.charCodeAt(i);
    putc(c == 46 ? 95 : c);
  }
}

/** The fields of one layer, each key once; `ek` picks the key style and compact layout. */
function writeLayerFields(layer: i32, proto: u32, ek: bool, indent: i32): void {
  let first = true;
  for (let e = 0; e < entryCount; e++) {
    if (<i32>unchecked(entryLayer[e]) != layer || unchecked(printed[e])) continue;
    const f = <u32>unchecked(entryField[e]);
    if (<i32>unchecked(fieldType[f]) == FT.PROTOCOL) { unchecked(printed[e] = 1); continue; }
    let count = 0;
    for (let k = e; k >= 0; k = unchecked(entryNext[k])) if (<i32>unchecked(entryLayer[k]) == layer) count++;
    if (!first) putc(44);
    first = false;
    if (!ek) { putc(10); putIndent(indent); }
    if (ek) putEkKey(f, proto); else { putc(34); puts(fieldNames[f]); putc(34); }
    putc(58);
    if (!ek) putc(32);
    if (count > 1) putc(91);
    let n = 0;
    for (let k = e; k >= 0; k = unchecked(entryNext[k])) {
      if (<i32>unchecked(entryLayer[k]) != layer) continue;
      if (n++) { putc(44); if (!ek) putc(32); }
      putJsonValue(k, ek);
      unchecked(printed[k] = 1);
    }
    if (count > 1) putc(93);
  }
  if (!first && !ek) { putc(10); putIndent(indent - 2); }
}

function clearPrinted(): void {
  memory.fill(changetype<usize>(printed), 0, <usize>entryCount);
}

export function writeJsonPacket(first: bool, sec: i64): void {
  clearPrinted();
  if (!first) puts(',\n');
  puts('  {\n    "_index": "packets-'); putDate(sec);
  puts('",\n    "_type": "doc",\n    "_score": null,\n    "_source": {\n      "layers": {');
  for (let l = 0; l < layerCount; l++) {
    const proto = <u32>unchecked(layerProto[l]);
    if (l) putc(44);
    puts('\n        "'); puts(fieldNames[proto]); puts('": {');
    writeLayerFields(l, proto, false, 10);
    putc(125);
  }
  puts('\n      }\n    }\n  }');
}

/** -T ek: an index line (for Elasticsearch's bulk API) and a document line; JSON lines: the document only. */
export function writeEkPacket(sec: i64, nsec: u32, indexLine: bool): void {
  clearPrinted();
  if (indexLine) { puts('{"index":{"_index":"packets-'); putDate(sec); puts('","_type":"doc"}}\n'); }
  puts('{"timestamp":"'); putDec(<u64>(sec * 1000 + nsec / 1_000_000)); puts('","layers":{');
  for (let l = 0; l < layerCount; l++) {
    const proto = <u32>unchecked(layerProto[l]);
    if (l) putc(44);
    putc(34); puts(fieldNames[proto]); puts('":{');
    writeLayerFields(l, proto, true, 0);
    putc(125);
  }
  puts('}}\n');
}

/** -V: each layer's label, then its fields indented, "Label: value". */
export function writeTreePacket(): void {
  for (let l = 0; l < layerCount; l++) {
    const proto = <u32>unchecked(layerProto[l]);
    puts(fieldLabels[proto]);
    putc(10);
    for (let e = 0; e < entryCount; e++) {
      if (<i32>unchecked(entryLayer[e]) != l) continue;
      const f = <u32>unchecked(entryField[e]);
      if (<i32>unchecked(fieldType[f]) == FT.PROTOCOL) continue;
      puts('    '); puts(fieldLabels[f]); puts(': ');
      if (<i32>unchecked(fieldType[f]) == FT.BOOL) {
        const p = textPos();
        putEntryValue(e);
        const isTrue = load<u8>(p) == 49;
        rewindTo(p);
        puts(isTrue ? 'True' : 'False');
      } else putEntryValue(e);
      putc(10);
    }
  }
  putc(10);
}

