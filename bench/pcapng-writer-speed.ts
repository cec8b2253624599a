// npm run bench:writer: writeBatch throughput into /dev/null, the blocks
// built in the scratch buffer and written once per batch.
import { FrameIndex, FRAME_ENTRY_SIZE } from '../src/pcap/frame-index.js';
import { PcapngWriter } from '../src/pcap/pcapng-writer.js';

const FRAMES = 1 << 20;
const BATCH = 4096;

function measure(frameSize: number): void {
  const memBase = 0x100000;
  const mem = new Uint8Array(BATCH * frameSize).map((_, i) => i);
  const index = new FrameIndex(new DataView(new ArrayBuffer(BATCH * FRAME_ENTRY_SIZE)), 0, BATCH);
  for (let i = 0; i < BATCH; i++) {
    index.set(i, { dataPtr: memBase + i * frameSize, caplen: frameSize, origlen: frameSize, linktype: 1, ifaceId: 0,
      tsSec: 1_700_000_000 + i, tsNsec: i * 1000, tsDigits: 9, flags: i & 1 ? 1 : 2 });
  }
  const w = PcapngWriter.open('/dev/null');
  w.addInterface({ linktype: 1, snaplen: 65535 });
  w.writeBatch(index, mem, memBase, 0, BATCH, [0]); // warm-up
  const before = w.bytesWritten;
  const start = process.hrtime.bigint();
  for (let done = 0; done < FRAMES; done += BATCH) w.writeBatch(index, mem, memBase, 0, BATCH, [0]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const written = w.bytesWritten - before;
  w.close();
  console.log(`writeBatch, ${FRAMES} frames of ${frameSize} bytes in batches of ${BATCH} to /dev/null: ${seconds.toFixed(3)} s, `
    + `${(written / 1e6 / seconds).toFixed(0)} MB/s of pcapng, ${(FRAMES * frameSize / 1e6 / seconds).toFixed(0)} MB/s of frame bytes, `
    + `${(FRAMES / 1e6 / seconds).toFixed(2)} M frames/s`);
}
measure(64);
measure(1500);
