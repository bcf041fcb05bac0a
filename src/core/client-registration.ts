import { type ClientMetadata, type ClientRecord, type Storage, StorageConflict } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { digestSecret, matchesDigest } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { seal } from '../util/seal.js';
import { keepsSealedSecret, parseClientMetadata, usesClientSecret } from './client-metadata.js';
import { generateClientSecret, isStrongEnoughSecret, MIN_SUPPLIED_SECRET_BITS } from './client-secret.js';
import { InvalidClientMetadata } from './errors.js';
import { SUPPORTED_SCOPES } from './scopes.js';
import { DEFAULT_SECTOR_FETCH, verifySectorIdentifierUri, type SectorFetch } from './sector-identifier.js';

/** RFC 7591 §3.2.1 client information response. */
export type RegistrationResponse = Omit<ClientRecord, 'client_secret_digest' | 'client_secret_encrypted' | 'registration_access_token_digest' | 'updated_at'> & {
  client_secret?: string;
  /** RFC 7592 §3: only for clients registered at the registration endpoint. */
  registration_access_token?: string;
};

/** What registration writes to and seals with. */
export interface RegistrationDeps {
  storage: Storage;
  clock: Clock;
  /** The master secret: seals the client secret of a client whose HMAC signatures latchkey checks. */
  secret: string;
  /** How a `sector_identifier_uri` is fetched; default Web `fetch` under the outbound limits. */
  sectorFetch?: SectorFetch;
}

/**
 * Who is registering. `admin` (the CLI, the admin API) may fix `client_id` and `client_secret`
 * and grant the client any scope. `dynamic` (the RFC 7591 endpoint, anyone holding an initial
 * access token or nobody at all) gets server-assigned identifiers, may register only the scopes
 * latchkey itself defines — a client must not hand itself API scopes — and receives a
 * registration access token to manage itself (RFC 7592).
 */
export type RegistrationOrigin = 'admin' | 'dynamic';

/**
 * A new client_id: 128 random bits, base64url, never starting with `-`, which a command line
 * (`latchkey clients show <id>`) would take for an option.
 */
function newClientId(): string {
  for (;;) {
    const id = randomToken(16);
    if (!id.startsWith('-')) return id;
  }
}

/** HKDF purpose under which client secrets are sealed (for `client_secret_jwt`, `HS*` request objects). */
export const CLIENT_SECRET_PURPOSE = 'latchkey client secrets v1';

/** Fields of a registration request that are not client metadata; a dynamic request's are ignored. */
const SERVER_ASSIGNED = ['client_id', 'client_secret', 'client_id_issued_at', 'client_secret_expires_at', 'registration_access_token', 'registration_client_uri'];

/**
 * Registers a client from RFC 7591 metadata. From the admin, `client_id` and `client_secret` may
 * be given to fix them (a supplied secret needs at least 128 bits of entropy); otherwise they are
 * generated. The secret appears only in the returned response; storage keeps its digest (and, for
 * the clients whose HMAC signatures latchkey checks, a copy sealed under the master secret:
 * `keepsSealedSecret`).
 * @throws InvalidClientMetadata | InvalidRedirectUri for bad metadata or a taken client_id.
 */
export async function registerClient(
  input: unknown,
  deps: RegistrationDeps,
  origin: RegistrationOrigin = 'admin',
): Promise<{ client: ClientRecord; response: RegistrationResponse }> {
  const metadata = parseMetadataFrom(input, origin);
  await verifySectorIdentifierUri(metadata, deps.sectorFetch ?? DEFAULT_SECTOR_FETCH);
  const fields = origin === 'admin' ? (input as Record<string, unknown>) : {};
  const client_id = fields.client_id === undefined ? newClientId() : fields.client_id;
  if (typeof client_id !== 'string' || !/^[\x21-\x7E]{1,255}$/.test(client_id)) {
    throw new InvalidClientMetadata('client_id must be 1 to 255 visible ASCII characters', { field: 'client_id' });
  }

  let client_secret: string | undefined;
  if (fields.client_secret !== undefined) {
    if (!usesClientSecret(metadata)) throw new InvalidClientMetadata(`a client with token_endpoint_auth_method ${metadata.token_endpoint_auth_method} has no client_secret`, { field: 'client_secret' });
    if (typeof fields.client_secret !== 'string' || !isStrongEnoughSecret(fields.client_secret)) {
      throw new InvalidClientMetadata(`client_secret must carry at least ${MIN_SUPPLIED_SECRET_BITS} bits of entropy (e.g. 32 random hex digits)`, { field: 'client_secret' });
    }
    client_secret = fields.client_secret;
  } else if (usesClientSecret(metadata)) {
    client_secret = generateClientSecret();
  }
  const registration_access_token = origin === 'dynamic' ? randomToken() : undefined;

  const now = deps.clock.now();
  const client: ClientRecord = {
    ...metadata,
    client_id,
    client_id_issued_at: now,
    client_secret_expires_at: 0,
    updated_at: now,
    ...(await secretFields(metadata, client_secret, deps.secret)),
    ...(registration_access_token === undefined ? {} : { registration_access_token_digest: digestSecret(registration_access_token) }),
  };
  try {
    await deps.storage.clients.create(client);
  } catch (error) {
    if (error instanceof StorageConflict) throw new InvalidClientMetadata(`client_id ${client_id} is already registered`, { field: 'client_id' });
    throw error;
  }
  return {
    client,
    response: {
      ...clientInformation(client),
      ...(client_secret === undefined ? {} : { client_secret }),
      ...(registration_access_token === undefined ? {} : { registration_access_token }),
    },
  };
}

/**
 * Replaces a client's metadata with `input`; omitted fields return to their defaults. From the
 * client itself (RFC 7592 §2.2, `dynamic`): `client_id` must be the client's, a `client_secret`,
 * if sent, must be the current one, and only latchkey's own scopes may be registered. From the
 * admin, identifiers in `input` are ignored and any scope may be granted. The secret stays,
 * unless the new method needs one the client lacks (then one is generated and returned) or needs
 * none; a disabled client stays disabled.
 * @throws InvalidClientMetadata | InvalidRedirectUri
 */
export async function updateClient(
  existing: ClientRecord,
  input: unknown,
  deps: RegistrationDeps,
  origin: RegistrationOrigin = 'dynamic',
): Promise<{ client: ClientRecord; response: RegistrationResponse }> {
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (origin === 'dynamic') {
    if (fields.client_id !== existing.client_id) throw new InvalidClientMetadata('client_id must be the client\'s own', { field: 'client_id' });
    if (fields.client_secret !== undefined) {
      const matches = typeof fields.client_secret === 'string' && existing.client_secret_digest !== undefined && matchesDigest(fields.client_secret, existing.client_secret_digest);
      if (!matches) throw new InvalidClientMetadata('client_secret does not match the current secret', { field: 'client_secret' });
    }
  }
  // An administrator's edit keeps the statement the client registered with (it is never edited).
  const metadata = origin === 'admin'
    ? { ...parseMetadataFrom(withoutIdentifiers(input), origin), ...(existing.software_statement === undefined ? {} : { software_statement: existing.software_statement }) }
    : { ...parseMetadataFrom(withoutAdministrators(input), origin), ...administratorsOf(existing) };
  await verifySectorIdentifierUri(metadata, deps.sectorFetch ?? DEFAULT_SECTOR_FETCH);

  let newSecret: string | undefined;
  let secrets: Pick<ClientRecord, 'client_secret_digest' | 'client_secret_encrypted'> = {};
  if (usesClientSecret(metadata)) {
    if (existing.client_secret_digest === undefined || (keepsSealedSecret(metadata) && existing.client_secret_encrypted === undefined)) {
      newSecret = generateClientSecret();
      secrets = await secretFields(metadata, newSecret, deps.secret);
    } else {
      secrets = {
        client_secret_digest: existing.client_secret_digest,
        ...(keepsSealedSecret(metadata) ? { client_secret_encrypted: existing.client_secret_encrypted! } : {}),
      };
    }
  }
  const client: ClientRecord = {
    ...metadata,
    client_id: existing.client_id,
    client_id_issued_at: existing.client_id_issued_at,
    client_secret_expires_at: existing.client_secret_expires_at,
    updated_at: deps.clock.now(),
    ...secrets,
    ...(existing.registration_access_token_digest === undefined ? {} : { registration_access_token_digest: existing.registration_access_token_digest }),
    ...(existing.disabled ? { disabled: true } : {}),
  };
  await deps.storage.clients.update(client);
  return { client, response: { ...clientInformation(client), ...(newSecret === undefined ? {} : { client_secret: newSecret }) } };
}

/** The client as RFC 7591 §3.2.1 shows it: metadata and identifiers, no digest or sealed secret. */
export function clientInformation(client: ClientRecord): RegistrationResponse {
  const { client_secret_digest: _digest, client_secret_encrypted: _sealed, registration_access_token_digest: _token, updated_at: _updated, ...shown } = client;
  return shown;
}

/**
 * Metadata only an administrator sets. A client's own update (RFC 7592 §2.2) keeps them as they
 * are, whatever it sends: it may echo them as it read them, and cannot drop them.
 */
const ADMINISTRATORS_FIELDS = ['skip_consent', 'allowed_groups', 'allowed_upstreams'] as const;

function withoutAdministrators(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([name]) => !(ADMINISTRATORS_FIELDS as readonly string[]).includes(name)));
}

function administratorsOf(client: ClientRecord): Partial<ClientMetadata> {
  return Object.fromEntries(ADMINISTRATORS_FIELDS.filter((name) => client[name] !== undefined).map((name) => [name, client[name]]));
}

/** `input` without the server-assigned fields, which an update does not change. */
function withoutIdentifiers(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([name]) => !SERVER_ASSIGNED.includes(name)));
}

/**
 * Gives a client a new generated secret (≥ 256 bits) in place of the current one, which stops
 * working at once. Returns the new secret: the only place it is shown.
 * @throws InvalidClientMetadata when the client's method uses no secret.
 */
export async function rotateClientSecret(existing: ClientRecord, deps: RegistrationDeps): Promise<{ client: ClientRecord; client_secret: string }> {
  if (!usesClientSecret(existing)) throw new InvalidClientMetadata(`a client with token_endpoint_auth_method ${existing.token_endpoint_auth_method} has no client_secret`, { field: 'token_endpoint_auth_method' });
  const client_secret = generateClientSecret();
  const client: ClientRecord = { ...existing, ...(await secretFields(existing, client_secret, deps.secret)), updated_at: deps.clock.now() };
  if (!keepsSealedSecret(existing)) delete client.client_secret_encrypted;
  await deps.storage.clients.update(client);
  return { client, client_secret };
}

async function secretFields(metadata: ClientMetadata, client_secret: string | undefined, masterSecret: string): Promise<Pick<ClientRecord, 'client_secret_digest' | 'client_secret_encrypted'>> {
  if (client_secret === undefined) return {};
  return {
    client_secret_digest: digestSecret(client_secret),
    ...(keepsSealedSecret(metadata) ? { client_secret_encrypted: await seal(client_secret, masterSecret, CLIENT_SECRET_PURPOSE) } : {}),
  };
}

/** Client metadata a client asserts of itself (dynamic registration, a client ID metadata document): latchkey's own scopes only, no `skip_consent`, `allowed_groups` or `allowed_upstreams`. */
export function parseSelfAssertedMetadata(input: unknown): ClientMetadata {
  return parseMetadataFrom(input, 'dynamic');
}

function parseMetadataFrom(input: unknown, origin: RegistrationOrigin): ClientMetadata {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return parseClientMetadata(input);
  // A software statement stands for what its publisher verified: only /register verifies one.
  if (origin === 'admin') return parseClientMetadata(Object.fromEntries(Object.entries(input).filter(([name]) => name !== 'software_statement')));
  const metadata = parseClientMetadata(Object.fromEntries(Object.entries(input).filter(([name]) => !SERVER_ASSIGNED.includes(name))));
  const foreign = (metadata.scope ?? '').split(' ').filter((scope) => scope !== '' && !SUPPORTED_SCOPES.includes(scope));
  if (foreign.length > 0) throw new InvalidClientMetadata(`scope ${foreign.join(' ')} can be granted only by an administrator (latchkey clients create)`, { field: 'scope' });
  // A client must not exempt itself from its users' consent.
  if (metadata.skip_consent !== undefined) throw new InvalidClientMetadata('skip_consent can be set only by an administrator', { field: 'skip_consent' });
  // Nor learn whom an administrator's groups hold by requiring one (a refusal would tell).
  if (metadata.allowed_groups !== undefined) throw new InvalidClientMetadata('allowed_groups can be set only by an administrator', { field: 'allowed_groups' });
  if (metadata.allowed_upstreams !== undefined) throw new InvalidClientMetadata('allowed_upstreams can be set only by an administrator', { field: 'allowed_upstreams' });
  return metadata;
}
