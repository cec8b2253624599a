/**
 * The lab's traffic, run inside a namespace by `ip netns exec`:
 *   node peer.js serve ADDR            HTTP on :80, DNS on udp :53, a UDP sink on :9999;
 *                                      exits on SIGTERM or after 60 s at the latest
 *   node peer.js client ADDR U H D     U UDP datagrams, H HTTP GETs, D DNS queries to ADDR
 * Every loop is bounded in count, every wait in time.
 */
import { createServer, get } from 'node:http';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';

const MAX_SERVE_MS = 60_000;
const CLIENT_STEP_MS = 5;

/** Answers an A query with 198.18.0.53, anything else with an empty answer (NOERROR). */
export function dnsAnswer(query: Buffer): Buffer | undefined {
  if (query.length < 12) return undefined;
  let p = 12;
  while (p < query.length && query[p] !== 0) p += query[p] + 1;
  const questionEnd = p + 5;
  if (questionEnd > query.length) return undefined;
  const isA = query.readUInt16BE(p + 1) === 1;
  const header = Buffer.from(query.subarray(0, 12));
  header.writeUInt16BE(0x8180, 2); // response, recursion desired and available
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(isA ? 1 : 0, 6);
  header.writeUInt32BE(0, 8);
  const question = query.subarray(12, questionEnd);
  if (!isA) return Buffer.concat([header, question]);
  const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 18, 0, 53]);
  return Buffer.concat([header, question, answer]);
}

function serve(addr: string): void {
  const http = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`hello from the xcap lab: ${req.url}\n`);
  }).listen(80, addr);
  const dns = createSocket('udp4');
  dns.on('message', (msg, from) => {
    const reply = dnsAnswer(msg);
    if (reply) dns.send(reply, from.port, from.address);
  });
  dns.bind(53, addr);
  const sink = createSocket('udp4');
  sink.bind(9999, addr);
  const stop = (): void => {
    http.close(); dns.close(); sink.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setTimeout(stop, MAX_SERVE_MS).unref();
  // Tell the parent the sockets are bound.
  http.on('listening', () => process.stdout.write('ready\n'));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function client(addr: string, udp: number, http: number, dns: number): Promise<void> {
  const sock = createSocket('udp4');
  for (let i = 0; i < udp; i++) {
    await new Promise<void>((r) => sock.send(Buffer.from(`xcap lab datagram ${i}`), 9999, addr, () => r()));
    await sleep(CLIENT_STEP_MS);
  }
  sock.close();
  for (let i = 0; i < http; i++) {
    await new Promise<void>((resolve) => {
      const req = get({ host: addr, port: 80, path: `/page/${i}`, agent: false, headers: { 'user-agent': 'xcap-lab/1' }, timeout: 2000 }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', () => resolve());
      req.on('timeout', () => { req.destroy(); resolve(); });
    });
  }
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([addr]);
  for (let i = 0; i < dns; i++) {
    await resolver.resolve4(`host${i}.lab.example`).catch(() => undefined);
  }
}

const [, , role, addr, ...counts] = process.argv;
if (role === 'serve' && addr) serve(addr);
else if (role === 'client' && addr) {
  const [u, h, d] = counts.map((c) => Math.max(0, Math.min(100_000, Number(c) || 0)));
  const deadline = setTimeout(() => process.exit(3), 60_000);
  await client(addr, u, h, d);
  clearTimeout(deadline);
} else if (role !== undefined) {
  process.stderr.write('usage: peer.js serve ADDR | client ADDR UDP HTTP DNS\n');
  process.exit(2);
}
