/**
 * Login sessions, soonest to expire first, optionally of one user; ending one is a logout made
 * by the administrator (its tokens are revoked, relying parties notified by back-channel logout).
 */
import { sessionOrigin } from '../../../interaction/session-origin.js';
import type { z } from 'zod';
import type { pageOf, sessionView } from '../../api/schemas.js';
import { apiPath } from '../api-client.js';
import { EmptyRow, FilterForm, FilterInput, Pager, PostButton, Time } from '../components.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, returnPath, sendPage, type PageHandler } from '../page.js';

type SessionPage = z.infer<ReturnType<typeof pageOf<typeof sessionView>>>;

/** `GET /admin/sessions?sub=`. */
export const listSessionsPage: PageHandler = async (page) => {
  const sub = page.url.searchParams.get('sub') ?? '';
  const list = await page.api.get<SessionPage>('/sessions', { sub, cursor: page.url.searchParams.get('cursor') ?? undefined, limit: 50 });
  const here = `${page.url.pathname}${page.url.search}`;
  return sendPage(renderDocument(
    <ConsoleLayout title="Sessions" section="sessions" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Sessions</h1>
      <FilterForm action={page.link('/sessions')} label="Filter">
        <FilterInput name="sub" label="User (sub)" value={sub} />
      </FilterForm>
      <table>
        <thead><tr><th scope="col">User (sub)</th><th scope="col">Signed in</th><th scope="col">From</th><th scope="col">Methods</th><th scope="col">Expires</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
        <tbody>
          {list.items.length === 0 ? <EmptyRow columns={6}>No sessions.</EmptyRow> : list.items.map((session) => (
            <tr>
              <td><a href={page.link(`/users/${encodeURIComponent(session.sub)}`)}><code>{session.sub}</code></a></td>
              <td><Time at={session.auth_time} /></td>
              <td>{sessionOrigin(session) ?? <span class="muted">unknown</span>}</td>
              <td>{session.amr.join(', ')}{session.acr === undefined ? null : <div class="muted small">acr {session.acr}</div>}</td>
              <td><Time at={session.expires_at} /></td>
              <td><PostButton action={page.link(`/sessions/${encodeURIComponent(session.id)}/end`)} csrfToken={page.csrfToken} label="End" kind="secondary" returnTo={here} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager url={page.url} nextCursor={list.next_cursor} />
    </ConsoleLayout>,
  ));
};

/** `POST /admin/sessions/:id/end`. */
export const endSessionAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/sessions/${page.params.id!}`);
  return redirectAfterPost(returnPath(page, page.link('/sessions')), 'session-ended');
};
