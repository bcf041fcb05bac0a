/**
 * Resource servers (RFC 8707): the APIs latchkey issues access tokens for — their identifier,
 * API scopes, token format (opaque or RFC 9068 JWT), lifetime and introspecting client. List,
 * register, edit (the identifier stays), delete.
 */
import type { z } from 'zod';
import type { pageOf, resourceServerView } from '../../api/schemas.js';
import { ApiError, apiPath } from '../api-client.js';
import { CsrfField, EmptyRow, FormError, Pager, PostButton, SelectField, TextField, Time } from '../components.js';
import { fieldErrorsOf, FormFields, type FieldErrors } from '../forms.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, sendPage, type PageContext, type PageHandler } from '../page.js';

type ResourceServerView = z.infer<typeof resourceServerView>;
type ResourceServerPage = z.infer<ReturnType<typeof pageOf<typeof resourceServerView>>>;

const FIELDS: readonly string[] = ['resource', 'name', 'scope', 'access_token_format', 'access_token_ttl_seconds', 'client_id'];

/** `GET /admin/resource-servers`. */
export const listResourceServersPage: PageHandler = async (page) => {
  const list = await page.api.get<ResourceServerPage>('/resource-servers', { cursor: page.url.searchParams.get('cursor') ?? undefined, limit: 50 });
  return sendPage(renderDocument(
    <ConsoleLayout title="Resource servers" section="resource-servers" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Resource servers</h1>
      <div class="actions"><a class="button" href={page.link('/resource-servers/new')}>Register a resource server</a></div>
      <table>
        <thead><tr><th scope="col">Identifier</th><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Token format</th><th scope="col">Updated</th></tr></thead>
        <tbody>
          {list.items.length === 0 ? <EmptyRow columns={5}>No resource servers.</EmptyRow> : list.items.map((server) => (
            <tr>
              <td><a href={serverLink(page, server.resource)}><code>{server.resource}</code></a></td>
              <td>{server.name ?? <span class="muted">—</span>}</td>
              <td>{server.scope}</td>
              <td>{server.access_token_format}</td>
              <td><Time at={server.updated_at} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager url={page.url} nextCursor={list.next_cursor} />
    </ConsoleLayout>,
  ));
};

/** `GET /admin/resource-servers/new`. */
export const newResourceServerPage: PageHandler = async (page) => renderForm(page, undefined, FormFields.fromRecord({ access_token_format: 'opaque' }), {});

/** `GET /admin/resource-servers/:resource`: its edit form. */
export const showResourceServerPage: PageHandler = async (page) => {
  const server = await page.api.get<ResourceServerView>(apiPath`/resource-servers/${page.params.resource!}`);
  return renderForm(page, server, FormFields.fromRecord({
    resource: server.resource,
    name: server.name,
    scope: server.scope,
    access_token_format: server.access_token_format,
    access_token_ttl_seconds: server.access_token_ttl_seconds === undefined ? undefined : String(server.access_token_ttl_seconds),
    client_id: server.client_id,
  }), {});
};

/** `POST /admin/resource-servers` (register) and `POST /admin/resource-servers/:resource` (replace). */
export const saveResourceServerAction: PageHandler = async (page) => {
  const existing = page.params.resource;
  const { body, errors } = resourceServerFrom(page.form, existing);
  const current = existing === undefined ? undefined : await page.api.get<ResourceServerView>(apiPath`/resource-servers/${existing}`);
  if (Object.keys(errors).length > 0) return renderForm(page, current, page.form, errors, 400);
  try {
    if (existing === undefined) await page.api.send('POST', '/resource-servers', body);
    else await page.api.send('PUT', apiPath`/resource-servers/${existing}`, body);
    return redirectAfterPost(page.link('/resource-servers'), 'resource-server-saved');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 409)) return renderForm(page, current, page.form, fieldErrorsOf(error, FIELDS), 400);
    throw error;
  }
};

/** `POST /admin/resource-servers/:resource/delete`. */
export const deleteResourceServerAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/resource-servers/${page.params.resource!}`);
  return redirectAfterPost(page.link('/resource-servers'), 'resource-server-deleted');
};

function serverLink(page: PageContext, resource: string): string {
  return page.link(`/resource-servers/${encodeURIComponent(resource)}`);
}

function resourceServerFrom(form: FormFields, existing: string | undefined): { body: Record<string, unknown>; errors: FieldErrors } {
  const body: Record<string, unknown> = { resource: existing ?? form.text('resource') ?? '', scope: form.text('scope') ?? '' };
  const errors: Record<string, string> = {};
  for (const name of ['name', 'access_token_format', 'client_id'] as const) {
    const value = form.text(name);
    if (value !== undefined) body[name] = value;
  }
  const ttl = form.text('access_token_ttl_seconds');
  if (ttl !== undefined) {
    if (/^\d+$/.test(ttl)) body.access_token_ttl_seconds = Number(ttl);
    else errors.access_token_ttl_seconds = 'must be a whole number of seconds';
  }
  return { body, errors };
}

function renderForm(page: PageContext, server: ResourceServerView | undefined, values: FormFields, errors: FieldErrors, status = 200): Promise<Response> {
  const title = server === undefined ? 'Register a resource server' : server.name ?? server.resource;
  const action = server === undefined ? page.link('/resource-servers') : serverLink(page, server.resource);
  return sendPage(renderDocument(
    <ConsoleLayout title={title} section="resource-servers" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>{title}</h1>
      {server === undefined ? null : <p class="muted">Registered <Time at={server.created_at} />, changed <Time at={server.updated_at} />.</p>}
      <form method="post" action={action} novalidate>
        <CsrfField token={page.csrfToken} />
        <FormError errors={errors} />
        {server === undefined
          ? <TextField name="resource" label="Identifier" type="url" value={values.raw('resource')} errors={errors} required hint="an absolute URI without a fragment, e.g. https://api.example.com" />
          : <p><strong>Identifier</strong> <code>{server.resource}</code></p>}
        <TextField name="name" label="Name" value={values.raw('name')} errors={errors} />
        <TextField name="scope" label="Scopes" value={values.raw('scope')} errors={errors} required hint="space-separated API scopes, e.g. orders:read orders:write" />
        <SelectField name="access_token_format" label="Access token format" value={values.raw('access_token_format')} options={['opaque', 'jwt']} errors={errors} />
        <TextField name="access_token_ttl_seconds" label="Access token lifetime (seconds)" type="number" value={values.raw('access_token_ttl_seconds')} errors={errors} hint="empty: the server's default" />
        <TextField name="client_id" label="Introspecting client" value={values.raw('client_id')} errors={errors} hint="the client the API introspects tokens as (optional)" />
        <div class="actions">
          <button type="submit">{server === undefined ? 'Register' : 'Save'}</button>
          <a class="button secondary" href={page.link('/resource-servers')}>Cancel</a>
        </div>
      </form>
      {server === undefined ? null : <div class="actions"><PostButton action={`${serverLink(page, server.resource)}/delete`} csrfToken={page.csrfToken} label="Delete resource server" kind="danger" /></div>}
    </ConsoleLayout>,
  ), status);
}
