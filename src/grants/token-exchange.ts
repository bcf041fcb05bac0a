import { mayUseClient, NOT_IN_ALLOWED_GROUPS } from '../accounts/groups.js';
import { InvalidRequest, InvalidScope } from '../core/errors.js';
import { TOKEN_EXCHANGE_GRANT_TYPE } from '../core/grant-types.js';
import { resolveResource } from '../core/resource-servers.js';
import { grantableScopes, IDENTITY_SCOPES, parseScope } from '../core/scopes.js';
import type { Actor, ClientRecord, TokenRecord } from '../storage/types.js';
import type { ProviderContext } from '../core/context.js';
import { issueAccessToken, tokenTypeFor } from '../tokens/access-token.js';
import { findToken, isStanding, isTokenFor, ownerOf } from '../tokens/find-token.js';
import { subjectFor } from '../tokens/subject.js';
import type { EndUserTokenSubject } from '../tokens/types.js';
import type { GrantHandler } from './types.js';

/** RFC 8693 §3: the token type identifier of an OAuth access token. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** The most actors one token names (`act` nested): each exchange under delegation adds one. */
export const MAX_ACTORS = 8;

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693): a service holding an
 * end-user's access token exchanges it for another — for the API it calls next (`resource` or
 * `audience`) — and acts for that user there. The new token speaks of the user and names the
 * exchanging client as its `client_id`. Without `actor_token`, impersonation semantics (§1.1);
 * with one, delegation: the token names its party as the actor (`act`, §4.1).
 *
 * - the client is confidential and registered for the grant (RFC 8693 §2.1: it authenticates);
 * - `subject_token` is an access token latchkey issued for an end-user, active as introspection
 *   would say (its client enabled, its end-user still able to sign in)
 *   (`subject_token_type` access_token), and it is **for this client**: issued to it, or issued
 *   for an API (resource server) this client is registered as. A token a client merely came
 *   across cannot be turned into a new one;
 * - a subject token bound to a DPoP key (RFC 9449) is exchanged only with a proof by that key;
 * - its end-user must be in one of the exchanging client's `allowed_groups`, when it has them;
 * - `actor_token` (`actor_token_type` access_token, both or neither) is an active access token
 *   latchkey issued, for this client as the subject token is; the new token's `act` is its party
 *   (its end-user as its client knows them, or the client of a client credentials token) with the
 *   subject token's own actors nested; a bound actor token needs a proof by its key too. Without
 *   it, the subject token's actors carry over: an exchange never drops who acted before. At most
 *   `MAX_ACTORS`;
 * - `requested_token_type`, when sent, is access_token: refresh and ID tokens are not issued;
 * - `scope`: the end-user's scopes (`openid`, `profile`…) only those the subject token holds; an
 *   API's scopes those the target API offers and the client is registered for — the administrator
 *   decides which APIs a service may call on a user's behalf. Without `scope`: the subject
 *   token's scopes that the client and the target allow;
 * - the new token belongs to the subject token's grant — revoking that grant (logout, consent
 *   withdrawn, a refresh token revoked) revokes it too — and expires no later than it.
 * Refusals of the subject token are `invalid_request` (RFC 8693 §2.2.2).
 * @throws InvalidRequest | InvalidScope | InvalidTarget
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2
 */
export const tokenExchange: GrantHandler = {
  grantType: TOKEN_EXCHANGE_GRANT_TYPE,
  parameters: ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'resource', 'audience', 'scope'],

  async exchange({ params, client, dpop }, ctx) {
    if (params.subject_token === undefined) throw new InvalidRequest('missing required parameter: subject_token');
    if (params.subject_token_type === undefined) throw new InvalidRequest('missing required parameter: subject_token_type');
    if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw new InvalidRequest(`subject_token_type ${params.subject_token_type} is not supported (${ACCESS_TOKEN_TYPE} only)`);
    // RFC 8693 §2.1: actor_token_type is REQUIRED with actor_token, and MUST NOT be sent without it.
    if (params.actor_token === undefined && params.actor_token_type !== undefined) throw new InvalidRequest('actor_token_type is sent only with actor_token');
    if (params.actor_token !== undefined && params.actor_token_type === undefined) throw new InvalidRequest('missing required parameter: actor_token_type');
    if (params.actor_token_type !== undefined && params.actor_token_type !== ACCESS_TOKEN_TYPE) throw new InvalidRequest(`actor_token_type ${params.actor_token_type} is not supported (${ACCESS_TOKEN_TYPE} only)`);
    if (params.requested_token_type !== undefined && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
      throw new InvalidRequest(`requested_token_type ${params.requested_token_type} is not supported (${ACCESS_TOKEN_TYPE} only)`);
    }
    if (params.resource !== undefined && params.audience !== undefined && params.resource !== params.audience) throw new InvalidRequest('resource and audience name different targets');

    const { record: subjectToken } = await readTokenFor('subject_token', params.subject_token, client, dpop?.jkt, ctx);
    if (subjectToken.sub === undefined) throw new InvalidRequest('subject_token speaks of no end-user (a client credentials token): the client_credentials grant serves a client itself');
    const act = params.actor_token === undefined ? subjectToken.act : await actorOf(params.actor_token, subjectToken, client, dpop?.jkt, ctx);
    // RFC 8693 §2.2.2: a subject token unacceptable by policy is invalid_request.
    if (!(await mayUseClient(client, subjectToken.sub!, ctx))) {
      ctx.events.emit('access.refused', { sub: subjectToken.sub!, client_id: client.client_id, at: 'token_exchange' });
      throw new InvalidRequest(NOT_IN_ALLOWED_GROUPS);
    }

    const server = await resolveResource(params.resource ?? params.audience, ctx);
    // The user's own scopes (openid, profile…) only as far as the user granted them; an API's
    // scopes as far as the administrator registered this client for them.
    const held = subjectToken.scope.split(' ').filter((scope) => scope !== '' && scope !== 'offline_access');
    const requested = params.scope === undefined ? held : parseScope(params.scope);
    const unheld = requested.filter((scope) => IDENTITY_SCOPES.has(scope) && !held.includes(scope));
    if (unheld.length > 0) throw new InvalidScope(`scope ${unheld.join(' ')} was not granted to the subject_token`);
    const scopes = grantableScopes(requested, client, server);
    const refused = requested.filter((scope) => !scopes.includes(scope));
    if (params.scope !== undefined && refused.length > 0) throw new InvalidScope(`scope ${refused.join(' ')} cannot be granted to this client${server === undefined ? '' : ` for resource ${server.resource}`}`);
    if (scopes.length === 0) throw new InvalidScope('no scope of the subject_token can be granted to this client');

    const subject: EndUserTokenSubject = {
      client,
      sub: subjectToken.sub!,
      scopes,
      grant_id: subjectToken.grant_id,
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      ...(server === undefined ? {} : { audience: server.resource }),
      ...(subjectToken.claims === undefined ? {} : { claims: subjectToken.claims }),
      ...(act === undefined ? {} : { act }),
      ...(subjectToken.sid === undefined ? {} : { sid: subjectToken.sid }),
      ...(subjectToken.auth_time === undefined ? {} : { auth_time: subjectToken.auth_time }),
      ...(subjectToken.amr === undefined ? {} : { amr: subjectToken.amr }),
      ...(subjectToken.acr === undefined ? {} : { acr: subjectToken.acr }),
      ...(dpop === undefined ? {} : { jkt: dpop.jkt }),
      not_after: subjectToken.expires_at,
    };
    const { access_token, expires_in } = await issueAccessToken(subject, ctx);
    ctx.events.emit('token.exchanged', { client_id: client.client_id, grant_id: subject.grant_id, sub: subject.sub, from_client_id: subjectToken.client_id, scope: scopes.join(' '), ...(server === undefined ? {} : { audience: server.resource }), ...(act === undefined ? {} : { act }) });
    return { access_token, issued_token_type: ACCESS_TOKEN_TYPE, token_type: tokenTypeFor(subject), expires_in, scope: scopes.join(' ') };
  },
};

/**
 * The record of the subject or actor token `value`, and the client it was issued to, if `client`
 * may exchange it: an active access token (as introspection would call it: its client enabled,
 * its end-user able to sign in), issued to the client or for an API the client is registered as,
 * and — bound to a DPoP key — presented with a proof by that key (`jkt`).
 * @throws InvalidRequest — the same for every reason a token is unknown or unusable.
 */
async function readTokenFor(parameter: 'subject_token' | 'actor_token', value: string, client: ClientRecord, jkt: string | undefined, ctx: ProviderContext): Promise<{ record: TokenRecord; owner: ClientRecord }> {
  const record = await findToken(value, ctx);
  const owner = record && (await ownerOf(record, client, ctx));
  if (!record || !owner || record.kind !== 'access_token' || !(await isStanding(record, owner, ctx))) throw new InvalidRequest(`${parameter} is not an active access token issued by this server`);
  if (!(await isTokenFor(record, client, ctx))) throw new InvalidRequest(`${parameter} was issued neither to this client nor for an API this client is registered as`);
  if (record.jkt !== undefined && jkt !== record.jkt) throw new InvalidRequest(`${parameter} is bound to a DPoP key: send a DPoP proof made with that key`);
  return { record, owner };
}

/**
 * The `act` of the token an exchange under delegation issues (RFC 8693 §4.1): the party of
 * `actorToken` — the end-user as the token's client knows them, or the client itself for a client
 * credentials token — with the subject token's actors nested.
 * @throws InvalidRequest — an unusable actor token, a missing proof of its key, a chain too long.
 */
async function actorOf(actorToken: string, subjectToken: TokenRecord, client: ClientRecord, jkt: string | undefined, ctx: ProviderContext): Promise<Actor> {
  const { record, owner } = await readTokenFor('actor_token', actorToken, client, jkt, ctx);
  const act: Actor = { sub: record.sub === undefined ? record.client_id : subjectFor(owner, record.sub, ctx), ...(subjectToken.act === undefined ? {} : { act: subjectToken.act }) };
  if (actorsIn(act) > MAX_ACTORS) throw new InvalidRequest(`subject_token names ${MAX_ACTORS} actors already: a token names at most ${MAX_ACTORS}`);
  return act;
}

/** How many actors `act` names: itself and those nested in it. */
function actorsIn(act: Actor): number {
  let count = 0;
  for (let actor: Actor | undefined = act; actor !== undefined; actor = actor.act) count += 1;
  return count;
}
