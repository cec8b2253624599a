// QUIC Initial packet protection against RFC 9001 Appendix A: the fixture
// generator's keys (node's crypto) against A.1, and the Wasm dissector's own
// SHA-256, HKDF, AES-128 header protection and AES-128-GCM against A.3's
// server Initial, which the quic fixture carries byte for byte.
import t from 'tap';
import { xcap } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';
import { QuicVersion, initialKeys } from '../../fixtures/gen/quic-protect.js';
import { RFC9001_DCID } from '../../fixtures/gen/scenarios/quic.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

t.test('Initial keys derived from the RFC 9001 client DCID (A.1)', (t) => {
  const client = initialKeys(RFC9001_DCID, QuicVersion.V1, false);
  const server = initialKeys(RFC9001_DCID, QuicVersion.V1, true);
  t.equal(hex(client.key), '1f369613dd76d5467730efcbe3b1a22d');
  t.equal(hex(client.iv), 'fa044b2f42a3fd3b46fb255c');
  t.equal(hex(client.hp), '9f50449e04a0e810283a1e9933adedd2');
  t.equal(hex(server.key), 'cf3a5331653c364c88f0f379b6067e37');
  t.equal(hex(server.iv), '0ac1493ca1905853b0bba03e');
  t.equal(hex(server.hp), 'c206b8d9b9f0f37644430b490eeaa314');
  t.end();
});

t.test('the Wasm module opens RFC 9001 A.3\'s server Initial', (t) => {
  const f = fixturePath('quic.pcap');
  const lines = xcap(['read', '-r', f, '-c', '2']).stdout.trimEnd().split('\n');
  t.match(lines[0], /Initial, DCID=8394c8f03e515708, PKN: 2, CRYPTO, PADDING$/);
  t.match(lines[1], /Initial, SCID=f067a5502a4262b5, PKN: 1, ACK, CRYPTO$/);
  const fields = xcap(['read', '-r', f, '-c', '2', '-T', 'fields', '-e', 'quic.packet_number', '-e', 'tls.handshake.type',
    '-e', 'tls.handshake.random', '-e', 'tls.handshake.ciphersuite']).stdout.trimEnd().split('\n');
  // A.3's plaintext: ACK, then a CRYPTO frame with a ServerHello (this random, TLS_AES_128_GCM_SHA256).
  t.equal(fields[1], '1\t2\teefce7f7b37ba1d1632e96677825ddf73988cfc79825df566dc5430b9a045a12\t0x1301');
  t.end();
});
