// The TypeScript mirrors of bpf/capture.h and bpf/afxdp.h against the C
// compiler's view of them, and the compiled object's .rodata against the
// settings encoder.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, hasCommand } from '../helpers/env.js';
import {
  COUNTERS_SIZE, CountersField, EPB_BLOCK_TYPE, EPB_FLAGS_OPTION, EPB_TAIL_SIZE, EpbTailField, MAX_IFACES, MAX_SNAPLEN,
  RECORD_SIZE, RecordField, SETTINGS_SIZE, SettingsField, SettingsFlag, captureObjectPath, encodeSettings,
} from '../../src/kernel/capture-layout.js';
import {
  AFXDP_COUNTERS_SIZE, AFXDP_META_MAGIC, AFXDP_META_SIZE, AfxdpCountersField, AfxdpMetaField,
} from '../../src/kernel/afxdp-layout.js';

/** A C program printing, as JSON, the offsets and sizes `body` asks for of the structs in bpf/`header`. */
const probe = (header: string, body: string): string => `
#include <stddef.h>
#include <stdio.h>
#include "${header}"
#define OFF(s, f) printf("\\"%s.%s\\": %zu,", #s, #f, offsetof(struct s, f))
#define SIZE(s) printf("\\"sizeof %s\\": %zu,", #s, sizeof(struct s))
${body}`;

const PROBE = probe('capture.h', `int main(void)
{
	printf("{");
	SIZE(xcap_record); OFF(xcap_record, iface_id); OFF(xcap_record, ts_high); OFF(xcap_record, ts_low);
	OFF(xcap_record, caplen); OFF(xcap_record, origlen);
	SIZE(xcap_epb_tail); OFF(xcap_epb_tail, option_code); OFF(xcap_epb_tail, option_length); OFF(xcap_epb_tail, flags);
	OFF(xcap_epb_tail, end_of_options); OFF(xcap_epb_tail, total_length);
	SIZE(xcap_counters); OFF(xcap_counters, seen); OFF(xcap_counters, dropped);
	SIZE(xcap_settings); OFF(xcap_settings, snaplen); OFF(xcap_settings, wakeup_bytes);
	OFF(xcap_settings, n_ifaces); OFF(xcap_settings, flags); OFF(xcap_settings, tai_offset_ns); OFF(xcap_settings, ifindexes);
	printf("\\"XCAP_MAX_IFACES\\": %d, \\"XCAP_MAX_SNAPLEN\\": %d, \\"XCAP_DIR_IN\\": %d, \\"XCAP_DIR_OUT\\": %d, ",
	       XCAP_MAX_IFACES, XCAP_MAX_SNAPLEN, XCAP_DIR_IN, XCAP_DIR_OUT);
	printf("\\"XCAP_STEAL\\": %d, \\"XCAP_EPB_TYPE\\": %d, \\"XCAP_EPB_FLAGS_OPTION\\": %d}\\n", XCAP_STEAL, XCAP_EPB_TYPE, XCAP_EPB_FLAGS_OPTION);
	return 0;
}
`);

/** Compiles and runs a layout probe against bpf/; what it printed (empty when it did not compile, which fails the test). */
function runProbe(t: Test, source: string): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'xcap-layout-'));
  try {
    writeFileSync(join(dir, 'probe.c'), source);
    const cc = spawnSync('cc', ['-I', join(ROOT, 'bpf'), '-o', join(dir, 'probe'), join(dir, 'probe.c')], { encoding: 'utf8' });
    if (!t.equal(cc.status, 0, `cc compiles the probe ${cc.stderr}`)) return {};
    return JSON.parse(spawnSync(join(dir, 'probe'), { encoding: 'utf8' }).stdout) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('record, counter and settings layouts match capture.h', { skip: hasCommand('cc') ? false : 'no C compiler (cc) to read capture.h with' }, async (t) => {
  t.same(runProbe(t, PROBE), {
      'sizeof xcap_record': RECORD_SIZE,
      'xcap_record.iface_id': RecordField.IfaceId,
      'xcap_record.ts_high': RecordField.TsHigh,
      'xcap_record.ts_low': RecordField.TsLow,
      'xcap_record.caplen': RecordField.Caplen,
      'xcap_record.origlen': RecordField.Origlen,
      'sizeof xcap_epb_tail': EPB_TAIL_SIZE,
      'xcap_epb_tail.option_code': EpbTailField.OptionCode,
      'xcap_epb_tail.option_length': EpbTailField.OptionLength,
      'xcap_epb_tail.flags': EpbTailField.Flags,
      'xcap_epb_tail.end_of_options': EpbTailField.EndOfOptions,
      'xcap_epb_tail.total_length': EpbTailField.TotalLength,
      'sizeof xcap_counters': COUNTERS_SIZE,
      'xcap_counters.seen': CountersField.Seen,
      'xcap_counters.dropped': CountersField.Dropped,
      'sizeof xcap_settings': SETTINGS_SIZE,
      'xcap_settings.snaplen': SettingsField.Snaplen,
      'xcap_settings.wakeup_bytes': SettingsField.WakeupBytes,
      'xcap_settings.n_ifaces': SettingsField.NIfaces,
      'xcap_settings.flags': SettingsField.Flags,
      'xcap_settings.tai_offset_ns': SettingsField.TaiOffsetNs,
      'xcap_settings.ifindexes': SettingsField.Ifindexes,
      XCAP_MAX_IFACES: MAX_IFACES,
      XCAP_MAX_SNAPLEN: MAX_SNAPLEN,
      XCAP_DIR_IN: 1, // pcapng epb_flags inbound, written as it is
      XCAP_DIR_OUT: 2,
      XCAP_STEAL: SettingsFlag.Steal,
      XCAP_EPB_TYPE: EPB_BLOCK_TYPE,
      XCAP_EPB_FLAGS_OPTION: EPB_FLAGS_OPTION,
  });
});

const AFXDP_PROBE = probe('afxdp.h', `int main(void)
{
	printf("{");
	SIZE(xcap_afxdp_meta); OFF(xcap_afxdp_meta, ts_ns); OFF(xcap_afxdp_meta, magic); OFF(xcap_afxdp_meta, queue);
	SIZE(xcap_afxdp_counters); OFF(xcap_afxdp_counters, redirected); OFF(xcap_afxdp_counters, no_meta);
	printf("\\"XCAP_AFXDP_MAGIC\\": %u}\\n", XCAP_AFXDP_MAGIC);
	return 0;
}
`);

t.test('AF_XDP metadata and counter layouts match afxdp.h', { skip: hasCommand('cc') ? false : 'no C compiler (cc) to read afxdp.h with' }, async (t) => {
  t.same(runProbe(t, AFXDP_PROBE), {
      'sizeof xcap_afxdp_meta': AFXDP_META_SIZE,
      'xcap_afxdp_meta.ts_ns': AfxdpMetaField.TsNs,
      'xcap_afxdp_meta.magic': AfxdpMetaField.Magic,
      'xcap_afxdp_meta.queue': AfxdpMetaField.Queue,
      'sizeof xcap_afxdp_counters': AFXDP_COUNTERS_SIZE,
      'xcap_afxdp_counters.redirected': AfxdpCountersField.Redirected,
      'xcap_afxdp_counters.no_meta': AfxdpCountersField.NoMeta,
      XCAP_AFXDP_MAGIC: AFXDP_META_MAGIC,
  });
});

const libbpf = await import('../../src/kernel/bpf-object.js').catch((err: Error) => `libbpf cannot be loaded: ${err.message}`);

t.test('the compiled object takes the settings image as its whole .rodata', { skip: typeof libbpf === 'string' ? libbpf : false }, async (t) => {
  if (typeof libbpf === 'string') return;
  // Opening parses the ELF only: no privileges needed.
  const obj = libbpf.BpfObject.open(captureObjectPath());
  try {
    t.doesNotThrow(() => obj.setRodata(encodeSettings({ snaplen: 1500, wakeupBytes: 1 << 18, taiOffsetNs: 37_000_000_000n, ifindexes: [3, 7] })));
    t.throws(() => obj.setRodata(new Uint8Array(SETTINGS_SIZE + 4)), /\.rodata is \d+ bytes/);
  } finally {
    obj.close();
  }
});
