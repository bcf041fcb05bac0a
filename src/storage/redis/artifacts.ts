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
 *
 * The kinds an administrator lists (sessions, initial access tokens) are also kept in sorted sets
 * scored by expiry — one per kind and one per owner (a session's `sub`) — pruned as they are read.
 */
import type { RedisClientType } from 'redis';
import { decodeKeyCursor, encodeKeyCursor } from '../cursor.js';
import { artifactOwner, isListableArtifact, type ArtifactKind, type Artifacts, type ArtifactStore, type ListedArtifact } from '../types.js';
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

/** KEYS: artifact, kind index, owner-index prefix. Deletes an artifact and its index entries. */
const DELETE = `
local o = redis.call('HGET', KEYS[1], 'o')
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if o then redis.call('ZREM', KEYS[3] .. o, ARGV[1]) end
return 1`;

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
  const indexKey = (kind: ArtifactKind) => `${prefix}index:${kind}`;
  const ownerIndexPrefix = (kind: ArtifactKind) => `${prefix}index:${kind}:owner:`;
  const now = () => String(clock.now());

  /** The sorted sets a listable artifact is indexed in: its kind's, and its owner's. */
  function indexesOf(kind: ArtifactKind, value: unknown): string[] {
    if (!isListableArtifact(kind)) return [];
    const owner = artifactOwner(kind, value);
    return owner === undefined ? [indexKey(kind)] : [indexKey(kind), `${ownerIndexPrefix(kind)}${owner}`];
  }

  return {
    async put(kind, id, value, ttlSeconds) {
      const key = artifactKey(kind, id);
      const expiresAt = clock.now() + ttlSeconds;
      const owner = artifactOwner(kind, value);
      const multi = client.multi();
      multi.del(key);
      multi.hSet(key, { v: JSON.stringify(value), e: expiresAt, c: 0, ...(owner === undefined ? {} : { o: owner }) });
      multi.expire(key, ttlOf(ttlSeconds));
      for (const index of indexesOf(kind, value)) multi.zAdd(index, { score: expiresAt, value: id });
      await multi.exec();
    },
    async add(kind, id, value, ttlSeconds) {
      const expiresAt = clock.now() + ttlSeconds;
      const stored = await client.eval(ADD, {
        keys: [artifactKey(kind, id)],
        arguments: [now(), JSON.stringify(value), String(expiresAt), String(ttlOf(ttlSeconds))],
      });
      if (Number(stored) === 1) for (const index of indexesOf(kind, value)) await client.zAdd(index, { score: expiresAt, value: id });
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
      if (!isListableArtifact(kind)) {
        await client.del(artifactKey(kind, id));
        return;
      }
      await client.eval(DELETE, { keys: [artifactKey(kind, id), indexKey(kind), ownerIndexPrefix(kind)], arguments: [id] });
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
    async list(kind, { after, limit, owner }) {
      const index = owner === undefined ? indexKey(kind) : `${ownerIndexPrefix(kind)}${owner}`;
      const current = clock.now();
      await client.zRemRangeByScore(index, '-inf', current);
      // Members with equal scores come in member order, so (expiry, id) is the order of the set.
      const [afterExpiry, afterId] = after === undefined ? [current, undefined] : decodeKeyCursor(after, ['number', 'string'] as const);
      const past = (score: number, id: string) => (afterId === undefined ? score > afterExpiry : score > afterExpiry || (score === afterExpiry && id > afterId));
      const chunk = limit + 1 + 32;
      const entries: { value: string; score: number }[] = [];
      for (let offset = 0; entries.length <= limit; offset += chunk) {
        const batch = await client.zRangeWithScores(index, afterExpiry, '+inf', { BY: 'SCORE', LIMIT: { offset, count: chunk } });
        entries.push(...batch.filter((entry) => past(entry.score, entry.value)));
        if (batch.length < chunk) break;
      }
      const items: ListedArtifact<typeof kind>[] = [];
      for (const entry of entries) {
        if (items.length > limit) break;
        const [value, expiresAt, consumed] = await client.hmGet(artifactKey(kind, entry.value), ['v', 'e', 'c']);
        if (value == null || expiresAt == null || Number(expiresAt) <= current) continue;
        items.push({ id: entry.value, value: JSON.parse(String(value)) as Artifacts[typeof kind], expires_at: Number(expiresAt), consumed: Number(consumed ?? 0) > 0 });
      }
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return items.length > limit && last ? { items: page, next: encodeKeyCursor([last.expires_at, last.id]) } : { items: page };
    },
    async count(kind) {
      await client.zRemRangeByScore(indexKey(kind), '-inf', clock.now());
      return client.zCard(indexKey(kind));
    },
  };
}
