import type { ProviderContext } from '../core/context.js';
import type { AuthorizationRequest, SessionRecord } from '../storage/types.js';
import { issueAuthorizationCode } from '../tokens/authorization-code.js';
import { respondToClient } from './authorization-response.js';

/** Ends a successful authorization: issues the code and sends it to the client. */
export async function completeAuthorization(
  request: AuthorizationRequest,
  session: SessionRecord,
  ctx: ProviderContext,
  options: { afterPost: boolean; headers?: HeadersInit },
): Promise<Response> {
  const code = await issueAuthorizationCode(request, session, ctx);
  const target = {
    redirect_uri: request.redirect_uri,
    response_mode: request.response_mode,
    ...(request.state === undefined ? {} : { state: request.state }),
  };
  return respondToClient(target, { code }, ctx, options);
}
