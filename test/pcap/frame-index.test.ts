import t from 'tap';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../../src/pcap/frame-index.js';

t.test('frame index round-trips an entry', (t) => {
  const buf = new ArrayBuffer(FRAME_ENTRY_SIZE * 2);
  const idx = new FrameIndex(new DataView(buf), 0, 2);
  idx.set(1, { dataPtr: 70000, caplen: 60, origlen: 1514, linktype: 1, ifaceId: 3, tsSec: 1700000000, tsNsec: 123456789, tsDigits: 9, flags: 2 });
  t.equal(idx.dataPtr(1), 70000);
  t.equal(idx.origlen(1), 1514);
  t.equal(idx.tsSec(1), 1700000000);
  t.equal(idx.tsNsec(1), 123456789);
  t.equal(idx.flags(1), 2);
  t.end();
});
