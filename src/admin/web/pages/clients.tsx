/**
 * Clients: the list (search, paging), one client with all its metadata, its discovery-relevant
 * settings and snippets, and the changes — register, edit, enable / disable, rotate the secret
 * (the new one shown once, in the answer to that POST and nowhere else), delete.
 */
import type { z } from 'zod';
import { consoleOwning } from '../../admin-client.js';
import type { clientView, clientWithSecretView, pageOf } from '../../api/schemas.js';
import { ApiError, apiPath } from '../api-client.js';
import { Badge, EmptyRow, FilterForm, FilterInput, Pager, PostButton, Time } from '../components.js';
import { fieldErrorsOf, type FieldErrors, type FormFields } from '../forms.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, sendPage, type PageContext, type PageHandler } from '../page.js';
import { ClientForm, CLIENT_FORM_FIELDS, clientFormValues, clientMetadataFrom, NEW_CLIENT_VALUES } from './client-form.js';
import { ClientSnippets, DiscoverySettings } from './client-snippets.js';

type ClientView = z.infer<typeof clientView>;
type ClientWithSecret = z.infer<typeof clientWithSecretView>;
type ClientPage = z.infer<ReturnType<typeof pageOf<typeof clientView>>>;

/** `GET /admin/clients`: clients in client_id order, searchable. */
export const listClientsPage: PageHandler = async (page) => {
  const search = page.url.searchParams.get('search') ?? '';
  const list = await page.api.get<ClientPage>('/clients', { search, cursor: page.url.searchParams.get('cursor') ?? undefined, limit: 25 });
  return sendPage(renderDocument(
    <ConsoleLayout title="Clients" section="clients" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Clients</h1>
      <div class="actions"><a class="button" href={page.link('/clients/new')}>Register a client</a></div>
      <FilterForm action={page.link('/clients')}>
        <FilterInput name="search" label="Search by id, name or redirect URI" value={search} />
      </FilterForm>
      <table>
        <thead><tr><th scope="col">client_id</th><th scope="col">Name</th><th scope="col">Authentication</th><th scope="col">Grant types</th><th scope="col">State</th></tr></thead>
        <tbody>
          {list.items.length === 0 ? <EmptyRow columns={5}>No clients{search === '' ? '' : ' match'}.</EmptyRow> : list.items.map((client) => (
            <tr>
              <td><a href={page.link(`/clients/${encodeURIComponent(client.client_id)}`)}><code>{client.client_id}</code></a></td>
              <td>{client.client_name ?? <span class="muted">—</span>}</td>
              <td><code>{client.token_endpoint_auth_method}</code></td>
              <td>{client.grant_types.join(', ')}</td>
              <td>{client.disabled ? <Badge kind="off">disabled</Badge> : <Badge kind="ok">enabled</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager url={page.url} nextCursor={list.next_cursor} />
    </ConsoleLayout>,
  ));
};

/** `GET /admin/clients/:client_id`. */
export const showClientPage: PageHandler = async (page) => {
  const client = await page.api.get<ClientView>(apiPath`/clients/${page.params.client_id!}`);
  return renderClient(page, client);
};

/** `GET /admin/clients/new`. */
export const newClientPage: PageHandler = async (page) => renderClientForm(page, 'create', NEW_CLIENT_VALUES, {});

/** `POST /admin/clients`: registers the client and shows it with its secret, once. */
export const createClientAction: PageHandler = async (page) => {
  const { metadata, errors } = clientMetadataFrom(page.form, 'create');
  if (Object.keys(errors).length > 0) return renderClientForm(page, 'create', page.form, errors, 400);
  try {
    const created = await page.api.send<ClientWithSecret>('POST', '/clients', metadata);
    const { client_secret, ...client } = created;
    return renderClient(page, client, { secret: client_secret, created: true });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 409)) return renderClientForm(page, 'create', page.form, fieldErrorsOf(error, CLIENT_FORM_FIELDS), 400);
    throw error;
  }
};

/** `GET /admin/clients/:client_id/edit`. */
export const editClientPage: PageHandler = async (page) => {
  const client = await page.api.get<ClientView>(apiPath`/clients/${page.params.client_id!}`);
  return renderClientForm(page, 'edit', clientFormValues(client), {});
};

/**
 * `POST /admin/clients/:client_id`: replaces the metadata with the form's (the form holds every
 * field). A new secret — when a new method needs one — is shown once, in this answer.
 */
export const updateClientAction: PageHandler = async (page) => {
  const client_id = page.params.client_id!;
  const { metadata, errors } = clientMetadataFrom(page.form, 'edit');
  if (Object.keys(errors).length > 0) return renderClientForm(page, 'edit', page.form, errors, 400);
  try {
    const updated = await page.api.send<ClientWithSecret>('PUT', apiPath`/clients/${client_id}`, metadata);
    const { client_secret, ...client } = updated;
    if (client_secret !== undefined) return renderClient(page, client, { secret: client_secret });
    return redirectAfterPost(clientLink(page, client_id), 'client-saved');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 409)) return renderClientForm(page, 'edit', page.form, fieldErrorsOf(error, CLIENT_FORM_FIELDS), 400);
    throw error;
  }
};

/** `POST /admin/clients/:client_id/enable` and `/disable`. */
export function setClientDisabled(disabled: boolean): PageHandler {
  return async (page) => {
    await page.api.send('PATCH', apiPath`/clients/${page.params.client_id!}`, { disabled });
    return redirectAfterPost(clientLink(page, page.params.client_id!), disabled ? 'client-disabled' : 'client-enabled');
  };
}

/** `POST /admin/clients/:client_id/secret`: a new secret, shown in this answer only. */
export const rotateClientSecretAction: PageHandler = async (page) => {
  const client_id = page.params.client_id!;
  const rotated = await page.api.send<{ client_secret: string }>('POST', apiPath`/clients/${client_id}/secret`);
  const client = await page.api.get<ClientView>(apiPath`/clients/${client_id}`);
  return renderClient(page, client, { secret: rotated.client_secret });
};

/** `POST /admin/clients/:client_id/delete`. */
export const deleteClientAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/clients/${page.params.client_id!}`);
  return redirectAfterPost(page.link('/clients'), 'client-deleted');
};

function clientLink(page: PageContext, client_id: string): string {
  return page.link(`/clients/${encodeURIComponent(client_id)}`);
}

function renderClientForm(page: PageContext, mode: 'create' | 'edit', values: FormFields, errors: FieldErrors, status = 200): Promise<Response> {
  const client_id = page.params.client_id;
  const title = mode === 'create' ? 'Register a client' : `Edit ${client_id}`;
  return sendPage(renderDocument(
    <ConsoleLayout title={title} section="clients" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>{title}</h1>
      <ClientForm
        action={mode === 'create' ? page.link('/clients') : clientLink(page, client_id!)}
        cancel={mode === 'create' ? page.link('/clients') : clientLink(page, client_id!)}
        csrfToken={page.csrfToken}
        values={values}
        errors={errors}
        mode={mode}
      />
    </ConsoleLayout>,
  ), status);
}

/** Metadata fields shown in the detail list, in this order (the rest have their own boxes). */
const DETAIL_FIELDS = [
  'client_name', 'application_type', 'redirect_uris', 'post_logout_redirect_uris', 'scope', 'grant_types', 'response_types',
  'token_endpoint_auth_method', 'token_endpoint_auth_signing_alg', 'request_object_signing_alg', 'request_object_encryption_alg', 'request_object_encryption_enc', 'request_uris', 'jwks_uri', 'jwks', 'id_token_signed_response_alg',
  'introspection_signed_response_alg', 'authorization_signed_response_alg', 'userinfo_signed_response_alg', 'id_token_encrypted_response_alg', 'id_token_encrypted_response_enc',
  'userinfo_encrypted_response_alg', 'userinfo_encrypted_response_enc', 'authorization_encrypted_response_alg', 'authorization_encrypted_response_enc', 'subject_type', 'sector_identifier_uri', 'refresh_token_rotation', 'skip_consent', 'allowed_groups', 'allowed_upstreams', 'require_pushed_authorization_requests', 'require_signed_request_object', 'dpop_bound_access_tokens',
  'authorization_details_types', 'backchannel_logout_uri', 'backchannel_logout_session_required', 'frontchannel_logout_uri', 'frontchannel_logout_session_required',
  'contacts', 'client_uri', 'logo_uri', 'policy_uri', 'tos_uri', 'software_id', 'software_version',
] as const;

/** One client; with `secret`, the box that shows it this once. */
function renderClient(page: PageContext, client: ClientView, shown: { secret?: string | undefined; created?: boolean } = {}): Promise<Response> {
  const link = clientLink(page, client.client_id);
  const managed = consoleOwning(client.client_id);
  const values = client as unknown as Record<string, unknown>;
  return sendPage(renderDocument(
    <ConsoleLayout title={client.client_name ?? client.client_id} section="clients" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>{client.client_name ?? client.client_id} {client.disabled ? <Badge kind="off">disabled</Badge> : <Badge kind="ok">enabled</Badge>}</h1>
      {shown.created ? <p class="notice" role="status">The client was registered.</p> : null}
      {shown.secret === undefined ? null : (
        <div class="secret" role="alert">
          <p><strong>The client secret — shown this once.</strong> Copy it now: latchkey keeps only a digest of it.</p>
          <p><code id="client-secret">{shown.secret}</code></p>
        </div>
      )}
      {managed ? <p class="muted">This is the {managed.name} console's own client; latchkey manages it, and it cannot be changed here.</p> : (
        <div class="actions">
          <a class="button" href={`${link}/edit`}>Edit</a>
          {client.disabled
            ? <PostButton action={`${link}/enable`} csrfToken={page.csrfToken} label="Enable" kind="secondary" />
            : <PostButton action={`${link}/disable`} csrfToken={page.csrfToken} label="Disable" kind="secondary" />}
          {client.has_secret ? <PostButton action={`${link}/secret`} csrfToken={page.csrfToken} label="Rotate secret" kind="secondary" /> : null}
          <PostButton action={`${link}/delete`} csrfToken={page.csrfToken} label="Delete" kind="danger" />
        </div>
      )}
      <section class="card" aria-labelledby="metadata-heading">
        <h2 id="metadata-heading">Metadata</h2>
        <dl class="fields">
          <dt>client_id</dt><dd><code>{client.client_id}</code></dd>
          <dt>issued</dt><dd><Time at={client.client_id_issued_at} /></dd>
          <dt>updated</dt><dd><Time at={client.updated_at} /></dd>
          <dt>secret</dt><dd>{client.has_secret ? (client.client_secret_expires_at === 0 ? 'yes (does not expire)' : <>yes, expires <Time at={client.client_secret_expires_at} /></>) : 'none'}</dd>
          {DETAIL_FIELDS.filter((name) => values[name] !== undefined).map((name) => (
            <>
              <dt>{name}</dt>
              <dd><MetadataValue value={values[name]} /></dd>
            </>
          ))}
        </dl>
      </section>
      <DiscoverySettings client={client} urls={page.ctx.urls} />
      <ClientSnippets client={client} urls={page.ctx.urls} />
      <p><a href={page.link(`/consents?client_id=${encodeURIComponent(client.client_id)}`)}>Consents given to this client</a> · <a href={page.link(`/audit-events?client_id=${encodeURIComponent(client.client_id)}`)}>Its audit events</a></p>
    </ConsoleLayout>,
  ));
}

function MetadataValue(props: { value: unknown }) {
  const { value } = props;
  if (Array.isArray(value)) return <>{value.map((item) => <div><code>{String(item)}</code></div>)}</>;
  if (typeof value === 'object' && value !== null) return <pre><code>{JSON.stringify(value, null, 2)}</code></pre>;
  return <code>{String(value)}</code>;
}
