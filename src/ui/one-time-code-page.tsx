import type { OneTimeCodePageInput } from '../interaction/pages.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, OneTimeCodeInput, PostForm } from './form-parts.js';
import { languageOf, Layout, renderDocument } from './layout.js';
import { PasskeySignIn } from './passkey-form.js';
import { NO_BRAND, type Brand } from './brand.js';

/**
 * The second step of a login: the code of the person's authenticator app. Its input carries
 * autocomplete="one-time-code" and a numeric keyboard; six digits, spaces allowed. Folded away
 * below it, where the accounts take them: a recovery code instead; for an account with passkeys,
 * a passkey instead.
 */
export function renderOneTimeCodePage(input: OneTimeCodePageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Two-step verification" lang={languageOf(input.uiLocales)}>
      <ClientLogo client={input.client} />
      <h1>Two-step verification</h1>
      <p class="muted">
        Signing in as <strong>{input.username}</strong> to continue to {clientName(input.client)}
      </p>
      <Alert message={input.error} />
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <OneTimeCodeInput id="code" label="Code from your authenticator app" autofocus />
        <div class="actions">
          <button type="submit">Verify</button>
        </div>
      </PostForm>
      {input.recoveryCodes ? (
        <details>
          <summary>Lost your phone? Use a recovery code</summary>
          <PostForm action={input.action} csrfToken={input.csrfToken}>
            <label for="recovery_code">One of the recovery codes you saved</label>
            <input type="text" id="recovery_code" name="recovery_code" autocomplete="off" autocapitalize="none" spellcheck={false} maxlength={16} required />
            <div class="actions">
              <button type="submit">Use recovery code</button>
            </div>
          </PostForm>
        </details>
      ) : null}
      {input.passkey ? <PasskeySignIn passkey={input.passkey} csrfToken={input.csrfToken} label="Use a passkey instead" otherwise="enter the code" /> : null}
      <p class="muted">
        <a href={input.loginUrl}>Sign in as someone else</a>
      </p>
    </Layout>,
  );
}
