import type { ForgotPasswordPageInput, ResetPasswordPageInput } from '../interaction/pages.js';
import { messagesFor } from '../i18n/index.js';
import { ClientLogo } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** "Forgot your password?": the username (or the address), then the same answer whether or not it is an account's. */
export function renderForgotPasswordPage(input: ForgotPasswordPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.forgotPassword.title} lang={input.lang}>
      <ClientLogo client={input.client} />
      <h1>{t.forgotPassword.title}</h1>
      {input.sent ? (
        <p role="status">
          {input.acceptsEmail ? t.forgotPassword.sentByUsernameOrEmail : t.forgotPassword.sentByUsername} {t.forgotPassword.openWithin(input.linkMinutes)}
        </p>
      ) : (
        <>
          <p class="muted">{t.forgotPassword.intro}</p>
          <Alert message={input.error} />
          <PostForm action={input.action} csrfToken={input.csrfToken}>
            <label for="username">{input.acceptsEmail ? t.forgotPassword.usernameOrEmail : t.username}</label>
            <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={input.username ?? ''} autofocus />
            <div class="actions">
              <button type="submit">{t.forgotPassword.send}</button>
            </div>
          </PostForm>
        </>
      )}
      <p class="muted">
        <a href={input.loginUrl}>{t.backToSignIn}</a>
      </p>
    </Layout>,
  );
}

/** The page a reset link opens: the new password, twice; then where to go on. */
export function renderResetPasswordPage(input: ResetPasswordPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  const title = input.first ? t.resetPassword.titleFirst : t.resetPassword.title;
  return renderDocument(
    <Layout brand={brand} title={title} lang={input.lang}>
      <h1>{title}</h1>
      {input.done ? (
        <>
          <p role="status">{input.first ? t.resetPassword.doneFirst(input.username) : t.resetPassword.done(input.username)}</p>
          <p>
            <a href={input.done.href}>{input.done.label}</a>
          </p>
        </>
      ) : (
        <>
          <p class="muted">
            {t.resetPassword.for} <strong>{input.username}</strong>
          </p>
          <Alert message={input.error} />
          <form method="post" action={input.action}>
            <input type="hidden" name="token" value={input.token} />
            <input type="text" name="username" autocomplete="username" value={input.username} hidden readonly />
            <label for="password">{t.resetPassword.newPassword}</label>
            <input type="password" id="password" name="password" autocomplete="new-password" minlength={8} required autofocus />
            <label for="password_confirmation">{t.resetPassword.newPasswordAgain}</label>
            <input type="password" id="password_confirmation" name="password_confirmation" autocomplete="new-password" minlength={8} required />
            <div class="actions">
              <button type="submit">{t.resetPassword.submit}</button>
            </div>
          </form>
        </>
      )}
    </Layout>,
  );
}
