// tshark's -t and -u (the Time column's format) and the columns -T fields
// prints as _ws.col.*: what xcap prints equals what tshark prints.
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME, CORPUS, corpusPresent } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';

const skip = hasCommand('tshark') ? false : 'tshark is not installed: the time format tests need it as the oracle';
const FORMATS = ['r', 'a', 'ad', 'adoy', 'd', 'dd', 'e', 'u', 'ud', 'udoy'];

/** Runs `body` with TZ set to `zone`, then puts TZ back. */
function inZone(zone: string, body: () => void): void {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try { body(); } finally {
    if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved;
  }
}

function sameAsTshark(t: Test, file: string, args: string[], what: string): void {
  const ours = xcap(['read', '-r', file, ...args]);
  t.equal(ours.status, 0, `${what}: exit 0`);
  t.equal(ours.stdout, tshark(['-r', file, ...TSHARK_PER_FRAME, ...args]).stdout, what);
}

t.test('every -t format prints the Time column as tshark does, in several zones', { skip }, (t) => {
  // mixed.pcap has microseconds, nanosecond.pcap nanoseconds; New York puts
  // the fixtures' first day (2024-01-01 UTC) on the day before.
  for (const format of FORMATS) sameAsTshark(t, fixturePath('mixed.pcap'), ['-t', format, '-c', '20'], `mixed.pcap -t ${format}`);
  for (const format of ['r', 'ad', 'e', 'udoy']) sameAsTshark(t, fixturePath('nanosecond.pcap'), ['-t', format], `nanosecond.pcap -t ${format}`);
  for (const zone of ['America/New_York', 'Asia/Kolkata']) {
    inZone(zone, () => {
      for (const format of ['a', 'ad', 'adoy', 'u']) sameAsTshark(t, fixturePath('mixed.pcap'), ['-t', format, '-c', '5'], `${zone} -t ${format}`);
    });
  }
  t.end();
});

t.test('-u hms, and the deltas, over spans of hours and timestamps that go back', { skip: skip || (corpusPresent ? false : `${CORPUS} is absent`) }, (t) => {
  // babel_update_oobr.pcap: hours between frames, and times that go back
  // by less than a second; arp-oobr.pcap: minutes;
  // dhcpv4v6-rfc5970-rfc8572.pcap: seconds to days.
  const files = ['babel_update_oobr.pcap', 'arp-oobr.pcap', 'dhcpv4v6-rfc5970-rfc8572.pcap'].map((f) => join(CORPUS, f)).filter(existsSync);
  t.ok(files.length > 0, 'the corpus files are there');
  for (const file of files) {
    for (const format of ['r', 'd', 'e']) sameAsTshark(t, file, ['-t', format, '-u', 'hms'], `${file} -t ${format} -u hms`);
  }
  t.end();
});

t.test('-t dd counts from the previous frame the display filter passed', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  sameAsTshark(t, file, ['-t', 'dd', '-Y', 'udp'], '-t dd -Y udp');
  sameAsTshark(t, file, ['-t', 'dd', '-u', 'hms', '-Y', 'frame.number > 3'], '-t dd -u hms -Y');
  sameAsTshark(t, file, ['-t', 'd', '-Y', 'udp'], '-t d -Y udp: still from the previous frame read');
  t.end();
});

t.test('-T fields prints the columns as _ws.col.*, the Time column in the -t format', { skip }, (t) => {
  const columns = ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'].flatMap((c) => ['-e', `_ws.col.${c}`]);
  for (const name of ['mixed.pcap', 'tcp-analysis.pcap']) {
    sameAsTshark(t, fixturePath(name), ['-T', 'fields', ...columns, '-e', 'frame.number'], `${name} columns`);
  }
  sameAsTshark(t, fixturePath('mixed.pcap'), ['-T', 'fields', ...columns, '-E', 'quote=d', '-E', 'header=y', '-t', 'ud'], 'columns, quoted, -t ud');
  t.end();
});

t.test('a column xcap does not have prints empty, as in tshark, and is named on stderr', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  const args = ['-T', 'fields', '-e', '_ws.col.info', '-e', 'frame.number', '-E', 'quote=d'];
  const ours = xcap(['read', '-r', file, ...args]);
  t.equal(ours.status, 0);
  t.equal(ours.stdout, tshark(['-r', file, ...TSHARK_PER_FRAME, ...args]).stdout);
  t.match(ours.stderr, /^xcap: _ws\.col\.info is not a column xcap has \(.*_ws\.col\.Info\): printed empty, as tshark does\n$/);
  t.end();
});

t.test('a -t or -u value tshark does not take is refused in one line, exit 2', (t) => {
  for (const args of [['-t', 'x'], ['-u', 'ms'], ['-t']]) {
    const r = xcap(['read', '-r', fixturePath('mixed.pcap'), ...args]);
    t.equal(r.status, 2, args.join(' '));
    t.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line`);
    t.equal(r.stdout, '', `${args.join(' ')}: nothing printed`);
  }
  t.end();
});
