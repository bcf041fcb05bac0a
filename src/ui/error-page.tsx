import type { ErrorPageInput } from '../interaction/pages.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The error page: what went wrong, in the words of `error_description`; nothing else. */
export function renderErrorPage(input: ErrorPageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Something went wrong">
      <h1>Something went wrong</h1>
      <p role="alert">{input.error_description}</p>
      <p class="muted">
        Error code <code>{input.error}</code>
      </p>
    </Layout>,
  );
}
