/**
 * Clients and resource servers cached in process: nearly every request reads its client (client
 * authentication), and every token for an API reads the resource server, while an administrator
 * changes them rarely. A change must still bite at once, so the cache is built only over a backend
 * that tells of changes (`Storage.watchRegistrations`):
 *
 * - a write through this storage — the engine, the admin API, the CLI in process, in a
 *   transaction or not — drops the entry before the write returns (and again at commit);
 * - a write by another process or instance drops it when the backend hears of it (PostgreSQL:
 *   LISTEN/NOTIFY, within milliseconds), and in any case an entry is used for at most
 *   `maxAgeMs` (one second) after it was read, the safety net on SQLite where processes share a
 *   file and no notification exists — the same bound as the signing keys' (keys/keyring.ts);
 * - a read that began before a change is not kept (it may have seen the old row);
 * - unknown ids are never cached: a client created anywhere is usable by the next request.
 *
 * Cached records are frozen, so that no request can change what the next one sees.
 */
import type { ClientRecord, ClientStore, RegistrationChange, ResourceServerRecord, ResourceServerStore, Storage } from '../storage/types.js';

/** How long a cached client or resource server is used before it is read again, in ms. */
export const REGISTRATION_CACHE_MAX_AGE_MS = 1000;

/** Most entries per cache: past this, the cache starts over (a bound, never reached in practice). */
const MAX_ENTRIES = 10_000;

/** A storage whose clients and resource servers are read through the cache, and how to stop it. */
export interface CachedRegistrations {
  storage: Storage;
  /** Stops listening for changes. */
  stop(): Promise<void>;
}

interface Entry<T> {
  value: T;
  /** When the read that produced it began (performance.now()). */
  readAt: number;
}

/** One cache of records by id, dropped by `forget(id)` or `forgetAll()`. */
function createRecordCache<T extends object>(load: (id: string) => Promise<T | undefined>, maxAgeMs: number) {
  const entries = new Map<string, Entry<T>>();
  /** Bumped by every change: a read begun before it must not be kept. */
  let generation = 0;
  return {
    async find(id: string): Promise<T | undefined> {
      const entry = entries.get(id);
      const now = performance.now();
      if (entry !== undefined && now - entry.readAt < maxAgeMs) return entry.value;
      const started = generation;
      const value = await load(id);
      if (value === undefined) {
        if (started === generation) entries.delete(id);
        return undefined;
      }
      const frozen = deepFreeze(value);
      if (started === generation) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(id, { value: frozen, readAt: now });
      }
      return frozen;
    },
    forget(id: string): void {
      generation += 1;
      entries.delete(id);
    },
    forgetAll(): void {
      generation += 1;
      entries.clear();
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * Caches `storage`'s clients and resource servers (their `find`); every other read and every
 * write goes to `storage` unchanged. Over a backend without `watchRegistrations`, returns it as
 * it is: nothing is cached that could not be invalidated.
 */
export async function cacheRegistrations(storage: Storage, options: { maxAgeMs?: number } = {}): Promise<CachedRegistrations> {
  if (storage.watchRegistrations === undefined) return { storage, stop: async () => {} };
  const maxAgeMs = options.maxAgeMs ?? REGISTRATION_CACHE_MAX_AGE_MS;
  const clients = createRecordCache<ClientRecord>((id) => storage.clients.find(id), maxAgeMs);
  const resourceServers = createRecordCache<ResourceServerRecord>((id) => storage.resourceServers.find(id), maxAgeMs);
  const stop = await storage.watchRegistrations((change: RegistrationChange) => {
    if (change.kind === 'client') clients.forget(change.id);
    else if (change.kind === 'resource_server') resourceServers.forget(change.id);
    else {
      clients.forgetAll();
      resourceServers.forgetAll();
    }
  });
  const source = { clients: storage.clients, resourceServers: storage.resourceServers };
  const cachedClients: ClientStore = {
    find: clients.find,
    create: (client) => source.clients.create(client),
    update: (client) => source.clients.update(client),
    delete: (client_id) => source.clients.delete(client_id),
    list: (page) => source.clients.list(page),
  };
  const cachedResourceServers: ResourceServerStore = {
    find: resourceServers.find,
    findByClientId: (client_id) => source.resourceServers.findByClientId(client_id),
    create: (server) => source.resourceServers.create(server),
    update: (server) => source.resourceServers.update(server),
    delete: (resource) => source.resourceServers.delete(resource),
    list: (page) => source.resourceServers.list(page),
  };
  return { storage: { ...storage, clients: cachedClients, resourceServers: cachedResourceServers }, stop };
}
