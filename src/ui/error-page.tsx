import type { ErrorPageInput } from '../interaction/pages.js';
import { messagesFor } from '../i18n/index.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The error page: what went wrong, in the words of `error_description`; nothing else. */
export function renderErrorPage(input: ErrorPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.errorPage.title} lang={input.lang}>
      <h1>{t.errorPage.title}</h1>
      <p role="alert">{input.error_description}</p>
      <p class="muted">
        {t.errorPage.code} <code>{input.error}</code>
      </p>
    </Layout>,
  );
}
