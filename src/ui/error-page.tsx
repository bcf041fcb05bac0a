import type { ErrorPageInput } from '../interaction/pages.js';
import { Layout, renderDocument } from './layout.js';

/** The error page: what went wrong, in the words of `error_description`; nothing else. */
export function renderErrorPage(input: ErrorPageInput): Promise<string> {
  return renderDocument(
    <Layout title="Something went wrong">
      <h1>Something went wrong</h1>
      <p role="alert">{input.error_description}</p>
      <p class="muted">
        Error code <code>{input.error}</code>
      </p>
    </Layout>,
  );
}
