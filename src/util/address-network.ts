/**
 * The network a client address is counted under by the per-address limits (failed logins,
 * self-registered accounts, openly registered clients).
 *
 * An IPv4 address is one host. An IPv6 host is usually given a whole /64 (RFC 7421: SLAAC and
 * the privacy addresses of RFC 8981 pick the lower 64 bits, and rotate them at will), so counting
 * IPv6 addresses one by one would let one host make 2^64 fresh starts. Its /64 is counted instead,
 * as rate limiters commonly do. Anything that is not an IPv6 address is its own key.
 */
export function addressNetwork(address: string): string {
  if (!address.includes(':')) return address;
  const groups = ipv6Groups(address);
  return groups === undefined ? address : `${groups.slice(0, 4).join(':')}::/64`;
}

/**
 * The eight 16-bit groups of an IPv6 address, in lowercase hex without leading zeros, or
 * undefined when `address` is not one. A zone (`fe80::1%eth0`) is dropped. The WHATWG URL parser
 * validates the address and writes it canonically (embedded IPv4 as hex groups, the longest run of
 * zero groups as `::`); the run is then filled back in.
 */
function ipv6Groups(address: string): string[] | undefined {
  const withoutZone = address.split('%', 1)[0]!;
  let canonical: string;
  try {
    canonical = new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = canonical.split('::');
  const left = head === '' ? [] : head.split(':');
  if (tail === undefined) return left;
  const right = tail === '' ? [] : tail.split(':');
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}
