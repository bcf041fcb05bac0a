import { clientInformation, registerClient, updateClient, type RegistrationResponse } from '../core/client-registration.js';
import type { ProviderContext } from '../core/context.js';
import { InvalidClientMetadata, InvalidRequest, InvalidToken, TooManyRequests } from '../core/errors.js';
import { applySoftwareStatement } from '../core/software-statement.js';
import { readBearerToken } from '../http/bearer.js';
import { countAgainstAddressQuota, isWithinAddressQuota } from '../interaction/login-throttle.js';
import { MAX_FORM_BYTES } from '../http/params.js';
import { json, NO_STORE, respond, type Answer } from '../http/responses.js';
import type { ClientRecord } from '../storage/types.js';
import { digestSecret, matchesDigest } from '../util/digest.js';
import type { Endpoint } from './types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';


/**
 * Client registration endpoint, `POST /register` (RFC 7591 §3, OIDC Dynamic Registration §3).
 *
 * - the body is client metadata as JSON; identifiers are assigned by the server;
 * - with `registration` = `initial_access_token`, a Bearer initial access token from
 *   `latchkey clients initial-token` is required and is spent by the registration (single use);
 *   with `software_statement`, a software statement of an approved publisher is, and no token;
 *   with `open`, neither — and with either of the last two, one address registers at most
 *   `registrationMaxPerAddress` clients per throttle window (429 `temporarily_unavailable`,
 *   `Retry-After`);
 * - a software statement (RFC 7591 §2.3), in any mode, is verified against its publisher's keys
 *   (`softwareStatementIssuers`) and its claims are the client's metadata, over what the request
 *   says beside it (`unapproved_software_statement`, `invalid_software_statement`);
 * - 201 with the client information, its secret (if any), a `registration_access_token` and the
 *   `registration_client_uri` to read, update and delete it (RFC 7592).
 * @throws InvalidToken | InvalidRequest | InvalidClientMetadata | InvalidRedirectUri | InvalidSoftwareStatement | UnapprovedSoftwareStatement | TooManyRequests
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
export const registrationEndpoint: Endpoint = async (request, ctx, route) =>
  withBearerChallenge(ctx, async () => {
    const mode = ctx.config.registration;
    // Without a token of its own to spend, a registration counts against its address.
    const byAddress = mode === 'open' || mode === 'software_statement';
    if (!byAddress) await spendInitialAccessToken(request, ctx);
    else if (!(await isWithinAddressQuota('clients', route.remoteAddress, ctx))) {
      throw new TooManyRequests('too many clients registered from this address; try again later', ctx.config.loginThrottleWindowSeconds);
    }
    const input = await applySoftwareStatement(await readJsonObject(request), ctx, mode === 'software_statement');
    const { client, response } = await registerClient(input, registrationDeps(ctx), 'dynamic');
    if (byAddress) await countAgainstAddressQuota('clients', route.remoteAddress, ctx);
    ctx.events.emit('client.registered', { client_id: client.client_id, origin: 'dynamic' });
    return json(withManagementUri(response, ctx), { status: 201, headers: NO_STORE });
  });

/**
 * Client configuration endpoint, `GET|PUT|DELETE /register/:client_id` (RFC 7592 §2), with the
 * client's registration access token as Bearer. An unknown client and a wrong token answer
 * alike (401), so that the endpoint does not tell which clients exist.
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2
 */
export const clientConfigurationEndpoint: Endpoint = async (request, ctx, route) =>
  withBearerChallenge(ctx, async () => {
    const client = await authenticateRegistrationToken(request, route.pathParams.client_id ?? '', ctx);
    if (request.method === 'GET') return json(withManagementUri(clientInformation(client), ctx), { headers: NO_STORE });
    if (request.method === 'DELETE') {
      await ctx.storage.clients.delete(client.client_id);
      ctx.events.emit('client.deleted', { client_id: client.client_id, origin: 'dynamic' });
      return respond(null, 204, NO_STORE);
    }
    const input = await applySoftwareStatement(await readJsonObject(request), ctx, ctx.config.registration === 'software_statement');
    const { response } = await updateClient(client, input, registrationDeps(ctx));
    ctx.events.emit('client.updated', { client_id: client.client_id, origin: 'dynamic' });
    return json(withManagementUri(response, ctx), { headers: NO_STORE });
  });

/** What registration needs of the provider: its storage, clock, master secret and outbound policy. */
export function registrationDeps(ctx: ProviderContext) {
  return { storage: ctx.storage, clock: ctx.clock, secret: ctx.config.secret!, sectorFetch: ctx.outbound };
}

function withManagementUri(response: RegistrationResponse, ctx: ProviderContext): RegistrationResponse & { registration_client_uri: string } {
  return { ...response, registration_client_uri: ctx.urls.registrationClient(response.client_id) };
}

/**
 * RFC 7591 §3: the initial access token, consumed atomically so that it registers one client.
 * @throws InvalidToken
 */
async function spendInitialAccessToken(request: ProtocolRequest, ctx: ProviderContext): Promise<void> {
  const token = readBearerToken(request);
  if (token === undefined) throw new InvalidToken('an initial access token is required to register a client');
  const spent = await ctx.storage.artifacts.consume('initial_access_token', digestSecret(token));
  if (!spent || spent.replayed) throw new InvalidToken('initial access token is invalid, expired or already used');
}

async function authenticateRegistrationToken(request: ProtocolRequest, client_id: string, ctx: ProviderContext): Promise<ClientRecord> {
  const token = readBearerToken(request);
  if (token === undefined) throw new InvalidToken('a registration access token is required');
  const client = await ctx.storage.clients.find(client_id);
  const stored = client?.registration_access_token_digest;
  if (!client || stored === undefined || !matchesDigest(token, stored)) {
    throw new InvalidToken('registration access token is invalid for this client');
  }
  // A client an administrator disabled cannot manage itself back into service.
  if (client.disabled) throw new InvalidToken('registration access token is invalid for this client', { cause: new Error('client is disabled') });
  return client;
}

/**
 * The JSON object of the request body.
 * @throws InvalidRequest for another content type or an oversized body; InvalidClientMetadata for invalid JSON.
 */
async function readJsonObject(request: ProtocolRequest): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new InvalidRequest('content type must be application/json');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) throw new InvalidRequest('request body is too large');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidClientMetadata('the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidClientMetadata('client metadata must be a JSON object');
  return value as Record<string, unknown>;
}

/** RFC 6750 §3: token errors carry a Bearer challenge. */
async function withBearerChallenge(ctx: ProviderContext, fn: () => Promise<Answer>): Promise<Answer> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof InvalidToken) error.wwwAuthenticate = `Bearer realm="${ctx.config.issuer}", error="invalid_token"`;
    throw error;
  }
}
