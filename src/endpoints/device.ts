import type { ProviderContext } from '../core/context.js';
import { InvalidRequest, OAuthError } from '../core/errors.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import { readForm, readQuery } from '../http/params.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { messagesFor } from '../i18n/index.js';
import { html, redirect, type Answer } from '../http/responses.js';
import { languageOfRequest } from '../interaction/language.js';
import { renderErrorPage } from '../interaction/authorization-response.js';
import { startInteraction } from '../interaction/interaction.js';
import { cookieOptions, readSession } from '../interaction/session.js';
import type { AuthorizationRequest, DeviceCodeRecord } from '../storage/types.js';
import { findPendingDeviceCode } from '../tokens/device-code.js';
import { timingSafeEqualStrings } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import type { Endpoint } from './types.js';

/** Double-submit CSRF cookie of the device page (there is no interaction yet to hold a token). */
const DEVICE_COOKIE = 'latchkey_device';

/**
 * `GET /device` (RFC 8628 §3.3, the verification URI): the page where the user types the code
 * their device shows; `?user_code=` pre-fills it (`verification_uri_complete`).
 */
export const devicePageEndpoint: Endpoint = async (request, ctx) => {
  const typed = readQuery(request).user_code;
  return showDevicePage(request, ctx, { ...(typed !== undefined && typed.length <= 32 ? { userCode: typed } : {}) });
};

/**
 * `POST /device`: checks the typed user code (attempts throttled per address, RFC 8628 §5.1),
 * then runs the login and consent pages for the device's client. Consent is always asked: the
 * user must see which application the code connects (RFC 8628 §5.4, remote phishing).
 */
export const deviceSubmitEndpoint: Endpoint = async (request, ctx, route) => {
  try {
    const form = await readForm(request);
    const cookie = readCookie(request, DEVICE_COOKIE);
    if (cookie === undefined || form.csrf_token === undefined || !timingSafeEqualStrings(cookie, form.csrf_token)) {
      throw new InvalidRequest('the form has expired; reload the page and try again');
    }
    const typed = form.user_code ?? '';
    const counter = route.remoteAddress === undefined ? undefined : `device-failures:address:${route.remoteAddress}`;
    if (counter !== undefined && (await ctx.storage.artifacts.readCounter(counter)) >= ctx.config.loginMaxFailuresPerAddress) {
      return showDevicePage(request, ctx, { userCode: typed, error: messagesFor(languageOfRequest(request, ctx)).errors.tooManyDeviceCodes }, 429);
    }
    const found = await findPendingDeviceCode(typed, ctx);
    if (!found) {
      if (counter !== undefined) await ctx.storage.artifacts.increment(counter, ctx.config.loginThrottleWindowSeconds);
      ctx.events.emit('device_code.user_code_rejected', { address: route.remoteAddress });
      return showDevicePage(request, ctx, { userCode: typed, error: messagesFor(languageOfRequest(request, ctx)).errors.deviceCodeWrong }, 400);
    }
    const session = await readSession(request, ctx);
    const { uid, setCookie } = await startInteraction(
      deviceRequest(found.record),
      ctx,
      request,
      session ? { device_code_id: found.id, prompt: 'consent', account_sub: session.record.sub } : { device_code_id: found.id, prompt: 'login' },
    );
    const headers = new Headers({ 'set-cookie': setCookie });
    headers.append('set-cookie', serializeCookie(DEVICE_COOKIE, '', cookieOptions(ctx, 0, '/device')));
    return redirect(ctx.interactionUrl(uid), 303, headers);
  } catch (error) {
    if (error instanceof OAuthError) return renderErrorPage(error, ctx, languageOfRequest(request, ctx));
    throw error;
  }
};

async function showDevicePage(request: ProtocolRequest, ctx: ProviderContext, input: { userCode?: string; error?: string }, status = 200): Promise<Answer> {
  const csrfToken = randomToken();
  const cookie = serializeCookie(DEVICE_COOKIE, csrfToken, cookieOptions(ctx, ctx.config.interactionTtlSeconds, '/device'));
  return html(ctx.pages.device({ action: ctx.urls.device, csrfToken, lang: languageOfRequest(request, ctx), ...input }), status, { 'set-cookie': cookie });
}

/**
 * The request the login and consent pages work from: the device's client and scopes, consent
 * always asked. It has no redirect URI: the interaction ends on a page, not at the client.
 */
function deviceRequest(record: DeviceCodeRecord): AuthorizationRequest {
  return {
    client_id: record.client_id,
    redirect_uri: '',
    redirect_uri_provided: false,
    response_type: 'code',
    response_mode: 'query',
    scopes: record.scope === '' ? [] : record.scope.split(' '),
    ...(record.resource === undefined ? {} : { resource: record.resource }),
    ...(record.authorization_details === undefined ? {} : { authorization_details: record.authorization_details }),
    prompt: ['consent'],
  };
}
