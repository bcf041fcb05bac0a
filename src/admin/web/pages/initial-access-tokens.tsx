/**
 * Initial access tokens (RFC 7591 §3): each lets its holder register one client at `/register`.
 * Issuing one shows it once, in the answer to that POST; the list shows storage ids (digests),
 * never tokens.
 */
import type { z } from 'zod';
import type { initialAccessTokenView, pageOf } from '../../api/schemas.js';
import { ApiError, apiPath } from '../api-client.js';
import { CsrfField, EmptyRow, FormError, Pager, PostButton, TextField, Time } from '../components.js';
import { fieldErrorsOf, type FieldErrors } from '../forms.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, sendPage, type PageContext, type PageHandler } from '../page.js';

type TokenPage = z.infer<ReturnType<typeof pageOf<typeof initialAccessTokenView>>>;

/** `GET /admin/initial-access-tokens`. */
export const listInitialAccessTokensPage: PageHandler = async (page) => renderTokens(page, {});

/** `POST /admin/initial-access-tokens`: issues one and shows it, this once. */
export const issueInitialAccessTokenAction: PageHandler = async (page) => {
  const ttl = page.form.text('ttl_seconds');
  if (ttl !== undefined && !/^\d+$/.test(ttl)) return renderTokens(page, { errors: { ttl_seconds: 'must be a whole number of seconds' }, ttl }, 400);
  try {
    const issued = await page.api.send<{ initial_access_token: string; expires_at: number }>('POST', '/initial-access-tokens', ttl === undefined ? {} : { ttl_seconds: Number(ttl) });
    return renderTokens(page, { issued });
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return renderTokens(page, { errors: fieldErrorsOf(error, ['ttl_seconds']), ...(ttl === undefined ? {} : { ttl }) }, 400);
    throw error;
  }
};

/** `POST /admin/initial-access-tokens/:id/revoke`. */
export const revokeInitialAccessTokenAction: PageHandler = async (page) => {
  await page.api.send('DELETE', apiPath`/initial-access-tokens/${page.params.id!}`);
  return redirectAfterPost(page.link('/initial-access-tokens'), 'initial-access-token-revoked');
};

async function renderTokens(page: PageContext, state: { issued?: { initial_access_token: string; expires_at: number }; errors?: FieldErrors; ttl?: string }, status = 200): Promise<Response> {
  const list = await page.api.get<TokenPage>('/initial-access-tokens', { cursor: page.url.searchParams.get('cursor') ?? undefined, limit: 50 });
  const errors = state.errors ?? {};
  return sendPage(renderDocument(
    <ConsoleLayout title="Initial access tokens" section="initial-access-tokens" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Initial access tokens</h1>
      <p class="muted">Each token lets its holder register one client at <code>{page.ctx.urls.registration}</code> (RFC 7591), as <code>Authorization: Bearer …</code>.</p>
      {state.issued === undefined ? null : (
        <div class="secret" role="alert">
          <p><strong>The initial access token — shown this once.</strong> It expires <Time at={state.issued.expires_at} />.</p>
          <p><code id="initial-access-token">{state.issued.initial_access_token}</code></p>
        </div>
      )}
      <section class="card" aria-labelledby="issue-heading">
        <h2 id="issue-heading">Issue a token</h2>
        <form method="post" action={page.link('/initial-access-tokens')} novalidate>
          <CsrfField token={page.csrfToken} />
          <FormError errors={errors} />
          <TextField name="ttl_seconds" label="Valid for (seconds)" type="number" value={state.ttl ?? '86400'} errors={errors} hint="60 to 2592000 (30 days)" />
          <div class="actions"><button type="submit">Issue token</button></div>
        </form>
      </section>
      <table>
        <thead><tr><th scope="col">Id (digest)</th><th scope="col">Issued</th><th scope="col">By</th><th scope="col">Expires</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
        <tbody>
          {list.items.length === 0 ? <EmptyRow columns={5}>No unused tokens.</EmptyRow> : list.items.map((token) => (
            <tr>
              <td><code>{token.id.slice(0, 16)}…</code></td>
              <td><Time at={token.issued_at} /></td>
              <td>{token.issued_by ?? <span class="muted">—</span>}</td>
              <td><Time at={token.expires_at} /></td>
              <td><PostButton action={page.link(`/initial-access-tokens/${encodeURIComponent(token.id)}/revoke`)} csrfToken={page.csrfToken} label="Revoke" kind="secondary" /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager url={page.url} nextCursor={list.next_cursor} />
    </ConsoleLayout>,
  ), status);
}
