/**
 * The stats trees xcap has, as Wireshark 4.0 defines them: what each tap
 * ticks.  plen taps every frame, ptype every IPv4 header that tshark's ip
 * tap fires for, http every HTTP message.
 */
import { tapFields, tapsOf } from './address-taps.js';
import type { FrameRecord } from './statistic.js';
import type { StatsTree } from './stats-tree.js';
import type { TreeDefinition, TreeTap } from './tree-statistic.js';

const PLEN_TITLE = 'Packet Lengths';
/** Wireshark's default packet length ranges (its "Packet Lengths" table of preferences, empty). */
const PLEN_RANGES = ['0-19', '20-39', '40-79', '80-159', '160-319', '320-639', '640-1279', '1280-2559', '2560-5119', '5120 and greater'];

const packetLengths: TreeDefinition = {
  name: 'plen',
  title: PLEN_TITLE,
  fields: ['frame.len'],
  start: (tree) => {
    tree.createRangeNode(PLEN_TITLE, 0, PLEN_RANGES);
    return (frame) => {
      const length = Number(frame.values('frame.len')[0] ?? 0);
      return [(t) => {
        t.tick(PLEN_TITLE, 0);
        t.tickRange(PLEN_TITLE, 0, length);
      }];
    };
  },
};

/** The protocols that set Wireshark's pinfo->ptype, the name port_type_to_str gives it, and the field of the port whose reading sets it. */
const PORT_TYPES: Record<string, { name: string; port?: string }> = {
  tcp: { name: 'TCP', port: 'tcp.srcport' }, udp: { name: 'UDP', port: 'udp.srcport' }, udplite: { name: 'UDP', port: 'udp.srcport' },
  sctp: { name: 'SCTP' }, dccp: { name: 'DCCP', port: 'dccp.srcport' },
  ipx: { name: 'IPX' }, ddp: { name: 'DDP' }, idp: { name: 'IDP' },
};
const PORT_FIELDS = [...new Set(Object.values(PORT_TYPES).flatMap((t) => (t.port ? [t.port] : [])))];

/**
 * The frame's port type once dissected: that of the last protocol called
 * that got as far as reading its ports ("NONE" for none).
 */
function portType(frame: FrameRecord): string {
  let type = 'NONE';
  const calls = new Map<string, number>();
  for (const name of frame.values('frame.protocols').join(',').split(':')) {
    const known = PORT_TYPES[name];
    if (!known) continue;
    const k = calls.get(name) ?? 0;
    calls.set(name, k + 1);
    if (!known.port || frame.values(known.port).length > k) type = known.name;
  }
  return type;
}

const PTYPE_TITLE = 'IPv4 Statistics/IP Protocol Types';

const ipProtocolTypes: TreeDefinition = {
  name: 'ptype',
  title: PTYPE_TITLE,
  fields: [...tapFields('ip'), 'frame.protocols', ...PORT_FIELDS],
  start: (tree) => {
    const pivot = tree.createPivot(PTYPE_TITLE, 0);
    return (frame) => {
      const type = portType(frame);
      return tapsOf('ip', frame).map(() => (t: StatsTree) => t.tickPivot(pivot, type));
    };
  },
};

/** The items tshark adds where a dissection stopped on an error. */
const ERROR_LAYERS: readonly (string | undefined)[] = ['_ws.malformed', '_ws.short', '_ws.unreassembled'];

const HTTP = {
  packets: 'Total HTTP Packets',
  requests: 'HTTP Request Packets',
  responses: 'HTTP Response Packets',
  other: 'Other HTTP Packets',
};
/** Response classes by the code's hundreds; codes outside 100-599 are "broken". */
const HTTP_CLASSES = ['???: broken', '1xx: Informational', '2xx: Success', '3xx: Redirection', '4xx: Client Error', '5xx: Server Error'];
/** The index in HTTP_CLASSES of a response code's class. */
const httpClass = (code: number): number => (code >= 100 && code < 600 ? Math.floor(code / 100) : 0);

const httpPackets: TreeDefinition = {
  name: 'http',
  title: 'HTTP/Packet Counter',
  fields: ['http.request.method', 'http.response.code', 'http.response.code.desc'],
  start: (tree) => {
    const packets = tree.createNode(HTTP.packets, 0, true);
    const requests = tree.createPivot(HTTP.requests, packets);
    const responses = tree.createNode(HTTP.responses, packets, true);
    const classes = HTTP_CLASSES.map((name) => tree.createNode(name, responses, true));
    tree.createNode(HTTP.other, packets, false);
    return (frame) => {
      // One tap per HTTP message; a frame's taps all tick at the same time, so their order does not matter.
      const layers = frame.layers;
      const messages = layers.filter((l) => l === 'http').length;
      const methods = frame.values('http.request.method');
      const codes = frame.values('http.response.code').map(Number);
      const descriptions = frame.values('http.response.code.desc');
      // A message cut short (an error right after it) ends the dissection before its tap.  In a
      // frame of several messages which kind the last was is not told: an "other" is taken first.
      const last = layers.lastIndexOf('http');
      const cut = last >= 0 && ERROR_LAYERS.includes(layers[last + 1]);
      let others = messages - codes.length - methods.length;
      if (cut && others > 0) others--;
      else if (cut && methods.length) methods.pop();
      else if (cut) codes.pop();
      const taps: TreeTap[] = codes.map((code, i) => (t) => {
        t.tick(HTTP.packets, 0);
        t.tick(HTTP.responses, packets);
        const group = httpClass(code);
        t.tick(HTTP_CLASSES[group], responses);
        t.tick(`${code} ${descriptions[i] ?? `Unknown (${code})`}`, classes[group]);
      });
      for (const method of methods) {
        taps.push((t) => {
          t.tick(HTTP.packets, 0);
          t.tickPivot(requests, method);
        });
      }
      for (let i = 0; i < others; i++) {
        taps.push((t) => {
          t.tick(HTTP.packets, 0);
          t.tick(HTTP.other, packets);
        });
      }
      return taps;
    };
  },
};

export const TREES: readonly TreeDefinition[] = [packetLengths, ipProtocolTypes, httpPackets];
