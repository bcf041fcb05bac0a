/**
 * Keys, by algorithm — signing keys, then the decryption keys clients encrypt request objects to —
 * each in its state: next (published, not yet in use), current (signing; encrypted to), previous
 * (published so that what it signed still verifies) — with rotation per algorithm or all at once,
 * and retiring a previous key early.
 */
import type { z } from 'zod';
import { isSigningAlgorithm, KEY_ALGORITHMS } from '../../../keys/algorithms.js';
import type { keyView } from '../../api/schemas.js';
import { apiPath } from '../api-client.js';
import { Badge, EmptyRow, PostButton, Time } from '../components.js';
import { ConsoleLayout, renderDocument } from '../layout.js';
import { redirectAfterPost, sendPage, type PageHandler } from '../page.js';

type KeyView = z.infer<typeof keyView>;

/** `GET /admin/keys?include_retired=true`. */
export const listKeysPage: PageHandler = async (page) => {
  const includeRetired = page.url.searchParams.get('include_retired') === 'true';
  const { items } = await page.api.get<{ items: KeyView[] }>('/keys', { include_retired: includeRetired ? 'true' : undefined });
  return sendPage(renderDocument(
    <ConsoleLayout title="Keys" section="keys" root={page.link('')} csrfToken={page.csrfToken} url={page.url}>
      <h1>Keys</h1>
      <p class="muted">Rotating moves each key on: next → current (signs, or is the one clients encrypt to, from now on), current → previous (still published, so what it signed still verifies and what was encrypted to it still decrypts), previous → retired; a new next key is published.</p>
      <div class="actions">
        <PostButton action={page.link('/keys/rotate')} csrfToken={page.csrfToken} label="Rotate all algorithms" />
        <a href={includeRetired ? page.link('/keys') : page.link('/keys?include_retired=true')}>{includeRetired ? 'Hide retired keys' : 'Show retired keys'}</a>
      </div>
      {KEY_ALGORITHMS.map((alg) => {
        const keys = items.filter((key) => key.alg === alg);
        return (
          <section aria-labelledby={`alg-${alg}`}>
            <h2 id={`alg-${alg}`}>{alg} <span class="muted">{isSigningAlgorithm(alg) ? 'signing' : 'decryption: request objects encrypted to latchkey'}</span></h2>
            <table>
              <thead><tr><th scope="col">kid</th><th scope="col">State</th><th scope="col">Created</th><th scope="col">Changed</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
              <tbody>
                {keys.length === 0 ? <EmptyRow columns={5}>No keys.</EmptyRow> : keys.map((key) => (
                  <tr>
                    <td><code>{key.kid}</code></td>
                    <td><Badge kind={key.state}>{key.state}</Badge></td>
                    <td><Time at={key.created_at} /></td>
                    <td><Time at={key.updated_at} /></td>
                    <td>{key.state === 'previous' ? <PostButton action={page.link(`/keys/${encodeURIComponent(key.kid)}/retire`)} csrfToken={page.csrfToken} label="Retire" kind="danger" /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div class="actions"><PostButton action={page.link('/keys/rotate')} csrfToken={page.csrfToken} label={`Rotate ${alg}`} kind="secondary" hidden={{ algorithm: alg }} /></div>
          </section>
        );
      })}
    </ConsoleLayout>,
  ));
};

/** `POST /admin/keys/rotate` (`algorithm` for one; all without it). */
export const rotateKeysAction: PageHandler = async (page) => {
  const algorithm = page.form.text('algorithm');
  await page.api.send('POST', '/keys/rotate', algorithm === undefined ? {} : { algorithms: [algorithm] });
  return redirectAfterPost(page.link('/keys'), 'keys-rotated');
};

/** `POST /admin/keys/:kid/retire`. */
export const retireKeyAction: PageHandler = async (page) => {
  await page.api.send('POST', apiPath`/keys/${page.params.kid!}/retire`);
  return redirectAfterPost(page.link('/keys'), 'key-retired');
};
