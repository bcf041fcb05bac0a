import type { LoggedOutPageInput, LogoutConfirmPageInput } from '../interaction/pages.js';
import { messagesFor } from '../i18n/index.js';
import { ClientLogo, clientName } from './client-header.js';
import { PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** Asks before signing out when the request cannot be verified (RP-Initiated Logout §2). */
export function renderLogoutConfirmPage(input: LogoutConfirmPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.logout.title} lang={input.lang}>
      {input.client ? <ClientLogo client={input.client} /> : null}
      <h1>{t.logout.title}</h1>
      <p class="muted">{input.client ? t.logout.clientAsks(clientName(input.client)) : t.logout.question}</p>
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <input type="hidden" name="logout_request" value={input.logoutRequest} />
        <div class="actions">
          <button type="submit" name="decision" value="stay" class="secondary">
            {t.logout.stay}
          </button>
          <button type="submit" name="decision" value="logout">
            {t.logout.signOut}
          </button>
        </div>
      </PostForm>
    </Layout>,
  );
}

/**
 * After logout: the front-channel logout iframes, then on to the client. Without JavaScript, a
 * meta refresh continues after the frames had a moment to load, and a link does at once.
 */
export function renderLoggedOutPage(input: LoggedOutPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  const title = input.signedOut ? t.logout.signedOut : t.logout.stillSignedIn;
  return renderDocument(
    <Layout brand={brand} title={title} lang={input.lang} refresh={input.continueUrl ? { seconds: 2, url: input.continueUrl } : undefined}>
      <h1>{title}</h1>
      <p role="status">{input.signedOut ? t.logout.signedOutText : t.logout.stillSignedInText}</p>
      {input.continueUrl ? (
        <p>
          <a href={input.continueUrl}>{t.continue}</a>
        </p>
      ) : null}
      {input.frontchannelUris.map((uri) => (
        <iframe src={uri} title={t.logout.frameTitle} width="0" height="0" hidden></iframe>
      ))}
    </Layout>,
  );
}
