import type { AuthorizationDetail } from '../core/authorization-details.js';
import type { Actor, ClientRecord, RequestedClaims } from '../storage/types.js';

/** What a set of tokens is issued for: one client, one person, one authorization. */
export interface TokenSubject {
  client: ClientRecord;
  /** The end-user; absent for a token the client gets for itself (client credentials). */
  sub?: string;
  /** Granted scopes. */
  scopes: readonly string[];
  /** Identifies the authorization; every token it yields carries it (revocation, replay). */
  grant_id: string;
  /**
   * How these tokens are obtained: the token request's grant_type, or `implicit` at `/authorize`
   * (the grant type RFC 7591 §2 names for tokens sent from the authorization endpoint). Reported
   * in events and metrics, never stored.
   */
  grant_type: string;
  /** The resource server the access token is for (RFC 8707); none means no audience. */
  audience?: string;
  /** Claims requested one by one at authorization (OIDC Core §5.5). */
  claims?: RequestedClaims;
  /** RFC 9396: the authorization details the access token carries. */
  authorization_details?: AuthorizationDetail[];
  /** RFC 8693 §4.1: who acts for the end-user (a token exchange's actor, prior actors nested): the `act` claim. */
  act?: Actor;
  sid?: string;
  auth_time?: number;
  amr?: string[];
  acr?: string;
  /**
   * RFC 9449: the thumbprint of the DPoP key the token request proved it holds. The access token
   * is bound to it (`token_type: DPoP`); so is a new refresh token of a public client.
   */
  jkt?: string;
  /** The access token expires no later than this (token exchange: when the token it came from expires). */
  not_after?: number;
}

/** Tokens issued for an end-user's authorization (every grant but client credentials). */
export type EndUserTokenSubject = TokenSubject & { sub: string };

/** RFC 6749 §5.1 / OIDC Core §3.1.3.3 successful token response. */
export interface TokenResponse {
  access_token: string;
  /** RFC 8693 §2.2.1: the type of the token issued by a token exchange. */
  issued_token_type?: string;
  /** `DPoP` for an access token bound to a DPoP key (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope: string;
  /** RFC 9396 §7: the authorization details granted to the access token. */
  authorization_details?: AuthorizationDetail[];
}
