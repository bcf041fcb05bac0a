import { MIN_PASSWORD_LENGTH } from '../accounts/create-account.js';
import { messagesFor } from '../i18n/index.js';
import type { RegisterPageInput } from '../interaction/pages.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/**
 * The registration page: username, password twice, name optional, email optional unless the
 * account must confirm it before signing in (`emailRequired`). Its inputs carry
 * autocomplete="username" and "new-password", so that password managers offer a new password.
 */
export function renderRegisterPage(input: RegisterPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const values = input.values ?? {};
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.register.title} lang={input.lang}>
      <ClientLogo client={input.client} />
      <h1>{t.register.title}</h1>
      <p class="muted">{t.continueTo(clientName(input.client))}</p>
      <Alert message={input.error} />
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <label for="username">{t.username}</label>
        <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={values.username ?? ''} autofocus />
        <label for="name">{t.register.nameOptional}</label>
        <input type="text" id="name" name="name" autocomplete="name" value={values.name ?? ''} />
        <label for="email">{input.emailRequired ? t.register.email : t.register.emailOptional}</label>
        <input type="email" id="email" name="email" autocomplete="email" value={values.email ?? ''} required={input.emailRequired === true} />
        <label for="password">{t.password}</label>
        <input type="password" id="password" name="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
        <label for="password_confirmation">{t.register.passwordAgain}</label>
        <input type="password" id="password_confirmation" name="password_confirmation" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
        <div class="actions">
          <button type="submit">{t.register.submit}</button>
        </div>
      </PostForm>
      <p class="muted">
        {t.register.haveAccount} <a href={input.loginUrl}>{t.signIn}</a>
      </p>
    </Layout>,
  );
}
