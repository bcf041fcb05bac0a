import type { Config } from './config.js';

/** Absolute URLs of every endpoint, derived once from the issuer. */
export interface EndpointUrls {
  issuer: string;
  /** Path prefix of the issuer ('' for an issuer without a path), under which every route is mounted. */
  basePath: string;
  authorization: string;
  token: string;
  userinfo: string;
  jwks: string;
  revocation: string;
  introspection: string;
  registration: string;
  endSession: string;
  deviceAuthorization: string;
  /** RFC 9126 pushed authorization request endpoint. */
  pushedAuthorizationRequest: string;
  /** RFC 8628 verification URI: the page where the user enters the user code. */
  device: string;
  /** RFC 7592 client configuration endpoint of one client. */
  registrationClient: (client_id: string) => string;
  interaction: (uid: string) => string;
}

/** Builds the endpoint URLs from the configured issuer. */
export function buildEndpointUrls(config: Config): EndpointUrls {
  const issuer = config.issuer;
  const basePath = new URL(issuer).pathname.replace(/\/+$/, '');
  return {
    issuer,
    basePath,
    authorization: `${issuer}/authorize`,
    token: `${issuer}/token`,
    userinfo: `${issuer}/userinfo`,
    jwks: `${issuer}/jwks`,
    revocation: `${issuer}/revoke`,
    introspection: `${issuer}/introspect`,
    registration: `${issuer}/register`,
    endSession: `${issuer}/end_session`,
    deviceAuthorization: `${issuer}/device_authorization`,
    pushedAuthorizationRequest: `${issuer}/par`,
    device: `${issuer}/device`,
    registrationClient: (client_id) => `${issuer}/register/${encodeURIComponent(client_id)}`,
    interaction: (uid) => `${issuer}/interaction/${encodeURIComponent(uid)}`,
  };
}
