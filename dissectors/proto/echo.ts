// Echo (RFC 862) on TCP and UDP port 7: a request is what goes to port 7,
// a response what comes from it; the data is shown whole.
import { protocol, flag, bytes } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { registerTcpPort, registerUdpPort, tcpDstPort, udpDstPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';

const PROTO_ECHO = protocol('echo', 'Echo');
const F_DATA = bytes('echo.data', 'Echo data');
const F_REQUEST = flag('echo.request', 'Echo request');
const F_RESPONSE = flag('echo.response', 'Echo response');
const ECHO_PORT: u32 = 7;

function dissectEcho(start: u32, end: u32, request: bool): void {
  setProtocolColumn('ECHO');
  infoSet(); puts(request ? 'Request' : 'Response'); infoDone();
  beginLayer(PROTO_ECHO);
  addNum(request ? F_REQUEST : F_RESPONSE, 1);
  addBytes(F_DATA, start, end - start);
}

function dissectEchoTcp(start: u32, end: u32): void { dissectEcho(start, end, tcpDstPort == ECHO_PORT); }
function dissectEchoUdp(start: u32, end: u32): void { dissectEcho(start, end, udpDstPort == ECHO_PORT); }

registerTcpPort(ECHO_PORT, dissectEchoTcp);
registerUdpPort(ECHO_PORT, dissectEchoUdp);
