import { createClient } from 'redis';
import type { Clock } from '../../util/clock.js';
import type { Storage } from '../types.js';
import { createRedisArtifactStore, type LatchkeyRedis } from './artifacts.js';

export { createRedisArtifactStore } from './artifacts.js';

/**
 * Connects to Redis at `url` (`redis://…` or `rediss://…`). The first connection fails after a
 * few quick attempts, so that a wrong URL stops the start-up with a message; once connected, a
 * lost connection is retried for ever with a growing pause (up to 2 s), commands failing meanwhile.
 */
export async function connectRedis(url: string): Promise<LatchkeyRedis> {
  let connected = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (!connected && retries >= 2) return cause;
        return Math.min(100 * 2 ** retries, 2000);
      },
    },
  }) as LatchkeyRedis;
  // Errors surface on the commands that need the connection.
  client.on('error', () => {});
  await client.connect();
  connected = true;
  return client;
}

/**
 * `durable` with its short-lived artifacts in Redis instead (OIDC artifacts expire within
 * minutes: Redis keeps them in memory and expires them natively). Everything else — clients,
 * accounts, tokens, keys — stays in the SQL database. `close` and `ping` cover both.
 */
export async function withRedisArtifacts(durable: Storage, options: { url: string; clock: Clock; prefix?: string }): Promise<Storage> {
  const client = await connectRedis(options.url);
  const artifacts = createRedisArtifactStore({ client, clock: options.clock, ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
  const storage: Storage = {
    ...durable,
    artifacts,
    transaction: (fn) => durable.transaction((tx) => fn({ ...tx, artifacts })),
    async ping() {
      // While reconnecting, commands wait in the client's offline queue: say "not ready" at once instead.
      if (!client.isReady) throw new Error('Redis is not connected');
      await Promise.all([durable.ping(), client.ping()]);
    },
    async close() {
      // A client that is reconnecting would wait for Redis for ever to close politely: drop it.
      const closing = client.isReady ? client.close() : Promise.resolve().then(() => client.isOpen && client.destroy());
      await Promise.allSettled([durable.close(), closing]);
    },
  };
  return storage;
}
