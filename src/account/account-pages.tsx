/**
 * The account console's pages, in the look of the login and consent pages (`ui/`): they work
 * without JavaScript, every form carries the console session's CSRF token, and what they show of
 * a client or an account is escaped by the JSX renderer.
 */
import { accountLanguageOf } from '../interaction/language.js';
import { sessionOrigin } from '../interaction/session-origin.js';
import { raw } from 'hono/html';
import type { ClientDisplay } from '../interaction/pages.js';
import type { ScopeDisplay } from '../interaction/pages.js';
import type { AccountRecord } from '../storage/types.js';
import type { ConnectedSignIn } from './account-actions.js';
import { clientName } from '../ui/client-header.js';
import { Alert, OneTimeCodeInput, PostForm } from '../ui/form-parts.js';
import { Layout, renderDocument } from '../ui/layout.js';
import { PasskeyForm, PasskeyScript } from '../ui/passkey-form.js';
import { NO_BRAND, type Brand } from '../ui/brand.js';

/** An application the person allowed: the client, what it was given, since when. */
export interface ApplicationView {
  client: ClientDisplay;
  scopes: ScopeDisplay[];
  granted_at: number;
}

/** One of the person's login sessions. */
export interface SessionView {
  /** The storage id of the session, which the End button posts. */
  id: string;
  auth_time: number;
  amr: string[];
  expires_at: number;
  /** The session this console was signed in through (this browser). */
  current: boolean;
  user_agent?: string;
  address?: string;
}

/** What the overview page shows. */
export interface AccountPageInput {
  root: string;
  csrfToken: string;
  account: AccountRecord;
  applications: ApplicationView[];
  sessions: SessionView[];
  /** What the last action did, in fixed words (never echoed from the request). */
  notice?: string;
  /** What was wrong with the profile form, with the values as typed. */
  profileError?: { message: string; values: Record<string, string> };
  /** Why turning two-step verification off was refused. */
  twoStepError?: string;
  /** Why new recovery codes were refused. */
  recoveryCodesError?: string;
  /** latchkey can mail a link confirming the address (a mailer). */
  confirmsEmail?: boolean;
  /** Why deleting the account was refused. */
  deleteError?: string;
  /** Passkeys can be made here (`passkeys/relying-party.ts`: a domain, a secure context). */
  offersPasskeys?: boolean;
  /** Why adding or removing a passkey was refused. */
  passkeyError?: string;
  /** The person's identities at upstream providers ("Sign in with …" on the login page). */
  connectedSignIns?: ConnectedSignIn[];
  /** The upstream providers offered that the person has no identity at: each with **Connect**. */
  connectableUpstreams?: { id: string; name: string }[];
  /** Why disconnecting one was refused. */
  upstreamError?: string;
  /** The languages offered (`uiLocales`), each by its own name, when more than one: the person picks their mails' language. */
  languages?: { tag: string; name: string }[];
  /** Why the language was refused. */
  languageError?: string;
}

/** A date and time in UTC, as the pages show them (no script, so no local time zone). */
function when(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const METHOD_NAMES: Readonly<Record<string, string>> = { pwd: 'password', otp: 'a code from an authenticator app', hwk: 'a passkey kept on one device', swk: 'a passkey', fed: 'a connected sign-in' };

/**
 * How a session signed in, from its `amr` (RFC 8176): `mfa` says no more than the methods it sums
 * up, nor `user` (the authenticator's check of the person) than the passkey it came with.
 */
function methods(amr: string[]): string {
  const named = amr.filter((method) => method !== 'mfa' && method !== 'user');
  return named.length === 0 ? 'signed in' : `signed in with ${named.map((method) => METHOD_NAMES[method] ?? method).join(' and ')}`;
}

/** `GET /account`: the profile, the applications allowed, the sessions, and sign-out. */
export function renderAccountPage(input: AccountPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const { account, root, csrfToken } = input;
  const typed = input.profileError?.values;
  const value = (name: 'name' | 'given_name' | 'family_name' | 'email') => typed?.[name] ?? account[name] ?? '';
  return renderDocument(
    <Layout brand={brand} title="Your account">
      <h1>Your account</h1>
      <p class="muted">
        Signed in as <strong>{account.username}</strong>
      </p>
      {input.notice ? (
        <p class="notice" role="status">
          {input.notice}
        </p>
      ) : null}

      <h2 id="profile">Profile</h2>
      <Alert message={input.profileError?.message} />
      <PostForm action={`${root}/profile`} csrfToken={csrfToken}>
        <label for="name">Full name</label>
        <input type="text" id="name" name="name" autocomplete="name" value={value('name')} />
        <label for="given_name">Given name</label>
        <input type="text" id="given_name" name="given_name" autocomplete="given-name" value={value('given_name')} />
        <label for="family_name">Family name</label>
        <input type="text" id="family_name" name="family_name" autocomplete="family-name" value={value('family_name')} />
        <label for="email">Email</label>
        <input type="email" id="email" name="email" autocomplete="email" value={value('email')} />
        <p class="muted">{emailStatus(account, input.confirmsEmail === true)}</p>
        <div class="actions">
          <button type="submit">Save profile</button>
        </div>
      </PostForm>
      {input.confirmsEmail && account.email !== undefined && account.email_verified !== true ? (
        <PostForm action={`${root}/email/confirm`} csrfToken={csrfToken}>
          <SecondaryButton label="Send a confirmation link" />
        </PostForm>
      ) : null}

      <Language input={input} />

      {account.groups === undefined ? null : (
        <p class="muted" id="groups">
          Your groups (set by an administrator): {account.groups.join(', ')}
        </p>
      )}

      <h2 id="password">Password</h2>
      {account.password_hash === undefined ? (
        <>
          <p class="muted">None: you sign in another way (a connected sign-in, a passkey).</p>
          <p>
            <a href={`${root}/password`}>Set a password</a>
          </p>
        </>
      ) : (
        <p>
          <a href={`${root}/password`}>Change password</a>
        </p>
      )}

      <h2 id="two-step">Two-step verification</h2>
      {account.totp === undefined ? (
        <>
          <p class="muted">Off: your password alone signs you in.</p>
          <p>
            <a href={`${root}/two-step`}>Set up an authenticator app</a>
          </p>
        </>
      ) : (
        <>
          <p class="muted">On since {when(account.totp.enabled_at)}: signing in asks for a code from your authenticator app.</p>
          <h3>Recovery codes</h3>
          <p class="muted">{recoveryCodesLeft(account.totp.recovery_codes?.length ?? 0)}</p>
          <Alert message={input.recoveryCodesError} />
          <PostForm action={`${root}/two-step/recovery-codes`} csrfToken={csrfToken}>
            <OneTimeCodeInput id="new_codes_code" label="Code from your app, for new recovery codes" />
            <SecondaryButton label="Get new recovery codes" />
          </PostForm>
          <h3>Turn it off</h3>
          <Alert message={input.twoStepError} />
          <PostForm action={`${root}/two-step/off`} csrfToken={csrfToken}>
            <label for="off_code">Code from your app, or a recovery code, to turn it off</label>
            <input type="text" id="off_code" name="code" autocomplete="one-time-code" autocapitalize="none" spellcheck={false} maxlength={16} required />
            <SecondaryButton label="Turn off two-step verification" />
          </PostForm>
        </>
      )}

      <h2 id="passkeys">Passkeys</h2>
      <Passkeys input={input} />

      <ConnectedSignIns input={input} />

      <h2 id="applications">Applications</h2>
      {input.applications.length === 0 ? (
        <p class="muted">You have not allowed any application.</p>
      ) : (
        <ul class="items">
          {input.applications.map((application) => (
            <li>
              <div>
                <strong>{clientName(application.client)}</strong>
                <span class="muted block">{application.scopes.map((scope) => scope.description).join(' · ')}</span>
                <span class="muted block">allowed {when(application.granted_at)}</span>
              </div>
              <PostForm action={`${root}/applications/remove`} csrfToken={csrfToken}>
                <input type="hidden" name="client_id" value={application.client.client_id} />
                <button type="submit" class="secondary" aria-label={`Remove access of ${clientName(application.client)}`}>
                  Remove access
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}

      <h2 id="sessions">Sessions</h2>
      <ul class="items">
        {input.sessions.map((session) => (
          <li>
            <div>
              <strong>{session.current ? 'This browser' : `Since ${when(session.auth_time)}`}</strong>
              {sessionOrigin(session) === undefined ? null : <span class="block">{sessionOrigin(session)}</span>}
              <span class="muted block">
                {methods(session.amr)}
                {session.current ? ` at ${when(session.auth_time)}` : ''}; until {when(session.expires_at)}
              </span>
            </div>
            {session.current ? null : (
              <PostForm action={`${root}/sessions/end`} csrfToken={csrfToken}>
                <input type="hidden" name="session" value={session.id} />
                <button type="submit" class="secondary">
                  End session
                </button>
              </PostForm>
            )}
          </li>
        ))}
      </ul>

      <PostForm action={`${root}/sign-out`} csrfToken={csrfToken}>
        <SecondaryButton label="Sign out" />
      </PostForm>

      <h2 id="delete">Delete your account</h2>
      <p class="muted">Your account goes, with everything of it: every application you allowed loses its access, every session ends. This cannot be undone.</p>
      <Alert message={input.deleteError} />
      <PostForm action={`${root}/delete`} csrfToken={csrfToken}>
        {account.password_hash === undefined ? null : (
          <>
            <label for="delete_password">Your password</label>
            <input type="password" id="delete_password" name="current_password" autocomplete="current-password" required />
          </>
        )}
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required /> Delete {account.username} for good
        </label>
        <div class="actions">
          <button type="submit" class="danger">
            Delete account
          </button>
        </div>
      </PostForm>
    </Layout>,
  );
}

/** A form's buttons: Cancel (back to `cancel`, nothing sent) and the form's own. */
/** A form's one button, not its main action: Sign out, Turn off … */
function SecondaryButton(props: { label: string }) {
  return (
    <div class="actions">
      <button type="submit" class="secondary">
        {props.label}
      </button>
    </div>
  );
}

function CancelOrSubmit(props: { cancel: string; submit: string }) {
  return (
    <div class="actions">
      <a class="button secondary" href={props.cancel}>
        Cancel
      </a>
      <button type="submit">{props.submit}</button>
    </div>
  );
}

/**
 * `GET /account/password`: the current password, the new one twice — or, for an account without
 * one (made from an upstream provider's sign-in), the first one twice.
 */
export function renderPasswordPage(input: { root: string; csrfToken: string; username: string; hasPassword: boolean; error?: string | undefined }, brand: Brand = NO_BRAND): Promise<string> {
  const title = input.hasPassword ? 'Change password' : 'Set a password';
  return renderDocument(
    <Layout brand={brand} title={title}>
      <h1>{title}</h1>
      <p class="muted">
        for <strong>{input.username}</strong>
      </p>
      <Alert message={input.error} />
      <PostForm action={`${input.root}/password`} csrfToken={input.csrfToken}>
        {/* For password managers: the account whose password this is. */}
        <input type="text" name="username" value={input.username} autocomplete="username" hidden readonly />
        {input.hasPassword ? (
          <>
            <label for="current_password">Current password</label>
            <input type="password" id="current_password" name="current_password" autocomplete="current-password" required autofocus />
          </>
        ) : null}
        <label for="new_password">New password</label>
        <input type="password" id="new_password" name="new_password" autocomplete="new-password" required autofocus={!input.hasPassword} />
        <label for="confirm_password">New password again</label>
        <input type="password" id="confirm_password" name="confirm_password" autocomplete="new-password" required />
        <label class="check">
          <input type="checkbox" name="end_other_sessions" value="yes" checked /> Sign out everywhere else
        </label>
        <CancelOrSubmit cancel={input.root} submit={title} />
      </PostForm>
    </Layout>,
  );
}

/**
 * `GET /account/two-step`: the new authenticator as a QR code (the `otpauth://` URI, for the app
 * to scan) and as a key to type, and the first code to confirm it.
 */
export function renderTwoStepSetupPage(input: { root: string; csrfToken: string; qrSvg: string; secret: string; uri: string; sealed: string; error?: string | undefined }, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Set up two-step verification">
      <h1>Set up two-step verification</h1>
      <p>Scan this code with your authenticator app (any app for time-based codes: Google Authenticator, Microsoft Authenticator, 1Password, Aegis …).</p>
      <div class="qr" role="img" aria-label="QR code of your new authenticator key">
        {raw(input.qrSvg)}
      </div>
      <p class="muted">
        Or enter this key in the app: <code class="key">{input.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <p class="muted">
        On this device? <a href={input.uri}>Open it in your authenticator app</a>.
      </p>
      <Alert message={input.error} />
      <PostForm action={`${input.root}/two-step`} csrfToken={input.csrfToken}>
        <input type="hidden" name="enrollment" value={input.sealed} />
        <OneTimeCodeInput id="code" label="The code your app shows now" autofocus />
        <CancelOrSubmit cancel={input.root} submit="Turn on" />
      </PostForm>
    </Layout>,
  );
}

/**
 * The language of the person's mails outside a sign-in (their `locale` claim), among those
 * offered, each named in itself; nothing with one language offered.
 */
function Language(props: { input: AccountPageInput }) {
  const { account, root, csrfToken, languages } = props.input;
  if (languages === undefined || languages.length < 2) return null;
  // The language the claim asks for, as the notices read it (`de-AT` is Deutsch); none offered: the default.
  const current = accountLanguageOf(account, languages.map((language) => language.tag)) ?? '';
  return (
    <>
      <h2 id="language">Language</h2>
      <Alert message={props.input.languageError} />
      <PostForm action={`${root}/language`} csrfToken={csrfToken}>
        <label for="locale">The language of your security notices and of the links mailed from here</label>
        <select id="locale" name="locale">
          <option value="" selected={current === ''}>
            The default ({languages[0]!.name})
          </option>
          {languages.map((language) => (
            <option value={language.tag} lang={language.tag} selected={language.tag === current}>
              {language.name}
            </option>
          ))}
        </select>
        <SecondaryButton label="Save language" />
      </PostForm>
    </>
  );
}

/**
 * The account's passkeys, each with a Remove button, and — where passkeys can be made — the form
 * that starts a new one (the password first, when the account has one).
 */
function Passkeys(props: { input: AccountPageInput }) {
  const { account, root, csrfToken } = props.input;
  const passkeys = account.passkeys ?? [];
  return (
    <>
      <p class="muted">
        {passkeys.length === 0
          ? 'None yet. A passkey signs you in with your device\'s screen lock (a fingerprint, your face, a PIN) instead of your password and code, and cannot be phished.'
          : 'Sign in with one of these instead of your password and code.'}
      </p>
      <Alert message={props.input.passkeyError} />
      {passkeys.length === 0 ? null : (
        <ul class="items">
          {passkeys.map((passkey) => (
            <li>
              <div>
                <strong>{passkey.name}</strong>
                <span class="muted block">
                  {passkey.synced ? 'synced to your other devices' : 'kept on one device'}; added {when(passkey.created_at)}
                  {passkey.last_used_at === undefined ? '; not used yet' : `; last used ${when(passkey.last_used_at)}`}
                </span>
              </div>
              <PostForm action={`${root}/passkeys/remove`} csrfToken={csrfToken}>
                <input type="hidden" name="id" value={passkey.id} />
                <button type="submit" class="secondary" aria-label={`Remove the passkey ${passkey.name}`}>
                  Remove
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}
      {props.input.offersPasskeys ? (
        <PostForm action={`${root}/passkeys/new`} csrfToken={csrfToken}>
          <label for="passkey_name">Name of the new passkey (optional)</label>
          <input type="text" id="passkey_name" name="name" maxlength={64} placeholder="Laptop" autocomplete="off" />
          {account.password_hash === undefined ? null : (
            <>
              <label for="passkey_password">Your password</label>
              <input type="password" id="passkey_password" name="current_password" autocomplete="current-password" required />
            </>
          )}
          <SecondaryButton label="Add a passkey" />
        </PostForm>
      ) : (
        <p class="muted">Passkeys cannot be added at this address: they need a domain name served over https (or localhost).</p>
      )}
    </>
  );
}

/**
 * The person's identities at upstream providers, each with a Disconnect button, and a Connect
 * button for each provider offered that they have none at; nothing when no provider is offered
 * and none is connected.
 */
function ConnectedSignIns(props: { input: AccountPageInput }) {
  const { root, csrfToken, upstreamError } = props.input;
  const signIns = props.input.connectedSignIns ?? [];
  const connectable = props.input.connectableUpstreams ?? [];
  if (signIns.length === 0 && connectable.length === 0 && upstreamError === undefined) return null;
  return (
    <>
      <h2 id="connected-sign-ins">Connected sign-ins</h2>
      <p class="muted">You can sign in here with these accounts elsewhere.</p>
      <Alert message={upstreamError} />
      <ul class="items">
        {signIns.map((signIn) => (
          <li>
            <div>
              <strong>{signIn.name}</strong>
              {signIn.email === undefined ? null : <span class="block">{signIn.email}</span>}
              <span class="muted block">
                connected {when(signIn.created_at)}
                {signIn.last_used_at === undefined ? '; not used yet' : `; last used ${when(signIn.last_used_at)}`}
              </span>
            </div>
            <PostForm action={`${root}/upstreams/disconnect`} csrfToken={csrfToken}>
              <input type="hidden" name="upstream" value={signIn.upstream_id} />
              <button type="submit" class="secondary" aria-label={`Disconnect ${signIn.name}`}>
                Disconnect
              </button>
            </PostForm>
          </li>
        ))}
      </ul>
      {connectable.map((upstream) => (
        <PostForm action={`${root}/upstreams/connect`} csrfToken={csrfToken}>
          <input type="hidden" name="upstream" value={upstream.id} />
          <button type="submit" class="secondary">
            Connect {upstream.name}
          </button>
        </PostForm>
      ))}
    </>
  );
}

/**
 * The second step of adding a passkey: the browser makes it (the person unlocks the device), and
 * the form posts it. Without WebAuthn in the browser, the page says so.
 */
export function renderPasskeySetupPage(input: { root: string; csrfToken: string; options: string; name: string; error?: string | undefined }, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Add a passkey">
      <h1>Add a passkey</h1>
      <p>Your browser will ask you to create a passkey for this site: unlock your device (or security key) when it asks. The passkey stays on your device; this site keeps only its public key.</p>
      <Alert message={input.error} />
      <PasskeyForm mode="create" action={`${input.root}/passkeys`} options={input.options} csrfToken={input.csrfToken} failed="No passkey was made: the browser's request was cancelled, timed out, or this device has a passkey for your account already.">
        <input type="hidden" name="name" value={input.name} />
        <CancelOrSubmit cancel={`${input.root}#passkeys`} submit="Create passkey" />
      </PasskeyForm>
      <noscript>
        <p>Creating a passkey needs JavaScript.</p>
      </noscript>
      <PasskeyScript />
    </Layout>,
  );
}

/** What the profile says of the email address. */
function emailStatus(account: AccountRecord, confirmsEmail: boolean): string {
  if (account.email === undefined) return 'No email address.';
  if (account.email_verified === true) return 'Your email address is verified.';
  if (confirmsEmail) return 'Your email address is not verified yet: open the link we mail to it. A new address gets a new link.';
  return 'Your email address is not verified. Changing it leaves it unverified.';
}

/** How many recovery codes are left, in words. */
function recoveryCodesLeft(count: number): string {
  if (count === 0) return 'None left: get new ones, so that a lost phone does not lock you out.';
  return `${count} left. Each signs you in once in place of a code from your app, if you lose your phone. New ones replace them all.`;
}

/**
 * The recovery codes just made, shown once (two-step verification turned on, or new codes asked
 * for): the person saves them before going on.
 */
export function renderRecoveryCodesPage(input: { root: string; codes: readonly string[]; next: string }, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Your recovery codes">
      <h1>Your recovery codes</h1>
      <p>If you lose your phone, each of these codes signs you in once in place of a code from your app. Save them somewhere safe — in a password manager, or on paper. They are not shown again, and any earlier recovery codes no longer work.</p>
      <ol class="recovery-codes">
        {input.codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a href={input.next}>I have saved them</a>
      </p>
    </Layout>,
  );
}

/** A page that says something and offers one way on: signed out, an error, a refused form. */
export function renderMessagePage(input: { title: string; message: string; link?: { href: string; label: string } | undefined; refresh?: boolean }, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title={input.title} refresh={input.refresh && input.link ? { seconds: 0, url: input.link.href } : undefined}>
      <h1>{input.title}</h1>
      <p>{input.message}</p>
      {input.link ? (
        <p>
          <a href={input.link.href}>{input.link.label}</a>
        </p>
      ) : null}
    </Layout>,
  );
}
