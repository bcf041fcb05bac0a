/**
 * What a developer needs to use a client: the discovery-relevant settings (the issuer, the
 * endpoints its metadata advertises, how this client authenticates and what it may ask for), and
 * ready-to-copy snippets — curl, and `openid-client` — filled in with this client's id, redirect
 * URI, authentication method and the issuer. Secrets are never filled in: they are shown once.
 */
import type { z } from 'zod';
import type { EndpointUrls } from '../../../core/urls.js';
import type { clientView } from '../../api/schemas.js';

type ClientView = z.infer<typeof clientView>;

/** The discovery-relevant settings of `client` under this issuer. */
export function DiscoverySettings(props: { client: ClientView; urls: EndpointUrls }) {
  const { client, urls } = props;
  const isPublic = client.token_endpoint_auth_method === 'none';
  return (
    <section class="card" aria-labelledby="discovery-heading">
      <h2 id="discovery-heading">Discovery-relevant settings</h2>
      <dl class="fields">
        <dt>issuer</dt><dd><code>{urls.issuer}</code></dd>
        <dt>discovery document</dt><dd><code>{`${urls.issuer}/.well-known/openid-configuration`}</code></dd>
        <dt>authorization_endpoint</dt><dd><code>{urls.authorization}</code></dd>
        <dt>token_endpoint</dt><dd><code>{urls.token}</code></dd>
        <dt>userinfo_endpoint</dt><dd><code>{urls.userinfo}</code></dd>
        <dt>jwks_uri</dt><dd><code>{urls.jwks}</code></dd>
        <dt>end_session_endpoint</dt><dd><code>{urls.endSession}</code></dd>
        <dt>client_id</dt><dd><code>{client.client_id}</code></dd>
        <dt>token_endpoint_auth_method</dt><dd><code>{client.token_endpoint_auth_method}</code>{isPublic ? ' (public client: PKCE S256 required)' : ''}</dd>
        <dt>grant_types</dt><dd>{client.grant_types.map((grant) => <code>{grant}</code>)}</dd>
        <dt>response_types</dt><dd>{(client.response_types ?? []).map((type) => <code>{type}</code>)}</dd>
        <dt>scope</dt><dd>{client.scope === undefined ? <span class="muted">any the server supports</span> : <code>{client.scope}</code>}</dd>
        <dt>id_token_signed_response_alg</dt><dd><code>{client.id_token_signed_response_alg}</code></dd>
        <dt>subject_type</dt><dd><code>{client.subject_type}</code></dd>
        <dt>code_challenge_methods</dt><dd><code>S256</code></dd>
      </dl>
    </section>
  );
}

/** Ready-to-copy curl and openid-client snippets for `client`. */
export function ClientSnippets(props: { client: ClientView; urls: EndpointUrls }) {
  const { client, urls } = props;
  const snippets = client.grant_types.includes('authorization_code') ? codeFlowSnippets(client, urls) : client.grant_types.includes('client_credentials') ? clientCredentialsSnippets(client, urls) : undefined;
  if (snippets === undefined) return null;
  return (
    <section class="card" aria-labelledby="snippets-heading">
      <h2 id="snippets-heading">Use this client</h2>
      <p class="muted small">{client.has_secret ? 'Put the client secret in CLIENT_SECRET: it was shown once, when it was issued (rotate it to get a new one).' : 'This client has no secret.'}</p>
      <h3>curl</h3>
      <pre data-copy="curl"><code>{snippets.curl}</code></pre>
      <h3>openid-client (Node.js)</h3>
      <pre data-copy="openid-client"><code>{snippets.openidClient}</code></pre>
    </section>
  );
}

/** How the snippets authenticate the client, for curl and for openid-client. */
function authentication(client: ClientView): { curl: string; openidClient: string } {
  switch (client.token_endpoint_auth_method) {
    case 'client_secret_basic':
      return { curl: `  -u "${client.client_id}:$CLIENT_SECRET" \\\n`, openidClient: 'client.ClientSecretBasic(process.env.CLIENT_SECRET)' };
    case 'client_secret_post':
      return { curl: `  -d client_id=${shellQuote(client.client_id)} \\\n  -d "client_secret=$CLIENT_SECRET" \\\n`, openidClient: 'client.ClientSecretPost(process.env.CLIENT_SECRET)' };
    case 'client_secret_jwt':
      return { curl: `  -d client_id=${shellQuote(client.client_id)} \\\n  -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \\\n  -d "client_assertion=$ASSERTION" \\\n`, openidClient: 'client.ClientSecretJwt(process.env.CLIENT_SECRET)' };
    case 'private_key_jwt':
      return { curl: `  -d client_id=${shellQuote(client.client_id)} \\\n  -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \\\n  -d "client_assertion=$ASSERTION" \\\n`, openidClient: 'client.PrivateKeyJwt(privateKey)' };
    default:
      return { curl: `  -d client_id=${shellQuote(client.client_id)} \\\n`, openidClient: 'client.None()' };
  }
}

/** openid-client refuses plain http unless told; a development issuer needs the switch. */
function insecureOption(urls: EndpointUrls): string {
  return urls.issuer.startsWith('http:') ? ',\n  { execute: [client.allowInsecureRequests] }, // an http issuer: development only' : '';
}

/** The lines that import openid-client and discover this issuer as this client. */
function discoverySnippet(client: ClientView, urls: EndpointUrls, auth: { openidClient: string }): string[] {
  return [
    "import * as client from 'openid-client';",
    '',
    'const config = await client.discovery(',
    `  new URL(${JSON.stringify(urls.issuer)}),`,
    `  ${JSON.stringify(client.client_id)},`,
    '  undefined,',
    `  ${auth.openidClient}${insecureOption(urls)}`,
    ');',
  ];
}

function codeFlowSnippets(client: ClientView, urls: EndpointUrls) {
  const redirectUri = client.redirect_uris?.[0] ?? 'https://YOUR-APP/callback';
  const scope = scopeFor(client);
  const auth = authentication(client);
  const authorize = `${urls.authorization}?${new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, scope, state: 'STATE', code_challenge: 'CODE_CHALLENGE', code_challenge_method: 'S256' })}`;
  const curl = [
    '# 1. Send the browser to (CODE_CHALLENGE = BASE64URL(SHA256(CODE_VERIFIER))):',
    `#    ${authorize}`,
    '# 2. Exchange the code it brings back to the redirect URI:',
    `curl ${urls.token} \\`,
    `${auth.curl}  -d grant_type=authorization_code \\`,
    '  -d code="$CODE" \\',
    `  --data-urlencode redirect_uri=${shellQuote(redirectUri)} \\`,
    '  -d code_verifier="$CODE_VERIFIER"',
  ].join('\n');
  const openidClient = [
    ...discoverySnippet(client, urls, auth),
    '',
    '// Send the browser to the authorization URL …',
    'const code_verifier = client.randomPKCECodeVerifier();',
    'const state = client.randomState();',
    'const url = client.buildAuthorizationUrl(config, {',
    `  redirect_uri: ${JSON.stringify(redirectUri)},`,
    `  scope: ${JSON.stringify(scope)},`,
    '  code_challenge: await client.calculatePKCECodeChallenge(code_verifier),',
    "  code_challenge_method: 'S256',",
    '  state,',
    '});',
    '',
    '// … and at the redirect URI, exchange the code:',
    'const tokens = await client.authorizationCodeGrant(config, currentUrl, {',
    '  pkceCodeVerifier: code_verifier,',
    '  expectedState: state,',
    '});',
    'console.log(tokens.claims());',
  ].join('\n');
  return { curl, openidClient };
}

function clientCredentialsSnippets(client: ClientView, urls: EndpointUrls) {
  const auth = authentication(client);
  const scope = client.scope === undefined ? '' : `  -d scope=${shellQuote(client.scope)} \\\n`;
  const curl = `curl ${urls.token} \\\n${auth.curl}${scope}  -d grant_type=client_credentials`;
  const openidClient = [
    ...discoverySnippet(client, urls, auth),
    `const tokens = await client.clientCredentialsGrant(config${client.scope === undefined ? '' : `, { scope: ${JSON.stringify(client.scope)} }`});`,
    'console.log(tokens.access_token);',
  ].join('\n');
  return { curl, openidClient };
}

/** The scope a snippet asks for: the client's own, or the usual OpenID ones. */
function scopeFor(client: ClientView): string {
  return client.scope ?? 'openid profile email';
}

/** `value` quoted for a POSIX shell when it needs to be. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
