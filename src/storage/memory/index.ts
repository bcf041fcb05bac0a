/**
 * In-process storage for tests and for trying latchkey as a library. Everything lives in Maps
 * and is lost on exit. Values are copied on the way in and out, so callers never share state
 * with the store.
 */
import type { Clock } from '../../util/clock.js';
import { decodeKeyCursor, encodeKeyCursor } from '../cursor.js';
import {
  artifactOwner,
  emailKey,
  METRIC_RETENTION_SECONDS,
  REVOKED_GRANT_RETENTION_SECONDS,
  type MetricSample,
  type MetricStore,
  type AccountRecord,
  type AuditEvent,
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
  type GrantRecord,
  type TokenRecord,
  type UpstreamIdentityRecord,
  type UpstreamProviderRecord,
} from '../types.js';

interface Tables {
  clients: Map<string, ClientRecord>;
  resourceServers: Map<string, ResourceServerRecord>;
  accounts: Map<string, AccountRecord>;
  upstreams: Map<string, UpstreamProviderRecord>;
  /** By upstream id and subject. */
  upstreamIdentities: Map<string, UpstreamIdentityRecord>;
  consents: Map<string, ConsentRecord>;
  tokens: Map<string, TokenRecord>;
  grants: Map<string, GrantRecord>;
  revokedGrants: Map<string, number>;
  keys: Map<string, KeyRecord>;
  artifacts: Map<string, { value: unknown; expiresAt: number; consumed: number }>;
  counters: Map<string, { count: number; expiresAt: number }>;
  audit: (AuditEvent & { id: string })[];
  /** Per-minute buckets by series and minute. */
  metrics: Map<string, MetricSample>;
}

const copy = <T>(value: T): T => structuredClone(value);

function emptyTables(): Tables {
  return {
    clients: new Map(),
    resourceServers: new Map(),
    accounts: new Map(),
    upstreams: new Map(),
    upstreamIdentities: new Map(),
    consents: new Map(),
    tokens: new Map(),
    grants: new Map(),
    revokedGrants: new Map(),
    keys: new Map(),
    artifacts: new Map(),
    counters: new Map(),
    audit: [],
    metrics: new Map(),
  };
}

/** Revokes every token of the grant, and any inserted later for it (`TokenStore.revokeGrant`). */
function revokeGrantIn(tables: Tables, grant_id: string, at: number): void {
  if (!tables.revokedGrants.has(grant_id)) tables.revokedGrants.set(grant_id, at);
  for (const token of tables.tokens.values()) {
    if (token.grant_id === grant_id && token.revoked_at === undefined) token.revoked_at = at;
  }
}

function cloneTables(tables: Tables): Tables {
  return structuredClone(tables);
}

/** What a client search looks in: its client_id and its metadata, as the SQL backends store it. */
function clientSearchText(client: ClientRecord): string {
  const { client_id, client_secret_digest: _d, client_secret_encrypted: _e, registration_access_token_digest: _r, client_secret_expires_at: _x, client_id_issued_at: _i, updated_at: _u, disabled: _o, ...metadata } = client;
  return `${client_id} ${JSON.stringify(metadata)}`.toLowerCase();
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
 * A page of `items` in the order of their composite `key`, after the `after` cursor.
 * @throws InvalidCursor
 */
function pageByKey<T, K extends readonly ('string' | 'number')[]>(items: T[], keyOf: (item: T) => (string | number)[], types: K, options: ListOptions): Page<T> {
  const compare = (a: (string | number)[], b: (string | number)[]) => {
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return 0;
  };
  const after = options.after === undefined ? undefined : (decodeKeyCursor(options.after, types) as unknown as (string | number)[]);
  const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => compare(a.key, b.key));
  const remaining = after === undefined ? sorted : sorted.filter((entry) => compare(entry.key, after) > 0);
  const slice = remaining.slice(0, options.limit);
  const page: Page<T> = { items: slice.map((entry) => copy(entry.item)) };
  if (remaining.length > options.limit) page.next = encodeKeyCursor(slice[slice.length - 1]!.key);
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
    async list(kind, options) {
      const now = clock.now();
      const prefix = artifactKey(kind, '');
      const listed = [...tables().artifacts]
        .filter(([key, row]) => key.startsWith(prefix) && row.expiresAt > now)
        .filter(([, row]) => options.owner === undefined || artifactOwner(kind, row.value) === options.owner)
        .map(([key, row]) => ({ id: key.slice(prefix.length), value: row.value as Artifacts[typeof kind], expires_at: row.expiresAt, consumed: row.consumed > 0 }));
      return pageByKey(listed, (item) => [item.expires_at, item.id], ['number', 'string'] as const, options);
    },
    async count(kind) {
      const now = clock.now();
      const prefix = artifactKey(kind, '');
      return [...tables().artifacts].filter(([key, row]) => key.startsWith(prefix) && row.expiresAt > now).length;
    },
  };

  const metrics: MetricStore = {
    async add(samples) {
      for (const { series, minute, count } of samples) {
        const key = `${series}\u0000${minute}`;
        const bucket = tables().metrics.get(key);
        if (bucket) bucket.count += count;
        else tables().metrics.set(key, { series, minute, count });
      }
    },
    async read(since) {
      return [...tables().metrics.values()]
        .filter((bucket) => bucket.minute >= since)
        .sort((a, b) => a.minute - b.minute || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0))
        .map(copy);
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
        const needle = options.search?.toLowerCase();
        const matching = [...tables().clients.values()].filter((client) => needle === undefined || clientSearchText(client).includes(needle));
        return pageByKey(matching, (client) => [client.client_id], ['string'] as const, options);
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
      async findByEmail(email, limit) {
        const wanted = emailKey(email);
        const found = [...tables().accounts.values()].filter((account) => account.email !== undefined && emailKey(account.email) === wanted);
        return found.sort((a, b) => (usernameKey(a.username) < usernameKey(b.username) ? -1 : 1)).slice(0, limit).map(copy);
      },
      async create(account) {
        const taken = [...tables().accounts.values()].some((a) => usernameKey(a.username) === usernameKey(account.username));
        if (tables().accounts.has(account.sub) || taken) throw new StorageConflict(`account ${account.username} exists`);
        tables().accounts.set(account.sub, storedAccount(account));
      },
      async update(account) {
        if (!tables().accounts.has(account.sub)) return false;
        const taken = [...tables().accounts.values()].some((a) => a.sub !== account.sub && usernameKey(a.username) === usernameKey(account.username));
        if (taken) throw new StorageConflict(`username ${account.username} exists`);
        tables().accounts.set(account.sub, storedAccount(account));
        if (account.disabled) {
          for (const grant of tables().grants.values()) if (grant.sub === account.sub) revokeGrantIn(tables(), grant.grant_id, clock.now());
        }
        return true;
      },
      async delete(sub) {
        if (!tables().accounts.delete(sub)) return false;
        for (const grant of tables().grants.values()) if (grant.sub === sub) revokeGrantIn(tables(), grant.grant_id, clock.now());
        for (const [key, consent] of tables().consents) if (consent.sub === sub) tables().consents.delete(key);
        for (const [key, identity] of tables().upstreamIdentities) if (identity.sub === sub) tables().upstreamIdentities.delete(key);
        return true;
      },
      async replacePasswordHash(sub, current, next) {
        const account = tables().accounts.get(sub);
        if (account?.password_hash !== current) return false;
        tables().accounts.set(sub, { ...account, password_hash: next });
        return true;
      },
      async list(options) {
        const needle = options.search?.toLowerCase();
        const matching = [...tables().accounts.values()].filter(
          (account) =>
            (needle === undefined || [account.username, account.email, account.name].some((text) => text?.toLowerCase().includes(needle))) &&
            (options.role === undefined || account.roles.includes(options.role)) &&
            (options.group === undefined || (account.groups ?? []).includes(options.group)),
        );
        return pageByKey(matching, (account) => [usernameKey(account.username)], ['string'] as const, options);
      },
      async groups() {
        const members = new Map<string, number>();
        for (const account of tables().accounts.values()) for (const name of account.groups ?? []) members.set(name, (members.get(name) ?? 0) + 1);
        return [...members].map(([name, count]) => ({ name, members: count })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      },
      async findUpstreamIdentity(upstream_id, subject) {
        const identity = tables().upstreamIdentities.get(`${upstream_id}\u0000${subject}`);
        return identity && copy(identity);
      },
      async upstreamIdentities(sub) {
        return [...tables().upstreamIdentities.values()].filter((identity) => identity.sub === sub).sort((a, b) => (a.upstream_id < b.upstream_id ? -1 : 1)).map(copy);
      },
      async connectUpstreamIdentity(identity, account) {
        const key = `${identity.upstream_id}\u0000${identity.subject}`;
        const taken = [...tables().upstreamIdentities.values()].some((other) => other.sub === identity.sub && other.upstream_id === identity.upstream_id);
        if (tables().upstreamIdentities.has(key) || taken) throw new StorageConflict(`upstream identity ${identity.upstream_id} ${identity.subject} exists`);
        if (account !== undefined) await this.create(account);
        tables().upstreamIdentities.set(key, copy(identity));
      },
      async touchUpstreamIdentity(upstream_id, subject, at) {
        const identity = tables().upstreamIdentities.get(`${upstream_id}\u0000${subject}`);
        if (identity) identity.last_used_at = at;
      },
      async disconnectUpstreamIdentity(sub, upstream_id) {
        for (const [key, identity] of tables().upstreamIdentities) {
          if (identity.sub === sub && identity.upstream_id === upstream_id) return tables().upstreamIdentities.delete(key);
        }
        return false;
      },
    },
    upstreams: {
      async find(id) {
        const upstream = tables().upstreams.get(id);
        return upstream && copy(upstream);
      },
      async list() {
        return [...tables().upstreams.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(copy);
      },
      async create(upstream) {
        if (tables().upstreams.has(upstream.id)) throw new StorageConflict(`upstream provider ${upstream.id} exists`);
        tables().upstreams.set(upstream.id, copy(upstream));
      },
      async update(upstream) {
        if (!tables().upstreams.has(upstream.id)) return false;
        tables().upstreams.set(upstream.id, copy(upstream));
        return true;
      },
      async delete(id) {
        for (const [key, identity] of tables().upstreamIdentities) if (identity.upstream_id === id) tables().upstreamIdentities.delete(key);
        return tables().upstreams.delete(id);
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
      async list(filter, options) {
        const matching = [...tables().consents.values()].filter(
          (consent) => (filter.sub === undefined || consent.sub === filter.sub) && (filter.client_id === undefined || consent.client_id === filter.client_id),
        );
        return pageByKey(matching, (consent) => [consent.sub, consent.client_id], ['string', 'string'] as const, options);
      },
    },
    tokens: {
      async insert(token) {
        if (tables().tokens.has(token.token_digest)) throw new StorageConflict('token already exists');
        tables().tokens.set(token.token_digest, copy(token));
      },
      async insertGrant(grant) {
        if (tables().grants.has(grant.grant_id)) throw new StorageConflict(`grant ${grant.grant_id} exists`);
        tables().grants.set(grant.grant_id, copy(grant));
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
        revokeGrantIn(tables(), grant_id, at);
      },
      async insertUnlessGrantRevoked(tokens) {
        const { revokedGrants, accounts } = tables();
        if (tokens.some((token) => revokedGrants.has(token.grant_id) || (token.sub !== undefined && accounts.get(token.sub)?.disabled === true))) return false;
        // As a database's unique key would: a token under a taken key fails them all.
        if (tokens.some((token) => tables().tokens.has(token.token_digest))) throw new StorageConflict('token already exists');
        for (const token of tokens) tables().tokens.set(token.token_digest, copy(token));
        return true;
      },
      async rotate(token_digest, at, successors) {
        const { tokens } = tables();
        const token = tokens.get(token_digest);
        if (!token || token.rotated_at !== undefined) return false;
        // As a database's unique key would: a successor under a taken key fails the whole rotation.
        if (successors.some((successor) => tokens.has(successor.token_digest))) throw new StorageConflict('token already exists');
        token.rotated_at = at;
        for (const successor of successors) tokens.set(successor.token_digest, copy(successor));
        return true;
      },
      async revokeSession(sid, at) {
        for (const grant of tables().grants.values()) if (grant.sid === sid && !grant.offline) await this.revokeGrant(grant.grant_id, at);
      },
      async clientsOfSession(sid) {
        return [...new Set([...tables().grants.values()].filter((grant) => grant.sid === sid).map((grant) => grant.client_id))].sort();
      },
      async setExpiry(token_digest, expires_at) {
        const token = tables().tokens.get(token_digest);
        if (token) token.expires_at = expires_at;
      },
      async revokeGrantsOf(sub, client_id, at) {
        const grants = [...tables().grants.values()].filter((grant) => grant.sub === sub && grant.client_id === client_id);
        for (const grant of grants) await this.revokeGrant(grant.grant_id, at);
        return grants.length;
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
    metrics,
    audit: {
      async append(events) {
        const log = tables().audit;
        for (const event of events) log.push({ ...copy(event), id: String(log.length + 1) });
      },
      async list(filter, options) {
        const matching = tables().audit.filter(
          (event) =>
            (filter.type === undefined || event.type === filter.type) &&
            (filter.actor === undefined || event.actor === filter.actor) &&
            (filter.client_id === undefined || event.client_id === filter.client_id) &&
            (filter.sub === undefined || event.sub === filter.sub) &&
            (filter.since === undefined || event.at >= filter.since) &&
            (filter.until === undefined || event.at < filter.until),
        );
        // Newest first: page by the negated sequence number.
        return pageByKey(matching, (event) => [-Number(event.id)], ['number'] as const, options);
      },
    },
    transaction: extra.transaction,
    async sweepExpired(before) {
      for (const [key, row] of tables().artifacts) if (row.expiresAt <= before) tables().artifacts.delete(key);
      for (const [key, row] of tables().counters) if (row.expiresAt <= before) tables().counters.delete(key);
      for (const [key, token] of tables().tokens) if (token.expires_at < before) tables().tokens.delete(key);
      for (const [grant_id, grant] of tables().grants) if (grant.expires_at < before) tables().grants.delete(grant_id);
      for (const [grant_id, at] of tables().revokedGrants) if (at < before - REVOKED_GRANT_RETENTION_SECONDS) tables().revokedGrants.delete(grant_id);
      for (const [key, bucket] of tables().metrics) if (bucket.minute < before - METRIC_RETENTION_SECONDS) tables().metrics.delete(key);
    },
    async ping() {},
    async close() {},
  };
}

/** An account as the SQL stores keep it: no `groups` when it belongs to none. */
function storedAccount(account: AccountRecord): AccountRecord {
  const { groups, ...rest } = copy(account);
  return groups === undefined || groups.length === 0 ? rest : { ...rest, groups };
}
