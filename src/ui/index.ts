import type { Pages } from '../interaction/pages.js';
import { renderWithoutAsyncHooks } from './async-context.js';
import { renderConsentPage } from './consent-page.js';
import { NO_BRAND, type Brand } from './brand.js';
import { cspSourcesOf } from './csp.js';
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

/**
 * latchkey's built-in pages, dressed in `brand` (`brandOf`: a name and logo above every page, an
 * accent colour): server-rendered, auto-escaped, working without JavaScript. Their CSP sources
 * hash the brand's stylesheet.
 */
export function createBuiltinPages(brand: Brand = NO_BRAND): Pages {
  return {
    login: (input) => renderLoginPage(input, brand),
    register: (input) => renderRegisterPage(input, brand),
    oneTimeCode: (input) => renderOneTimeCodePage(input, brand),
    forgotPassword: (input) => renderForgotPasswordPage(input, brand),
    resetPassword: (input) => renderResetPasswordPage(input, brand),
    verifyEmail: (input) => renderVerifyEmailPage(input, brand),
    consent: (input) => renderConsentPage(input, brand),
    device: (input) => renderDevicePage(input, brand),
    deviceDone: (input) => renderDeviceDonePage(input, brand),
    logoutConfirm: (input) => renderLogoutConfirmPage(input, brand),
    loggedOut: (input) => renderLoggedOutPage(input, brand),
    error: (input) => renderErrorPage(input, brand),
    formPost: (input) => renderFormPostPage(input, brand),
    cspSources: cspSourcesOf(brand),
  };
}

/** latchkey's built-in pages as it ships them (no brand). */
export const builtinPages: Pages = createBuiltinPages();
