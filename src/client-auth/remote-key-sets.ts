import type { JSONWebKeySet } from 'jose';
import { OutboundError, sendOutbound, type OutboundLimits, type OutboundTransport } from '../http/outbound.js';
import type { Clock } from '../util/clock.js';

/** JWK Sets fetched from clients' `jwks_uri`, cached per URI. */
export interface RemoteKeySets {
  /**
   * The key set at `uri`: from the cache while it is fresh, else fetched. With `refresh`, fetched
   * again unless it was fetched within the cooldown (a client rotating its keys is picked up;
   * a stream of unknown `kid`s cannot make latchkey hammer the URI).
   * @throws OutboundError when it cannot be fetched or is not a JWK Set.
   */
  get(uri: string, options?: { refresh?: boolean }): Promise<JSONWebKeySet>;
}

interface Entry {
  jwks: JSONWebKeySet;
  fetchedAt: number;
}

/** Creates the cache. `maxAgeSeconds`: how long a fetched set is used; `cooldownSeconds`: least time between fetches of one URI. */
export function createRemoteKeySets(options: {
  transport: OutboundTransport;
  limits: OutboundLimits;
  clock: Clock;
  maxAgeSeconds?: number;
  cooldownSeconds?: number;
}): RemoteKeySets {
  const { transport, limits, clock } = options;
  const maxAge = options.maxAgeSeconds ?? 300;
  const cooldown = options.cooldownSeconds ?? 30;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<JSONWebKeySet>>();

  async function fetchSet(uri: string): Promise<JSONWebKeySet> {
    const response = await sendOutbound(transport, uri, { method: 'GET', headers: { accept: 'application/jwk-set+json, application/json' } }, limits);
    if (response.status !== 200) throw new OutboundError(`${uri} answered ${response.status}`);
    let jwks: unknown;
    try {
      jwks = JSON.parse(response.body);
    } catch (error) {
      throw new OutboundError(`${uri} did not answer with JSON`, { cause: error });
    }
    if (!isKeySet(jwks)) throw new OutboundError(`${uri} did not answer with a JWK Set`);
    cache.set(uri, { jwks, fetchedAt: clock.now() });
    return jwks;
  }

  return {
    async get(uri, { refresh = false } = {}) {
      const entry = cache.get(uri);
      const now = clock.now();
      if (entry) {
        const age = now - entry.fetchedAt;
        if (age < cooldown || (!refresh && age < maxAge)) return entry.jwks;
      }
      // Concurrent requests for one URI share a single fetch.
      let pending = inFlight.get(uri);
      if (!pending) {
        pending = fetchSet(uri).finally(() => inFlight.delete(uri));
        inFlight.set(uri, pending);
      }
      return pending;
    },
  };
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}
