import { GROUPS } from '../accounts/groups.js';
import type { ProviderContext } from '../core/context.js';
import type { TokenRecord } from '../storage/types.js';
import { mintAccessToken, tokenTypeFor, type MintedAccessToken } from './access-token.js';
import { issueIdToken } from './id-token.js';
import { mintRefreshToken } from './refresh-token.js';
import type { EndUserTokenSubject, TokenResponse, TokenSubject } from './types.js';

/** What a token response is made of, before its rows are stored: `mintTokens`' answer. */
export interface MintedTokens {
  response: TokenResponse;
  /** The rows to store: the access token's, and the new refresh token's when one was made. */
  records: TokenRecord[];
  /** What `access_token.issued` tells (`tokensIssued`), once the rows are stored. */
  issued: MintedAccessToken['issued'];
}

/** Which tokens a response carries besides its access token (`mintTokens`, `issueTokens`). */
export interface TokenResponseOptions {
  /**
   * Issue a refresh token for the grant, with these scopes and authorization details (default:
   * the subject's) and absolute end; `value`, the token to store (default: a new random one). Or
   * `stored`: a refresh token stored already, to hand out again (a rotation's successor, within
   * the reuse grace window).
   */
  refreshToken?: { grant_expires_at: number; scopes?: readonly string[]; authorization_details?: TokenSubject['authorization_details']; value?: string } | { stored: string };
  nonce?: string;
}

/**
 * Makes the tokens of one token response — an access token, a refresh token when asked, and an ID
 * token (signed) when `openid` is among the subject's scopes — and their rows, without storing
 * them: for a caller that stores the rows with a write of its own in one transaction (a refresh
 * token's rotation), then tells `tokensIssued`. `issueTokens` stores them itself.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse
 */
export async function mintTokens(subject: EndUserTokenSubject, options: TokenResponseOptions, ctx: ProviderContext): Promise<MintedTokens> {
  const access = await mintAccessToken(subject, ctx);
  const { access_token, expires_in } = access;
  const response: TokenResponse = { access_token, token_type: tokenTypeFor(subject), expires_in, scope: subject.scopes.join(' ') };
  // RFC 9396 §7: the authorization details the access token was granted.
  if (subject.authorization_details !== undefined) response.authorization_details = subject.authorization_details;
  const records = [access.record];
  if (options.refreshToken && 'stored' in options.refreshToken) {
    response.refresh_token = options.refreshToken.stored;
  } else if (options.refreshToken) {
    const { grant_expires_at, scopes = subject.scopes, authorization_details = subject.authorization_details, value } = options.refreshToken;
    const refresh = mintRefreshToken({ ...subject, scopes, ...(authorization_details === undefined ? {} : { authorization_details }) }, grant_expires_at, ctx, value);
    response.refresh_token = refresh.refresh_token;
    records.push(refresh.record);
  }
  if (subject.scopes.includes('openid')) {
    response.id_token = await issueIdTokenFor(subject, { access_token, ...(options.nonce === undefined ? {} : { nonce: options.nonce }) }, ctx);
  }
  return { response, records, issued: access.issued };
}

/** Tells that the tokens `mintTokens` made are stored: `access_token.issued`. */
export function tokensIssued(minted: MintedTokens, ctx: ProviderContext): void {
  ctx.events.emit('access_token.issued', minted.issued);
}

/**
 * Issues the tokens of one token response (`mintTokens`). The tokens are made first and their
 * rows stored together — with `storeWith`'s write — so that they share one commit (on SQLite, one
 * turn of the group commit instead of one per row); the response is returned once all are stored.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse
 */
export async function issueTokens(
  subject: EndUserTokenSubject,
  options: TokenResponseOptions & {
    /** A write that belongs with these tokens (a refresh token's new idle expiry), stored with them. */
    storeWith?: () => Promise<void>;
  },
  ctx: ProviderContext,
): Promise<TokenResponse> {
  const minted = await mintTokens(subject, options, ctx);
  const writes = minted.records.map((record) => ctx.storage.tokens.insert(record));
  // Called inside an async function: should it throw before returning its promise, the inserts already started are still waited for.
  const { storeWith } = options;
  if (storeWith) writes.push((async () => storeWith())());
  await settleAll(writes);
  tokensIssued(minted, ctx);
  return minted.response;
}

/**
 * Issues the first tokens of an end-user's grant — a code's or a device code's exchange — as
 * `issueTokens` does, but stored only while the grant is not revoked (`insertUnlessGrantRevoked`:
 * the check and the insert in one statement). Undefined, with nothing stored and nothing told,
 * when the grant was revoked since it was given (its login session ended, its consent was
 * withdrawn, its account was disabled, a replay of its code was seen) or its account is disabled:
 * the tokens would read as revoked, the ID token not.
 */
export async function issueGrantTokens(subject: EndUserTokenSubject, options: TokenResponseOptions, ctx: ProviderContext): Promise<TokenResponse | undefined> {
  const minted = await mintTokens(subject, options, ctx);
  if (!(await ctx.storage.tokens.insertUnlessGrantRevoked(minted.records))) return undefined;
  tokensIssued(minted, ctx);
  return minted.response;
}

/** Waits for every write, then fails with the first failure if any did: none is left running unobserved. */
async function settleAll(writes: Promise<void>[]): Promise<void> {
  const outcomes = await Promise.allSettled(writes);
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * The ID token of `subject`'s authorization, with `at_hash` / `c_hash` for the access token and
 * code it travels with. It carries the claims requested for it one by one (OIDC Core §5.5), the
 * `groups` claim when the `groups` scope is granted (the ID token is where Kubernetes and many
 * applications look for it) and, with `scopeClaims` — when no access token is issued to fetch
 * them from `/userinfo` (§5.4) — the claims of the granted scopes too.
 */
export async function issueIdTokenFor(
  subject: EndUserTokenSubject,
  options: { nonce?: string; access_token?: string; code?: string; scopeClaims?: boolean },
  ctx: ProviderContext,
): Promise<string> {
  const asked = subject.claims?.id_token ?? [];
  const names = subject.scopes.includes(GROUPS) && !asked.includes(GROUPS) ? [...asked, GROUPS] : asked;
  const scopes = options.scopeClaims ? subject.scopes : [];
  const claims = names.length === 0 && scopes.length === 0 ? undefined : await ctx.accounts.claims(subject.sub, scopes, names);
  return issueIdToken(
    {
      client: subject.client,
      sub: subject.sub,
      ...(subject.auth_time === undefined ? {} : { auth_time: subject.auth_time }),
      ...(subject.amr === undefined ? {} : { amr: subject.amr }),
      ...(subject.acr === undefined ? {} : { acr: subject.acr }),
      ...(subject.sid === undefined ? {} : { sid: subject.sid }),
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
      ...(options.access_token === undefined ? {} : { access_token: options.access_token }),
      ...(options.code === undefined ? {} : { code: options.code }),
      ...(claims === undefined ? {} : { claims }),
    },
    ctx,
  );
}
