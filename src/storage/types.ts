/**
 * The storage ports. The protocol engine sees storage only through these interfaces; the
 * backends in `memory/`, `sqlite/` (and later `postgres/`, `redis/`) implement them and pass
 * `conformance.ts`.
 *
 * Records keep protocol wire names (`client_id`, `redirect_uris`…). Every bearer value (codes,
 * tokens, session ids, client secrets) is stored only as its SHA-256 digest; the callers hash,
 * the stores never see a raw secret.
 */
import type { JWK } from 'jose';
import type { AuthorizationDetail } from '../core/authorization-details.js';
import type { ResponseMode, ResponseType } from '../core/response-types.js';

/** Epoch seconds. */
export type EpochSeconds = number;

/** RFC 7591 §2 client metadata, as latchkey stores it (wire names, defaults applied). */
export interface ClientMetadata {
  redirect_uris: string[];
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';
  grant_types: string[];
  response_types: string[];
  application_type: 'web' | 'native';
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  policy_uri?: string;
  tos_uri?: string;
  contacts?: string[];
  /** Space-separated scopes the client may request; unset means any supported scope. */
  scope?: string;
  id_token_signed_response_alg: string;
  post_logout_redirect_uris?: string[];
  /** OIDC Back-Channel Logout: where latchkey POSTs a logout token when the user logs out. */
  backchannel_logout_uri?: string;
  /** Whether the logout token must carry `sid` (it always does). */
  backchannel_logout_session_required?: boolean;
  /** OIDC Front-Channel Logout: loaded in an iframe of the logged-out page. */
  frontchannel_logout_uri?: string;
  /** Whether `iss` and `sid` are added to the front-channel URI (they always are). */
  frontchannel_logout_session_required?: boolean;
  /**
   * latchkey extension: whether each refresh-token redemption replaces the refresh token
   * (RFC 9700 §4.14.2). Unset means on for public clients, off for confidential ones.
   */
  refresh_token_rotation?: boolean;
  /** RFC 7591 §2: the client's public keys (for `private_key_jwt`), by value… */
  jwks?: { keys: JWK[] };
  /** …or by reference. */
  jwks_uri?: string;
  /** RFC 7591 §2: the only alg the client's assertions may use. */
  token_endpoint_auth_signing_alg?: string;
  /**
   * OIDC Registration §2, JARM §3: ID tokens, UserInfo answers, JWT authorization responses
   * encrypted to the client's key with this key management `alg` and content `enc` (default
   * A128CBC-HS256) — signed first, then encrypted.
   */
  id_token_encrypted_response_alg?: string;
  id_token_encrypted_response_enc?: string;
  userinfo_encrypted_response_alg?: string;
  userinfo_encrypted_response_enc?: string;
  authorization_encrypted_response_alg?: string;
  authorization_encrypted_response_enc?: string;
  /** OIDC Registration §2: when set, `/userinfo` answers this client with a JWT signed with this alg. */
  userinfo_signed_response_alg?: string;
  /** JARM §3: the alg of JWT-secured authorization responses for this client (default RS256). */
  authorization_signed_response_alg?: string;
  /** RFC 9701 §6: the alg of JWT introspection responses for this client (default RS256). */
  introspection_signed_response_alg?: string;
  /**
   * latchkey extension, set only by an administrator: a first-party application whose users are
   * not asked for consent (unless it sends `prompt=consent`).
   */
  skip_consent?: boolean;
  /**
   * latchkey's own, set only by an administrator: only end-users who belong to one of these
   * groups may use the client (accounts/groups.ts); others are refused at the authorization
   * endpoint (`access_denied`), at a refresh and at a token exchange (`invalid_grant`).
   */
  allowed_groups?: string[];
  /**
   * latchkey's own, set only by an administrator: the upstream providers (`upstreams/`, by id) the
   * login page offers this client's users — none with an empty list; every enabled one when absent.
   * An `idp_hint` naming another is ignored, and a sign-in through another is refused.
   */
  allowed_upstreams?: string[];
  /** OIDC Core §8: `public` (the same `sub` for every client) or `pairwise` (one per sector). */
  subject_type: 'public' | 'pairwise';
  /** OIDC Registration §5: a JSON array of the redirect URIs of one sector; its host is the sector. */
  sector_identifier_uri?: string;
  /**
   * RFC 9126 §6: the client's authorization requests are accepted only when pushed to `/par`
   * first (also required of every client by `requirePushedAuthorizationRequests`).
   */
  require_pushed_authorization_requests?: boolean;
  /** RFC 9449 §5.2: the client always sends a DPoP proof to the token endpoint; a token request without one is refused. */
  dpop_bound_access_tokens?: boolean;
  /**
   * OIDC Registration §2: the only algorithm the client's request objects (RFC 9101) may be
   * signed with (`none`: unsigned ones only). Unset: any it has keys for, or unsigned.
   */
  request_object_signing_alg?: string;
  /**
   * OIDC Registration §2: the JWE `alg` (one of latchkey's decryption algorithms) and `enc` the
   * client may encrypt its request objects with. Declarative: it may still send other supported
   * ones, or unencrypted objects.
   */
  request_object_encryption_alg?: string;
  request_object_encryption_enc?: string;
  /** RFC 7591 §2: the software's own identifier and version (the same for every instance of it). */
  software_id?: string;
  software_version?: string;
  /**
   * RFC 7591 §2.3: the software statement the client registered with at `/register`, as it was
   * verified (its publisher one of `softwareStatementIssuers`); returned unmodified. Never taken
   * from an administrator's metadata.
   */
  software_statement?: string;
  /**
   * OIDC Registration §2: the URLs the client serves request objects at (`request_uri` by
   * reference, OIDC Core §6.2); no other `request_uri` of its is fetched. A fragment is the
   * object's base64url SHA-256.
   */
  request_uris?: string[];
  /**
   * RFC 9101 §10.5: the client's authorization requests are accepted only as signed request
   * objects (also required of every client by `requireSignedRequestObject`).
   */
  require_signed_request_object?: boolean;
  /**
   * RFC 9396 §10.2: the authorization details types the client may request
   * (`authorization_details`); each must also be one latchkey offers (`authorizationDetailsTypes`).
   */
  authorization_details_types?: string[];
  /** OIDC Registration §2: the assurance levels asked for when a request asks none (voluntary, preferred first). */
  default_acr_values?: string[];
  /** OIDC Registration §2: the `max_age` of a request that sends none. */
  default_max_age?: number;
  /** OIDC Registration §2: ID tokens must carry `auth_time` (latchkey's always do). */
  require_auth_time?: boolean;
}

/** A registered client. */
export interface ClientRecord extends ClientMetadata {
  client_id: string;
  client_id_issued_at: EpochSeconds;
  /** base64url SHA-256 of the client secret; absent for public clients. */
  client_secret_digest?: string;
  /**
   * The client secret sealed under `LATCHKEY_SECRET`, kept only for `client_secret_jwt`, the one
   * method that needs the secret itself (to check HMAC signatures).
   */
  client_secret_encrypted?: string;
  /** RFC 7592: digest of the token with which a dynamically registered client manages itself. */
  registration_access_token_digest?: string;
  /** 0 when the secret does not expire (RFC 7591 §3.2.1). */
  client_secret_expires_at: EpochSeconds;
  updated_at: EpochSeconds;
  /** Set by an administrator: the client can neither authenticate nor start an authorization. */
  disabled?: boolean;
  /**
   * The client is its `client_id`'s metadata document (an https URL), fetched and kept by latchkey
   * (`clientIdMetadataDocuments`), not registered here: its metadata is the document's.
   */
  client_id_metadata_document?: boolean;
}

/** A built-in account (a person who logs in). */
export interface AccountRecord {
  /** The OIDC subject identifier: stable, never reassigned. */
  sub: string;
  username: string;
  /** argon2id PHC string; absent for accounts that cannot log in with a password. */
  password_hash?: string;
  email?: string;
  email_verified: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  /** Further OIDC Core §5.1 standard claims (address, phone_number, locale…). */
  claims: Record<string, unknown>;
  disabled: boolean;
  /** Roles within latchkey itself; `admin` may use the admin API and web UI. */
  roles: string[];
  /** The groups the person belongs to, released as the `groups` claim (accounts/groups.ts); absent when none. */
  groups?: string[];
  /** Two-step verification (RFC 6238 TOTP), when the person turned it on. */
  totp?: AccountTotp;
  /** The passkeys the person registered (WebAuthn), to sign in without a password. */
  passkeys?: AccountPasskey[];
  created_at: EpochSeconds;
  updated_at: EpochSeconds;
}

/** An account's authenticator app: the TOTP shared secret (base32), sealed under the master secret. */
export interface AccountTotp {
  sealed_secret: string;
  enabled_at: EpochSeconds;
  /** The recovery codes not used yet, as HMAC digests (accounts/recovery-codes.ts). */
  recovery_codes?: string[];
}

/**
 * A passkey: a WebAuthn public key credential (W3C Web Authentication Level 3) an account
 * registered. Nothing in it is secret.
 */
export interface AccountPasskey {
  /** The credential id, base64url: how the authenticator names the key. */
  id: string;
  /** The credential public key (COSE_Key), base64url. */
  public_key: string;
  /** The authenticator's signature counter at the last use (0 for authenticators that keep none). */
  counter: number;
  /** What the person called it ("Laptop"). */
  name: string;
  /** How the browser said it reaches the authenticator (`internal`, `hybrid`, `usb` …). */
  transports?: string[];
  /** The key may be synced to other devices (backup eligible): a software key rather than a device-bound one. */
  synced: boolean;
  created_at: EpochSeconds;
  last_used_at?: EpochSeconds;
}

/**
 * A resource server (an API) that access tokens can be issued for (RFC 8707 resource
 * indicators): its identifier is the `resource` a client asks for and the tokens' `aud`.
 */
export interface ResourceServerRecord {
  /** Absolute URI without fragment (RFC 8707 §2), e.g. `https://api.example.com`. */
  resource: string;
  name?: string;
  /** `opaque` (default): a random string checked by introspection; `jwt`: an RFC 9068 JWT. */
  access_token_format: 'opaque' | 'jwt';
  /** Lifetime of its access tokens; unset means `accessTokenTtlSeconds`. */
  access_token_ttl_seconds?: number;
  /** `jwt` tokens: the JWS algorithm they are signed with (RS256, PS256, ES256, EdDSA); unset means RS256. */
  access_token_signing_alg?: string;
  /** Space-separated scopes of this API that clients may be granted. */
  scope: string;
  /** The client the resource server authenticates as at `/introspect`: it may introspect tokens for it. */
  client_id?: string;
  created_at: EpochSeconds;
  updated_at: EpochSeconds;
}

/** A person's consent to a client for a set of scopes (remembered, so it is asked once). */
export interface ConsentRecord {
  sub: string;
  client_id: string;
  /** Space-separated granted scopes. */
  scope: string;
  /** Space-separated claims granted individually (the `claims` parameter) beyond the scopes' own; '' for none. */
  claims: string;
  granted_at: EpochSeconds;
}

/**
 * Claims a client asked for one by one with the `claims` parameter (OIDC Core §5.5): the names to
 * release, per place they are returned, and the `sub` the request demands.
 */
export interface RequestedClaims {
  userinfo?: string[];
  id_token?: string[];
  /** `claims.id_token.sub.value`: only this end-user may be the answer (§5.5.1.1). */
  sub?: string;
}

/**
 * RFC 8693 §4.1: who acts for a token's subject — the party of an exchange's `actor_token`, as the
 * exchanging client knows it (`sub`) — and, nested in `act`, the actors before it: the outermost is
 * the current actor.
 */
export interface Actor {
  sub: string;
  act?: Actor;
}

/** An opaque access token or a refresh token, stored by digest. */
export interface TokenRecord {
  /**
   * The key the token is found by: the base64url SHA-256 of its value — after its issue time in
   * hex and a dot, for an opaque token that carries its time (tokens/token-key.ts).
   */
  token_digest: string;
  kind: 'access_token' | 'refresh_token';
  client_id: string;
  /** Absent for tokens issued to the client itself (client credentials). */
  sub?: string;
  /** Space-separated scopes. */
  scope: string;
  /** Everything issued from one authorization (one code redemption) shares this id. */
  grant_id: string;
  /** The resource server the access token is for (RFC 8707), its `aud`. */
  audience?: string;
  /** Claims requested individually at authorization: `/userinfo` and refreshed ID tokens release them. */
  claims?: RequestedClaims;
  /** RFC 9396: the authorization details granted with the token, as the client asked for them. */
  authorization_details?: AuthorizationDetail[];
  /** RFC 8693 §4.1: the actor of a token exchanged under delegation, its `act` claim (prior actors nested). */
  act?: Actor;
  /** The `sid` of the login session the grant came from. */
  sid?: string;
  auth_time?: EpochSeconds;
  amr?: string[];
  /** Authentication Context Class Reference of the login, when the login named one. */
  acr?: string;
  /**
   * RFC 9449: the SHA-256 thumbprint of the DPoP key the token is bound to (`cnf.jkt`). A bound
   * access token is accepted only with a proof by that key; so is a bound refresh token (a public
   * client's).
   */
  jkt?: string;
  issued_at: EpochSeconds;
  expires_at: EpochSeconds;
  /**
   * Refresh tokens: when the grant's refresh tokens stop working whatever their idle lifetime
   * (the absolute lifetime, counted from the authorization).
   */
  grant_expires_at?: EpochSeconds;
  /** Refresh tokens under rotation: when the token was redeemed and replaced. */
  rotated_at?: EpochSeconds;
  /** Set when the token, or its whole grant, was revoked. */
  revoked_at?: EpochSeconds;
}

/** Lifecycle of a signing key: published before use, used, published after use, then gone. */
export type KeyState = 'next' | 'current' | 'previous' | 'retired';

/** A signing key pair; the private half is encrypted under `LATCHKEY_SECRET`. */
export interface KeyRecord {
  kid: string;
  alg: string;
  state: KeyState;
  public_jwk: JWK;
  /** Compact JWE (dir, A256GCM) of the private JWK. */
  private_jwk_encrypted: string;
  created_at: EpochSeconds;
  updated_at: EpochSeconds;
}

/** A validated authorization request, kept while the user logs in and consents. */
export interface AuthorizationRequest {
  client_id: string;
  redirect_uri: string;
  /** Whether `redirect_uri` was sent (RFC 6749 §4.1.3: then it is required at the token endpoint). */
  redirect_uri_provided: boolean;
  response_type: ResponseType;
  response_mode: ResponseMode;
  /** Requested scopes this server supports, in request order. */
  scopes: string[];
  /** RFC 8707: the resource server the access token will be for. */
  resource?: string;
  /** OIDC Core §5.5: claims requested one by one. */
  claims?: RequestedClaims;
  /** RFC 9396: what the client asks to do, object by object; shown on the consent page, granted whole or not at all. */
  authorization_details?: AuthorizationDetail[];
  state?: string;
  nonce?: string;
  code_challenge?: string;
  code_challenge_method?: 'S256';
  prompt: string[];
  max_age?: number;
  login_hint?: string;
  /**
   * `idp_hint`: the id of an upstream provider to sign in at (`upstreams/`) — the login step goes
   * straight there instead of drawing the login page. A hint: an unknown or disabled one is ignored.
   */
  idp_hint?: string;
  /**
   * The end-user the request names, as the client knows them (pairwise or not): the `sub` of a
   * verified `id_token_hint`, or of a `claims` request for a `sub` value (OIDC Core §5.5.1.1).
   */
  required_sub?: string;
  ui_locales?: string;
  /**
   * The assurance levels asked for, preferred first: `acr_values` (OIDC Core §3.1.2.1), the
   * `claims` parameter's `id_token.acr` values, or the client's `default_acr_values`.
   */
  acr_values?: string[];
  /** The levels were asked as an essential `acr` claim (§5.5.1.1): a login below them fails the request. */
  acr_essential?: true;
  /**
   * RFC 9449 §10: the thumbprint of the DPoP key the code is bound to — from `dpop_jkt`, or from
   * the proof sent with a pushed request. Its exchange needs a proof by that key.
   */
  dpop_jkt?: string;
}

/** The end-user's login at this provider, referenced by the session cookie. */
export interface SessionRecord {
  /** Public session identifier, the ID token's `sid` claim; not a secret. */
  sid: string;
  sub: string;
  auth_time: EpochSeconds;
  amr: string[];
  /** Authentication Context Class Reference the login achieved (OIDC Core §2 `acr`), when known. */
  acr?: string;
  /** The browser the login was made in: its `User-Agent`, at most 256 characters — for the person to tell sessions apart. */
  user_agent?: string;
  /** The address the login came from, as latchkey saw it (past trusted proxies). */
  address?: string;
}

/** A login / consent interaction in progress for one authorization request. */
export interface InteractionRecord {
  request: AuthorizationRequest;
  /**
   * Set when the interaction approves a device authorization (RFC 8628) instead of answering a
   * redirect: the storage id of the device code. `request` then carries the client and scopes,
   * and no redirect URI.
   */
  device_code_id?: string;
  /**
   * A login whose password was right and whose second step (the authenticator's code) is still
   * to come: who, and when the password was checked. Nobody is signed in until the code is.
   * For a step up (assurance.ts), `sid`: the session whose password stands for the first step —
   * it must still be this browser's when the code comes.
   */
  /**
   * A login past its first step, waiting for the code; `passkeys`: the account has passkeys (the
   * code page offers them); `amr`: the first step's methods (`pwd`; `fed` after an upstream provider; absent: `pwd`, as before).
   */
  pending_login?: { accountId: string; username: string; at: EpochSeconds; sid?: string; passkeys?: boolean; amr?: string[] };
  /** A sign-in sent to an upstream provider, waiting for its callback (`upstreams/`): the request's secrets. */
  upstream_request?: { upstream_id: string; state: string; nonce: string; code_verifier: string; at: EpochSeconds };
  /**
   * A person signed in at an upstream provider whose identity there is connected to no account:
   * signing in here connects it; where the upstream allows, they may create an account instead.
   */
  upstream_identity?: { upstream_id: string; at: EpochSeconds; profile: UpstreamProfileRecord };
  /**
   * A login was held back for an address not confirmed yet (`requireVerifiedEmail`): the address a
   * link went to, which the login page names until someone signs in.
   */
  unconfirmed_email?: string;
  /** The request's `idp_hint` was followed once: the login step draws the login page from then on. */
  upstream_hint_followed?: true;
  /** Synchronizer token every form POST of this interaction must carry. */
  csrf_token: string;
  created_at: EpochSeconds;
  /** The language its pages speak (`chooseLanguage`, i18n/), chosen when it started; absent: the default. */
  lang?: string;
  /** Set once the user has logged in during this interaction (satisfies prompt=login, max_age). */
  login?: { sub: string; auth_time: EpochSeconds };
  /** Set once the user has consented during this interaction (satisfies prompt=consent). */
  consented?: boolean;
  /** What the interaction asks of the user now; the host's pages read it. */
  prompt?: 'login' | 'consent';
  /** For `prompt: 'consent'`: whose consent is asked (the session's account when it was decided). */
  account_sub?: string;
  /** What the host's pages decided (`provider.interactions.finish`), applied at the resume URL. */
  result?: InteractionResult;
}

/**
 * What a login / consent page decided: the user logged in, consented, or neither. The built-in
 * pages produce it from their forms; a host application's own pages hand it to
 * `provider.interactions.finish()`.
 */
export type InteractionResult =
  | {
      /** The user authenticated as `accountId` (`Accounts.findById` must know it). */
      login?: { accountId: string; amr?: string[]; acr?: string };
      /**
       * The user consented. `scopes` / `claims`: what was granted, a subset of what was asked
       * (default: everything asked); the authorization then gets only that.
       */
      consent?: { scopes?: string[]; claims?: string[] };
    }
  | {
      /** The user refused or cannot go on; sent to the client as an RFC 6749 §4.1.2.1 error. */
      error: 'access_denied' | 'login_required' | 'consent_required' | 'interaction_required' | 'account_selection_required' | 'unmet_authentication_requirements';
      error_description?: string;
    };

/** An authorization code, bound to everything the token endpoint must check. */
export interface AuthorizationCodeRecord {
  client_id: string;
  redirect_uri: string;
  redirect_uri_provided: boolean;
  /** Space-separated granted scopes. */
  scope: string;
  sub: string;
  sid: string;
  auth_time: EpochSeconds;
  amr: string[];
  acr?: string;
  nonce?: string;
  code_challenge?: string;
  /** RFC 8707: the resource server the access token will be for. */
  resource?: string;
  /** OIDC Core §5.5: claims requested one by one. */
  claims?: RequestedClaims;
  /** RFC 9396: the authorization details the end-user approved. */
  authorization_details?: AuthorizationDetail[];
  /** Grant id the redemption's tokens will carry, so that a replay can revoke them. */
  grant_id: string;
  /** RFC 9449 §10: only a token request with a DPoP proof by this key may redeem the code. */
  dpop_jkt?: string;
  issued_at: EpochSeconds;
  expires_at: EpochSeconds;
}

/** A DPoP proof's `jti`, remembered while its `iat` could still be accepted (RFC 9449 §11.1). */
export interface SeenDpopProofRecord {
  jkt: string;
}

/** A TOTP code accepted for an account, remembered while it could still be accepted (RFC 6238 §5.2: once). */
export interface UsedTotpCodeRecord {
  sub: string;
}

/** A password reset link, stored by the digest of its token: whose, over which password, from which sign-in. */
export interface PasswordResetRecord {
  sub: string;
  username: string;
  /** `PasswordResetTarget.version`: the link works while the password is still this one. */
  version: string;
  /** Where the link was sent: using it confirms that address (`Accounts.verifyEmail`). */
  email?: string;
  /** The interaction whose login page asked: the reset goes back to it. */
  interaction_uid?: string;
  /** `PasswordResetTarget.first`: the account had no password when the link was sent (its version says it still has none). */
  first?: true;
  /** The language the mail spoke (the sign-in's that asked): the link's page speaks it too. */
  lang?: string;
}

/** A link confirming an account's email address, stored by the digest of its token. */
export interface EmailVerificationRecord {
  sub: string;
  username: string;
  /** The address the link was sent to: it confirms that one only. */
  email: string;
  /** The language the mail spoke (a registration's): the link's page speaks it too. */
  lang?: string;
  /**
   * The link confirms a change of the account's address to `email`, from this one (`email`
   * absent: from none), which the account keeps until the link is used (`requireVerifiedEmail`).
   */
  replaces?: { email?: string };
}

/** A recovery code used by an account, remembered long after (once only, even against a racing login). */
export interface UsedRecoveryCodeRecord {
  sub: string;
}

/** A client assertion's `jti`, remembered until the assertion expires (RFC 7523 §3 item 7). */
export interface SeenJwtRecord {
  client_id: string;
}

/** A device authorization in progress (RFC 8628), stored by the device code's digest. */
export interface DeviceCodeRecord {
  client_id: string;
  /** Space-separated requested scopes (already narrowed to what the client may be granted). */
  scope: string;
  /** Digest of the normalized user code, to retire it once the user decided. */
  user_code_id: string;
  status: 'pending' | 'approved' | 'denied';
  /** The approving user's login, once approved. */
  sub?: string;
  sid?: string;
  auth_time?: EpochSeconds;
  amr?: string[];
  acr?: string;
  /** RFC 8707: the resource server the access token will be for. */
  resource?: string;
  /** RFC 9396: what the device asks to do; shown when the user approves, granted whole. */
  authorization_details?: AuthorizationDetail[];
  /** Grant id of the tokens the device will get, fixed now so that a replay can revoke them. */
  grant_id: string;
  issued_at: EpochSeconds;
  /** Past this, polling answers `expired_token` (the record outlives it a little to say so). */
  expires_at: EpochSeconds;
}

/** The device's polling pace, kept apart from the device code so that polls never overwrite an approval. */
export interface DevicePollRecord {
  last_polled_at: EpochSeconds;
  interval: number;
}

/** A user code, pointing at its device code. */
export interface UserCodeRecord {
  device_code_id: string;
}

/** A logout request waiting for the user's confirmation (RP-Initiated Logout §2). */
export interface LogoutRequestRecord {
  client_id?: string;
  post_logout_redirect_uri?: string;
  state?: string;
}

/** An initial access token (RFC 7591 §3): lets its holder register one client. */
export interface InitialAccessTokenRecord {
  issued_at: EpochSeconds;
  /** Who issued it (`cli`, `client:<id>`, `user:<sub>`), for the admin's list. */
  issued_by?: string;
}

/**
 * An authorization request pushed to `/par` (RFC 9126), stored under the digest of its
 * `request_uri` until it is used at `/authorize`, once.
 */
export interface PushedAuthorizationRequestRecord {
  /** The client that pushed it, and the only one that may use it. */
  client_id: string;
  /** The authorization request's parameters as pushed (client authentication's left out), validated again when used. */
  params: Record<string, string>;
  /** They came in a request object the client signed (RFC 9101). */
  signed?: boolean;
}

/** The short-lived artifacts, by kind. */
export interface Artifacts {
  initial_access_token: InitialAccessTokenRecord;
  device_code: DeviceCodeRecord;
  device_poll: DevicePollRecord;
  user_code: UserCodeRecord;
  logout_request: LogoutRequestRecord;
  authorization_code: AuthorizationCodeRecord;
  client_assertion_jti: SeenJwtRecord;
  interaction: InteractionRecord;
  session: SessionRecord;
  pushed_authorization_request: PushedAuthorizationRequestRecord;
  dpop_proof_jti: SeenDpopProofRecord;
  totp_code: UsedTotpCodeRecord;
  recovery_code: UsedRecoveryCodeRecord;
  password_reset: PasswordResetRecord;
  /** An account sent a reset link within the minute: no second one yet. */
  password_reset_sent: { sub: string };
  email_verification: EmailVerificationRecord;
  /** An account sent a confirmation link within the minute: no second one yet. */
  email_verification_sent: { sub: string };
  /** A passkey sign-in's challenge, spent: the same signed response is not taken twice. */
  passkey_assertion: { sub: string };
  /** A signed-in person connecting an identity at an upstream from the account console, waiting for its callback (`upstreams/`). */
  upstream_connect: { sub: string; upstream_id: string; state: string; nonce: string; code_verifier: string; return_to: string };
  /**
   * A browser an account signed in with (id: the sub and the digest of the browser's cookie), or
   * that the account signed in with any browser before (id: the sub): accounts/known-browsers.ts.
   */
  known_browser: { seen_at: EpochSeconds };
}

/** The kinds of short-lived artifacts (`authorization_code`, `session`, `interaction` …). */
export type ArtifactKind = keyof Artifacts;

/** The artifacts an administrator can list (`ArtifactStore.list`); the others are only found by id. */
export type ListableArtifactKind = 'session' | 'initial_access_token';

/**
 * An email address as accounts are found by it (`AccountStore.findByEmail`): its ASCII letters in
 * lower case, nothing else changed — what SQLite's `lower()` does, so that every backend finds
 * the same accounts for the same address.
 */
export function emailKey(email: string): string {
  return email.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Listable kinds whose artifacts belong to someone: they can be listed by `owner` too. */
export function artifactOwner(kind: ArtifactKind, value: unknown): string | undefined {
  return kind === 'session' ? (value as SessionRecord).sub : undefined;
}

/** True for the kinds `ArtifactStore.list` answers for. */
export function isListableArtifact(kind: ArtifactKind): kind is ListableArtifactKind {
  return kind === 'session' || kind === 'initial_access_token';
}

/** A listed artifact: its storage id (a digest, not a secret), its value and its expiry. */
export interface ListedArtifact<K extends ListableArtifactKind> {
  id: string;
  value: Artifacts[K];
  expires_at: EpochSeconds;
  /** Whether it has been consumed (a spent initial access token is kept to detect a replay). */
  consumed: boolean;
}

/** Result of `ArtifactStore.consume`. */
export interface Consumed<T> {
  value: T;
  /** True when the artifact had already been consumed before this call. */
  replayed: boolean;
}

/** Short-lived artifacts with expiry; SQL by default, Redis when configured. */
export interface ArtifactStore {
  /** Stores `value` under (`kind`, `id`) for `ttlSeconds`, replacing any previous value. */
  put<K extends ArtifactKind>(kind: K, id: string, value: Artifacts[K], ttlSeconds: number): Promise<void>;
  /**
   * Stores `value` only if no unexpired artifact (`kind`, `id`) exists: true when stored. Atomic
   * across processes; used for replay caches (a `jti` seen twice).
   */
  add<K extends ArtifactKind>(kind: K, id: string, value: Artifacts[K], ttlSeconds: number): Promise<boolean>;
  /** The unexpired value, consumed or not; undefined when absent or expired. */
  find<K extends ArtifactKind>(kind: K, id: string): Promise<Artifacts[K] | undefined>;
  /**
   * Atomically marks the artifact used. The first call reports `replayed: false`; every later
   * call (from any process) reports `replayed: true`. Undefined when absent or expired.
   */
  consume<K extends ArtifactKind>(kind: K, id: string): Promise<Consumed<Artifacts[K]> | undefined>;
  delete(kind: ArtifactKind, id: string): Promise<void>;
  /**
   * Adds one to a counter that expires `windowSeconds` after its first increment; returns the
   * new count. Used for rate limits.
   */
  increment(counter: string, windowSeconds: number): Promise<number>;
  /** The counter's current value (0 when absent or expired). */
  readCounter(counter: string): Promise<number>;
  resetCounter(counter: string): Promise<void>;
  /**
   * The unexpired artifacts of a listable kind, of `owner` when given (sessions: their `sub`),
   * in expiry order (then id), a page at a time.
   */
  list<K extends ListableArtifactKind>(kind: K, options: ListOptions & { owner?: string }): Promise<Page<ListedArtifact<K>>>;
  /** How many unexpired artifacts of a listable kind there are. */
  count(kind: ListableArtifactKind): Promise<number>;
}

/** Page of a list: `next` is the cursor for the following page, absent on the last. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** Paging of a list: at most `limit` records after the `after` cursor. */
export interface ListOptions {
  /** Opaque cursor from a previous page. */
  after?: string;
  limit: number;
}

/** Registered clients. */
export interface ClientStore {
  find(client_id: string): Promise<ClientRecord | undefined>;
  /** @throws StorageConflict when `client_id` exists. */
  create(client: ClientRecord): Promise<void>;
  /** Replaces a client; false when it does not exist. */
  update(client: ClientRecord): Promise<boolean>;
  delete(client_id: string): Promise<boolean>;
  /**
   * Clients in `client_id` order; with `search`, only those whose client_id or metadata (name,
   * redirect URIs, contacts …) contains it, without regard to case.
   */
  list(options: ListOptions & { search?: string }): Promise<Page<ClientRecord>>;
}

/** Registered resource servers. */
export interface ResourceServerStore {
  find(resource: string): Promise<ResourceServerRecord | undefined>;
  /** The resource servers that authenticate as `client_id`. */
  findByClientId(client_id: string): Promise<ResourceServerRecord[]>;
  /** @throws StorageConflict when `resource` exists. */
  create(server: ResourceServerRecord): Promise<void>;
  update(server: ResourceServerRecord): Promise<boolean>;
  delete(resource: string): Promise<boolean>;
  list(options: ListOptions): Promise<Page<ResourceServerRecord>>;
}

/**
 * An upstream OpenID Provider people may sign in with instead of a password here (`upstreams/`):
 * latchkey is its relying party, registered there with `client_id` and the callback
 * `{issuer}/upstream/{id}/callback`.
 */
export interface UpstreamProviderRecord {
  /** Lowercase letters, digits and hyphens: the callback's path segment. */
  id: string;
  /** What the login page calls it ("Sign in with {name}"). */
  name: string;
  /** Its issuer identifier: its metadata is discovered from it (OIDC Discovery, RFC 8414). */
  issuer: string;
  client_id: string;
  /** The client secret the upstream gave latchkey, sealed under the master secret; absent for a public client (PKCE alone). */
  sealed_client_secret?: string;
  /** The scopes asked of it; `openid` always among them. */
  scope: string;
  /** A person whose identity there is connected to no account here may create one by signing in. */
  create_accounts: boolean;
  /** At every sign-in through it, the account's names and address are set to what it says. */
  sync_profile: boolean;
  /** At every sign-in through it (and at an account's creation), the account's groups are set to its `groups` claim. */
  sync_groups: boolean;
  /** Not offered on the login page, and its callbacks refused. */
  disabled: boolean;
  created_at: EpochSeconds;
  updated_at: EpochSeconds;
}

/** Upstream OpenID Providers, by id. Few: listed whole. */
export interface UpstreamProviderStore {
  find(id: string): Promise<UpstreamProviderRecord | undefined>;
  /** Every one, in order of id. */
  list(): Promise<UpstreamProviderRecord[]>;
  /** @throws StorageConflict when `id` exists. */
  create(upstream: UpstreamProviderRecord): Promise<void>;
  update(upstream: UpstreamProviderRecord): Promise<boolean>;
  /** Deletes it and, in the same transaction, every account's identity there. */
  delete(id: string): Promise<boolean>;
}

/** What an upstream provider said of a person (`upstreams/upstream-client.ts`' `UpstreamProfile`). */
export interface UpstreamProfileRecord {
  subject: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  /** Its `groups` claim, as far as the names are names latchkey takes (`accounts/groups.ts`). */
  groups?: string[];
}

/** An account's identity at an upstream provider: the `sub` it has there, connected to the account here. */
export interface UpstreamIdentityRecord {
  upstream_id: string;
  /** The `sub` of the person's ID tokens at the upstream. */
  subject: string;
  /** The account here. */
  sub: string;
  /** The address the upstream gave when it was connected, for people to tell their identities apart. */
  email?: string;
  created_at: EpochSeconds;
  last_used_at?: EpochSeconds;
}

/** Built-in accounts. Usernames are unique without regard to case. */
export interface AccountStore {
  findBySub(sub: string): Promise<AccountRecord | undefined>;
  findByUsername(username: string): Promise<AccountRecord | undefined>;
  /**
   * The accounts whose email address is `email`, without regard to the case of ASCII letters
   * (`emailKey`), in username order, at most `limit`: an address is not unique — one person may
   * have several accounts.
   */
  findByEmail(email: string, limit: number): Promise<AccountRecord[]>;
  /** @throws StorageConflict when the `sub` or the username exists. */
  create(account: AccountRecord): Promise<void>;
  /**
   * Replaces the account; false when there is none. Stored disabled, it also revokes every grant
   * of its `sub` in the same transaction — each grant's tokens, offline ones too, and any issued
   * later for it (`TokenStore.revokeGrant`): no token, code or device code given before stays
   * usable, and none works again when the account is enabled again. The engine relies on it to
   * stop a disabled account's tokens without reading the account on every code exchange, refresh
   * and introspection (`Accounts.disablingRevokesGrants`).
   * @throws StorageConflict when the username is another account's.
   */
  update(account: AccountRecord): Promise<boolean>;
  /**
   * Sets the password hash of `sub` to `next` if it is still `current`, and nothing else (a
   * password rehashed at login: a password changed meanwhile, or any other field changed
   * meanwhile, stays as it is). False when the account is gone or its hash is no longer `current`.
   */
  replacePasswordHash(sub: string, current: string, next: string): Promise<boolean>;
  /**
   * Deletes the account `sub` in one transaction with what is only its: every grant of it is
   * revoked (its codes and tokens, offline ones too, read as revoked from that commit) and its
   * consents and upstream identities are deleted. Its username is free again (a new account gets a new `sub`).
   * @returns false when there is no such account (nothing changed).
   */
  delete(sub: string): Promise<boolean>;
  /**
   * Accounts in username order (without regard to case); with `search`, only those whose
   * username, email or name contains it, without regard to case; with `role`, only those that
   * have it; with `group`, only the members of that group (its name exactly).
   */
  list(options: ListOptions & { search?: string; role?: string; group?: string }): Promise<Page<AccountRecord>>;
  /** Every group some account belongs to, with how many accounts do, in code-point order of name. */
  groups(): Promise<{ name: string; members: number }[]>;
  /** The identity `subject` at upstream `upstream_id`, if it is connected to an account. */
  findUpstreamIdentity(upstream_id: string, subject: string): Promise<UpstreamIdentityRecord | undefined>;
  /** The upstream identities connected to `sub`, in order of upstream. */
  upstreamIdentities(sub: string): Promise<UpstreamIdentityRecord[]>;
  /**
   * Connects an upstream identity to its account: one account per identity, one identity per
   * account at each upstream. `account`: the account is created with it, in one transaction.
   * @throws StorageConflict when the identity is connected already, the account has one at that
   *   upstream, or (with `account`) the `sub` or username exists.
   */
  connectUpstreamIdentity(identity: UpstreamIdentityRecord, account?: AccountRecord): Promise<void>;
  /** Records a sign-in through the identity. */
  touchUpstreamIdentity(upstream_id: string, subject: string, at: EpochSeconds): Promise<void>;
  /** False when `sub` has no identity at `upstream_id`. */
  disconnectUpstreamIdentity(sub: string, upstream_id: string): Promise<boolean>;
}

/** Remembered consents, one per (sub, client_id). */
export interface ConsentStore {
  find(sub: string, client_id: string): Promise<ConsentRecord | undefined>;
  /** Creates or replaces the consent of `sub` for `client_id`. */
  put(consent: ConsentRecord): Promise<void>;
  delete(sub: string, client_id: string): Promise<void>;
  /** The consents of `sub` and/or to `client_id`, by (sub, client_id), a page at a time. */
  list(filter: { sub?: string; client_id?: string }, options: ListOptions): Promise<Page<ConsentRecord>>;
}

/**
 * A grant an end-user gave a client: one authorization (`/authorize` answered, a device code
 * approved) and every token it yields, which carry its `grant_id`. Stored when it is given, before
 * its code or tokens exist: what logout and a withdrawn consent find grants by.
 */
export interface GrantRecord {
  grant_id: string;
  client_id: string;
  sub: string;
  /** The login session it was given in. */
  sid?: string;
  /** Given `offline_access`: it outlives its login session (OIDC Core §11). */
  offline: boolean;
  /** As long as a token of it can live (`grantRecord`): the record is swept after. */
  expires_at: EpochSeconds;
}

/** Opaque access tokens and refresh tokens (JWT access tokens too, by their digest), and end-users' grants. */
export interface TokenStore {
  /** Stores a token: of the client itself (client credentials), or of a grant whose record is stored (`insertGrant`). */
  insert(token: TokenRecord): Promise<void>;
  /** Stores the record of a grant an end-user gives, before any code or token of it. */
  insertGrant(grant: GrantRecord): Promise<void>;
  /**
   * The token with this digest, expired or not. `revoked_at` is set when the token or its grant
   * was revoked, including a grant revoked before this token was inserted.
   */
  find(token_digest: string): Promise<TokenRecord | undefined>;
  revoke(token_digest: string, at: EpochSeconds): Promise<void>;
  /**
   * Revokes every token of the grant, and any inserted later for it (a code replay can race
   * its first redemption).
   */
  revokeGrant(grant_id: string, at: EpochSeconds): Promise<void>;
  /**
   * Stores the first tokens of a grant (those a code or a device code is exchanged for), all of
   * the one grant, together and only while that grant is not revoked (`revokeGrant`,
   * `revokeSession`, `revokeGrantsOf`) and its `sub` is no disabled built-in account (a grant
   * given in the moment its account was being disabled, after the revocation of its grants):
   * true when stored; false, with nothing stored, when it was.
   */
  insertUnlessGrantRevoked(tokens: readonly TokenRecord[]): Promise<boolean>;
  /**
   * Rotates a refresh token: atomically marks it rotated at `at` and stores `successors` (the
   * tokens its rotation issues) with the mark, in one transaction. True for the one call that
   * marked it, whose successors are then stored; false for every other (concurrent or later, from
   * any process) and for an unknown token, which store nothing. Should storing a successor fail,
   * the token is left unrotated and the call fails.
   */
  rotate(token_digest: string, at: EpochSeconds, successors: readonly TokenRecord[]): Promise<boolean>;
  /** Sets a token's expiry (a refresh token's idle lifetime starting again). */
  setExpiry(token_digest: string, expires_at: EpochSeconds): Promise<void>;
  /**
   * Revokes the grants issued from login session `sid` — each grant's tokens, and any issued
   * later for it — except those given `offline_access` (they were granted to outlive the
   * session: OIDC Core §11).
   */
  revokeSession(sid: string, at: EpochSeconds): Promise<void>;
  /** The client_ids of the grants issued from login session `sid`, until they expire (logout notifies them). */
  clientsOfSession(sid: string): Promise<string[]>;
  /**
   * Revokes every grant `sub` gave `client_id` — each grant's tokens, and any issued later for
   * it — as when the consent is withdrawn. Returns how many grants.
   */
  revokeGrantsOf(sub: string, client_id: string, at: EpochSeconds): Promise<number>;
}

/** Something an actor did, recorded in the audit log. */
export interface AuditEvent {
  /** Assigned by the store: increasing, opaque. */
  id?: string;
  at: EpochSeconds;
  /** `<thing>.<past-tense verb>`: `client.created`, `key.rotated`, `login.failed` … */
  type: string;
  /**
   * Who did it: `user:<sub>`, `client:<client_id>`, `cli`, `system` (latchkey itself, or the host
   * application's code), or `anonymous`.
   */
  actor: string;
  client_id?: string;
  sub?: string;
  /** What it was done to, when not the client or the account (a kid, a resource, a session id). */
  target?: string;
  /** Further details; never a secret. */
  data: Record<string, unknown>;
}

/** What the audit log can be filtered by. */
export interface AuditFilter {
  type?: string;
  actor?: string;
  client_id?: string;
  sub?: string;
  /** From this time on (inclusive). */
  since?: EpochSeconds;
  /** Before this time (exclusive). */
  until?: EpochSeconds;
}

/** The audit log: append-only, read newest first. */
export interface AuditStore {
  append(events: readonly AuditEvent[]): Promise<void>;
  list(filter: AuditFilter, options: ListOptions): Promise<Page<AuditEvent & { id: string }>>;
}

/** How long per-minute metric buckets are kept: `sweepExpired` deletes older ones. 24 hours. */
export const METRIC_RETENTION_SECONDS = 86_400;

/** The longest absolute lifetime of a grant (`refreshTokenTtlSeconds`) the configuration accepts: a year. */
export const LONGEST_GRANT_SECONDS = 31_536_000;

/** The longest access-token lifetime the configuration and resource servers accept: a day. */
export const LONGEST_ACCESS_TOKEN_SECONDS = 86_400;

/**
 * How long a grant's revocation (`TokenStore.revokeGrant`) is kept: `sweepExpired` forgets older
 * ones, once no token of the grant can still be active. A grant started before its revocation and
 * its refresh tokens end with it, at most `LONGEST_GRANT_SECONDS` after its start; a token that
 * an exchange or refresh in flight issues just after the revocation lasts at most
 * `LONGEST_ACCESS_TOKEN_SECONDS`. One day more for what is in flight: a year and two days,
 * whatever lifetimes are configured now (the configuration's limits are these constants).
 */
export const REVOKED_GRANT_RETENTION_SECONDS = LONGEST_GRANT_SECONDS + LONGEST_ACCESS_TOKEN_SECONDS + 86_400;

/**
 * A count in one per-minute bucket of one series (`tokens_issued/authorization_code`,
 * `http_responses/5xx` …): what every process of an installation adds up in shared storage, so
 * that the admin dashboard sees the whole installation.
 */
export interface MetricSample {
  /** The series: a name, and after a `/` the value it is counted by. */
  series: string;
  /** Start of the minute (epoch seconds, a multiple of 60). */
  minute: EpochSeconds;
  count: number;
}

/** Per-minute counters of the provider's own activity, kept `METRIC_RETENTION_SECONDS`. */
export interface MetricStore {
  /**
   * Adds each sample's `count` to its (series, minute) bucket, creating the bucket at 0 first.
   * Additive and atomic per bucket across connections and processes: concurrent adds all count.
   * Samples of the same bucket within one call add up too.
   */
  add(samples: readonly MetricSample[]): Promise<void>;
  /** The buckets of minutes from `since` on (inclusive), in (minute, series) order. */
  read(since: EpochSeconds): Promise<MetricSample[]>;
}

/** Signing and decryption keys. */
export interface KeyStore {
  list(): Promise<KeyRecord[]>;
  insert(key: KeyRecord): Promise<void>;
  setState(kid: string, state: KeyState, at: EpochSeconds): Promise<void>;
}

/** A client or a resource server that changed, by its id; `all` when any may have changed. */
export type RegistrationChange = { kind: 'client'; id: string } | { kind: 'resource_server'; id: string } | { kind: 'all' };

/** Everything a backend provides. */
export interface Storage {
  readonly clients: ClientStore;
  readonly resourceServers: ResourceServerStore;
  readonly accounts: AccountStore;
  readonly upstreams: UpstreamProviderStore;
  readonly consents: ConsentStore;
  readonly tokens: TokenStore;
  readonly keys: KeyStore;
  readonly artifacts: ArtifactStore;
  readonly audit: AuditStore;
  /** Per-minute counters for the admin dashboard; durable, shared by every process. */
  readonly metrics: MetricStore;
  /** Runs `fn` with stores whose writes commit together or not at all. */
  transaction<T>(fn: (storage: Storage) => Promise<T>): Promise<T>;
  /**
   * Deletes expired artifacts, tokens expired before `before`, grant revocations older than
   * `REVOKED_GRANT_RETENTION_SECONDS` before it, and metric buckets older than
   * `METRIC_RETENTION_SECONDS` before it — in bounded batches where the backend has statements
   * (the SQL ones), so that a large backlog never holds the database or the event loop long.
   */
  sweepExpired(before: EpochSeconds): Promise<void>;
  /** Resolves when the backend can serve requests; rejects otherwise. */
  ping(): Promise<void>;
  /**
   * Optional: calls `listener` soon after any process changes the signing keys, so that caches
   * of them are dropped at once rather than at their next refresh. Backends shared by several
   * machines implement it (PostgreSQL: LISTEN/NOTIFY); without it, caches refresh on a timer.
   * Resolves with a function that stops listening.
   */
  watchKeys?(listener: () => void): Promise<() => Promise<void>>;
  /**
   * Optional: calls `listener` when a client or a resource server is created, updated or
   * deleted — at once for a write through this storage (any of its stores, in a transaction or
   * not, again when the transaction commits), and soon after for a write by another process where
   * the backend can tell (PostgreSQL: LISTEN/NOTIFY; `kind: 'all'` when that connection was lost
   * and changes may have gone unheard). The engine caches clients and resource servers only over
   * a backend that has it (a cache entry still lives at most a second); without it they are read
   * on every request. Resolves with a function that stops listening.
   */
  watchRegistrations?(listener: (change: RegistrationChange) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A list cursor that no list of this store gave out. */
export class InvalidCursor extends Error {
  constructor() {
    super('the cursor is not one this list gave out');
    this.name = 'InvalidCursor';
  }
}

/** A write would duplicate a unique key (a client_id, a sub, a username). */
export class StorageConflict extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageConflict';
  }
}
