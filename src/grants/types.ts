import type { ProviderContext } from '../core/context.js';
import type { Params } from '../http/params.js';
import type { ClientRecord } from '../storage/types.js';
import type { DpopProof } from '../tokens/dpop.js';
import type { TokenResponse } from '../tokens/types.js';

/** What a grant handler receives: the token request's parameters and the authenticated client. */
export interface GrantInput {
  params: Params;
  client: ClientRecord;
  /** The request's DPoP proof, verified (RFC 9449): the access token is to be bound to its key. */
  dpop?: DpopProof;
}

/** One grant_type of the token endpoint. */
export interface GrantHandler {
  readonly grantType: string;
  /** The parameters it reads; others are ignored. */
  readonly parameters: readonly string[];
  /** @throws OAuthError (invalid_grant, invalid_scope, invalid_request …) */
  exchange(input: GrantInput, ctx: ProviderContext): Promise<TokenResponse>;
}
