/**
 * What the engine asks of the pages it shows. The engine decides what to show and with which
 * data; an implementation of `Pages` (the built-in one is `ui/`) turns that into HTML. HTML never
 * lives in the protocol folders.
 */
import type { AuthorizationDetail } from '../core/authorization-details.js';

/** What a page may say about the client asking (RFC 7591 §2 display metadata). */
export interface ClientDisplay {
  client_id: string;
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  policy_uri?: string;
  tos_uri?: string;
}

/** What the login page shows: a form POSTing `username`, `password` and `csrf_token` to `action`. */
export interface LoginPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  /** Where the form POSTs (absolute URL). */
  action: string;
  csrfToken: string;
  client: ClientDisplay;
  /** Pre-filled username (`login_hint`, or what the user typed before a failed attempt). */
  username?: string;
  /** A message for the user after a failed attempt; safe to show. */
  error?: string;
  /** `ui_locales` as requested (`lang` is what the engine chose of it). */
  uiLocales?: string;
  /** Where a person without an account creates one (self-registration on); absent otherwise. */
  registerUrl?: string;
  /** Where a person who forgot the password asks for a reset link (a mailer configured); absent otherwise. */
  forgotPasswordUrl?: string;
  /**
   * Passkeys offered (`passkeys/`): a second form POSTs `csrf_token` and `credential` — the JSON
   * of what `navigator.credentials.get()` answered to `options` (PublicKeyCredentialRequestOptionsJSON).
   */
  passkey?: { action: string; options: string };
  /** Upstream providers people may sign in with instead (`upstreams/`): each a form POSTing `csrf_token` to its `action`. */
  upstreams?: { name: string; action: string }[];
  /**
   * The person signed in at an upstream provider (`name`, as `email` there) whose identity is
   * connected to no account here: signing in here connects it; with `createAction`, a form
   * POSTing `csrf_token` there makes a new account of it instead.
   */
  upstreamIdentity?: { name: string; email?: string; createAction?: string };
}

/**
 * "Forgot your password?": POSTs `csrf_token` and `username` to `action`. With `sent`, the
 * answer — the same whether or not such an account exists.
 */
export interface ForgotPasswordPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  csrfToken: string;
  client: ClientDisplay;
  /** Back to the login page. */
  loginUrl: string;
  /** What was typed: a username or, with `acceptsEmail`, an email address (the field's name stays `username`). */
  username?: string;
  /** The accounts can be found by their email address too: the page asks for a username or an address. */
  acceptsEmail?: boolean;
  sent?: boolean;
  /** How long a link works, in minutes (`passwordResetTtlSeconds`). */
  linkMinutes: number;
  error?: string;
  uiLocales?: string;
}

/**
 * The page a password reset link opens: POSTs `token`, `password` and `password_confirmation`
 * to `action`, inputs with autocomplete="new-password". With `done`, the password is changed:
 * a link on (back to the sign-in the person started, or the account console).
 */
export interface ResetPasswordPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  token: string;
  username: string;
  /** The account has no password yet: the page sets its first one. */
  first?: boolean;
  error?: string;
  done?: { href: string; label: string };
}

/**
 * The registration page (self-registration, OIDC `prompt=create`): POSTs `csrf_token`,
 * `username`, `password`, `password_confirmation`, and optionally `name` and `email` to `action`.
 * Its inputs carry autocomplete="username" and "new-password".
 */
export interface RegisterPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  csrfToken: string;
  client: ClientDisplay;
  /** The login page, for a person who has an account after all. */
  loginUrl: string;
  /** What the person typed before (never the password), after a refused attempt. */
  values?: { username?: string; name?: string; email?: string };
  /** The email address is required (`requireVerifiedEmail`: the account signs in once a link mailed to it is used). */
  emailRequired?: boolean;
  /** Why the last attempt was refused; safe to show. */
  error?: string;
  uiLocales?: string;
}

/**
 * The second step of a login whose account has two-step verification on: POSTs `csrf_token` and
 * `code` (the six digits the person's authenticator app shows) to `action`. Its input carries
 * autocomplete="one-time-code".
 */
export interface OneTimeCodePageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  csrfToken: string;
  client: ClientDisplay;
  /** The account whose password was right. */
  username: string;
  /** The login page: to sign in as someone else, or start over. */
  loginUrl: string;
  /**
   * The accounts can take a recovery code instead (`Accounts.useRecoveryCode`): the page offers a
   * second form to the same `action`, with an input `name="recovery_code"`.
   */
  recoveryCodes?: boolean;
  /**
   * The account has passkeys: a form as the login page's (`LoginPageInput.passkey`) signs in with
   * one instead of the code.
   */
  passkey?: { action: string; options: string };
  /** Why the last code was refused; safe to show. */
  error?: string;
  uiLocales?: string;
}

/** The page a confirmation link opens: POSTs `token` to `action` (button **Confirm**); with `done`, the answer. */
export interface VerifyEmailPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  token: string;
  email: string;
  username: string;
  done?: boolean;
}

/** One line of the consent page: a scope or a claim, in plain language. */
export interface ScopeDisplay {
  scope: string;
  /** Plain-language description of what the scope gives the client. */
  description: string;
}

/** What the consent page shows: who asks, for whom, what; **Allow** / **Deny** POST `decision` and `csrf_token` to `action`. */
export interface ConsentPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  csrfToken: string;
  client: ClientDisplay;
  /** Who is logged in. */
  account: { username: string; name?: string };
  scopes: ScopeDisplay[];
  /** RFC 9396: what the client asks to do, object by object, as it sent them; approved whole with the scopes. */
  authorizationDetails?: AuthorizationDetail[];
  uiLocales?: string;
}

/** The device page (RFC 8628 verification URI): where the user types the code a device shows. */
export interface DevicePageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  csrfToken: string;
  /** Pre-filled code (`verification_uri_complete`, or what the user typed before). */
  userCode?: string;
  error?: string;
}

/** Shown when the user has approved or denied a device. */
export interface DeviceDonePageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  approved: boolean;
  client: ClientDisplay;
}

/** RP-Initiated Logout §2: asks the user to confirm a logout request that cannot be verified. */
export interface LogoutConfirmPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  action: string;
  csrfToken: string;
  /** Hidden form field carrying the pending logout request. */
  logoutRequest: string;
  /** The client that asked, when it is known. */
  client?: ClientDisplay;
}

/** After a logout (or a declined one). */
export interface LoggedOutPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  signedOut: boolean;
  /** Front-channel logout URIs, each loaded in a hidden iframe. */
  frontchannelUris: string[];
  /** Where to go next (the client's post_logout_redirect_uri with `state`), if anywhere. */
  continueUrl?: string;
}

/** An error the user sees because it cannot be sent to the client (unknown client, bad redirect URI …). */
export interface ErrorPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  status: number;
  error: string;
  error_description: string;
}

/** The auto-submitting form of `response_mode=form_post`. */
export interface FormPostPageInput {
  /** The language to speak: one of the offered (`uiLocales`), chosen by the engine; absent: English. */
  lang?: string;
  /** The client's redirect_uri. */
  action: string;
  /** Response parameters, posted as hidden inputs (OAuth 2.0 Form Post Response Mode). */
  params: Record<string, string>;
}

/** A rendered page: HTML, or a promise of it. */
export type Html = string | Promise<string>;

/** The pages the engine shows. */
export interface Pages {
  login(input: LoginPageInput): Html;
  /** Needed for self-registration (`selfRegistration`); latchkey's own pages have it. */
  register?(input: RegisterPageInput): Html;
  /**
   * Needed for accounts with two-step verification (`Account.secondFactor`); latchkey's own pages
   * have it. Without it, such an account cannot sign in on these pages (refused, never skipped).
   */
  oneTimeCode?(input: OneTimeCodePageInput): Html;
  /** Needed for password reset by mail (a `mailer`); latchkey's own pages have them. */
  forgotPassword?(input: ForgotPasswordPageInput): Html;
  resetPassword?(input: ResetPasswordPageInput): Html;
  /** Needed to confirm email addresses by mail (a `mailer`); latchkey's own pages have it. */
  verifyEmail?(input: VerifyEmailPageInput): Html;
  consent(input: ConsentPageInput): Html;
  /** Has an input `name="user_code"` (public contract). */
  device(input: DevicePageInput): Html;
  deviceDone(input: DeviceDonePageInput): Html;
  /** Has buttons named **Sign out** and **Stay signed in**. */
  logoutConfirm(input: LogoutConfirmPageInput): Html;
  loggedOut(input: LoggedOutPageInput): Html;
  error(input: ErrorPageInput): Html;
  formPost(input: FormPostPageInput): Html;
  /**
   * `style-src` and `script-src` sources the pages need (hashes of their inline style and
   * script); the engine puts them into the Content-Security-Policy it sends with every page.
   */
  readonly cspSources: { style: string[]; script: string[] };
}
