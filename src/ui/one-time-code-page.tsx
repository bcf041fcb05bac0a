import type { OneTimeCodePageInput } from '../interaction/pages.js';
import { messagesFor } from '../i18n/index.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, OneTimeCodeInput, PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { PasskeySignIn } from './passkey-form.js';
import { NO_BRAND, type Brand } from './brand.js';

/**
 * The second step of a login: the code of the person's authenticator app. Its input carries
 * autocomplete="one-time-code" and a numeric keyboard; six digits, spaces allowed. Folded away
 * below it, where the accounts take them: a recovery code instead; for an account with passkeys,
 * a passkey instead.
 */
export function renderOneTimeCodePage(input: OneTimeCodePageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.oneTimeCode.title} lang={input.lang}>
      <ClientLogo client={input.client} />
      <h1>{t.oneTimeCode.title}</h1>
      <p class="muted">
        {t.oneTimeCode.signingInAs} <strong>{input.username}</strong> {t.continueTo(clientName(input.client))}
      </p>
      <Alert message={input.error} />
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <OneTimeCodeInput id="code" label={t.oneTimeCode.codeLabel} autofocus />
        <div class="actions">
          <button type="submit">{t.oneTimeCode.verify}</button>
        </div>
      </PostForm>
      {input.recoveryCodes ? (
        <details>
          <summary>{t.oneTimeCode.lostPhone}</summary>
          <PostForm action={input.action} csrfToken={input.csrfToken}>
            <label for="recovery_code">{t.oneTimeCode.recoveryCodeLabel}</label>
            <input type="text" id="recovery_code" name="recovery_code" autocomplete="off" autocapitalize="none" spellcheck={false} maxlength={16} required />
            <div class="actions">
              <button type="submit">{t.oneTimeCode.useRecoveryCode}</button>
            </div>
          </PostForm>
        </details>
      ) : null}
      {input.passkey ? <PasskeySignIn passkey={input.passkey} csrfToken={input.csrfToken} label={t.oneTimeCode.usePasskey} failed={t.passkeyFailed(t.oneTimeCode.passkeyOtherwise)} /> : null}
      <p class="muted">
        <a href={input.loginUrl}>{t.oneTimeCode.someoneElse}</a>
      </p>
    </Layout>,
  );
}
