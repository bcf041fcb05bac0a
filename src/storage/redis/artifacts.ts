/**
 * Short-lived artifacts in Redis (codes, sessions, interactions, device codes, replay caches,
 * rate-limit counters), behind the same `ArtifactStore` port as the SQL table.
 *
 * Each artifact is a hash `{ v: JSON value, e: expiry (epoch seconds), c: times consumed }` with
 * a native TTL, so Redis removes it by itself; `e` is checked against latchkey's clock, so expiry
 * means the same on every backend. Every read-modify-write is one Lua script: Redis runs a script
 * alone, which makes `add`, `consume` and `increment` atomic across any number of instances
 * without WATCH/MULTI retries (a script was chosen over GETDEL because consuming must keep the
 * artifact, to tell a replay from an unknown value).
 */
import type { RedisClientType } from 'redis';
import type { ArtifactKind, Artifacts, ArtifactStore } from '../types.js';
import type { Clock } from '../../util/clock.js';

/** The Redis client type latchkey uses (no modules, RESP2/3 alike). */
export type LatchkeyRedis = RedisClientType;

/** ARGV: now, value, expires_at, ttl. Stores unless an unexpired artifact exists; 1 when stored. */
const ADD = `
local e = redis.call('HGET', KEYS[1], 'e')
if e and tonumber(e) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'e', ARGV[3], 'c', 0)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1`;

/** ARGV: now. Counts one more use of an unexpired artifact; returns { value, uses } or nil. */
const CONSUME = `
local e = redis.call('HGET', KEYS[1], 'e')
if not e or tonumber(e) <= tonumber(ARGV[1]) then return nil end
local c = redis.call('HINCRBY', KEYS[1], 'c', 1)
return { redis.call('HGET', KEYS[1], 'v'), c }`;

/** ARGV: now, window. Adds one to a counter, starting a new window when the old one is over. */
const INCREMENT = `
local e = redis.call('HGET', KEYS[1], 'e')
if not e or tonumber(e) <= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'n', 1, 'e', tonumber(ARGV[1]) + tonumber(ARGV[2]))
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 1
end
return redis.call('HINCRBY', KEYS[1], 'n', 1)`;

/** Redis TTLs are whole seconds, at least one. */
function ttlOf(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}

/** An `ArtifactStore` over `client`, its keys under `prefix` (default `latchkey:`). */
export function createRedisArtifactStore(options: { client: LatchkeyRedis; clock: Clock; prefix?: string }): ArtifactStore {
  const { client, clock } = options;
  const prefix = options.prefix ?? 'latchkey:';
  const artifactKey = (kind: ArtifactKind, id: string) => `${prefix}artifact:${kind}:${id}`;
  const counterKey = (counter: string) => `${prefix}counter:${counter}`;
  const now = () => String(clock.now());

  return {
    async put(kind, id, value, ttlSeconds) {
      const key = artifactKey(kind, id);
      await client
        .multi()
        .del(key)
        .hSet(key, { v: JSON.stringify(value), e: clock.now() + ttlSeconds, c: 0 })
        .expire(key, ttlOf(ttlSeconds))
        .exec();
    },
    async add(kind, id, value, ttlSeconds) {
      const stored = await client.eval(ADD, {
        keys: [artifactKey(kind, id)],
        arguments: [now(), JSON.stringify(value), String(clock.now() + ttlSeconds), String(ttlOf(ttlSeconds))],
      });
      return Number(stored) === 1;
    },
    async find(kind, id) {
      const [value, expiresAt] = await client.hmGet(artifactKey(kind, id), ['v', 'e']);
      if (value == null || expiresAt == null || Number(expiresAt) <= clock.now()) return undefined;
      return JSON.parse(String(value)) as Artifacts[typeof kind];
    },
    async consume(kind, id) {
      const reply = (await client.eval(CONSUME, { keys: [artifactKey(kind, id)], arguments: [now()] })) as [string, number] | null;
      if (reply === null) return undefined;
      return { value: JSON.parse(String(reply[0])) as Artifacts[typeof kind], replayed: Number(reply[1]) > 1 };
    },
    async delete(kind, id) {
      await client.del(artifactKey(kind, id));
    },
    async increment(counter, windowSeconds) {
      return Number(await client.eval(INCREMENT, { keys: [counterKey(counter)], arguments: [now(), String(ttlOf(windowSeconds))] }));
    },
    async readCounter(counter) {
      const [count, expiresAt] = await client.hmGet(counterKey(counter), ['n', 'e']);
      if (count == null || expiresAt == null || Number(expiresAt) <= clock.now()) return 0;
      return Number(count);
    },
    async resetCounter(counter) {
      await client.del(counterKey(counter));
    },
  };
}
