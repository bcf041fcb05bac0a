import type { Pages } from '../interaction/pages.js';
import { renderWithoutAsyncHooks } from './async-context.js';
import { renderConsentPage } from './consent-page.js';
import { CSP_SOURCES } from './csp.js';
import { renderDeviceDonePage, renderDevicePage } from './device-page.js';
import { renderErrorPage } from './error-page.js';
import { renderFormPostPage } from './form-post-page.js';
import { renderLoginPage } from './login-page.js';
import { renderLoggedOutPage, renderLogoutConfirmPage } from './logout-pages.js';
import { renderOneTimeCodePage } from './one-time-code-page.js';
import { renderForgotPasswordPage, renderResetPasswordPage } from './password-reset-pages.js';
import { renderRegisterPage } from './register-page.js';
import { renderVerifyEmailPage } from './verify-email-page.js';

// Before anything renders JSX in this process (async-context.tsx says why).
renderWithoutAsyncHooks();

/** latchkey's built-in pages: server-rendered, auto-escaped, working without JavaScript. */
export const builtinPages: Pages = {
  login: renderLoginPage,
  register: renderRegisterPage,
  oneTimeCode: renderOneTimeCodePage,
  forgotPassword: renderForgotPasswordPage,
  resetPassword: renderResetPasswordPage,
  verifyEmail: renderVerifyEmailPage,
  consent: renderConsentPage,
  device: renderDevicePage,
  deviceDone: renderDeviceDonePage,
  logoutConfirm: renderLogoutConfirmPage,
  loggedOut: renderLoggedOutPage,
  error: renderErrorPage,
  formPost: renderFormPostPage,
  cspSources: CSP_SOURCES,
};
