/**
 * The client form: every RFC 7591 metadata field the admin API accepts (RFC 7591 §2, OpenID
 * Connect Registration §2, the logout specs' fields, latchkey's `skip_consent` and
 * `refresh_token_rotation`), for registering a client and for replacing its metadata. Lists are
 * one item per line, `jwks` is JSON; what the API refuses comes back beside the field it names.
 */
import type { z } from 'zod';
import { SUPPORTED_GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS } from '../../../core/client-metadata.js';
import { RESPONSE_TYPES } from '../../../core/response-types.js';
import { DECRYPTION_ALGORITHMS, SIGNING_ALGORITHMS } from '../../../keys/algorithms.js';
import { CONTENT_ENCRYPTION_ALGORITHMS, ENCRYPTABLE_RESPONSES, KEY_ENCRYPTION_ALGORITHMS, type EncryptableResponse } from '../../../keys/encryption-algorithms.js';
import type { clientView } from '../../api/schemas.js';
import { Checkbox, CheckboxGroup, CsrfField, FormError, SelectField, TextArea, TextField } from '../components.js';
import { FormFields, type FieldErrors } from '../forms.js';

type ClientView = z.infer<typeof clientView>;

/** How the form names each encryptable response. */
const ENCRYPTED_LABELS: Readonly<Record<EncryptableResponse, string>> = { id_token: 'ID tokens', userinfo: 'UserInfo answers', authorization: 'JARM responses' };
/** Per encryptable response, its key management and content encryption fields. */
const ENCRYPTION_FIELDS = ENCRYPTABLE_RESPONSES.flatMap((response) => [`${response}_encrypted_response_alg`, `${response}_encrypted_response_enc`] as const);
const TEXT_FIELDS = ['client_name', 'software_id', 'software_version', 'client_uri', 'logo_uri', 'policy_uri', 'tos_uri', 'scope', 'jwks_uri', 'sector_identifier_uri', 'backchannel_logout_uri', 'frontchannel_logout_uri', 'token_endpoint_auth_signing_alg', 'request_object_signing_alg', 'request_object_encryption_alg', 'request_object_encryption_enc', 'token_endpoint_auth_method', 'application_type', 'id_token_signed_response_alg', 'introspection_signed_response_alg', 'authorization_signed_response_alg', 'userinfo_signed_response_alg', 'subject_type', ...ENCRYPTION_FIELDS] as const;
/** The box that offers a client no upstream provider (`allowed_upstreams: []`), which an empty list cannot say: empty is every one. */
const NO_UPSTREAMS = 'allowed_upstreams_none';

const LIST_FIELDS = ['redirect_uris', 'post_logout_redirect_uris', 'request_uris', 'contacts', 'authorization_details_types', 'default_acr_values', 'allowed_groups', 'allowed_upstreams'] as const;
const NUMBER_FIELDS = ['default_max_age'] as const;
const MULTI_FIELDS = ['grant_types', 'response_types'] as const;
const BOOLEAN_FIELDS = ['skip_consent', 'require_pushed_authorization_requests', 'require_signed_request_object', 'dpop_bound_access_tokens', 'require_auth_time', 'backchannel_logout_session_required', 'frontchannel_logout_session_required'] as const;

/** Every field of the form, for placing the API's errors. */
export const CLIENT_FORM_FIELDS: readonly string[] = [...TEXT_FIELDS, ...LIST_FIELDS, ...NUMBER_FIELDS, ...MULTI_FIELDS, ...BOOLEAN_FIELDS, 'refresh_token_rotation', 'jwks', 'client_id', 'client_secret', 'disabled', NO_UPSTREAMS];

/** The form's values for a new client: RFC 7591's defaults, spelled out. */
export const NEW_CLIENT_VALUES = FormFields.fromRecord({
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code'],
  application_type: 'web',
  id_token_signed_response_alg: 'RS256',
  subject_type: 'public',
  scope: 'openid profile email',
});

/** A stored client as the form's values. */
export function clientFormValues(client: ClientView): FormFields {
  const record: Record<string, string | string[] | undefined> = {};
  const source = client as unknown as Record<string, unknown>;
  for (const name of TEXT_FIELDS) record[name] = typeof source[name] === 'string' ? (source[name] as string) : undefined;
  for (const name of LIST_FIELDS) record[name] = Array.isArray(source[name]) ? (source[name] as string[]).join('\n') : undefined;
  for (const name of NUMBER_FIELDS) record[name] = typeof source[name] === 'number' ? String(source[name]) : undefined;
  for (const name of MULTI_FIELDS) record[name] = Array.isArray(source[name]) ? (source[name] as string[]) : undefined;
  for (const name of BOOLEAN_FIELDS) record[name] = source[name] === true ? 'true' : undefined;
  record[NO_UPSTREAMS] = Array.isArray(client.allowed_upstreams) && client.allowed_upstreams.length === 0 ? 'true' : undefined;
  record.refresh_token_rotation = client.refresh_token_rotation === undefined ? '' : String(client.refresh_token_rotation);
  record.jwks = client.jwks === undefined ? undefined : JSON.stringify(client.jwks, null, 2);
  return FormFields.fromRecord(record);
}

/**
 * The metadata the form describes, as the admin API takes it: empty fields are left out (they
 * take their defaults), and `jwks` must parse as JSON.
 */
export function clientMetadataFrom(form: FormFields, mode: 'create' | 'edit'): { metadata: Record<string, unknown>; errors: FieldErrors } {
  const metadata: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const name of TEXT_FIELDS) {
    const value = form.text(name);
    if (value !== undefined) metadata[name] = value;
  }
  for (const name of LIST_FIELDS) {
    const value = form.lines(name);
    if (value !== undefined) metadata[name] = value;
  }
  for (const name of NUMBER_FIELDS) {
    const value = form.text(name);
    if (value === undefined) continue;
    if (/^\d{1,10}$/.test(value)) metadata[name] = Number(value);
    else errors[name] = 'must be a whole number of seconds';
  }
  for (const name of MULTI_FIELDS) {
    const value = form.all(name);
    // No grant type ticked is a mistake to report, not a wish for the default.
    if (value.length > 0 || name === 'grant_types') metadata[name] = value;
  }
  for (const name of BOOLEAN_FIELDS) if (form.checked(name)) metadata[name] = true;
  if (form.checked(NO_UPSTREAMS)) {
    if (metadata.allowed_upstreams === undefined) metadata.allowed_upstreams = [];
    else errors.allowed_upstreams = 'list providers or tick “Offer none”, not both';
  }
  const rotation = form.text('refresh_token_rotation');
  if (rotation === 'true' || rotation === 'false') metadata.refresh_token_rotation = rotation === 'true';
  const jwks = form.text('jwks');
  if (jwks !== undefined) {
    try {
      metadata.jwks = JSON.parse(jwks);
    } catch {
      errors.jwks = 'must be JSON: a JWK Set such as {"keys": [ … ]}';
    }
  }
  if (mode === 'create') {
    for (const name of ['client_id', 'client_secret'] as const) {
      const value = form.text(name);
      if (value !== undefined) metadata[name] = value;
    }
    if (form.checked('disabled')) metadata.disabled = true;
  }
  return { metadata, errors };
}

/** The client form. */
export function ClientForm(props: { action: string; csrfToken: string; values: FormFields; errors: FieldErrors; mode: 'create' | 'edit'; cancel: string }) {
  const { values: v, errors: e } = props;
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField token={props.csrfToken} />
      <FormError errors={e} />
      <fieldset>
        <legend>The client</legend>
        <TextField name="client_name" label="Name" value={v.raw('client_name')} errors={e} hint="shown on the login and consent pages" />
        {props.mode === 'create' ? (
          <>
            <TextField name="client_id" label="client_id" value={v.raw('client_id')} errors={e} hint="leave empty for a random one" />
            <TextField name="client_secret" label="client_secret" type="password" value={v.raw('client_secret')} errors={e} autocomplete="new-password" hint="leave empty for a generated one (256 bits), shown once after saving" />
          </>
        ) : null}
        <SelectField name="application_type" label="Application type" value={v.raw('application_type')} options={['web', 'native']} errors={e} />
        <TextArea name="redirect_uris" label="Redirect URIs" value={v.raw('redirect_uris')} errors={e} hint="one per line; matched exactly" />
        <TextField name="scope" label="Scope" value={v.raw('scope')} errors={e} hint="space-separated scopes the client may ask for; empty: any" />
        <TextArea name="contacts" label="Contacts" value={v.raw('contacts')} errors={e} hint="one e-mail address per line" rows={2} />
        <TextArea name="authorization_details_types" label="Authorization details types" value={v.raw('authorization_details_types')} errors={e} hint="one per line: the types of authorization_details (RFC 9396) it may request" rows={2} />
      </fieldset>
      <fieldset>
        <legend>Grants and authentication</legend>
        <CheckboxGroup name="grant_types" legend="Grant types" options={SUPPORTED_GRANT_TYPES} checked={v.all('grant_types')} errors={e} />
        <CheckboxGroup name="response_types" legend="Response types" options={RESPONSE_TYPES} checked={v.all('response_types')} errors={e} hint="none ticked: code when the authorization_code grant is registered" />
        <SelectField name="token_endpoint_auth_method" label="Token endpoint authentication" value={v.raw('token_endpoint_auth_method')} options={TOKEN_ENDPOINT_AUTH_METHODS} errors={e} hint="none: a public client (PKCE required)" />
        <TextField name="token_endpoint_auth_signing_alg" label="Assertion signing algorithm" value={v.raw('token_endpoint_auth_signing_alg')} errors={e} hint="client_secret_jwt / private_key_jwt only, e.g. HS256 or RS256" />
        <TextField name="request_object_signing_alg" label="Request object signing algorithm" value={v.raw('request_object_signing_alg')} errors={e} hint="the only alg its request objects may use, e.g. RS256 or ES256; empty: any it has keys for" />
        <SelectField name="request_object_encryption_alg" label="Request objects encrypted to latchkey with" value={v.raw('request_object_encryption_alg')} options={DECRYPTION_ALGORITHMS} defaultLabel="(not said)" errors={e} hint="informative: the client may encrypt with any supported algorithm, or not at all" />
        <SelectField name="request_object_encryption_enc" label="Request object content encryption" value={v.raw('request_object_encryption_enc')} options={CONTENT_ENCRYPTION_ALGORITHMS} defaultLabel="(A128CBC-HS256)" errors={e} />
        <TextArea name="request_uris" label="Request object URIs" value={v.raw('request_uris')} errors={e} hint="one per line; the only URLs its request_uri may name, fetched at each use" rows={2} />
        <TextField name="jwks_uri" label="jwks_uri" type="url" value={v.raw('jwks_uri')} errors={e} hint="where the client's public keys are (private_key_jwt)" />
        <TextArea name="jwks" label="jwks" value={v.raw('jwks')} errors={e} hint='or the keys themselves, as a JSON JWK Set {"keys": [ … ]}' rows={4} />
        <SelectField name="refresh_token_rotation" label="Refresh token rotation" value={v.raw('refresh_token_rotation')} options={['true', 'false']} defaultLabel="(server default)" errors={e} />
        <Checkbox name="skip_consent" label="Skip the consent page (first-party client)" checked={v.checked('skip_consent')} errors={e} />
        <Checkbox name="require_pushed_authorization_requests" label="Accept only pushed authorization requests (PAR)" checked={v.checked('require_pushed_authorization_requests')} errors={e} />
        <Checkbox name="require_signed_request_object" label="Accept only signed request objects (JAR)" checked={v.checked('require_signed_request_object')} errors={e} />
        <Checkbox name="dpop_bound_access_tokens" label="Require DPoP at the token endpoint (sender-constrained tokens)" checked={v.checked('dpop_bound_access_tokens')} errors={e} />
      </fieldset>
      <fieldset>
        <legend>Sign-in</legend>
        <TextArea name="allowed_groups" label="Allowed groups" value={v.raw('allowed_groups')} errors={e} hint="one per line: only members of one of these groups may use this client (others get access_denied, and their refresh tokens stop working); empty: every account" rows={2} />
        <TextArea name="allowed_upstreams" label="Upstream providers offered" value={v.raw('allowed_upstreams')} errors={e} hint="one id per line: the login page offers only these “Sign in with …” providers to this client's users; empty: every enabled one" rows={2} />
        <Checkbox name={NO_UPSTREAMS} label="Offer none: this client's users sign in here only" checked={v.checked(NO_UPSTREAMS)} errors={e} />
        <TextArea name="default_acr_values" label="Assurance levels asked by default" value={v.raw('default_acr_values')} errors={e} hint="one per line, preferred first, when a request asks none — urn:latchkey:loa:2fa asks for two-step verification where the account has it" rows={2} />
        <TextField name="default_max_age" label="Maximum login age (seconds)" type="number" value={v.raw('default_max_age')} errors={e} hint="when a request sends no max_age: an older login is asked again; empty: none" />
        <Checkbox name="require_auth_time" label="ID tokens must carry auth_time (latchkey's always do)" checked={v.checked('require_auth_time')} errors={e} />
      </fieldset>
      <fieldset>
        <legend>Tokens and subjects</legend>
        <SelectField name="id_token_signed_response_alg" label="ID token signing algorithm" value={v.raw('id_token_signed_response_alg')} options={SIGNING_ALGORITHMS} errors={e} />
        <SelectField name="introspection_signed_response_alg" label="Introspection response signing" value={v.raw('introspection_signed_response_alg')} options={SIGNING_ALGORITHMS} defaultLabel="(plain JSON)" errors={e} />
        <SelectField name="userinfo_signed_response_alg" label="UserInfo response signing" value={v.raw('userinfo_signed_response_alg')} options={SIGNING_ALGORITHMS} defaultLabel="(plain JSON)" errors={e} />
        <SelectField name="authorization_signed_response_alg" label="JWT authorization response signing (JARM)" value={v.raw('authorization_signed_response_alg')} options={SIGNING_ALGORITHMS} defaultLabel="(RS256)" errors={e} />
        <SelectField name="subject_type" label="Subject type" value={v.raw('subject_type')} options={['public', 'pairwise']} errors={e} />
        <TextField name="sector_identifier_uri" label="sector_identifier_uri" type="url" value={v.raw('sector_identifier_uri')} errors={e} hint="pairwise clients with several redirect hosts" />
      </fieldset>
      <fieldset>
        <legend>Encryption to the client's key (jwks or jwks_uri)</legend>
        {/* Six selects few clients need: folded away unless one is set or refused. */}
        <details open={ENCRYPTION_FIELDS.some((name) => v.raw(name) !== '' || e[name] !== undefined)}>
          <summary>ID tokens, UserInfo and JWT authorization responses encrypted</summary>
          {ENCRYPTABLE_RESPONSES.map((response) => (
            <>
              <SelectField name={`${response}_encrypted_response_alg`} label={`${ENCRYPTED_LABELS[response]}: key management`} value={v.raw(`${response}_encrypted_response_alg`)} options={KEY_ENCRYPTION_ALGORITHMS} defaultLabel="(not encrypted)" errors={e} />
              <SelectField name={`${response}_encrypted_response_enc`} label={`${ENCRYPTED_LABELS[response]}: content encryption`} value={v.raw(`${response}_encrypted_response_enc`)} options={CONTENT_ENCRYPTION_ALGORITHMS} defaultLabel="(A128CBC-HS256)" errors={e} />
            </>
          ))}
        </details>
      </fieldset>
      <fieldset>
        <legend>Logout</legend>
        <TextArea name="post_logout_redirect_uris" label="Post-logout redirect URIs" value={v.raw('post_logout_redirect_uris')} errors={e} hint="one per line" rows={2} />
        <TextField name="backchannel_logout_uri" label="Back-channel logout URI" type="url" value={v.raw('backchannel_logout_uri')} errors={e} />
        <Checkbox name="backchannel_logout_session_required" label="Back-channel logout needs sid" checked={v.checked('backchannel_logout_session_required')} errors={e} />
        <TextField name="frontchannel_logout_uri" label="Front-channel logout URI" type="url" value={v.raw('frontchannel_logout_uri')} errors={e} />
        <Checkbox name="frontchannel_logout_session_required" label="Front-channel logout needs iss and sid" checked={v.checked('frontchannel_logout_session_required')} errors={e} />
      </fieldset>
      <fieldset>
        <legend>Pages about the client</legend>
        <TextField name="client_uri" label="Home page" type="url" value={v.raw('client_uri')} errors={e} />
        <TextField name="logo_uri" label="Logo" type="url" value={v.raw('logo_uri')} errors={e} />
        <TextField name="policy_uri" label="Privacy policy" type="url" value={v.raw('policy_uri')} errors={e} />
        <TextField name="tos_uri" label="Terms of service" type="url" value={v.raw('tos_uri')} errors={e} />
        <TextField name="software_id" label="Software ID" value={v.raw('software_id')} errors={e} hint="the same for every instance of the software (RFC 7591)" />
        <TextField name="software_version" label="Software version" value={v.raw('software_version')} errors={e} />
      </fieldset>
      {props.mode === 'create' ? <Checkbox name="disabled" label="Create it disabled" checked={v.checked('disabled')} errors={e} /> : null}
      <div class="actions">
        <button type="submit">{props.mode === 'create' ? 'Register client' : 'Save client'}</button>
        <a class="button secondary" href={props.cancel}>Cancel</a>
      </div>
    </form>
  );
}
