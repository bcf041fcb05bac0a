import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Readable } from 'node:stream';
import type { Config } from '../core/config.js';
import { OutboundError, outboundLimits, type OutboundLimits, type OutboundTransport } from '../http/outbound.js';

/** Addresses an outbound request must not reach: loopback, private, link-local, and the like. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether `address` (an IP literal) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup that fails when any address of the name is not public (no DNS-rebinding gap: the connection uses these very addresses). */
function publicOnlyLookup(hostname: string, options: LookupAllOptions | { all?: boolean; family?: number }, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused || addresses.length === 0) {
      return callback(Object.assign(new OutboundError(`${hostname} resolves to a non-public address`), { code: 'ENOTPUBLIC' }), []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/**
 * The outbound transport of the Node server: `node:http(s)` with a DNS lookup that refuses
 * names resolving to loopback, private or link-local addresses, and IP-literal hosts in those
 * ranges — so that a client's `jwks_uri` or logout URI cannot make the provider probe the
 * internal network. `allowPrivate` lifts that (development only).
 */
export function createGuardedTransport(options: { allowPrivate?: boolean } = {}): OutboundTransport {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (!options.allowPrivate && isIP(host) !== 0 && !isPublicAddress(host)) {
        reject(new OutboundError(`${url.origin} is not a public address`));
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: init.method,
          headers: { 'user-agent': 'latchkey', ...init.headers },
          signal: init.signal,
          ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup as never }),
        },
        (response: IncomingMessage) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const status = response.statusCode ?? 502;
          const body = status === 204 || status === 304 ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers }));
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
}

/**
 * The server's outbound policy under `config`: the guarded transport, and the limits the engine
 * applies to it (private addresses and plain http only with `dangerouslyAllowPrivateNetworkFetch`).
 */
export function serverOutbound(config: Pick<Config, 'dangerouslyAllowPrivateNetworkFetch'>): { transport: OutboundTransport; limits: OutboundLimits } {
  const allowPrivate = config.dangerouslyAllowPrivateNetworkFetch;
  return { transport: createGuardedTransport({ allowPrivate }), limits: outboundLimits({ allowPrivateNetwork: allowPrivate }) };
}
