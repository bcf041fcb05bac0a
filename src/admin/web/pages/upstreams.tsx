/**
 * Upstream providers: the OpenID Providers people may sign in with instead of a password here.
 * The list (with the redirect URI to register at each) and the form that adds one; one provider's
 * edit form (its id stays; an empty secret keeps the stored one, which is never shown); deleting
 * one, after a page that says what goes with it.
 */
import { DEFAULT_UPSTREAM_SCOPE, type UpstreamView } from '../../../upstreams/upstream-input.js';
import { ApiError, apiPath } from '../api-client.js';
import { Badge, Checkbox, CsrfField, EmptyRow, FormError, PostButton, TextField, Time } from '../components.js';
import { fieldErrorsOf, FormFields, type FieldErrors } from '../forms.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, sendPage, type PageContext, type PageHandler } from '../page.js';

/** The fields of the upstream forms, for placing the API's errors. */
const FIELDS: readonly string[] = ['id', 'name', 'issuer', 'client_id', 'client_secret', 'scope', 'create_accounts', 'sync_profile', 'sync_groups', 'disabled'];

/** What the add form starts with: the default scopes, accounts created for new people. */
const NEW_UPSTREAM_VALUES = FormFields.fromRecord({ scope: DEFAULT_UPSTREAM_SCOPE, create_accounts: 'true' });

/** `GET /admin/upstreams`: the list and the add form. */
export const listUpstreamsPage: PageHandler = async (page) => renderList(page, NEW_UPSTREAM_VALUES, {});

/** `POST /admin/upstreams`: adds one, then shows it (with the redirect URI to register there). */
export const createUpstreamAction: PageHandler = async (page) => {
  const { form } = page;
  const body: Record<string, unknown> = {
    id: form.text('id') ?? '',
    name: form.raw('name'),
    issuer: form.text('issuer') ?? '',
    client_id: form.text('client_id') ?? '',
    create_accounts: form.checked('create_accounts'),
    sync_profile: form.checked('sync_profile'),
    sync_groups: form.checked('sync_groups'),
  };
  // An empty scope is the default one; an empty secret, a public client (PKCE alone).
  const scope = form.text('scope');
  if (scope !== undefined) body.scope = scope;
  if (form.raw('client_secret') !== '') body.client_secret = form.raw('client_secret');
  try {
    const created = await page.api.send<UpstreamView>('POST', '/upstreams', body);
    return redirectAfterPost(upstreamLink(page, created.id), 'upstream-created');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 409)) return renderList(page, form, fieldErrorsOf(error, FIELDS), 400);
    throw error;
  }
};

/** `GET /admin/upstreams/:id`: its edit form. */
export const showUpstreamPage: PageHandler = async (page) => {
  const upstream = await page.api.get<UpstreamView>(apiPath`/upstreams/${page.params.id!}`);
  return renderEdit(page, upstream, FormFields.fromRecord({
    name: upstream.name,
    issuer: upstream.issuer,
    client_id: upstream.client_id,
    scope: upstream.scope,
    create_accounts: upstream.create_accounts ? 'true' : undefined,
    sync_profile: upstream.sync_profile ? 'true' : undefined,
    sync_groups: upstream.sync_groups ? 'true' : undefined,
    disabled: upstream.disabled ? 'true' : undefined,
  }), {});
};

/**
 * `POST /admin/upstreams/:id`: replaces every field of the form. The secret changes only when one
 * is typed, or goes when "Remove the client secret" is ticked.
 */
export const updateUpstreamAction: PageHandler = async (page) => {
  const id = page.params.id!;
  const { form } = page;
  const secret = form.raw('client_secret');
  const remove = form.checked('remove_client_secret');
  const body: Record<string, unknown> = {
    name: form.raw('name'),
    issuer: form.text('issuer') ?? '',
    client_id: form.text('client_id') ?? '',
    scope: form.text('scope') ?? '',
    create_accounts: form.checked('create_accounts'),
    sync_profile: form.checked('sync_profile'),
    sync_groups: form.checked('sync_groups'),
    disabled: form.checked('disabled'),
  };
  if (remove) body.client_secret = null;
  else if (secret !== '') body.client_secret = secret;
  const current = await page.api.get<UpstreamView>(apiPath`/upstreams/${id}`);
  if (remove && secret !== '') return renderEdit(page, current, form, { client_secret: 'type a new secret or remove the secret, not both' }, 400);
  try {
    await page.api.send('PATCH', apiPath`/upstreams/${id}`, body);
    return redirectAfterPost(upstreamLink(page, id), 'upstream-saved');
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return renderEdit(page, current, form, fieldErrorsOf(error, FIELDS), 400);
    throw error;
  }
};

/** `GET /admin/upstreams/:id/delete`: what deleting it does, and the button that does it. */
export const confirmDeleteUpstreamPage: PageHandler = async (page) => {
  const upstream = await page.api.get<UpstreamView>(apiPath`/upstreams/${page.params.id!}`);
  const link = upstreamLink(page, upstream.id);
  return sendPage(renderDocument(
    <ConsoleLayout title={`Delete ${upstream.name}`} section="upstreams" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Delete {upstream.name}?</h1>
      <p>
        People can no longer sign in with <strong>{upstream.name}</strong> (<code>{upstream.id}</code>), and every account's connection to it goes.
        The accounts stay; someone who signed in only through it needs another way in, such as a password an administrator sets.
        Sessions already signed in go on until they end.
      </p>
      <div class="actions">
        <PostButton action={`${link}/delete`} csrfToken={page.csrfToken} label="Delete upstream provider" kind="danger" />
        <a class="button secondary" href={link}>Cancel</a>
      </div>
    </ConsoleLayout>,
  ));
};

/** `POST /admin/upstreams/:id/delete`. */
export const deleteUpstreamAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/upstreams/${page.params.id!}`);
  return redirectAfterPost(page.link('/upstreams'), 'upstream-deleted');
};

/** The console page of upstream `id`. */
export function upstreamLink(page: PageContext, id: string): string {
  return page.link(`/upstreams/${encodeURIComponent(id)}`);
}

async function renderList(page: PageContext, values: FormFields, errors: FieldErrors, status = 200): Promise<Response> {
  const { items } = await page.api.get<{ items: UpstreamView[] }>('/upstreams');
  return sendPage(renderDocument(
    <ConsoleLayout title="Upstream providers" section="upstreams" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Upstream providers</h1>
      <p class="muted">OpenID Providers people may sign in with instead of a password here: the login page offers "Sign in with …" for each enabled one. Register latchkey at each as a client with its redirect URI.</p>
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Issuer</th><th scope="col">State</th><th scope="col">Redirect URI to register</th></tr></thead>
        <tbody>
          {items.length === 0 ? <EmptyRow columns={5}>No upstream providers.</EmptyRow> : items.map((upstream) => (
            <tr>
              <td><a href={upstreamLink(page, upstream.id)}>{upstream.name}</a></td>
              <td><code>{upstream.id}</code></td>
              <td><code>{upstream.issuer}</code></td>
              <td>{upstream.disabled ? <Badge kind="off">disabled</Badge> : <Badge kind="ok">enabled</Badge>}</td>
              <td><code>{upstream.redirect_uri}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="card" aria-labelledby="add-heading">
        <h2 id="add-heading">Add an upstream provider</h2>
        <form method="post" action={page.link('/upstreams')} novalidate>
          <CsrfField token={page.csrfToken} />
          <FormError errors={errors} />
          <TextField name="id" label="Id" value={values.raw('id')} errors={errors} required hint="lowercase letters, digits and hyphens, e.g. corp — it names the redirect URI and cannot change" />
          <UpstreamFields values={values} errors={errors} secretHint="leave empty for a public client (PKCE alone)" />
          <div class="actions"><button type="submit">Add upstream provider</button></div>
        </form>
      </section>
    </ConsoleLayout>,
  ), status);
}

function renderEdit(page: PageContext, upstream: UpstreamView, values: FormFields, errors: FieldErrors, status = 200): Promise<Response> {
  const link = upstreamLink(page, upstream.id);
  return sendPage(renderDocument(
    <ConsoleLayout title={upstream.name} section="upstreams" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>{upstream.name} {upstream.disabled ? <Badge kind="off">disabled</Badge> : <Badge kind="ok">enabled</Badge>}</h1>
      <section class="card" aria-labelledby="registration-heading">
        <h2 id="registration-heading">Registration</h2>
        <dl class="fields">
          <dt>id</dt><dd><code>{upstream.id}</code></dd>
          <dt>redirect URI to register</dt><dd><code id="redirect-uri">{upstream.redirect_uri}</code></dd>
          <dt>client secret</dt><dd>{upstream.has_client_secret ? 'set (never shown)' : 'none: a public client (PKCE alone)'}</dd>
          <dt>added</dt><dd><Time at={upstream.created_at} /></dd>
          <dt>changed</dt><dd><Time at={upstream.updated_at} /></dd>
        </dl>
      </section>
      <form method="post" action={link} novalidate>
        <CsrfField token={page.csrfToken} />
        <FormError errors={errors} />
        <UpstreamFields values={values} errors={errors} secretHint="leave empty to keep the stored one" />
        {upstream.has_client_secret ? <Checkbox name="remove_client_secret" label="Remove the client secret" checked={values.checked('remove_client_secret')} hint="a public client from now on (PKCE alone)" /> : null}
        <Checkbox name="disabled" label="Disabled" checked={values.checked('disabled')} errors={errors} hint="not offered on the login page; its answers refused" />
        <div class="actions">
          <button type="submit">Save</button>
          <a class="button secondary" href={page.link('/upstreams')}>Cancel</a>
        </div>
      </form>
      <div class="actions"><a class="button secondary" href={`${link}/delete`}>Delete…</a></div>
    </ConsoleLayout>,
  ), status);
}

/** The fields shared by the add and edit forms (the id aside, which only the add form has). */
function UpstreamFields(props: { values: FormFields; errors: FieldErrors; secretHint: string }) {
  const { values: v, errors: e } = props;
  return (
    <>
      <TextField name="name" label="Name" value={v.raw('name')} errors={e} required hint='the login page says "Sign in with" it' />
      <TextField name="issuer" label="Issuer" type="url" value={v.raw('issuer')} errors={e} required hint="e.g. https://login.example.com — its settings are read from /.well-known/openid-configuration there" />
      <TextField name="client_id" label="Client ID" value={v.raw('client_id')} errors={e} required hint="the client_id latchkey was given there" />
      <TextField name="client_secret" label="Client secret" type="password" value="" errors={e} hint={props.secretHint} />
      <TextField name="scope" label="Scopes" value={v.raw('scope')} errors={e} hint="space-separated, openid among them" />
      <Checkbox name="create_accounts" label="Create accounts for new people" checked={v.checked('create_accounts')} errors={e} hint="someone whose identity there is connected to no account may create one; otherwise they connect it by signing in here" />
      <Checkbox name="sync_profile" label="Keep names and address in step" checked={v.checked('sync_profile')} errors={e} hint="at every sign-in through it, the account's names and email address are set to what it says" />
      <Checkbox name="sync_groups" label="Keep groups in step" checked={v.checked('sync_groups')} errors={e} hint="at every sign-in through it, the account's groups are set to its groups claim (none when it sends none); ask for the scope that releases it" />
    </>
  );
}
