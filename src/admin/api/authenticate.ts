/**
 * Who may call the admin API: the admin API is an OAuth-protected resource of latchkey itself.
 * A request carries an access token (RFC 6750 §2.1 Bearer, or RFC 9449 DPoP with a proof) that latchkey issued with the
 * `latchkey:admin` scope: to an admin client by client credentials, or to an admin user through
 * the authorization code flow (the admin web UI). The token is checked on every request, and so
 * is the authority behind it: the client must still be enabled and registered for the scope, the
 * user must still be enabled and hold the admin role — and, with `adminRequiresTwoStep`, have
 * signed in with two factors (RFC 9470).
 */
import type { ProviderContext } from '../../core/context.js';
import { InsufficientScope, InsufficientUserAuthentication, InvalidToken, OAuthError } from '../../core/errors.js';
import { ACR_TWO_FACTORS, meetsLevel } from '../../interaction/assurance.js';
import { ADMIN_SCOPE } from '../../core/scopes.js';
import { dpopNonceHeaders } from '../../tokens/dpop.js';
import { readAuthorizationToken, type PresentedAccessToken } from '../../http/bearer.js';
import { findPresentedAccessToken, resourceChallenge } from '../../tokens/presented-access-token.js';

/** The caller of an admin operation. */
export interface Actor {
  /** As the audit log names it: `user:<sub>` or `client:<client_id>`. */
  id: string;
  /** The client the token was issued to. */
  client_id: string;
  /** The admin user, when the token was issued to a person. */
  sub?: string;
}

/** The caller, and the headers its answer carries (RFC 9449 §8: a DPoP request's `DPoP-Nonce`). */
export interface Authenticated {
  actor: Actor;
  responseHeaders: Record<string, string>;
}

/**
 * The actor behind the request's access token.
 * @throws InvalidToken (401) without a usable token; InsufficientScope (403) when it lacks the
 *   admin scope or its holder lost the authority to use it. Each with its Bearer challenge.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export async function authenticateAdmin(request: Request, ctx: ProviderContext): Promise<Authenticated> {
  let presented: PresentedAccessToken | undefined;
  try {
    presented = readAuthorizationToken(request);
    if (presented === undefined) throw new InvalidToken(`an access token with the ${ADMIN_SCOPE} scope is required`);
    // A DPoP proof's htu is the URL the caller sent to: the issuer's origin, and the path.
    return await findActor(presented, request, `${new URL(ctx.config.issuer).origin}${new URL(request.url).pathname}`, ctx);
  } catch (error) {
    if (error instanceof OAuthError) error.wwwAuthenticate = challenge(error, ctx.config.issuer, presented?.scheme);
    throw error;
  }
}

async function findActor(presented: PresentedAccessToken, request: Request, url: string, ctx: ProviderContext): Promise<Authenticated> {
  const { record, proof } = await findPresentedAccessToken(presented, request, url, ctx);
  const responseHeaders = dpopNonceHeaders(proof, ctx);
  if (!record) throw new InvalidToken('access token is invalid, expired or revoked');
  // A token issued for a resource server (RFC 8707) is that API's, not latchkey's.
  if (record.audience !== undefined) throw new InvalidToken('access token is for another audience');
  if (!record.scope.split(' ').includes(ADMIN_SCOPE)) throw new InsufficientScope(`access token lacks the ${ADMIN_SCOPE} scope`);

  const client = await ctx.storage.clients.find(record.client_id);
  if (!client || client.disabled) throw new InvalidToken('access token is invalid, expired or revoked', { cause: new Error('client gone or disabled') });
  if (record.sub === undefined) {
    if (!(client.scope ?? '').split(' ').includes(ADMIN_SCOPE)) throw new InsufficientScope(`the client is no longer registered for ${ADMIN_SCOPE}`);
    return { actor: { id: `client:${client.client_id}`, client_id: client.client_id }, responseHeaders };
  }
  const account = await ctx.storage.accounts.findBySub(record.sub);
  if (!account || account.disabled) throw new InvalidToken('access token is invalid, expired or revoked', { cause: new Error('account gone or disabled') });
  if (!account.roles.includes('admin')) throw new InsufficientScope('the account no longer has the admin role');
  if (ctx.config.adminRequiresTwoStep && !meetsLevel(record.acr, ACR_TWO_FACTORS)) {
    throw new InsufficientUserAuthentication('administrators must sign in with two-step verification', [ACR_TWO_FACTORS]);
  }
  return { actor: { id: `user:${account.sub}`, client_id: client.client_id, sub: account.sub }, responseHeaders };
}

/** RFC 6750 §3, §3.1: the challenge names the scope; the error code only when a token was sent. */
function challenge(error: OAuthError, issuer: string, scheme: PresentedAccessToken['scheme'] | undefined): string {
  const attributes = [`realm="${issuer}"`, `scope="${ADMIN_SCOPE}"`];
  if (scheme !== undefined) attributes.push(`error="${error.error}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
  // RFC 9470 §3: what login would do.
  if (error instanceof InsufficientUserAuthentication) attributes.push(`acr_values="${error.acrValues.join(' ')}"`);
  return resourceChallenge(scheme, error, attributes);
}
