/**
 * In-process storage for tests and for trying latchkey as a library. Everything lives in Maps
 * and is lost on exit. Values are copied on the way in and out, so callers never share state
 * with the store.
 */
import type { Clock } from '../../util/clock.js';
import {
  type AccountRecord,
  type ArtifactKind,
  type Artifacts,
  type ArtifactStore,
  type ClientRecord,
  type ResourceServerRecord,
  type ConsentRecord,
  type KeyRecord,
  type ListOptions,
  type Page,
  type Storage,
  StorageConflict,
  type TokenRecord,
} from '../types.js';

interface Tables {
  clients: Map<string, ClientRecord>;
  resourceServers: Map<string, ResourceServerRecord>;
  accounts: Map<string, AccountRecord>;
  consents: Map<string, ConsentRecord>;
  tokens: Map<string, TokenRecord>;
  revokedGrants: Map<string, number>;
  keys: Map<string, KeyRecord>;
  artifacts: Map<string, { value: unknown; expiresAt: number; consumed: number }>;
  counters: Map<string, { count: number; expiresAt: number }>;
}

const copy = <T>(value: T): T => structuredClone(value);

function emptyTables(): Tables {
  return {
    clients: new Map(),
    resourceServers: new Map(),
    accounts: new Map(),
    consents: new Map(),
    tokens: new Map(),
    revokedGrants: new Map(),
    keys: new Map(),
    artifacts: new Map(),
    counters: new Map(),
  };
}

function cloneTables(tables: Tables): Tables {
  return structuredClone(tables);
}

function pageOf<T>(items: Map<string, T>, options: ListOptions): Page<T> {
  const keys = [...items.keys()].sort();
  const after = options.after === undefined ? undefined : Buffer.from(options.after, 'base64url').toString('utf8');
  const remaining = after === undefined ? keys : keys.filter((key) => key > after);
  const slice = remaining.slice(0, options.limit);
  const page: Page<T> = { items: slice.map((key) => copy(items.get(key)!)) };
  if (remaining.length > options.limit) page.next = Buffer.from(slice[slice.length - 1]!, 'utf8').toString('base64url');
  return page;
}

/**
 * Creates an empty in-memory storage. `transaction(fn)` works on a copy of the tables and swaps
 * it in only when `fn` succeeds, so a failed transaction changes nothing; transactions are
 * serialized.
 */
export function createMemoryStorage(options: { clock: Clock }): Storage {
  const { clock } = options;
  const state = { tables: emptyTables() };
  let queue: Promise<unknown> = Promise.resolve();
  return assemble(() => state.tables, clock, {
    transaction<T>(fn: (storage: Storage) => Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        const draft = cloneTables(state.tables);
        const result = await fn(assemble(() => draft, clock, inline(draft, clock)));
        state.tables = draft;
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  });
}

/** Inside a transaction, a nested transaction runs on the same draft. */
function inline(draft: Tables, clock: Clock): Pick<Storage, 'transaction'> {
  return { transaction: (fn) => fn(assemble(() => draft, clock, inline(draft, clock))) };
}

function assemble(tables: () => Tables, clock: Clock, extra: Pick<Storage, 'transaction'>): Storage {
  const usernameKey = (username: string) => username.toLowerCase();
  const artifactKey = (kind: ArtifactKind, id: string) => `${kind}\u0000${id}`;

  const artifacts: ArtifactStore = {
    async put(kind, id, value, ttlSeconds) {
      tables().artifacts.set(artifactKey(kind, id), { value: copy(value), expiresAt: clock.now() + ttlSeconds, consumed: 0 });
    },
    async add(kind, id, value, ttlSeconds) {
      const existing = tables().artifacts.get(artifactKey(kind, id));
      if (existing && existing.expiresAt > clock.now()) return false;
      tables().artifacts.set(artifactKey(kind, id), { value: copy(value), expiresAt: clock.now() + ttlSeconds, consumed: 0 });
      return true;
    },
    async find(kind, id) {
      const row = tables().artifacts.get(artifactKey(kind, id));
      if (!row || row.expiresAt <= clock.now()) return undefined;
      return copy(row.value) as Artifacts[typeof kind];
    },
    async consume(kind, id) {
      const row = tables().artifacts.get(artifactKey(kind, id));
      if (!row || row.expiresAt <= clock.now()) return undefined;
      row.consumed += 1; // synchronous: no other caller can interleave between read and write
      return { value: copy(row.value) as Artifacts[typeof kind], replayed: row.consumed > 1 };
    },
    async delete(kind, id) {
      tables().artifacts.delete(artifactKey(kind, id));
    },
    async increment(counter, windowSeconds) {
      const now = clock.now();
      const row = tables().counters.get(counter);
      if (!row || row.expiresAt <= now) {
        tables().counters.set(counter, { count: 1, expiresAt: now + windowSeconds });
        return 1;
      }
      row.count += 1;
      return row.count;
    },
    async readCounter(counter) {
      const row = tables().counters.get(counter);
      return row && row.expiresAt > clock.now() ? row.count : 0;
    },
    async resetCounter(counter) {
      tables().counters.delete(counter);
    },
  };

  return {
    clients: {
      async find(client_id) {
        const client = tables().clients.get(client_id);
        return client && copy(client);
      },
      async create(client) {
        if (tables().clients.has(client.client_id)) throw new StorageConflict(`client ${client.client_id} exists`);
        tables().clients.set(client.client_id, copy(client));
      },
      async update(client) {
        if (!tables().clients.has(client.client_id)) return false;
        tables().clients.set(client.client_id, copy(client));
        return true;
      },
      async delete(client_id) {
        for (const [key, consent] of tables().consents) if (consent.client_id === client_id) tables().consents.delete(key);
        return tables().clients.delete(client_id);
      },
      async list(options) {
        return pageOf(tables().clients, options);
      },
    },
    resourceServers: {
      async find(resource) {
        const server = tables().resourceServers.get(resource);
        return server && copy(server);
      },
      async findByClientId(client_id) {
        return [...tables().resourceServers.values()].filter((server) => server.client_id === client_id).map(copy);
      },
      async create(server) {
        if (tables().resourceServers.has(server.resource)) throw new StorageConflict(`resource server ${server.resource} exists`);
        tables().resourceServers.set(server.resource, copy(server));
      },
      async update(server) {
        if (!tables().resourceServers.has(server.resource)) return false;
        tables().resourceServers.set(server.resource, copy(server));
        return true;
      },
      async delete(resource) {
        return tables().resourceServers.delete(resource);
      },
      async list(options) {
        return pageOf(tables().resourceServers, options);
      },
    },
    accounts: {
      async findBySub(sub) {
        const account = tables().accounts.get(sub);
        return account && copy(account);
      },
      async findByUsername(username) {
        const wanted = usernameKey(username);
        for (const account of tables().accounts.values()) if (usernameKey(account.username) === wanted) return copy(account);
        return undefined;
      },
      async create(account) {
        const taken = [...tables().accounts.values()].some((a) => usernameKey(a.username) === usernameKey(account.username));
        if (tables().accounts.has(account.sub) || taken) throw new StorageConflict(`account ${account.username} exists`);
        tables().accounts.set(account.sub, copy(account));
      },
      async update(account) {
        if (!tables().accounts.has(account.sub)) return false;
        const taken = [...tables().accounts.values()].some((a) => a.sub !== account.sub && usernameKey(a.username) === usernameKey(account.username));
        if (taken) throw new StorageConflict(`username ${account.username} exists`);
        tables().accounts.set(account.sub, copy(account));
        return true;
      },
      async list(options) {
        return pageOf(tables().accounts, options);
      },
    },
    consents: {
      async find(sub, client_id) {
        const consent = tables().consents.get(`${sub}\u0000${client_id}`);
        return consent && copy(consent);
      },
      async put(consent) {
        tables().consents.set(`${consent.sub}\u0000${consent.client_id}`, copy(consent));
      },
      async delete(sub, client_id) {
        tables().consents.delete(`${sub}\u0000${client_id}`);
      },
    },
    tokens: {
      async insert(token) {
        tables().tokens.set(token.token_digest, copy(token));
      },
      async find(token_digest) {
        const token = tables().tokens.get(token_digest);
        if (!token) return undefined;
        const grantRevokedAt = tables().revokedGrants.get(token.grant_id);
        const revoked_at = token.revoked_at ?? grantRevokedAt;
        return revoked_at === undefined ? copy(token) : { ...copy(token), revoked_at };
      },
      async revoke(token_digest, at) {
        const token = tables().tokens.get(token_digest);
        if (token && token.revoked_at === undefined) token.revoked_at = at;
      },
      async revokeGrant(grant_id, at) {
        if (!tables().revokedGrants.has(grant_id)) tables().revokedGrants.set(grant_id, at);
        for (const token of tables().tokens.values()) {
          if (token.grant_id === grant_id && token.revoked_at === undefined) token.revoked_at = at;
        }
      },
      async markRotated(token_digest, at) {
        const token = tables().tokens.get(token_digest);
        if (!token || token.rotated_at !== undefined) return false;
        token.rotated_at = at;
        return true;
      },
      async revokeSession(sid, at) {
        for (const token of tables().tokens.values()) {
          if (token.sid === sid && token.revoked_at === undefined && !token.scope.split(' ').includes('offline_access')) token.revoked_at = at;
        }
      },
      async clientsOfSession(sid) {
        return [...new Set([...tables().tokens.values()].filter((token) => token.sid === sid).map((token) => token.client_id))].sort();
      },
      async setExpiry(token_digest, expires_at) {
        const token = tables().tokens.get(token_digest);
        if (token) token.expires_at = expires_at;
      },
    },
    keys: {
      async list() {
        return [...tables().keys.values()].map(copy);
      },
      async insert(key) {
        if (tables().keys.has(key.kid)) throw new StorageConflict(`key ${key.kid} exists`);
        tables().keys.set(key.kid, copy(key));
      },
      async setState(kid, state, at) {
        const key = tables().keys.get(kid);
        if (key) {
          key.state = state;
          key.updated_at = at;
        }
      },
    },
    artifacts,
    transaction: extra.transaction,
    async sweepExpired(before) {
      for (const [key, row] of tables().artifacts) if (row.expiresAt <= before) tables().artifacts.delete(key);
      for (const [key, row] of tables().counters) if (row.expiresAt <= before) tables().counters.delete(key);
      for (const [key, token] of tables().tokens) if (token.expires_at < before) tables().tokens.delete(key);
    },
    async ping() {},
    async close() {},
  };
}
