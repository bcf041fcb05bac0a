/**
 * Consents: who consented to which client, filtered by user and/or client, each revocable
 * (withdrawing the consent revokes the tokens of every authorization behind it).
 */
import type { z } from 'zod';
import type { consentView, pageOf } from '../../api/schemas.js';
import { apiPath } from '../api-client.js';
import { EmptyRow, FilterForm, FilterInput, Pager, PostButton, Time } from '../components.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, returnPath, sendPage, type PageHandler } from '../page.js';

type ConsentPage = z.infer<ReturnType<typeof pageOf<typeof consentView>>>;

/** `GET /admin/consents?sub=&client_id=`. */
export const listConsentsPage: PageHandler = async (page) => {
  const sub = page.url.searchParams.get('sub') ?? '';
  const client_id = page.url.searchParams.get('client_id') ?? '';
  const list = await page.api.get<ConsentPage>('/consents', { sub, client_id, cursor: page.url.searchParams.get('cursor') ?? undefined, limit: 50 });
  const here = `${page.url.pathname}${page.url.search}`;
  return sendPage(renderDocument(
    <ConsoleLayout title="Consents" section="consents" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Consents</h1>
      <FilterForm action={page.link('/consents')} label="Filter">
        <FilterInput name="sub" label="User (sub)" value={sub} />
        <FilterInput name="client_id" label="client_id" value={client_id} />
      </FilterForm>
      <table>
        <thead><tr><th scope="col">User (sub)</th><th scope="col">Client</th><th scope="col">Scope</th><th scope="col">Granted</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
        <tbody>
          {list.items.length === 0 ? <EmptyRow columns={5}>No consents.</EmptyRow> : list.items.map((consent) => (
            <tr>
              <td><a href={page.link(`/users/${encodeURIComponent(consent.sub)}`)}><code>{consent.sub}</code></a></td>
              <td><a href={page.link(`/clients/${encodeURIComponent(consent.client_id)}`)}><code>{consent.client_id}</code></a></td>
              <td>{consent.scope}{consent.claims === '' ? null : <div class="muted small">claims: {consent.claims}</div>}</td>
              <td><Time at={consent.granted_at} /></td>
              <td><PostButton action={page.link(`/consents/${encodeURIComponent(consent.sub)}/${encodeURIComponent(consent.client_id)}/revoke`)} csrfToken={page.csrfToken} label="Revoke" kind="secondary" returnTo={here} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager url={page.url} nextCursor={list.next_cursor} />
    </ConsoleLayout>,
  ));
};

/** `POST /admin/consents/:sub/:client_id/revoke`. */
export const revokeConsentAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/consents/${page.params.sub!}/${page.params.client_id!}`);
  return redirectAfterPost(returnPath(page, page.link('/consents')), 'consent-revoked');
};
