/**
 * Users (built-in accounts): the list (search, paging), registering one, and the one-button
 * changes — disable (which also ends the user's sessions), enable, unlock after login throttling.
 * One user's page, with its edit and password forms, is `user-detail.tsx`.
 */
import type { z } from 'zod';
import type { pageOf, userView } from '../../api/schemas.js';
import { ApiError, apiPath } from '../api-client.js';
import { Badge, Checkbox, CsrfField, EmptyRow, FilterForm, FilterInput, FormError, Pager, TextArea, TextField } from '../components.js';
import { fieldErrorsOf, FormFields, type FieldErrors } from '../forms.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, sendPage, type PageContext, type PageHandler } from '../page.js';

type UserView = z.infer<typeof userView>;
type UserPage = z.infer<ReturnType<typeof pageOf<typeof userView>>>;

/** The fields of the user forms, for placing the API's errors. */
export const USER_FORM_FIELDS: readonly string[] = ['username', 'password', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'claims', 'roles', 'groups', 'disabled'];

/** `GET /admin/users`: users in username order, searchable by username, e-mail or name. */
export const listUsersPage: PageHandler = async (page) => {
  const search = page.url.searchParams.get('search') ?? '';
  const group = page.url.searchParams.get('group') ?? '';
  const list = await page.api.get<UserPage>('/users', { search, group, cursor: page.url.searchParams.get('cursor') ?? undefined, limit: 25 });
  return sendPage(renderDocument(
    <ConsoleLayout title="Users" section="users" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Users</h1>
      <div class="actions"><a class="button" href={page.link('/users/new')}>Create a user</a></div>
      <FilterForm action={page.link('/users')}>
        <FilterInput name="search" label="Search by username, e-mail or name" value={search} />
        <FilterInput name="group" label="Members of the group" value={group} />
      </FilterForm>
      <table>
        <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Roles</th><th scope="col">Groups</th><th scope="col">State</th></tr></thead>
        <tbody>
          {list.items.length === 0 ? <EmptyRow columns={6}>No users{search === '' && group === '' ? '' : ' match'}.</EmptyRow> : list.items.map((user) => (
            <tr>
              <td><a href={userLink(page, user.sub)}>{user.username}</a></td>
              <td>{user.name ?? <span class="muted">—</span>}</td>
              <td>{user.email ?? <span class="muted">—</span>}</td>
              <td>{user.roles.join(', ') || <span class="muted">—</span>}</td>
              <td>{user.groups.join(', ') || <span class="muted">—</span>}</td>
              <td>{user.disabled ? <Badge kind="off">disabled</Badge> : <Badge kind="ok">enabled</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager url={page.url} nextCursor={list.next_cursor} />
    </ConsoleLayout>,
  ));
};

/** `GET /admin/users/new`. */
export const newUserPage: PageHandler = async (page) => renderNewUser(page, FormFields.empty, {});

/** `POST /admin/users`. */
export const createUserAction: PageHandler = async (page) => {
  const { body, errors } = userFieldsFrom(page.form, 'create');
  if (Object.keys(errors).length > 0) return renderNewUser(page, page.form, errors, 400);
  try {
    const user = await page.api.send<UserView>('POST', '/users', body);
    return redirectAfterPost(userLink(page, user.sub), 'user-created');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 409)) return renderNewUser(page, page.form, fieldErrorsOf(error, USER_FORM_FIELDS), 400);
    throw error;
  }
};

/** `POST /admin/users/:sub/enable` and `/disable`. */
export function setUserDisabled(disabled: boolean): PageHandler {
  return async (page) => {
    await page.api.send('PATCH', apiPath`/users/${page.params.sub!}`, { disabled });
    return redirectAfterPost(userLink(page, page.params.sub!), disabled ? 'user-disabled' : 'user-enabled');
  };
}

/** `POST /admin/users/:sub/unlock`. */
export const unlockUserAction: PageHandler = async (page) => {
  await page.api.send('POST', apiPath`/users/${page.params.sub!}/unlock`);
  return redirectAfterPost(userLink(page, page.params.sub!), 'user-unlocked');
};

export const turnOffTwoStepAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/users/${page.params.sub!}/two-step`);
  return redirectAfterPost(userLink(page, page.params.sub!), 'user-two-step-off');
};

/** `POST /admin/users/:sub/passkeys/:id/remove`. */
export const removePasskeyAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/users/${page.params.sub!}/passkeys/${page.params.id!}`);
  return redirectAfterPost(userLink(page, page.params.sub!), 'user-passkey-removed');
};

/** `POST /admin/users/:sub/upstream-identities/:upstream_id/disconnect`. */
export const disconnectUpstreamIdentityAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/users/${page.params.sub!}/upstream-identities/${page.params.upstream_id!}`);
  return redirectAfterPost(userLink(page, page.params.sub!), 'user-upstream-disconnected');
};

/** `POST /admin/users/:sub/delete`. */
export const deleteUserAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/users/${page.params.sub!}`);
  return redirectAfterPost(page.link('/users'), 'user-deleted');
};

/** The console page of user `sub`. */
export function userLink(page: PageContext, sub: string): string {
  return page.link(`/users/${encodeURIComponent(sub)}`);
}

/**
 * The user's fields as the admin API takes them. On create, empty fields are left out; on edit,
 * an emptied optional field is removed (`null`). `claims` must be a JSON object.
 */
export function userFieldsFrom(form: FormFields, mode: 'create' | 'edit'): { body: Record<string, unknown>; errors: FieldErrors } {
  const body: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const username = form.text('username');
  if (username !== undefined || mode === 'create') body.username = username ?? '';
  for (const name of ['email', 'name', 'given_name', 'family_name'] as const) {
    const value = form.text(name);
    if (value !== undefined) body[name] = value;
    else if (mode === 'edit') body[name] = null;
  }
  body.email_verified = form.checked('email_verified');
  body.roles = form.checked('admin') ? ['admin'] : [];
  body.groups = form.lines('groups') ?? [];
  const claims = form.text('claims');
  if (claims === undefined) body.claims = {};
  else {
    try {
      const parsed: unknown = JSON.parse(claims);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
      body.claims = parsed;
    } catch {
      errors.claims = 'must be a JSON object, such as {"locale": "en-GB"}';
    }
  }
  if (mode === 'create') {
    const password = form.raw('password');
    if (password !== '') body.password = password;
    if (form.checked('disabled')) body.disabled = true;
  }
  return { body, errors };
}

/** The fields shared by the create and edit forms. */
export function UserFields(props: { values: FormFields; errors: FieldErrors }) {
  const { values: v, errors: e } = props;
  return (
    <>
      <TextField name="username" label="Username" value={v.raw('username')} errors={e} required />
      <TextField name="email" label="E-mail" type="email" value={v.raw('email')} errors={e} />
      <Checkbox name="email_verified" label="E-mail verified" checked={v.checked('email_verified')} errors={e} />
      <TextField name="name" label="Full name" value={v.raw('name')} errors={e} />
      <TextField name="given_name" label="Given name" value={v.raw('given_name')} errors={e} />
      <TextField name="family_name" label="Family name" value={v.raw('family_name')} errors={e} />
      <TextArea name="claims" label="Further claims" value={v.raw('claims')} errors={e} rows={4} hint='a JSON object of OpenID Connect standard claims: {"locale": "en-GB", "phone_number": "+44 …"}' />
      <TextArea name="groups" label="Groups" value={v.raw('groups')} errors={e} rows={3} hint="one per line, e.g. engineering — applications granted the groups scope are told them (the groups claim); a client may admit only some groups" />
      <Checkbox name="admin" label="Administrator (may use this console and the admin API)" checked={v.checked('admin')} errors={e} />
    </>
  );
}

function renderNewUser(page: PageContext, values: FormFields, errors: FieldErrors, status = 200): Promise<Response> {
  return sendPage(renderDocument(
    <ConsoleLayout title="Create a user" section="users" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Create a user</h1>
      <form method="post" action={page.link('/users')} novalidate>
        <CsrfField token={page.csrfToken} />
        <FormError errors={errors} />
        <UserFields values={values} errors={errors} />
        <TextField name="password" label="Password" type="password" value="" errors={errors} autocomplete="new-password" hint="at least 8 characters; leave empty for an account that cannot log in with a password yet" />
        <Checkbox name="disabled" label="Create it disabled" checked={values.checked('disabled')} errors={errors} />
        <div class="actions">
          <button type="submit">Create user</button>
          <a class="button secondary" href={page.link('/users')}>Cancel</a>
        </div>
      </form>
    </ConsoleLayout>,
  ), status);
}
