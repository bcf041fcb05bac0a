import type { LoginPageInput } from '../interaction/pages.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { PasskeySignIn } from './passkey-form.js';
import { languageOf, Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The login page. Its inputs carry autocomplete="username" / "current-password" (public contract). */
export function renderLoginPage(input: LoginPageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Sign in" lang={languageOf(input.uiLocales)}>
      <ClientLogo client={input.client} />
      <h1>Sign in</h1>
      <p class="muted">to continue to {clientName(input.client)}</p>
      <Alert message={input.error} />
      {input.upstreamIdentity ? (
        <p class="notice" role="status">
          Your {input.upstreamIdentity.name} account{input.upstreamIdentity.email ? ` (${input.upstreamIdentity.email})` : ''} is not connected to an account here yet. Sign in below to
          connect it{input.upstreamIdentity.createAction ? ', or create a new account with it' : ''}.
        </p>
      ) : null}
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <label for="username">Username</label>
        <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={input.username ?? ''} autofocus={!input.username} />
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required autofocus={Boolean(input.username)} />
        <div class="actions">
          <button type="submit">Sign in</button>
        </div>
      </PostForm>
      {input.passkey ? <PasskeySignIn passkey={input.passkey} csrfToken={input.csrfToken} label="Sign in with a passkey" otherwise="sign in with your password" /> : null}
      {input.upstreamIdentity?.createAction ? (
        <PostForm action={input.upstreamIdentity.createAction} csrfToken={input.csrfToken}>
          <div class="actions">
            <button type="submit" class="secondary">
              Create a new account with {input.upstreamIdentity.name}
            </button>
          </div>
        </PostForm>
      ) : null}
      {(input.upstreams ?? []).map((upstream) => (
        <PostForm action={upstream.action} csrfToken={input.csrfToken}>
          <div class="actions">
            <button type="submit" class="secondary">
              Sign in with {upstream.name}
            </button>
          </div>
        </PostForm>
      ))}
      {input.forgotPasswordUrl ? (
        <p class="muted">
          <a href={input.forgotPasswordUrl}>Forgot your password?</a>
        </p>
      ) : null}
      {input.registerUrl ? (
        <p class="muted">
          No account yet? <a href={input.registerUrl}>Create an account</a>
        </p>
      ) : null}
    </Layout>,
  );
}
