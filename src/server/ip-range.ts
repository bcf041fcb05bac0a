import { isIP } from 'node:net';

/** An IP address or a CIDR range, as written in configuration. */
export interface IpRange {
  address: string;
  family: 'ipv4' | 'ipv6';
  /** Prefix length; undefined for a single address. */
  bits?: number;
}

/** Parses `10.0.0.5`, `10.0.0.0/8`, `::1` or `fd00::/8`; undefined for anything else. */
export function parseIpRange(entry: string): IpRange | undefined {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return undefined;
  const family = version === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) return { address, family };
  const bits = Number(prefix);
  if (prefix === '' || !Number.isInteger(bits) || bits < 0 || bits > (version === 6 ? 128 : 32)) return undefined;
  return { address, family, bits };
}
