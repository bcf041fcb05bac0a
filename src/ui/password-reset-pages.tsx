import type { ForgotPasswordPageInput, ResetPasswordPageInput } from '../interaction/pages.js';
import { ClientLogo } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { languageOf, Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** "Forgot your password?": the username (or the address), then the same answer whether or not it is an account's. */
export function renderForgotPasswordPage(input: ForgotPasswordPageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Reset your password" lang={languageOf(input.uiLocales)}>
      <ClientLogo client={input.client} />
      <h1>Reset your password</h1>
      {input.sent ? (
        <p role="status">
          {input.acceptsEmail
            ? 'If that is the username or the email address of an account, a link to set a new password is on its way to the account’s address.'
            : 'If that is the username of an account with an email address, a link to set a new password is on its way there.'}{' '}
          Open it in the next {input.linkMinutes} minutes.
        </p>
      ) : (
        <>
          <p class="muted">We will send a link to set a new password to the email address of your account.</p>
          <Alert message={input.error} />
          <PostForm action={input.action} csrfToken={input.csrfToken}>
            <label for="username">{input.acceptsEmail ? 'Username or email address' : 'Username'}</label>
            <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={input.username ?? ''} autofocus />
            <div class="actions">
              <button type="submit">Send link</button>
            </div>
          </PostForm>
        </>
      )}
      <p class="muted">
        <a href={input.loginUrl}>Back to sign in</a>
      </p>
    </Layout>,
  );
}

/** The page a reset link opens: the new password, twice; then where to go on. */
export function renderResetPasswordPage(input: ResetPasswordPageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title={input.first ? 'Set a password' : 'Set a new password'}>
      <h1>{input.first ? 'Set a password' : 'Set a new password'}</h1>
      {input.done ? (
        <>
          <p role="status">
            The password of {input.username} is {input.first ? 'set' : 'changed'}, and every session of the account is signed out.
          </p>
          <p>
            <a href={input.done.href}>{input.done.label}</a>
          </p>
        </>
      ) : (
        <>
          <p class="muted">
            For <strong>{input.username}</strong>
          </p>
          <Alert message={input.error} />
          <form method="post" action={input.action}>
            <input type="hidden" name="token" value={input.token} />
            <input type="text" name="username" autocomplete="username" value={input.username} hidden readonly />
            <label for="password">New password</label>
            <input type="password" id="password" name="password" autocomplete="new-password" minlength={8} required autofocus />
            <label for="password_confirmation">New password again</label>
            <input type="password" id="password_confirmation" name="password_confirmation" autocomplete="new-password" minlength={8} required />
            <div class="actions">
              <button type="submit">Set password</button>
            </div>
          </form>
        </>
      )}
    </Layout>,
  );
}
