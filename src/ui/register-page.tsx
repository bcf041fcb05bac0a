import { MIN_PASSWORD_LENGTH } from '../accounts/create-account.js';
import type { RegisterPageInput } from '../interaction/pages.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { languageOf, Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/**
 * The registration page: username, password twice, name and email optional. Its inputs carry
 * autocomplete="username" and "new-password", so that password managers offer a new password.
 */
export function renderRegisterPage(input: RegisterPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const values = input.values ?? {};
  return renderDocument(
    <Layout brand={brand} title="Create an account" lang={languageOf(input.uiLocales)}>
      <ClientLogo client={input.client} />
      <h1>Create an account</h1>
      <p class="muted">to continue to {clientName(input.client)}</p>
      <Alert message={input.error} />
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <label for="username">Username</label>
        <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={values.username ?? ''} autofocus />
        <label for="name">Name (optional)</label>
        <input type="text" id="name" name="name" autocomplete="name" value={values.name ?? ''} />
        <label for="email">Email (optional)</label>
        <input type="email" id="email" name="email" autocomplete="email" value={values.email ?? ''} />
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
        <label for="password_confirmation">Password again</label>
        <input type="password" id="password_confirmation" name="password_confirmation" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
        <div class="actions">
          <button type="submit">Create account</button>
        </div>
      </PostForm>
      <p class="muted">
        Have an account? <a href={input.loginUrl}>Sign in</a>
      </p>
    </Layout>,
  );
}
