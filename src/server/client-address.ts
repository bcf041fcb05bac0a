/**
 * The address of the client behind a request, for per-address login throttling. Behind a reverse
 * proxy or load balancer the socket's peer is the proxy; the client is in `X-Forwarded-For`. That
 * header is believed only as far as it was written by proxies the operator listed
 * (`LATCHKEY_TRUSTED_PROXIES`): anyone else could write any address in it.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError, type Config } from '../core/config.js';
import { parseIpRange } from './ip-range.js';

/** Resolves the client address from the socket peer and the `X-Forwarded-For` header. */
export type ClientAddressResolver = (peer: string | undefined, forwardedFor: string | null) => string | undefined;

/** `::ffff:203.0.113.7` (an IPv4 peer on a dual-stack socket) → `203.0.113.7`. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Parses trusted proxy entries: addresses (`10.0.0.5`, `::1`) or CIDR ranges (`10.0.0.0/8`,
 * `fd00::/8`).
 * @throws Error naming the first entry that is neither.
 */
export function parseTrustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const range = parseIpRange(entry);
    if (range === undefined) throw new Error(`${entry} is not an IP address or CIDR range`);
    if (range.bits === undefined) list.addAddress(range.address, range.family);
    else list.addSubnet(range.address, range.bits, range.family);
  }
  return list;
}

/**
 * A resolver trusting `proxies`. Without trusted proxies, the peer is the client. Otherwise, when
 * the peer is a trusted proxy, `X-Forwarded-For` is read from the right (the hop nearest to us)
 * and the first address that is not a trusted proxy is the client.
 */
export function createClientAddressResolver(proxies: readonly string[]): ClientAddressResolver {
  if (proxies.length === 0) return (peer) => (peer === undefined ? undefined : normalize(peer));
  const trusted = parseTrustedProxies(proxies);
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (peer, forwardedFor) => {
    if (peer === undefined) return undefined;
    let client = normalize(peer);
    if (!isTrusted(client) || forwardedFor === null) return client;
    const hops = forwardedFor.split(',').map((hop) => normalize(hop.trim())).filter((hop) => hop !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      // A malformed entry ends the trusted chain: what lies beyond it is unverifiable.
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!isTrusted(hop)) return client;
    }
    return client;
  };
}

/**
 * The client-address resolver for `config.trustedProxies`.
 * @throws ConfigError naming an entry that is not an address or CIDR range.
 */
export function trustedProxiesResolver(config: Config): ClientAddressResolver {
  try {
    return createClientAddressResolver(config.trustedProxies);
  } catch (error) {
    throw new ConfigError([`trustedProxies (LATCHKEY_TRUSTED_PROXIES): ${(error as Error).message}`]);
  }
}
