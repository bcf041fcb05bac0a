/**
 * The one SQL query layer behind every SQL backend: each store of `storage/types.ts` as Kysely
 * queries. A backend (sqlite/, later postgres/) brings the Kysely instance and its
 * `SqlDialectCapabilities`; nothing here asks which dialect it is.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { sql } from './kysely.js';
import type { Clock } from '../../util/clock.js';
import {
  artifactOwner,
  emailKey,
  type AccountStore,
  type ArtifactStore,
  type Artifacts,
  type AuditStore,
  type ListedArtifact,
  type ClientStore,
  type ConsentStore,
  type KeyStore,
  METRIC_RETENTION_SECONDS,
  REVOKED_GRANT_RETENTION_SECONDS,
  type MetricSample,
  type MetricStore,
  type ResourceServerStore,
  type Page,
  type RegistrationChange,
  type Storage,
  StorageConflict,
  type TokenStore,
  type UpstreamProviderStore,
} from '../types.js';
import {
  accountToRow,
  auditEventToRow,
  clientToRow,
  grantToRow,
  keyToRow,
  resourceServerToRow,
  rowToAccount,
  rowToAuditEvent,
  rowToClient,
  rowToKey,
  rowToResourceServer,
  rowToToken,
  tokenToRow,
  rowToUpstream,
  rowToUpstreamIdentity,
  upstreamIdentityToRow,
  upstreamToRow,
} from './rows.js';
import { decodeCursor, decodeKeyCursor, encodeCursor, encodeKeyCursor } from '../cursor.js';
import { prepareQuery, runGuardedQueries, slotsFor } from './prepared-query.js';
import type { Database, SqlDialectCapabilities } from './schema.js';

/** Builds a page from `limit + 1` rows fetched in key order. */
function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const page: Page<T> = { items: items.map(map) };
  if (rows.length > limit) page.next = encodeCursor(keyOf(items[items.length - 1]!));
  return page;
}

/**
 * `column` contains `text`, without regard to case, on every dialect: `lower() LIKE lower()`
 * with the wildcards of `text` escaped (a search for `50%` finds only that).
 */
function containsText(column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

async function insertUnique(capabilities: SqlDialectCapabilities, what: string, insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if (capabilities.isUniqueViolation(error)) throw new StorageConflict(`${what} already exists`, { cause: error });
    throw error;
  }
}

function createClientStore(db: Kysely<Database>, capabilities: SqlDialectCapabilities, announce: Announce): ClientStore {
  return {
    async find(client_id) {
      const row = await db.selectFrom('clients').selectAll().where('client_id', '=', client_id).executeTakeFirst();
      return row && rowToClient(row);
    },
    async create(client) {
      await insertUnique(capabilities, `client ${client.client_id}`, () => db.insertInto('clients').values(clientToRow(client)).execute());
      await announce({ kind: 'client', id: client.client_id });
    },
    async update(client) {
      const { client_id, ...fields } = clientToRow(client);
      const result = await db.updateTable('clients').set(fields).where('client_id', '=', client_id).executeTakeFirst();
      await announce({ kind: 'client', id: client_id });
      return result.numUpdatedRows > 0n;
    },
    async delete(client_id) {
      const result = await db.deleteFrom('clients').where('client_id', '=', client_id).executeTakeFirst();
      await announce({ kind: 'client', id: client_id });
      return result.numDeletedRows > 0n;
    },
    async list({ after, limit, search }) {
      let query = db.selectFrom('clients').selectAll().orderBy('client_id').limit(limit + 1);
      if (after !== undefined) query = query.where('client_id', '>', decodeCursor(after));
      if (search !== undefined) query = query.where((eb) => eb.or([containsText('client_id', search), containsText('metadata', search)]));
      return toPage(await query.execute(), limit, (row) => row.client_id, rowToClient);
    },
  };
}

function createResourceServerStore(db: Kysely<Database>, capabilities: SqlDialectCapabilities, announce: Announce): ResourceServerStore {
  return {
    async find(resource) {
      const row = await db.selectFrom('resource_servers').selectAll().where('resource', '=', resource).executeTakeFirst();
      return row && rowToResourceServer(row);
    },
    async findByClientId(client_id) {
      return (await db.selectFrom('resource_servers').selectAll().where('client_id', '=', client_id).orderBy('resource').execute()).map(rowToResourceServer);
    },
    async create(server) {
      await insertUnique(capabilities, `resource server ${server.resource}`, () => db.insertInto('resource_servers').values(resourceServerToRow(server)).execute());
      await announce({ kind: 'resource_server', id: server.resource });
    },
    async update(server) {
      const { resource, ...fields } = resourceServerToRow(server);
      const result = await db.updateTable('resource_servers').set(fields).where('resource', '=', resource).executeTakeFirst();
      await announce({ kind: 'resource_server', id: resource });
      return result.numUpdatedRows > 0n;
    },
    async delete(resource) {
      const result = await db.deleteFrom('resource_servers').where('resource', '=', resource).executeTakeFirst();
      await announce({ kind: 'resource_server', id: resource });
      return result.numDeletedRows > 0n;
    },
    async list({ after, limit }) {
      let query = db.selectFrom('resource_servers').selectAll().orderBy('resource').limit(limit + 1);
      if (after !== undefined) query = query.where('resource', '>', decodeCursor(after));
      return toPage(await query.execute(), limit, (row) => row.resource, rowToResourceServer);
    },
  };
}

function createUpstreamStore(db: Kysely<Database>, capabilities: SqlDialectCapabilities, transaction: RunInTransaction): UpstreamProviderStore {
  return {
    async find(id) {
      const row = await db.selectFrom('upstream_providers').selectAll().where('id', '=', id).executeTakeFirst();
      return row && rowToUpstream(row);
    },
    async list() {
      return (await db.selectFrom('upstream_providers').selectAll().orderBy('id').execute()).map(rowToUpstream);
    },
    async create(upstream) {
      await insertUnique(capabilities, `upstream provider ${upstream.id}`, () => db.insertInto('upstream_providers').values(upstreamToRow(upstream)).execute());
    },
    async update(upstream) {
      const { id, ...fields } = upstreamToRow(upstream);
      const result = await db.updateTable('upstream_providers').set(fields).where('id', '=', id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async delete(id) {
      return transaction(async (connection) => {
        const deleted = (await connection.deleteFrom('upstream_providers').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
        await connection.deleteFrom('upstream_identities').where('upstream_id', '=', id).execute();
        return deleted;
      });
    },
  };
}

/** Runs `fn` with a database whose statements commit together or not at all. */
type RunInTransaction = <T>(fn: (db: Kysely<Database>) => Promise<T>) => Promise<T>;

/**
 * `RunInTransaction` on one connection of `db`: BEGIN, `fn`, COMMIT — or ROLLBACK when `fn`
 * fails. The dialect's BEGIN serializes concurrent transactions, so that they wait for each
 * other instead of failing.
 */
function transactionsOn(db: Kysely<Database>, capabilities: SqlDialectCapabilities): RunInTransaction {
  return (fn) =>
    db.connection().execute(async (connection) => {
      for (const statement of capabilities.beginTransaction) await sql.raw(statement).execute(connection);
      try {
        const result = await fn(connection);
        await sql.raw('commit').execute(connection);
        return result;
      } catch (error) {
        await sql.raw('rollback').execute(connection);
        throw error;
      }
    });
}

/**
 * Revokes the grants that `pick` keeps of the `grants` table — every token of each, issued before
 * or after, reads as revoked through the token lookup's join with `revoked_grants` (migration
 * 0008). A grant revoked already keeps its first revocation.
 */
async function revokeGrantsWhere(db: Kysely<Database>, at: number, pick: (grants: SelectQueryBuilder<Database, 'grants', {}>) => SelectQueryBuilder<Database, 'grants', {}>): Promise<void> {
  await db
    .insertInto('revoked_grants')
    .columns(['grant_id', 'revoked_at'])
    .expression(pick(db.selectFrom('grants')).select(['grant_id', sql<number>`cast(${at} as bigint)`.as('revoked_at')]))
    .onConflict((conflict) => conflict.column('grant_id').doNothing())
    .execute();
}

function createAccountStore(db: Kysely<Database>, capabilities: SqlDialectCapabilities, clock: Clock, transaction: RunInTransaction): AccountStore {
  const findBySub = prepareQuery<{ sub: string }, Database['accounts']>(db, (slot) => db.selectFrom('accounts').selectAll().where('sub', '=', slot('sub')));
  const findByUsername = prepareQuery<{ username_normalized: string }, Database['accounts']>(db, (slot) =>
    db.selectFrom('accounts').selectAll().where('username_normalized', '=', slot('username_normalized')),
  );
  return {
    async findBySub(sub) {
      const row = (await findBySub({ sub })).rows[0];
      return row && rowToAccount(row);
    },
    async findByUsername(username) {
      const row = (await findByUsername({ username_normalized: username.toLowerCase() })).rows[0];
      return row && rowToAccount(row);
    },
    async findByEmail(email, limit) {
      const rows = await db.selectFrom('accounts').selectAll().where(capabilities.emailKey, '=', emailKey(email)).orderBy('username_normalized').limit(limit).execute();
      return rows.map(rowToAccount);
    },
    async create(account) {
      await insertUnique(capabilities, `account ${account.username}`, () => db.insertInto('accounts').values(accountToRow(account)).execute());
    },
    async update(account) {
      const { sub, ...fields } = accountToRow(account);
      const replace = async (on: Kysely<Database>) => {
        let updated = 0n;
        await insertUnique(capabilities, `username ${account.username}`, async () => {
          updated = (await on.updateTable('accounts').set(fields).where('sub', '=', sub).executeTakeFirst()).numUpdatedRows;
        });
        return updated > 0n;
      };
      if (!account.disabled) return replace(db);
      // Disabled: every grant of the account is revoked with it, offline ones too (AccountStore.update).
      return transaction(async (connection) => {
        const updated = await replace(connection);
        if (updated) await revokeGrantsWhere(connection, clock.now(), (grants) => grants.where('sub', '=', sub));
        return updated;
      });
    },
    async delete(sub) {
      return transaction(async (connection) => {
        const deleted = (await connection.deleteFrom('accounts').where('sub', '=', sub).executeTakeFirst()).numDeletedRows > 0n;
        if (!deleted) return false;
        await revokeGrantsWhere(connection, clock.now(), (grants) => grants.where('sub', '=', sub));
        await connection.deleteFrom('consents').where('sub', '=', sub).execute();
        await connection.deleteFrom('upstream_identities').where('sub', '=', sub).execute();
        return true;
      });
    },
    async replacePasswordHash(sub, current, next) {
      const result = await db.updateTable('accounts').set({ password_hash: next }).where('sub', '=', sub).where('password_hash', '=', current).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async list({ after, limit, search, role, group }) {
      let query = db.selectFrom('accounts').selectAll().orderBy('username_normalized').limit(limit + 1);
      // roles is a JSON array of names without quotes or backslashes: a quoted name matches exactly one.
      if (role !== undefined) query = query.where('roles', 'like', `%${JSON.stringify(role)}%`);
      if (group !== undefined) query = query.where(capabilities.jsonArrayHas('group_names', group));
      if (after !== undefined) query = query.where('username_normalized', '>', decodeCursor(after));
      if (search !== undefined) query = query.where((eb) => eb.or([containsText('username', search), containsText('email', search), containsText('name', search)]));
      return toPage(await query.execute(), limit, (row) => row.username_normalized, rowToAccount);
    },
    async groups() {
      const { rows } = await capabilities.groupMembers.execute(db);
      return rows.map(({ name, members }) => ({ name, members: Number(members) })).sort((a, b) => byCodePoint(a.name, b.name));
    },
    async findUpstreamIdentity(upstream_id, subject) {
      const row = await db.selectFrom('upstream_identities').selectAll().where('upstream_id', '=', upstream_id).where('subject', '=', subject).executeTakeFirst();
      return row && rowToUpstreamIdentity(row);
    },
    async upstreamIdentities(sub) {
      return (await db.selectFrom('upstream_identities').selectAll().where('sub', '=', sub).orderBy('upstream_id').execute()).map(rowToUpstreamIdentity);
    },
    async connectUpstreamIdentity(identity, account) {
      const what = `upstream identity ${identity.upstream_id} ${identity.subject}`;
      if (account === undefined) return insertUnique(capabilities, what, () => db.insertInto('upstream_identities').values(upstreamIdentityToRow(identity)).execute());
      await transaction(async (connection) => {
        await insertUnique(capabilities, `account ${account.username}`, () => connection.insertInto('accounts').values(accountToRow(account)).execute());
        await insertUnique(capabilities, what, () => connection.insertInto('upstream_identities').values(upstreamIdentityToRow(identity)).execute());
      });
    },
    async touchUpstreamIdentity(upstream_id, subject, at) {
      await db.updateTable('upstream_identities').set({ last_used_at: at }).where('upstream_id', '=', upstream_id).where('subject', '=', subject).execute();
    },
    async disconnectUpstreamIdentity(sub, upstream_id) {
      const result = await db.deleteFrom('upstream_identities').where('sub', '=', sub).where('upstream_id', '=', upstream_id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

/** Code-point order: the same on every dialect and collation. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function createConsentStore(db: Kysely<Database>): ConsentStore {
  const find = prepareQuery<{ sub: string; client_id: string }, Database['consents']>(db, (slot) =>
    db.selectFrom('consents').selectAll().where('sub', '=', slot('sub')).where('client_id', '=', slot('client_id')),
  );
  // Every consent given at the consent page.
  const put = prepareQuery<Database['consents'], never>(db, (slot) =>
    db
      .insertInto('consents')
      .values({ sub: slot('sub'), client_id: slot('client_id'), scope: slot('scope'), claims: slot('claims'), granted_at: slot('granted_at') })
      .onConflict((conflict) => conflict.columns(['sub', 'client_id']).doUpdateSet({ scope: slot('scope'), claims: slot('claims'), granted_at: slot('granted_at') })),
  );
  return {
    async find(sub, client_id) {
      return (await find({ sub, client_id })).rows[0];
    },
    async put(consent) {
      const { sub, client_id, scope, claims, granted_at } = consent;
      await put({ sub, client_id, scope, claims, granted_at });
    },
    async delete(sub, client_id) {
      await db.deleteFrom('consents').where('sub', '=', sub).where('client_id', '=', client_id).execute();
    },
    async list(filter, { after, limit }) {
      let query = db.selectFrom('consents').selectAll().orderBy('sub').orderBy('client_id').limit(limit + 1);
      if (filter.sub !== undefined) query = query.where('sub', '=', filter.sub);
      if (filter.client_id !== undefined) query = query.where('client_id', '=', filter.client_id);
      if (after !== undefined) {
        const [sub, client_id] = decodeKeyCursor(after, ['string', 'string'] as const);
        query = query.where((eb) => eb.or([eb('sub', '>', sub), eb.and([eb('sub', '=', sub), eb('client_id', '>', client_id)])]));
      }
      const rows = await query.execute();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, next: encodeKeyCursor([last.sub, last.client_id]) } : { items };
    },
  };
}

function createTokenStore(db: Kysely<Database>, inTransaction: boolean): TokenStore {
  // The statements of every token request, compiled once (prepared-query.ts).
  const insert = prepareQuery<Database['tokens'], never>(db, (slot, first) => db.insertInto('tokens').values(slotsFor(first, slot)));
  // One indexed lookup. A grant's revocation is one row in revoked_grants, which the join applies
  // to every token of the grant, issued before or after it: the tokens' rows are not updated, so
  // tokens need no index by grant (one random page of it per inserted token, under refresh load
  // the most written part of the database).
  const find = prepareQuery<{ token_digest: string }, Database['tokens'] & { grant_revoked_at: number | null }>(db, (slot) =>
    db
      .selectFrom('tokens')
      .leftJoin('revoked_grants', 'revoked_grants.grant_id', 'tokens.grant_id')
      .selectAll('tokens')
      .select('revoked_grants.revoked_at as grant_revoked_at')
      .where('tokens.token_digest', '=', slot('token_digest')),
  );
  // One conditional UPDATE: the database lets exactly one writer see the row unrotated.
  const markRotated = prepareQuery<{ token_digest: string; at: number }, never>(db, (slot) =>
    db.updateTable('tokens').set({ rotated_at: slot('at') }).where('token_digest', '=', slot('token_digest')).where('rotated_at', 'is', null),
  );
  const insertGrant = prepareQuery<Database['grants'], never>(db, (slot, first) => db.insertInto('grants').values(slotsFor(first, slot)));
  // A code exchange's first token: an INSERT … SELECT whose one row is there only while the grant
  // has no row in revoked_grants and its end-user's account is not disabled (two indexed probes
  // in the same statement). It guards the exchange's other tokens, as the rotation mark guards a
  // refresh's.
  const insertUnlessGrantRevoked = prepareQuery<Database['tokens'], never>(db, (slot, first) => {
    const columns = Object.keys(first) as (keyof Database['tokens'] & string)[];
    return db
      .insertInto('tokens')
      .columns(columns)
      .expression(
        db
          .selectNoFrom(columns.map((column) => sql`${slot(column)}`.as(column)))
          .where(({ and, not, exists, selectFrom }) =>
            and([
              not(exists(selectFrom('revoked_grants').select('revoked_grants.grant_id').where('revoked_grants.grant_id', '=', slot('grant_id')))),
              not(exists(selectFrom('accounts').select('accounts.sub').where('accounts.sub', '=', slot('sub')).where('accounts.disabled', '=', 1))),
            ]),
          ),
      );
  });
  const setExpiry = prepareQuery<{ token_digest: string; expires_at: number }, never>(db, (slot) =>
    db.updateTable('tokens').set({ expires_at: slot('expires_at') }).where('token_digest', '=', slot('token_digest')),
  );
  return {
    async insert(token) {
      await insert(tokenToRow(token));
    },
    async insertGrant(grant) {
      await insertGrant(grantToRow(grant));
    },
    async find(token_digest) {
      const row = (await find({ token_digest })).rows[0];
      if (!row) return undefined;
      const { grant_revoked_at, ...token } = row;
      // Revoked alone and with its grant: the earlier time counts.
      const revoked_at = token.revoked_at === null || (grant_revoked_at !== null && grant_revoked_at < token.revoked_at) ? grant_revoked_at : token.revoked_at;
      return rowToToken({ ...token, revoked_at });
    },
    async revoke(token_digest, at) {
      await db.updateTable('tokens').set({ revoked_at: at }).where('token_digest', '=', token_digest).where('revoked_at', 'is', null).execute();
    },
    async revokeGrant(grant_id, at) {
      await db.insertInto('revoked_grants').values({ grant_id, revoked_at: at }).onConflict((conflict) => conflict.column('grant_id').doNothing()).execute();
    },
    async insertUnlessGrantRevoked(tokens) {
      const [first, ...rest] = tokens;
      if (first === undefined) return true;
      return runGuardedQueries(db, insertUnlessGrantRevoked.bind(tokenToRow(first)), rest.map((token) => insert.bind(tokenToRow(token))), inTransaction);
    },
    async rotate(token_digest, at, successors) {
      // The mark guards the successors' rows: stored with it in one transaction (on SQLite, one
      // unit of the group commit), or not at all.
      return runGuardedQueries(db, markRotated.bind({ token_digest, at }), successors.map((successor) => insert.bind(tokenToRow(successor))), inTransaction);
    },
    async revokeSession(sid, at) {
      // The grants of the session, not the tokens one by one.
      await revokeGrantsWhere(db, at, (grants) => grants.where('sid', '=', sid).where('offline', '=', 0));
    },
    async clientsOfSession(sid) {
      const rows = await db.selectFrom('grants').select('client_id').distinct().where('sid', '=', sid).orderBy('client_id').execute();
      return rows.map((row) => row.client_id);
    },
    async setExpiry(token_digest, expires_at) {
      await setExpiry({ token_digest, expires_at });
    },
    async revokeGrantsOf(sub, client_id, at) {
      const ofConsent = (grants: SelectQueryBuilder<Database, 'grants', {}>) => grants.where('sub', '=', sub).where('client_id', '=', client_id);
      const { count } = await ofConsent(db.selectFrom('grants')).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
      await revokeGrantsWhere(db, at, ofConsent);
      return Number(count);
    },
  };
}

function createAuditStore(db: Kysely<Database>): AuditStore {
  return {
    async append(events) {
      if (events.length > 0) await db.insertInto('audit_events').values(events.map(auditEventToRow)).execute();
    },
    async list(filter, { after, limit }) {
      let query = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit + 1);
      if (filter.type !== undefined) query = query.where('type', '=', filter.type);
      if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
      if (filter.client_id !== undefined) query = query.where('client_id', '=', filter.client_id);
      if (filter.sub !== undefined) query = query.where('sub', '=', filter.sub);
      if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
      if (filter.until !== undefined) query = query.where('at', '<', filter.until);
      if (after !== undefined) query = query.where('id', '<', decodeKeyCursor(after, ['number'] as const)[0]);
      const rows = await query.execute();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      const page = { items: items.map(rowToAuditEvent) };
      return rows.length > limit && last ? { ...page, next: encodeKeyCursor([Number(last.id)]) } : page;
    },
  };
}

/**
 * Rows deleted by one statement of a sweep: about a millisecond of SQLite's work. Under steady
 * load a sweep finds a minute's worth of expired rows — a million at 18 k tokens a second — and one
 * DELETE of them all held the event loop on SQLite (1.4 s a million rows; on PostgreSQL, their
 * locks and one long transaction). Batches let the requests' statements run in between.
 */
const SWEEP_BATCH_ROWS = 1000;

/** Runs `deleteBatch` until it deletes fewer than a batch. */
async function deleteInBatches(deleteBatch: () => Promise<{ numDeletedRows: bigint }>): Promise<void> {
  while ((await deleteBatch()).numDeletedRows >= BigInt(SWEEP_BATCH_ROWS));
}

/** Rows per INSERT: far below every dialect's limit on bound parameters. */
const METRIC_ROWS_PER_STATEMENT = 500;

function createMetricStore(db: Kysely<Database>): MetricStore {
  return {
    async add(samples) {
      // One row per bucket (PostgreSQL refuses to update a row twice in one statement), in key
      // order, so that concurrent upserts from several processes lock rows in the same order and
      // cannot deadlock.
      const buckets = new Map<string, MetricSample>();
      for (const { series, minute, count } of samples) {
        const key = `${minute}\u0000${series}`;
        const bucket = buckets.get(key);
        if (bucket) bucket.count += count;
        else buckets.set(key, { series, minute, count });
      }
      const rows = [...buckets.values()].sort((a, b) => a.minute - b.minute || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0));
      for (let start = 0; start < rows.length; start += METRIC_ROWS_PER_STATEMENT) {
        await db
          .insertInto('metric_samples')
          .values(rows.slice(start, start + METRIC_ROWS_PER_STATEMENT))
          .onConflict((conflict) => conflict.columns(['series', 'minute']).doUpdateSet((eb) => ({ count: eb('metric_samples.count', '+', eb.ref('excluded.count')) })))
          .execute();
      }
    },
    async read(since) {
      const rows = await db.selectFrom('metric_samples').selectAll().where('minute', '>=', since).orderBy('minute').orderBy('series').execute();
      return rows.map((row) => ({ series: row.series, minute: Number(row.minute), count: Number(row.count) }));
    },
  };
}

function createKeyStore(db: Kysely<Database>, capabilities: SqlDialectCapabilities): KeyStore {
  const announce = async () => {
    if (capabilities.keysChangedStatement !== undefined) await sql.raw(capabilities.keysChangedStatement).execute(db);
  };
  return {
    async list() {
      return (await db.selectFrom('keys').selectAll().orderBy('created_at').orderBy('kid').execute()).map(rowToKey);
    },
    async insert(key) {
      await db.insertInto('keys').values(keyToRow(key)).execute();
      await announce();
    },
    async setState(kid, state, at) {
      await db.updateTable('keys').set({ state, updated_at: at }).where('kid', '=', kid).execute();
      await announce();
    },
  };
}

function createArtifactStore(db: Kysely<Database>, clock: Clock): ArtifactStore {
  // The statements of every authorization, code and session, compiled once (prepared-query.ts).
  type Key = { kind: string; id: string };
  const put = prepareQuery<Database['artifacts'], never>(db, (slot) =>
    db
      .insertInto('artifacts')
      .values({ kind: slot('kind'), id: slot('id'), value: slot('value'), expires_at: slot('expires_at'), consumed_count: 0, owner: slot('owner') })
      .onConflict((conflict) => conflict.columns(['kind', 'id']).doUpdateSet({ value: slot('value'), expires_at: slot('expires_at'), consumed_count: 0, owner: slot('owner') })),
  );
  const find = prepareQuery<Key & { now: number }, { value: string }>(db, (slot) =>
    db.selectFrom('artifacts').select('value').where('kind', '=', slot('kind')).where('id', '=', slot('id')).where('expires_at', '>', slot('now')),
  );
  // One statement: the increment and the read are atomic, across connections and processes.
  const consume = prepareQuery<Key & { now: number }, { value: string; consumed_count: number }>(db, (slot) =>
    db
      .updateTable('artifacts')
      .set((eb) => ({ consumed_count: eb('consumed_count', '+', 1) }))
      .where('kind', '=', slot('kind'))
      .where('id', '=', slot('id'))
      .where('expires_at', '>', slot('now'))
      .returning(['value', 'consumed_count']),
  );
  const remove = prepareQuery<Key, never>(db, (slot) => db.deleteFrom('artifacts').where('kind', '=', slot('kind')).where('id', '=', slot('id')));
  // The login throttle's, on every login.
  const readCounter = prepareQuery<{ id: string; now: number }, { count: number }>(db, (slot) =>
    db.selectFrom('counters').select('count').where('id', '=', slot('id')).where('expires_at', '>', slot('now')),
  );
  const resetCounter = prepareQuery<{ id: string }, never>(db, (slot) => db.deleteFrom('counters').where('id', '=', slot('id')));
  return {
    async put(kind, id, value, ttlSeconds) {
      await put({ kind, id, value: JSON.stringify(value), expires_at: clock.now() + ttlSeconds, consumed_count: 0, owner: artifactOwner(kind, value) ?? null });
    },
    async add(kind, id, value, ttlSeconds) {
      const now = clock.now();
      const row = { kind, id, value: JSON.stringify(value), expires_at: now + ttlSeconds, consumed_count: 0, owner: artifactOwner(kind, value) ?? null };
      // Inserts, or takes over an expired row; an unexpired one stays and nothing is returned.
      const added = await db
        .insertInto('artifacts')
        .values(row)
        .onConflict((conflict) =>
          conflict
            .columns(['kind', 'id'])
            .doUpdateSet({ value: row.value, expires_at: row.expires_at, consumed_count: 0, owner: row.owner })
            .where('artifacts.expires_at', '<=', now),
        )
        .returning('id')
        .executeTakeFirst();
      return added !== undefined;
    },
    async find(kind, id) {
      const row = (await find({ kind, id, now: clock.now() })).rows[0];
      return row && (JSON.parse(row.value) as Artifacts[typeof kind]);
    },
    async consume(kind, id) {
      const row = (await consume({ kind, id, now: clock.now() })).rows[0];
      return row && { value: JSON.parse(row.value) as Artifacts[typeof kind], replayed: Number(row.consumed_count) > 1 };
    },
    async delete(kind, id) {
      await remove({ kind, id });
    },
    async increment(counter, windowSeconds) {
      const now = clock.now();
      // SET expressions see the row as it was, so both CASEs test the old expiry.
      const row = await db
        .insertInto('counters')
        .values({ id: counter, count: 1, expires_at: now + windowSeconds })
        .onConflict((conflict) =>
          conflict.column('id').doUpdateSet({
            count: sql<number>`case when counters.expires_at <= ${now} then 1 else counters.count + 1 end`,
            expires_at: sql<number>`case when counters.expires_at <= ${now} then ${now + windowSeconds} else counters.expires_at end`,
          }),
        )
        .returning('count')
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async readCounter(counter) {
      const row = (await readCounter({ id: counter, now: clock.now() })).rows[0];
      return row ? Number(row.count) : 0;
    },
    async resetCounter(counter) {
      await resetCounter({ id: counter });
    },
    async list(kind, { after, limit, owner }) {
      let query = db
        .selectFrom('artifacts')
        .select(['id', 'value', 'expires_at', 'consumed_count'])
        .where('kind', '=', kind)
        .where('expires_at', '>', clock.now())
        .orderBy('expires_at')
        .orderBy('id')
        .limit(limit + 1);
      if (owner !== undefined) query = query.where('owner', '=', owner);
      if (after !== undefined) {
        const [expires, id] = decodeKeyCursor(after, ['number', 'string'] as const);
        query = query.where((eb) => eb.or([eb('expires_at', '>', expires), eb.and([eb('expires_at', '=', expires), eb('id', '>', id)])]));
      }
      const rows = await query.execute();
      const items = rows.slice(0, limit).map((row) => ({ id: row.id, value: JSON.parse(row.value), expires_at: Number(row.expires_at), consumed: Number(row.consumed_count) > 0 }) as ListedArtifact<typeof kind>);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, next: encodeKeyCursor([last.expires_at, last.id]) } : { items };
    },
    async count(kind) {
      const row = await db.selectFrom('artifacts').select((eb) => eb.fn.countAll<number>().as('count')).where('kind', '=', kind).where('expires_at', '>', clock.now()).executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}

/** Tells of a registration change: this process's listeners at once, other processes where the dialect can. */
type Announce = (change: RegistrationChange) => Promise<void>;

/** The listeners of `Storage.watchRegistrations` in this process. */
type RegistrationListeners = Set<(change: RegistrationChange) => void>;

/**
 * The announcer of one connection: a NOTIFY on it where the dialect has one (inside a
 * transaction, delivered at commit), then this process's listeners.
 */
function announcer(db: Kysely<Database>, capabilities: SqlDialectCapabilities, listeners: RegistrationListeners, seen?: RegistrationChange[]): Announce {
  return async (change) => {
    if (capabilities.registrationsChannel !== undefined) await sql`select pg_notify(${capabilities.registrationsChannel}, ${JSON.stringify(change)})`.execute(db);
    seen?.push(change);
    for (const listener of listeners) listener(change);
  };
}

/**
 * Assembles a `Storage` over `db`. `close` is the backend's own (it owns the connection).
 */
export function createSqlStorage(options: {
  db: Kysely<Database>;
  clock: Clock;
  capabilities: SqlDialectCapabilities;
  close: () => Promise<void>;
  /** The backend's `Storage.watchKeys`, when it has one. */
  watchKeys?: Storage['watchKeys'];
  /** Hears registration changes made by other processes (PostgreSQL: LISTEN), when the backend can. */
  watchRemoteRegistrations?: Storage['watchRegistrations'];
}): Storage {
  const { db, clock, capabilities } = options;
  const listeners: RegistrationListeners = new Set();
  const storage = assemble(db, clock, capabilities, options.close, false, listeners);
  const watchRegistrations: NonNullable<Storage['watchRegistrations']> = async (listener) => {
    listeners.add(listener);
    const stopRemote = await options.watchRemoteRegistrations?.(listener);
    return async () => {
      listeners.delete(listener);
      await stopRemote?.();
    };
  };
  return { ...storage, watchRegistrations, ...(options.watchKeys === undefined ? {} : { watchKeys: options.watchKeys }) };
}

function assemble(
  db: Kysely<Database>,
  clock: Clock,
  capabilities: SqlDialectCapabilities,
  close: () => Promise<void>,
  inTransaction: boolean,
  listeners: RegistrationListeners,
  seen?: RegistrationChange[],
): Storage {
  const announce = announcer(db, capabilities, listeners, seen);
  const storage: Storage = {
    clients: createClientStore(db, capabilities, announce),
    resourceServers: createResourceServerStore(db, capabilities, announce),
    accounts: createAccountStore(db, capabilities, clock, inTransaction ? (fn) => fn(db) : transactionsOn(db, capabilities)),
    upstreams: createUpstreamStore(db, capabilities, inTransaction ? (fn) => fn(db) : transactionsOn(db, capabilities)),
    consents: createConsentStore(db),
    tokens: createTokenStore(db, inTransaction),
    keys: createKeyStore(db, capabilities),
    artifacts: createArtifactStore(db, clock),
    audit: createAuditStore(db),
    metrics: createMetricStore(db),
    async transaction(fn) {
      if (inTransaction) return fn(storage);
      const changed: RegistrationChange[] = [];
      const result = await transactionsOn(db, capabilities)((connection) => fn(assemble(connection, clock, capabilities, close, true, listeners, changed)));
      // Told at the write already; told again now, so that a cache filled meanwhile from another
      // connection (which saw the old row) drops it too.
      for (const change of changed) for (const listener of listeners) listener(change);
      return result;
    },
    async sweepExpired(before) {
      // Each table a batch at a time (see SWEEP_BATCH_ROWS), by primary key from the expiry index.
      const oldestMinute = before - METRIC_RETENTION_SECONDS;
      await deleteInBatches(() =>
        db
          .deleteFrom('artifacts')
          .where((eb) => eb(eb.refTuple('kind', 'id'), 'in', eb.selectFrom('artifacts').select(['kind', 'id']).where('expires_at', '<=', before).limit(SWEEP_BATCH_ROWS).$asTuple('kind', 'id')))
          .executeTakeFirst(),
      );
      await deleteInBatches(() =>
        db.deleteFrom('counters').where('id', 'in', db.selectFrom('counters').select('id').where('expires_at', '<=', before).limit(SWEEP_BATCH_ROWS)).executeTakeFirst(),
      );
      await deleteInBatches(() =>
        db
          .deleteFrom('tokens')
          .where('token_digest', 'in', db.selectFrom('tokens').select('token_digest').where('expires_at', '<', before).limit(SWEEP_BATCH_ROWS))
          .executeTakeFirst(),
      );
      await deleteInBatches(() =>
        db.deleteFrom('grants').where('grant_id', 'in', db.selectFrom('grants').select('grant_id').where('expires_at', '<', before).limit(SWEEP_BATCH_ROWS)).executeTakeFirst(),
      );
      const oldestRevocation = before - REVOKED_GRANT_RETENTION_SECONDS;
      await deleteInBatches(() =>
        db.deleteFrom('revoked_grants').where('grant_id', 'in', db.selectFrom('revoked_grants').select('grant_id').where('revoked_at', '<', oldestRevocation).limit(SWEEP_BATCH_ROWS)).executeTakeFirst(),
      );
      await deleteInBatches(() =>
        db
          .deleteFrom('metric_samples')
          .where((eb) => eb(eb.refTuple('series', 'minute'), 'in', eb.selectFrom('metric_samples').select(['series', 'minute']).where('minute', '<', oldestMinute).limit(SWEEP_BATCH_ROWS).$asTuple('series', 'minute')))
          .executeTakeFirst(),
      );
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    close,
  };
  return storage;
}
