/**
 * One user: state, the edit form (fields, further claims as JSON, roles, groups), enable / disable,
 * set password, unlock when failed logins lock the account, the user's passkeys (each with
 * "Remove") and identities at upstream providers (each with "Disconnect"), and the user's
 * sessions (each with "End") and consents (each with "Revoke").
 */
import { sessionOrigin } from '../../../interaction/session-origin.js';
import type { z } from 'zod';
import type { consentView, pageOf, sessionView, upstreamIdentityView, userView } from '../../api/schemas.js';
import { ApiError, apiPath } from '../api-client.js';
import { Badge, CsrfField, EmptyRow, FormError, PostButton, TextField, Time } from '../components.js';
import { fieldErrorsOf, FormFields, type FieldErrors } from '../forms.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, sendPage, type PageContext, type PageHandler } from '../page.js';
import { USER_FORM_FIELDS, UserFields, userFieldsFrom, userLink } from './users.js';

type UserView = z.infer<typeof userView>;
type SessionPage = z.infer<ReturnType<typeof pageOf<typeof sessionView>>>;
type ConsentPage = z.infer<ReturnType<typeof pageOf<typeof consentView>>>;
type UpstreamIdentityView = z.infer<typeof upstreamIdentityView>;

/** `GET /admin/users/:sub`. */
export const showUserPage: PageHandler = async (page) => renderUser(page, {});

/** `POST /admin/users/:sub`: changes the user's fields, claims, roles and groups. */
export const updateUserAction: PageHandler = async (page) => {
  const sub = page.params.sub!;
  const { body, errors } = userFieldsFrom(page.form, 'edit');
  if (Object.keys(errors).length > 0) return renderUser(page, { edit: { values: page.form, errors } }, 400);
  try {
    await page.api.send('PATCH', apiPath`/users/${sub}`, body);
    return redirectAfterPost(userLink(page, sub), 'user-saved');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 409)) return renderUser(page, { edit: { values: page.form, errors: fieldErrorsOf(error, USER_FORM_FIELDS) } }, 400);
    throw error;
  }
};

/** `POST /admin/users/:sub/password`. */
export const setPasswordAction: PageHandler = async (page) => {
  const sub = page.params.sub!;
  try {
    await page.api.send('PUT', apiPath`/users/${sub}/password`, { password: page.form.raw('password') });
    return redirectAfterPost(userLink(page, sub), 'password-set');
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return renderUser(page, { passwordErrors: fieldErrorsOf(error, ['password']) }, 400);
    throw error;
  }
};

/** A user as the edit form's values. */
function userFormValues(user: UserView): FormFields {
  return FormFields.fromRecord({
    username: user.username,
    email: user.email,
    email_verified: user.email_verified ? 'true' : undefined,
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
    claims: Object.keys(user.claims).length === 0 ? undefined : JSON.stringify(user.claims, null, 2),
    admin: user.roles.includes('admin') ? 'true' : undefined,
    groups: user.groups.length === 0 ? undefined : user.groups.join('\n'),
  });
}

async function renderUser(page: PageContext, state: { edit?: { values: FormFields; errors: FieldErrors }; passwordErrors?: FieldErrors }, status = 200): Promise<Response> {
  const sub = page.params.sub!;
  const user = await page.api.get<UserView>(apiPath`/users/${sub}`);
  const sessions = await page.api.get<SessionPage>(apiPath`/users/${sub}/sessions`, { limit: 50 });
  const consents = await page.api.get<ConsentPage>(apiPath`/users/${sub}/consents`, { limit: 50 });
  const identities = (await page.api.get<{ items: UpstreamIdentityView[] }>(apiPath`/users/${sub}/upstream-identities`)).items;
  const link = userLink(page, sub);
  const edit = state.edit ?? { values: userFormValues(user), errors: {} };
  const passwordErrors = state.passwordErrors ?? {};
  return sendPage(renderDocument(
    <ConsoleLayout title={user.username} section="users" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>
        {user.username} {user.disabled ? <Badge kind="off">disabled</Badge> : <Badge kind="ok">enabled</Badge>}{' '}
        {user.locked ? <Badge kind="warn">locked</Badge> : null} {user.roles.includes('admin') ? <Badge kind="next">admin</Badge> : null}
      </h1>
      <div class="actions">
        {user.disabled
          ? <PostButton action={`${link}/enable`} csrfToken={page.csrfToken} label="Enable" kind="secondary" />
          : <PostButton action={`${link}/disable`} csrfToken={page.csrfToken} label="Disable" kind="danger" />}
        {user.locked ? <PostButton action={`${link}/unlock`} csrfToken={page.csrfToken} label="Unlock" kind="secondary" /> : null}
        {user.two_step ? <PostButton action={`${link}/two-step/off`} csrfToken={page.csrfToken} label="Turn off two-step verification" kind="secondary" /> : null}
        <PostButton action={`${link}/delete`} csrfToken={page.csrfToken} label="Delete" kind="danger" />
        <a href={page.link(`/audit-events?sub=${encodeURIComponent(sub)}`)}>Audit events</a>
      </div>
      {user.locked ? <p class="muted">Too many failed logins lock this account for now; unlocking clears them.</p> : null}
      <section class="card" aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        <dl class="fields">
          <dt>sub</dt><dd><code>{user.sub}</code></dd>
          <dt>created</dt><dd><Time at={user.created_at} /></dd>
          <dt>updated</dt><dd><Time at={user.updated_at} /></dd>
          <dt>password</dt><dd>{user.has_password ? 'set' : 'none'}</dd>
          <dt>two-step verification</dt><dd>{user.two_step ? 'on (an authenticator app)' : 'off'}</dd>
        </dl>
      </section>
      <h2>Passkeys</h2>
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Added</th><th scope="col">Last used</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
        <tbody>
          {user.passkeys.length === 0 ? <EmptyRow columns={5}>No passkeys.</EmptyRow> : user.passkeys.map((passkey) => (
            <tr>
              <td>{passkey.name}</td>
              <td>{passkey.synced ? 'synced' : 'one device'}</td>
              <td><Time at={passkey.created_at} /></td>
              <td>{passkey.last_used_at === undefined ? <span class="muted">never</span> : <Time at={passkey.last_used_at} />}</td>
              <td><PostButton action={`${link}/passkeys/${encodeURIComponent(passkey.id)}/remove`} csrfToken={page.csrfToken} label="Remove" kind="secondary" /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Upstream identities</h2>
      <table>
        <thead><tr><th scope="col">Upstream provider</th><th scope="col">Subject there</th><th scope="col">E-mail there</th><th scope="col">Last used</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
        <tbody>
          {identities.length === 0 ? <EmptyRow columns={5}>No upstream identities.</EmptyRow> : identities.map((identity) => (
            <tr>
              <td><a href={page.link(`/upstreams/${encodeURIComponent(identity.upstream_id)}`)}><code>{identity.upstream_id}</code></a></td>
              <td><code>{identity.subject}</code></td>
              <td>{identity.email ?? <span class="muted">—</span>}</td>
              <td>{identity.last_used_at === undefined ? <span class="muted">never</span> : <Time at={identity.last_used_at} />}</td>
              <td><PostButton action={`${link}/upstream-identities/${encodeURIComponent(identity.upstream_id)}/disconnect`} csrfToken={page.csrfToken} label="Disconnect" kind="secondary" /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="card" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Edit</h2>
        <form method="post" action={link} novalidate>
          <CsrfField token={page.csrfToken} />
          <FormError errors={edit.errors} />
          <UserFields values={edit.values} errors={edit.errors} />
          <div class="actions"><button type="submit">Save user</button></div>
        </form>
      </section>
      <section class="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Set password</h2>
        <form method="post" action={`${link}/password`} novalidate>
          <CsrfField token={page.csrfToken} />
          <TextField name="password" label="New password" type="password" value="" errors={passwordErrors} autocomplete="new-password" hint="at least 8 characters" />
          <div class="actions"><button type="submit">Set password</button></div>
        </form>
      </section>
      <h2>Sessions</h2>
      <table>
        <thead><tr><th scope="col">Signed in</th><th scope="col">From</th><th scope="col">Methods</th><th scope="col">Expires</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
        <tbody>
          {sessions.items.length === 0 ? <EmptyRow columns={5}>No sessions.</EmptyRow> : sessions.items.map((session) => (
            <tr>
              <td><Time at={session.auth_time} /></td>
              <td>{sessionOrigin(session) ?? <span class="muted">unknown</span>}</td>
              <td>{session.amr.join(', ')}</td>
              <td><Time at={session.expires_at} /></td>
              <td><PostButton action={page.link(`/sessions/${encodeURIComponent(session.id)}/end`)} csrfToken={page.csrfToken} label="End" kind="secondary" returnTo={link} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Consents</h2>
      <table>
        <thead><tr><th scope="col">Client</th><th scope="col">Scope</th><th scope="col">Granted</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
        <tbody>
          {consents.items.length === 0 ? <EmptyRow columns={4}>No consents.</EmptyRow> : consents.items.map((consent) => (
            <tr>
              <td><a href={page.link(`/clients/${encodeURIComponent(consent.client_id)}`)}><code>{consent.client_id}</code></a></td>
              <td>{consent.scope}</td>
              <td><Time at={consent.granted_at} /></td>
              <td><PostButton action={page.link(`/consents/${encodeURIComponent(consent.sub)}/${encodeURIComponent(consent.client_id)}/revoke`)} csrfToken={page.csrfToken} label="Revoke" kind="secondary" returnTo={link} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConsoleLayout>,
  ), status);
}
