import type { VerifyEmailPageInput } from '../interaction/pages.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The page a confirmation link opens: a button to confirm (a mail scanner opening the link confirms nothing), then the answer. */
export function renderVerifyEmailPage(input: VerifyEmailPageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Confirm your email address">
      <h1>Confirm your email address</h1>
      {input.done ? (
        <p role="status">
          <strong>{input.email}</strong> is confirmed as the email address of {input.username}.
        </p>
      ) : (
        <form method="post" action={input.action}>
          <input type="hidden" name="token" value={input.token} />
          <p>
            Is <strong>{input.email}</strong> the email address of {input.username}?
          </p>
          <div class="actions">
            <button type="submit">Confirm</button>
          </div>
        </form>
      )}
    </Layout>,
  );
}
