/**
 * Every page of the admin web UI, in one table: method and path (under `<issuer>/admin`, in
 * hono's `:param` form) → handler. Each needs a console session; each POST also needs the
 * session's CSRF token from the issuer's origin (`app.ts`). HTML forms cannot PUT or DELETE, so
 * a change is `POST <resource>/<action>`, and its handler calls the matching admin API operation.
 *
 * Besides these, `app.ts` answers the console's plumbing: `GET /admin/assets/:name` (stylesheet
 * and script), `GET /admin/callback` (the end of sign-in), `POST /admin/sign-out` and
 * `GET /admin/signed-out`.
 */
import type { PageHandler } from './page.js';
import { listAuditEventsPage } from './pages/audit-events.js';
import { createClientAction, deleteClientAction, editClientPage, listClientsPage, newClientPage, rotateClientSecretAction, setClientDisabled, showClientPage, updateClientAction } from './pages/clients.js';
import { listConsentsPage, revokeConsentAction } from './pages/consents.js';
import { dashboardFiguresFragment, dashboardPage } from './pages/dashboard.js';
import { issueInitialAccessTokenAction, listInitialAccessTokensPage, revokeInitialAccessTokenAction } from './pages/initial-access-tokens.js';
import { listKeysPage, retireKeyAction, rotateKeysAction } from './pages/keys.js';
import { deleteResourceServerAction, listResourceServersPage, newResourceServerPage, saveResourceServerAction, showResourceServerPage } from './pages/resource-servers.js';
import { endSessionAction, listSessionsPage } from './pages/sessions.js';
import { setPasswordAction, showUserPage, updateUserAction } from './pages/user-detail.js';
import { listGroupsPage } from './pages/groups.js';
import { confirmDeleteUpstreamPage, createUpstreamAction, deleteUpstreamAction, listUpstreamsPage, showUpstreamPage, updateUpstreamAction } from './pages/upstreams.js';
import { createUserAction, listUsersPage, newUserPage, setUserDisabled, turnOffTwoStepAction, removePasskeyAction, deleteUserAction, disconnectUpstreamIdentityAction, unlockUserAction } from './pages/users.js';

/** One page route of the console. */
export interface AdminPageRoute {
  method: 'GET' | 'POST';
  /** Relative to `/admin`, with `:param` placeholders. */
  path: string;
  page: PageHandler;
}

/** The console's pages, in navigation order. */
export const ADMIN_PAGE_ROUTES: readonly AdminPageRoute[] = [
  { method: 'GET', path: '/', page: dashboardPage },
  { method: 'GET', path: '/dashboard/figures', page: dashboardFiguresFragment },

  { method: 'GET', path: '/clients', page: listClientsPage },
  { method: 'GET', path: '/clients/new', page: newClientPage },
  { method: 'POST', path: '/clients', page: createClientAction },
  { method: 'GET', path: '/clients/:client_id', page: showClientPage },
  { method: 'GET', path: '/clients/:client_id/edit', page: editClientPage },
  { method: 'POST', path: '/clients/:client_id', page: updateClientAction },
  { method: 'POST', path: '/clients/:client_id/enable', page: setClientDisabled(false) },
  { method: 'POST', path: '/clients/:client_id/disable', page: setClientDisabled(true) },
  { method: 'POST', path: '/clients/:client_id/secret', page: rotateClientSecretAction },
  { method: 'POST', path: '/clients/:client_id/delete', page: deleteClientAction },

  { method: 'GET', path: '/groups', page: listGroupsPage },
  { method: 'GET', path: '/users', page: listUsersPage },
  { method: 'GET', path: '/users/new', page: newUserPage },
  { method: 'POST', path: '/users', page: createUserAction },
  { method: 'GET', path: '/users/:sub', page: showUserPage },
  { method: 'POST', path: '/users/:sub', page: updateUserAction },
  { method: 'POST', path: '/users/:sub/enable', page: setUserDisabled(false) },
  { method: 'POST', path: '/users/:sub/disable', page: setUserDisabled(true) },
  { method: 'POST', path: '/users/:sub/password', page: setPasswordAction },
  { method: 'POST', path: '/users/:sub/unlock', page: unlockUserAction },
  { method: 'POST', path: '/users/:sub/two-step/off', page: turnOffTwoStepAction },
  { method: 'POST', path: '/users/:sub/passkeys/:id/remove', page: removePasskeyAction },
  { method: 'POST', path: '/users/:sub/upstream-identities/:upstream_id/disconnect', page: disconnectUpstreamIdentityAction },
  { method: 'POST', path: '/users/:sub/delete', page: deleteUserAction },

  { method: 'GET', path: '/consents', page: listConsentsPage },
  { method: 'POST', path: '/consents/:sub/:client_id/revoke', page: revokeConsentAction },

  { method: 'GET', path: '/sessions', page: listSessionsPage },
  { method: 'POST', path: '/sessions/:id/end', page: endSessionAction },

  { method: 'GET', path: '/keys', page: listKeysPage },
  { method: 'POST', path: '/keys/rotate', page: rotateKeysAction },
  { method: 'POST', path: '/keys/:kid/retire', page: retireKeyAction },

  { method: 'GET', path: '/resource-servers', page: listResourceServersPage },
  { method: 'GET', path: '/resource-servers/new', page: newResourceServerPage },
  { method: 'POST', path: '/resource-servers', page: saveResourceServerAction },
  { method: 'GET', path: '/resource-servers/:resource', page: showResourceServerPage },
  { method: 'POST', path: '/resource-servers/:resource', page: saveResourceServerAction },
  { method: 'POST', path: '/resource-servers/:resource/delete', page: deleteResourceServerAction },

  { method: 'GET', path: '/upstreams', page: listUpstreamsPage },
  { method: 'POST', path: '/upstreams', page: createUpstreamAction },
  { method: 'GET', path: '/upstreams/:id', page: showUpstreamPage },
  { method: 'POST', path: '/upstreams/:id', page: updateUpstreamAction },
  { method: 'GET', path: '/upstreams/:id/delete', page: confirmDeleteUpstreamPage },
  { method: 'POST', path: '/upstreams/:id/delete', page: deleteUpstreamAction },

  { method: 'GET', path: '/initial-access-tokens', page: listInitialAccessTokensPage },
  { method: 'POST', path: '/initial-access-tokens', page: issueInitialAccessTokenAction },
  { method: 'POST', path: '/initial-access-tokens/:id/revoke', page: revokeInitialAccessTokenAction },

  { method: 'GET', path: '/audit-events', page: listAuditEventsPage },
];
