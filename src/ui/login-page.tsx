import type { LoginPageInput } from '../interaction/pages.js';
import { messagesFor } from '../i18n/index.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { PasskeySignIn } from './passkey-form.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The login page. Its inputs carry autocomplete="username" / "current-password" (public contract). */
export function renderLoginPage(input: LoginPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.login.title} lang={input.lang}>
      <ClientLogo client={input.client} />
      <h1>{t.login.title}</h1>
      <p class="muted">{t.continueTo(clientName(input.client))}</p>
      <Alert message={input.error} />
      {input.upstreamIdentity ? (
        <p class="notice" role="status">
          {t.login.upstreamNotConnected(input.upstreamIdentity.name, input.upstreamIdentity.email, input.upstreamIdentity.createAction !== undefined)}
        </p>
      ) : null}
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <label for="username">{t.username}</label>
        <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={input.username ?? ''} autofocus={!input.username} />
        <label for="password">{t.password}</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required autofocus={Boolean(input.username)} />
        <div class="actions">
          <button type="submit">{t.signIn}</button>
        </div>
      </PostForm>
      {input.passkey ? <PasskeySignIn passkey={input.passkey} csrfToken={input.csrfToken} label={t.login.withPasskey} failed={t.passkeyFailed(t.login.passkeyOtherwise)} /> : null}
      {input.upstreamIdentity?.createAction ? (
        <PostForm action={input.upstreamIdentity.createAction} csrfToken={input.csrfToken}>
          <div class="actions">
            <button type="submit" class="secondary">
              {t.login.createWithUpstream(input.upstreamIdentity.name)}
            </button>
          </div>
        </PostForm>
      ) : null}
      {(input.upstreams ?? []).map((upstream) => (
        <PostForm action={upstream.action} csrfToken={input.csrfToken}>
          <div class="actions">
            <button type="submit" class="secondary">
              {t.login.signInWithUpstream(upstream.name)}
            </button>
          </div>
        </PostForm>
      ))}
      {input.forgotPasswordUrl ? (
        <p class="muted">
          <a href={input.forgotPasswordUrl}>{t.login.forgotPassword}</a>
        </p>
      ) : null}
      {input.registerUrl ? (
        <p class="muted">
          {t.login.noAccount} <a href={input.registerUrl}>{t.login.createAccount}</a>
        </p>
      ) : null}
    </Layout>,
  );
}
