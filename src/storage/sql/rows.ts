/** Conversions between store records and table rows. */
import type { AuthorizationDetail } from '../../core/authorization-details.js';
import type { AccountRecord, Actor, AccountPasskey, AccountTotp, AuditEvent, ClientMetadata, ClientRecord, GrantRecord, KeyRecord, RequestedClaims, ResourceServerRecord, TokenRecord, UpstreamIdentityRecord, UpstreamProviderRecord } from '../types.js';
import type { Database } from './schema.js';

type Row<T extends keyof Database> = Database[T];

/**
 * Copies the keys of `value` whose values are not null/undefined. A loop, not
 * `Object.fromEntries(Object.entries(…).filter(…))`: a token or account row is read on most
 * requests, and the arrays of entries cost three times the copy.
 */
function defined<T extends object>(value: T): T {
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const field = value[key];
    if (field !== null && field !== undefined) copy[key] = field;
  }
  return copy as T;
}

export function clientToRow(client: ClientRecord): Row<'clients'> {
  const { client_id, client_secret_digest, client_secret_encrypted, registration_access_token_digest, client_secret_expires_at, client_id_issued_at, updated_at, disabled, ...metadata } = client;
  return {
    client_id,
    client_secret_digest: client_secret_digest ?? null,
    client_secret_encrypted: client_secret_encrypted ?? null,
    registration_access_token_digest: registration_access_token_digest ?? null,
    client_secret_expires_at,
    client_id_issued_at,
    metadata: JSON.stringify(metadata),
    updated_at,
    disabled: disabled ? 1 : 0,
  };
}

export function rowToClient(row: Row<'clients'>): ClientRecord {
  const metadata = JSON.parse(row.metadata) as ClientMetadata;
  return defined({
    ...metadata,
    client_id: row.client_id,
    client_secret_digest: row.client_secret_digest ?? undefined,
    client_secret_encrypted: row.client_secret_encrypted ?? undefined,
    registration_access_token_digest: row.registration_access_token_digest ?? undefined,
    client_secret_expires_at: row.client_secret_expires_at,
    client_id_issued_at: row.client_id_issued_at,
    updated_at: row.updated_at,
    disabled: row.disabled === 1 ? true : undefined,
  });
}

export function resourceServerToRow(server: ResourceServerRecord): Row<'resource_servers'> {
  const { resource, client_id, created_at, updated_at, ...data } = server;
  return { resource, client_id: client_id ?? null, data: JSON.stringify(data), created_at, updated_at };
}

export function rowToResourceServer(row: Row<'resource_servers'>): ResourceServerRecord {
  const data = JSON.parse(row.data) as Omit<ResourceServerRecord, 'resource' | 'client_id' | 'created_at' | 'updated_at'>;
  return defined({ resource: row.resource, ...data, client_id: row.client_id ?? undefined, created_at: row.created_at, updated_at: row.updated_at });
}

export function upstreamToRow(upstream: UpstreamProviderRecord): Row<'upstream_providers'> {
  return {
    ...upstream,
    sealed_client_secret: upstream.sealed_client_secret ?? null,
    create_accounts: upstream.create_accounts ? 1 : 0,
    sync_profile: upstream.sync_profile ? 1 : 0,
    sync_groups: upstream.sync_groups ? 1 : 0,
    disabled: upstream.disabled ? 1 : 0,
  };
}

export function rowToUpstream(row: Row<'upstream_providers'>): UpstreamProviderRecord {
  return defined({ ...row, create_accounts: row.create_accounts === 1, sync_profile: row.sync_profile === 1, sync_groups: row.sync_groups === 1, disabled: row.disabled === 1 }) as UpstreamProviderRecord;
}

export function upstreamIdentityToRow(identity: UpstreamIdentityRecord): Row<'upstream_identities'> {
  return { ...identity, email: identity.email ?? null, last_used_at: identity.last_used_at ?? null };
}

export function rowToUpstreamIdentity(row: Row<'upstream_identities'>): UpstreamIdentityRecord {
  return defined(row) as UpstreamIdentityRecord;
}

export function accountToRow(account: AccountRecord): Row<'accounts'> {
  return {
    sub: account.sub,
    username: account.username,
    username_normalized: account.username.toLowerCase(),
    password_hash: account.password_hash ?? null,
    email: account.email ?? null,
    email_verified: account.email_verified ? 1 : 0,
    name: account.name ?? null,
    given_name: account.given_name ?? null,
    family_name: account.family_name ?? null,
    claims: JSON.stringify(account.claims),
    disabled: account.disabled ? 1 : 0,
    roles: JSON.stringify(account.roles),
    totp: account.totp === undefined ? null : JSON.stringify(account.totp),
    passkeys: account.passkeys === undefined || account.passkeys.length === 0 ? null : JSON.stringify(account.passkeys),
    group_names: account.groups === undefined || account.groups.length === 0 ? null : JSON.stringify(account.groups),
    created_at: account.created_at,
    updated_at: account.updated_at,
  };
}

export function rowToAccount(row: Row<'accounts'>): AccountRecord {
  return defined({
    sub: row.sub,
    username: row.username,
    password_hash: row.password_hash ?? undefined,
    email: row.email ?? undefined,
    email_verified: row.email_verified === 1,
    name: row.name ?? undefined,
    given_name: row.given_name ?? undefined,
    family_name: row.family_name ?? undefined,
    claims: JSON.parse(row.claims) as Record<string, unknown>,
    disabled: row.disabled === 1,
    roles: JSON.parse(row.roles) as string[],
    totp: row.totp === null ? undefined : (JSON.parse(row.totp) as AccountTotp),
    passkeys: row.passkeys === null ? undefined : (JSON.parse(row.passkeys) as AccountPasskey[]),
    groups: row.group_names === null ? undefined : (JSON.parse(row.group_names) as string[]),
    created_at: row.created_at,
    updated_at: row.updated_at,
  });
}

export function grantToRow(grant: GrantRecord): Row<'grants'> {
  return { grant_id: grant.grant_id, client_id: grant.client_id, sub: grant.sub, sid: grant.sid ?? null, offline: grant.offline ? 1 : 0, expires_at: grant.expires_at };
}

export function tokenToRow(token: TokenRecord): Row<'tokens'> {
  return {
    token_digest: token.token_digest,
    kind: token.kind,
    client_id: token.client_id,
    sub: token.sub ?? null,
    scope: token.scope,
    grant_id: token.grant_id,
    audience: token.audience ?? null,
    claims: token.claims === undefined ? null : JSON.stringify(token.claims),
    authorization_details: token.authorization_details === undefined ? null : JSON.stringify(token.authorization_details),
    act: token.act === undefined ? null : JSON.stringify(token.act),
    sid: token.sid ?? null,
    auth_time: token.auth_time ?? null,
    amr: token.amr === undefined ? null : JSON.stringify(token.amr),
    acr: token.acr ?? null,
    jkt: token.jkt ?? null,
    issued_at: token.issued_at,
    expires_at: token.expires_at,
    grant_expires_at: token.grant_expires_at ?? null,
    rotated_at: token.rotated_at ?? null,
    revoked_at: token.revoked_at ?? null,
  };
}

export function rowToToken(row: Row<'tokens'>): TokenRecord {
  return defined({
    token_digest: row.token_digest,
    kind: row.kind as TokenRecord['kind'],
    client_id: row.client_id,
    sub: row.sub ?? undefined,
    scope: row.scope,
    grant_id: row.grant_id,
    audience: row.audience ?? undefined,
    claims: row.claims === null ? undefined : (JSON.parse(row.claims) as RequestedClaims),
    authorization_details: row.authorization_details === null ? undefined : (JSON.parse(row.authorization_details) as AuthorizationDetail[]),
    act: row.act === null ? undefined : (JSON.parse(row.act) as Actor),
    sid: row.sid ?? undefined,
    auth_time: row.auth_time ?? undefined,
    amr: row.amr === null ? undefined : (JSON.parse(row.amr) as string[]),
    acr: row.acr ?? undefined,
    jkt: row.jkt ?? undefined,
    issued_at: row.issued_at,
    expires_at: row.expires_at,
    grant_expires_at: row.grant_expires_at ?? undefined,
    rotated_at: row.rotated_at ?? undefined,
    revoked_at: row.revoked_at ?? undefined,
  });
}

export function keyToRow(key: KeyRecord): Row<'keys'> {
  return { ...key, public_jwk: JSON.stringify(key.public_jwk) };
}

export function rowToKey(row: Row<'keys'>): KeyRecord {
  return { ...row, state: row.state as KeyRecord['state'], public_jwk: JSON.parse(row.public_jwk) as KeyRecord['public_jwk'] };
}

export function auditEventToRow(event: AuditEvent): Omit<Row<'audit_events'>, 'id'> {
  return {
    at: event.at,
    type: event.type,
    actor: event.actor,
    client_id: event.client_id ?? null,
    sub: event.sub ?? null,
    target: event.target ?? null,
    data: JSON.stringify(event.data),
  };
}

export function rowToAuditEvent(row: { id: number | string; at: number; type: string; actor: string; client_id: string | null; sub: string | null; target: string | null; data: string }): AuditEvent & { id: string } {
  return defined({
    id: String(row.id),
    at: row.at,
    type: row.type,
    actor: row.actor,
    client_id: row.client_id ?? undefined,
    sub: row.sub ?? undefined,
    target: row.target ?? undefined,
    data: JSON.parse(row.data) as Record<string, unknown>,
  });
}
