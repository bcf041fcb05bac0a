import { raw } from 'hono/html';
import { messagesFor } from '../i18n/index.js';
import type { FormPostPageInput } from '../interaction/pages.js';
import { AUTO_SUBMIT_SCRIPT } from './csp.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/**
 * OAuth 2.0 Form Post Response Mode: the response parameters as hidden inputs of a form that
 * posts itself to the client; without JavaScript, the user presses Continue.
 * @see https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
 */
export function renderFormPostPage(input: FormPostPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.continue} lang={input.lang}>
      <form method="post" action={input.action}>
        {Object.entries(input.params).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <noscript>
          <p>{t.formPost.noScript}</p>
        </noscript>
        <div class="actions">
          <button type="submit">{t.continue}</button>
        </div>
      </form>
      <script>{raw(AUTO_SUBMIT_SCRIPT)}</script>
    </Layout>,
  );
}
