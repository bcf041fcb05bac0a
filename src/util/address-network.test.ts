import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressNetwork } from './address-network.js';

test('addressNetwork: an IPv4 address is itself; an IPv6 address is its /64, however it is written', () => {
  assert.equal(addressNetwork('203.0.113.7'), '203.0.113.7');
  const cases: Array<[string, string]> = [
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0DB8:0000:0000:aaaa:bbbb:cccc:dddd', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:1::', '2001:db8:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8:0:0::/64'],
  ];
  for (const [address, network] of cases) assert.equal(addressNetwork(address), network, address);
  assert.notEqual(addressNetwork('2001:db8:0:1::1'), addressNetwork('2001:db8::1'), 'the next /64 is another network');
});

test('addressNetwork: what is not an IPv6 address is its own key', () => {
  for (const other of ['not:an:address:at:all', 'unknown', '2001:db8::1::2', '']) assert.equal(addressNetwork(other), other);
});
