import type { ProviderContext } from '../core/context.js';
import type { Params } from '../http/params.js';
import type { ClientRecord } from '../storage/types.js';
import type { TokenResponse } from '../tokens/types.js';

/** What a grant handler receives: the token request's parameters and the authenticated client. */
export interface GrantInput {
  params: Params;
  client: ClientRecord;
}

/** One grant_type of the token endpoint. */
export interface GrantHandler {
  readonly grantType: string;
  /** The parameters it reads; others are ignored. */
  readonly parameters: readonly string[];
  /** @throws OAuthError (invalid_grant, invalid_scope, invalid_request …) */
  exchange(input: GrantInput, ctx: ProviderContext): Promise<TokenResponse>;
}
