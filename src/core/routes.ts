import { authorizationEndpoint } from '../endpoints/authorization.js';
import { pushedAuthorizationEndpoint } from '../endpoints/pushed-authorization.js';
import { deviceAuthorizationEndpoint } from '../endpoints/device-authorization.js';
import { devicePageEndpoint, deviceSubmitEndpoint } from '../endpoints/device.js';
import { endSessionConfirmEndpoint, endSessionEndpoint } from '../endpoints/end-session.js';
import { liveEndpoint, readyEndpoint } from '../endpoints/health.js';
import { metricsEndpoint } from '../endpoints/metrics.js';
import { upstreamAccountEndpoint, upstreamCallbackEndpoint, upstreamStartEndpoint } from '../endpoints/upstream-sign-in.js';
import { consentEndpoint, interactionEndpoint, loginEndpoint, loginPageEndpoint, oneTimeCodeEndpoint, passkeyEndpoint, registerEndpoint, registerPageEndpoint, resumeEndpoint } from '../endpoints/interaction.js';
import { verifyEmailEndpoint, verifyEmailPageEndpoint } from '../endpoints/email-verification.js';
import { introspectionEndpoint } from '../endpoints/introspection.js';
import { forgotPasswordEndpoint, forgotPasswordPageEndpoint, resetPasswordEndpoint, resetPasswordPageEndpoint } from '../endpoints/password-reset.js';
import { jwksEndpoint } from '../endpoints/jwks.js';
import { clientConfigurationEndpoint, registrationEndpoint } from '../endpoints/registration.js';
import { revocationEndpoint } from '../endpoints/revocation.js';
import { tokenEndpoint } from '../endpoints/token.js';
import type { Endpoint } from '../endpoints/types.js';
import { userinfoEndpoint } from '../endpoints/userinfo.js';
import type { Config } from './config.js';

/** One route: method and path (relative to the issuer's path) → endpoint. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  endpoint: Endpoint;
  /** An HTML page for a browser: sent with the page security headers (CSP, frame-ancestors 'none'…). */
  page?: boolean;
  /** Called from other origins by browser-based clients: answered with CORS headers. */
  cors?: boolean;
  /**
   * For load balancers, orchestrators and Prometheus, not for people or clients: counted in
   * `/metrics` but not as traffic in the dashboard's series, and logged at `debug`, not `info`.
   */
  operational?: boolean;
}

/**
 * Every route of the provider, in one table. A trailing slash is accepted on each
 * (`POST /token/`). `discovery` is built per provider (its document is serialized once).
 */
export function buildRoutes(
  discovery: Endpoint,
  options: Pick<Config, 'registration' | 'selfRegistration'> & {
    /** Serve the built-in login and consent pages; off when the host renders its own (`interactionUrl`). */
    builtinInteractionPages: boolean;
    /** Serve password reset by mail (`offersPasswordReset`), from the built-in login page. */
    passwordReset?: boolean;
    /** Serve the page of email confirmation links (`offersEmailVerification`). */
    emailVerification?: boolean;
  },
): readonly Route[] {
  const interactionPages: Route[] = options.builtinInteractionPages
    ? [
        { method: 'GET', path: '/interaction/:uid', endpoint: interactionEndpoint, page: true },
        { method: 'GET', path: '/interaction/:uid/login', endpoint: loginPageEndpoint, page: true },
        { method: 'POST', path: '/interaction/:uid/login', endpoint: loginEndpoint, page: true },
        { method: 'POST', path: '/interaction/:uid/otp', endpoint: oneTimeCodeEndpoint, page: true },
        { method: 'POST', path: '/interaction/:uid/passkey', endpoint: passkeyEndpoint, page: true },
        { method: 'POST', path: '/interaction/:uid/upstream/:id', endpoint: upstreamStartEndpoint, page: true },
        { method: 'POST', path: '/interaction/:uid/upstream-account', endpoint: upstreamAccountEndpoint, page: true },
        { method: 'GET', path: '/upstream/:id/callback', endpoint: upstreamCallbackEndpoint, page: true },
        ...(options.selfRegistration
          ? ([
              { method: 'GET', path: '/interaction/:uid/register', endpoint: registerPageEndpoint, page: true },
              { method: 'POST', path: '/interaction/:uid/register', endpoint: registerEndpoint, page: true },
            ] as const)
          : []),
        { method: 'POST', path: '/interaction/:uid/consent', endpoint: consentEndpoint, page: true },
        ...(options.passwordReset
          ? ([
              { method: 'GET', path: '/interaction/:uid/forgot', endpoint: forgotPasswordPageEndpoint, page: true },
              { method: 'POST', path: '/interaction/:uid/forgot', endpoint: forgotPasswordEndpoint, page: true },
              { method: 'GET', path: '/password-reset', endpoint: resetPasswordPageEndpoint, page: true },
              { method: 'POST', path: '/password-reset', endpoint: resetPasswordEndpoint, page: true },
            ] as const)
          : []),
      ]
    : [];
  const registration: Route[] =
    options.registration === 'off'
      ? []
      : [
          { method: 'POST', path: '/register', endpoint: registrationEndpoint, cors: true },
          { method: 'GET', path: '/register/:client_id', endpoint: clientConfigurationEndpoint, cors: true },
          { method: 'PUT', path: '/register/:client_id', endpoint: clientConfigurationEndpoint, cors: true },
          { method: 'DELETE', path: '/register/:client_id', endpoint: clientConfigurationEndpoint, cors: true },
        ];
  return [
    { method: 'GET', path: '/.well-known/openid-configuration', endpoint: discovery, cors: true },
    { method: 'GET', path: '/.well-known/oauth-authorization-server', endpoint: discovery, cors: true },
    { method: 'GET', path: '/jwks', endpoint: jwksEndpoint, cors: true },

    { method: 'GET', path: '/authorize', endpoint: authorizationEndpoint, page: true },
    { method: 'POST', path: '/authorize', endpoint: authorizationEndpoint, page: true },
    { method: 'POST', path: '/par', endpoint: pushedAuthorizationEndpoint, cors: true },
    ...interactionPages,
    { method: 'GET', path: '/interaction/:uid/resume', endpoint: resumeEndpoint, page: true },
    ...(options.emailVerification
      ? ([
          { method: 'GET', path: '/verify-email', endpoint: verifyEmailPageEndpoint, page: true },
          { method: 'POST', path: '/verify-email', endpoint: verifyEmailEndpoint, page: true },
        ] as const)
      : []),

    { method: 'POST', path: '/device_authorization', endpoint: deviceAuthorizationEndpoint, cors: true },
    { method: 'GET', path: '/device', endpoint: devicePageEndpoint, page: true },
    { method: 'POST', path: '/device', endpoint: deviceSubmitEndpoint, page: true },

    { method: 'GET', path: '/end_session', endpoint: endSessionEndpoint, page: true },
    { method: 'POST', path: '/end_session', endpoint: endSessionEndpoint, page: true },
    { method: 'POST', path: '/end_session/confirm', endpoint: endSessionConfirmEndpoint, page: true },

    { method: 'POST', path: '/token', endpoint: tokenEndpoint, cors: true },
    { method: 'POST', path: '/revoke', endpoint: revocationEndpoint, cors: true },
    { method: 'POST', path: '/introspect', endpoint: introspectionEndpoint },
    { method: 'GET', path: '/userinfo', endpoint: userinfoEndpoint, cors: true },
    { method: 'POST', path: '/userinfo', endpoint: userinfoEndpoint, cors: true },

    ...registration,

    { method: 'GET', path: '/health/live', endpoint: liveEndpoint, operational: true },
    { method: 'GET', path: '/health/ready', endpoint: readyEndpoint, operational: true },
    { method: 'GET', path: '/metrics', endpoint: metricsEndpoint, operational: true },
  ];
}
