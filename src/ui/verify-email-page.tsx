import type { VerifyEmailPageInput } from '../interaction/pages.js';
import { messagesFor } from '../i18n/index.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The page a confirmation link opens: a button to confirm (a mail scanner opening the link confirms nothing), then the answer. */
export function renderVerifyEmailPage(input: VerifyEmailPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.verifyEmail.title} lang={input.lang}>
      <h1>{t.verifyEmail.title}</h1>
      {input.done ? (
        <p role="status">
          {t.verifyEmail.confirmedBefore}
          <strong>{input.email}</strong>
          {t.verifyEmail.confirmedAfter(input.username)}
        </p>
      ) : (
        <form method="post" action={input.action}>
          <input type="hidden" name="token" value={input.token} />
          <p>
            {t.verifyEmail.questionBefore}
            <strong>{input.email}</strong>
            {t.verifyEmail.questionAfter(input.username)}
          </p>
          <div class="actions">
            <button type="submit">{t.verifyEmail.confirm}</button>
          </div>
        </form>
      )}
    </Layout>,
  );
}
