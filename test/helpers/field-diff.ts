// Frame-by-frame comparison of two `-T fields` outputs (tshark's and xcap's).

export interface FieldDiff {
  frame: number;
  field: string;
  /** "frame N FIELD: tshark 'a' xcap 'b'", for test output. */
  text: string;
}

/** Every frame/field whose values differ; frames missing on one side count as empty. */
export function fieldDiffs(tsharkOut: string, xcapOut: string, fields: string[]): FieldDiff[] {
  const ref = tsharkOut.split('\n');
  const got = xcapOut.split('\n');
  const diffs: FieldDiff[] = [];
  for (let i = 0; i < Math.max(ref.length, got.length); i++) {
    const r = (ref[i] ?? '').split('\t');
    const g = (got[i] ?? '').split('\t');
    fields.forEach((field, j) => {
      if ((r[j] ?? '') === (g[j] ?? '')) return;
      diffs.push({ frame: i + 1, field, text: `frame ${i + 1} ${field}: tshark '${r[j] ?? ''}' xcap '${g[j] ?? ''}'` });
    });
  }
  return diffs;
}
