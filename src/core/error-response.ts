import { jsonNoStore, type Answer } from '../http/responses.js';
import type { Logger } from './context.js';
import { OAuthError } from './errors.js';

/**
 * Turns an error into an answer. An `OAuthError` becomes `{ error, error_description }` with its
 * status, `Cache-Control: no-store`, its `WWW-Authenticate` challenge and further headers, if any. Anything else is
 * a fault of ours: logged in full with the request id, answered with a generic 500
 * `server_error` that says nothing of the cause.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function errorAnswer(error: unknown, logger: Logger, requestId?: string): Answer {
  if (error instanceof OAuthError) {
    if (error.cause !== undefined) logger.debug({ err: error, requestId }, `${error.error}: ${error.message}`);
    const headers: Record<string, string> = { ...error.headers };
    if (error.wwwAuthenticate) headers['www-authenticate'] = error.wwwAuthenticate;
    return jsonNoStore({ error: error.error, error_description: error.description }, { status: error.status, headers });
  }
  logger.error({ err: error, requestId }, 'unhandled error');
  return jsonNoStore(
    { error: 'server_error', error_description: `the server could not complete the request${requestId ? ` (request id ${requestId})` : ''}` },
    { status: 500 },
  );
}
