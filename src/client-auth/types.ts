import type { ProviderContext } from '../core/context.js';
import type { ClientMetadata, ClientRecord } from '../storage/types.js';

/** Credentials as the client presented them, before they are checked. */
export type PresentedCredentials =
  | { method: 'client_secret_basic'; client_id: string; client_secret: string }
  | { method: 'client_secret_post'; client_id: string; client_secret: string }
  /** A JWT assertion (RFC 7523): `client_secret_jwt` or `private_key_jwt`, as the client registered. */
  | { method: 'client_assertion'; client_id: string; assertion: string }
  | { method: 'none'; client_id: string };

/** One token_endpoint_auth_method (OIDC Core §9, RFC 6749 §2.3). */
export interface ClientAuthMethod {
  readonly method: ClientMetadata['token_endpoint_auth_method'];
  /** How a client using this method presents its credentials. */
  readonly presents: PresentedCredentials['method'];
  /**
   * Checks the presented credentials against the registered client.
   * @throws InvalidClient when they do not authenticate it.
   */
  verify(client: ClientRecord, credentials: PresentedCredentials, ctx: ProviderContext): Promise<void>;
}
