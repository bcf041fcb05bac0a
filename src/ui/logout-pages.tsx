import type { LoggedOutPageInput, LogoutConfirmPageInput } from '../interaction/pages.js';
import { ClientLogo, clientName } from './client-header.js';
import { PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** Asks before signing out when the request cannot be verified (RP-Initiated Logout §2). */
export function renderLogoutConfirmPage(input: LogoutConfirmPageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Sign out?">
      {input.client ? <ClientLogo client={input.client} /> : null}
      <h1>Sign out?</h1>
      <p class="muted">{input.client ? `${clientName(input.client)} asks to sign you out.` : 'Do you want to sign out?'}</p>
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <input type="hidden" name="logout_request" value={input.logoutRequest} />
        <div class="actions">
          <button type="submit" name="decision" value="stay" class="secondary">
            Stay signed in
          </button>
          <button type="submit" name="decision" value="logout">
            Sign out
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
  return renderDocument(
    <Layout brand={brand} title={input.signedOut ? 'Signed out' : 'Still signed in'} refresh={input.continueUrl ? { seconds: 2, url: input.continueUrl } : undefined}>
      <h1>{input.signedOut ? 'Signed out' : 'Still signed in'}</h1>
      <p role="status">{input.signedOut ? 'You have been signed out.' : 'You are still signed in.'}</p>
      {input.continueUrl ? (
        <p>
          <a href={input.continueUrl}>Continue</a>
        </p>
      ) : null}
      {input.frontchannelUris.map((uri) => (
        <iframe src={uri} title="sign-out notification" width="0" height="0" hidden></iframe>
      ))}
    </Layout>,
  );
}
