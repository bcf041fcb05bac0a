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
import { accountMessagesFor, type AccountMessages } from './messages/index.js';
import type { ActivityView } from './recent-activity.js';

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
  /** The language the page speaks (`consoleLanguage`); English when not given. */
  lang?: string | undefined;
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
  /** What happened to the account lately, newest first (`recent-activity.ts`). */
  activity?: ActivityView[];
}

/** A date and time in UTC, as the pages show them (no script, so no local time zone). */
function when(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * How a session signed in, from its `amr` (RFC 8176): `mfa` says no more than the methods it sums
 * up, nor `user` (the authenticator's check of the person) than the passkey it came with.
 */
function methods(amr: string[], m: AccountMessages): string {
  const names: Readonly<Record<string, string>> = m.overview.method;
  const named = amr.filter((method) => method !== 'mfa' && method !== 'user');
  return m.overview.signedInWith(named.map((method) => (Object.hasOwn(names, method) ? names[method]! : method)));
}

/** `GET /account`: the profile, the applications allowed, the sessions, and sign-out. */
export function renderAccountPage(input: AccountPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const { account, root, csrfToken } = input;
  const m = accountMessagesFor(input.lang);
  const o = m.overview;
  const typed = input.profileError?.values;
  const value = (name: 'name' | 'given_name' | 'family_name' | 'email') => typed?.[name] ?? account[name] ?? '';
  return renderDocument(
    <Layout brand={brand} lang={input.lang} title={o.title}>
      <h1>{o.title}</h1>
      <p class="muted">
        {o.signedInAs} <strong>{account.username}</strong>
      </p>
      {input.notice ? (
        <p class="notice" role="status">
          {input.notice}
        </p>
      ) : null}

      <h2 id="profile">{o.profile}</h2>
      <Alert message={input.profileError?.message} />
      <PostForm action={`${root}/profile`} csrfToken={csrfToken}>
        <label for="name">{o.fullName}</label>
        <input type="text" id="name" name="name" autocomplete="name" value={value('name')} />
        <label for="given_name">{o.givenName}</label>
        <input type="text" id="given_name" name="given_name" autocomplete="given-name" value={value('given_name')} />
        <label for="family_name">{o.familyName}</label>
        <input type="text" id="family_name" name="family_name" autocomplete="family-name" value={value('family_name')} />
        <label for="email">{o.email}</label>
        <input type="email" id="email" name="email" autocomplete="email" value={value('email')} />
        <p class="muted">{emailStatus(account, input.confirmsEmail === true, m)}</p>
        <div class="actions">
          <button type="submit">{o.saveProfile}</button>
        </div>
      </PostForm>
      {input.confirmsEmail && account.email !== undefined && account.email_verified !== true ? (
        <PostForm action={`${root}/email/confirm`} csrfToken={csrfToken}>
          <SecondaryButton label={o.sendConfirmation} />
        </PostForm>
      ) : null}

      <Language input={input} />

      {account.groups === undefined ? null : (
        <p class="muted" id="groups">
          {o.groups(account.groups.join(', '))}
        </p>
      )}

      <h2 id="password">{o.password}</h2>
      {account.password_hash === undefined ? (
        <>
          <p class="muted">{o.noPassword}</p>
          <p>
            <a href={`${root}/password`}>{o.setPassword}</a>
          </p>
        </>
      ) : (
        <p>
          <a href={`${root}/password`}>{o.changePassword}</a>
        </p>
      )}

      <h2 id="two-step">{o.twoStep}</h2>
      {account.totp === undefined ? (
        <>
          <p class="muted">{o.twoStepOff}</p>
          <p>
            <a href={`${root}/two-step`}>{o.setUpAuthenticator}</a>
          </p>
        </>
      ) : (
        <>
          <p class="muted">{o.twoStepOnSince(when(account.totp.enabled_at))}</p>
          <h3>{o.recoveryCodes}</h3>
          <p class="muted">{recoveryCodesLeft(account.totp.recovery_codes?.length ?? 0, m)}</p>
          <Alert message={input.recoveryCodesError} />
          <PostForm action={`${root}/two-step/recovery-codes`} csrfToken={csrfToken}>
            <OneTimeCodeInput id="new_codes_code" label={o.codeForNewRecoveryCodes} />
            <SecondaryButton label={o.getNewRecoveryCodes} />
          </PostForm>
          <h3>{o.turnItOff}</h3>
          <Alert message={input.twoStepError} />
          <PostForm action={`${root}/two-step/off`} csrfToken={csrfToken}>
            <label for="off_code">{o.codeToTurnOff}</label>
            <input type="text" id="off_code" name="code" autocomplete="one-time-code" autocapitalize="none" spellcheck={false} maxlength={16} required />
            <SecondaryButton label={o.turnOffTwoStep} />
          </PostForm>
        </>
      )}

      <h2 id="passkeys">{o.passkeys}</h2>
      <Passkeys input={input} />

      <ConnectedSignIns input={input} />

      <h2 id="applications">{o.applications}</h2>
      {input.applications.length === 0 ? (
        <p class="muted">{o.noApplications}</p>
      ) : (
        <ul class="items">
          {input.applications.map((application) => (
            <li>
              <div>
                <strong>{clientName(application.client)}</strong>
                <span class="muted block">{application.scopes.map((scope) => scope.description).join(' · ')}</span>
                <span class="muted block">{o.allowed(when(application.granted_at))}</span>
              </div>
              <PostForm action={`${root}/applications/remove`} csrfToken={csrfToken}>
                <input type="hidden" name="client_id" value={application.client.client_id} />
                <button type="submit" class="secondary" aria-label={o.removeAccessOf(clientName(application.client))}>
                  {o.removeAccess}
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}

      <h2 id="sessions">{o.sessions}</h2>
      <ul class="items">
        {input.sessions.map((session) => (
          <li>
            <div>
              <strong>{session.current ? o.thisBrowser : o.since(when(session.auth_time))}</strong>
              {sessionOrigin(session) === undefined ? null : <span class="block">{sessionOrigin(session)}</span>}
              <span class="muted block">{o.sessionLine(methods(session.amr, m), session.current ? when(session.auth_time) : undefined, when(session.expires_at))}</span>
            </div>
            {session.current ? null : (
              <PostForm action={`${root}/sessions/end`} csrfToken={csrfToken}>
                <input type="hidden" name="session" value={session.id} />
                <button type="submit" class="secondary">
                  {o.endSession}
                </button>
              </PostForm>
            )}
          </li>
        ))}
      </ul>

      {input.sessions.some((session) => !session.current) ? (
        <PostForm action={`${root}/sessions/end-others`} csrfToken={csrfToken}>
          <SecondaryButton label={o.endOtherSessions} />
        </PostForm>
      ) : null}

      <RecentActivity input={input} />

      <PostForm action={`${root}/sign-out`} csrfToken={csrfToken}>
        <SecondaryButton label={o.signOut} />
      </PostForm>

      <h2 id="data">{o.yourData}</h2>
      <p class="muted">{o.yourDataIntro}</p>
      <p>
        <a href={`${root}/export`} download="">
          {o.downloadData}
        </a>
      </p>

      <h2 id="delete">{o.deleteTitle}</h2>
      <p class="muted">{o.deleteIntro}</p>
      <Alert message={input.deleteError} />
      <PostForm action={`${root}/delete`} csrfToken={csrfToken}>
        {account.password_hash === undefined ? null : (
          <>
            <label for="delete_password">{o.yourPassword}</label>
            <input type="password" id="delete_password" name="current_password" autocomplete="current-password" required />
          </>
        )}
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required /> {o.deleteForGood(account.username)}
        </label>
        <div class="actions">
          <button type="submit" class="danger">
            {o.deleteAccount}
          </button>
        </div>
      </PostForm>
    </Layout>,
  );
}

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

/** A form's buttons: Cancel (back to `cancel`, nothing sent) and the form's own. */
function CancelOrSubmit(props: { cancel: string; submit: string; m: AccountMessages }) {
  return (
    <div class="actions">
      <a class="button secondary" href={props.cancel}>
        {props.m.cancel}
      </a>
      <button type="submit">{props.submit}</button>
    </div>
  );
}

/**
 * `GET /account/password`: the current password, the new one twice — or, for an account without
 * one (made from an upstream provider's sign-in), the first one twice.
 */
export function renderPasswordPage(input: { lang?: string | undefined; root: string; csrfToken: string; username: string; hasPassword: boolean; error?: string | undefined }, brand: Brand = NO_BRAND): Promise<string> {
  const m = accountMessagesFor(input.lang);
  const title = input.hasPassword ? m.password.change : m.password.set;
  return renderDocument(
    <Layout brand={brand} lang={input.lang} title={title}>
      <h1>{title}</h1>
      <p class="muted">
        {m.password.for} <strong>{input.username}</strong>
      </p>
      <Alert message={input.error} />
      <PostForm action={`${input.root}/password`} csrfToken={input.csrfToken}>
        {/* For password managers: the account whose password this is. */}
        <input type="text" name="username" value={input.username} autocomplete="username" hidden readonly />
        {input.hasPassword ? (
          <>
            <label for="current_password">{m.password.current}</label>
            <input type="password" id="current_password" name="current_password" autocomplete="current-password" required autofocus />
          </>
        ) : null}
        <label for="new_password">{m.password.new}</label>
        <input type="password" id="new_password" name="new_password" autocomplete="new-password" required autofocus={!input.hasPassword} />
        <label for="confirm_password">{m.password.newAgain}</label>
        <input type="password" id="confirm_password" name="confirm_password" autocomplete="new-password" required />
        <label class="check">
          <input type="checkbox" name="end_other_sessions" value="yes" checked /> {m.password.signOutElsewhere}
        </label>
        <CancelOrSubmit cancel={input.root} submit={title} m={m} />
      </PostForm>
    </Layout>,
  );
}

/**
 * `GET /account/two-step`: the new authenticator as a QR code (the `otpauth://` URI, for the app
 * to scan) and as a key to type, and the first code to confirm it.
 */
export function renderTwoStepSetupPage(input: { lang?: string | undefined; root: string; csrfToken: string; qrSvg: string; secret: string; uri: string; sealed: string; error?: string | undefined }, brand: Brand = NO_BRAND): Promise<string> {
  const m = accountMessagesFor(input.lang);
  const t = m.twoStepSetup;
  return renderDocument(
    <Layout brand={brand} lang={input.lang} title={t.title}>
      <h1>{t.title}</h1>
      <p>{t.scan}</p>
      <div class="qr" role="img" aria-label={t.qrLabel}>
        {raw(input.qrSvg)}
      </div>
      <p class="muted">
        {t.orEnterKey} <code class="key">{input.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <p class="muted">
        {t.onThisDevice} <a href={input.uri}>{t.openInApp}</a>.
      </p>
      <Alert message={input.error} />
      <PostForm action={`${input.root}/two-step`} csrfToken={input.csrfToken}>
        <input type="hidden" name="enrollment" value={input.sealed} />
        <OneTimeCodeInput id="code" label={t.codeNow} autofocus />
        <CancelOrSubmit cancel={input.root} submit={t.turnOn} m={m} />
      </PostForm>
    </Layout>,
  );
}

/** What happened to the account lately: one line each, newest first; nothing when the console was given none to show. */
function RecentActivity(props: { input: AccountPageInput }) {
  const { activity } = props.input;
  if (activity === undefined) return null;
  const a = accountMessagesFor(props.input.lang).activity;
  return (
    <>
      <h2 id="activity">{a.title}</h2>
      <p class="muted">{a.intro}</p>
      {activity.length === 0 ? (
        <p class="muted">{a.none}</p>
      ) : (
        <ul class="activity">
          {activity.map((item) => (
            <li>{a.line(item.say(a), when(item.at), item.byAdministrator)}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The language of the person's mails outside a sign-in (their `locale` claim), among those
 * offered, each named in itself; nothing with one language offered.
 */
function Language(props: { input: AccountPageInput }) {
  const { account, root, csrfToken, languages } = props.input;
  if (languages === undefined || languages.length < 2) return null;
  const o = accountMessagesFor(props.input.lang).overview;
  // The language the claim asks for, as the notices read it (`de-AT` is Deutsch); none offered: the default.
  const current = accountLanguageOf(account, languages.map((language) => language.tag)) ?? '';
  return (
    <>
      <h2 id="language">{o.language}</h2>
      <Alert message={props.input.languageError} />
      <PostForm action={`${root}/language`} csrfToken={csrfToken}>
        <label for="locale">{o.languageLabel}</label>
        <select id="locale" name="locale">
          <option value="" selected={current === ''}>
            {o.defaultLanguage(languages[0]!.name)}
          </option>
          {languages.map((language) => (
            <option value={language.tag} lang={language.tag} selected={language.tag === current}>
              {language.name}
            </option>
          ))}
        </select>
        <SecondaryButton label={o.saveLanguage} />
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
  const o = accountMessagesFor(props.input.lang).overview;
  const passkeys = account.passkeys ?? [];
  return (
    <>
      <p class="muted">{passkeys.length === 0 ? o.noPasskeys : o.somePasskeys}</p>
      <Alert message={props.input.passkeyError} />
      {passkeys.length === 0 ? null : (
        <ul class="items">
          {passkeys.map((passkey) => (
            <li>
              <div>
                <strong>{passkey.name}</strong>
                <span class="muted block">{o.passkeyLine(passkey.synced === true, when(passkey.created_at), passkey.last_used_at === undefined ? undefined : when(passkey.last_used_at))}</span>
              </div>
              <PostForm action={`${root}/passkeys/remove`} csrfToken={csrfToken}>
                <input type="hidden" name="id" value={passkey.id} />
                <button type="submit" class="secondary" aria-label={o.removePasskey(passkey.name)}>
                  {o.remove}
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}
      {props.input.offersPasskeys ? (
        <PostForm action={`${root}/passkeys/new`} csrfToken={csrfToken}>
          <label for="passkey_name">{o.newPasskeyName}</label>
          <input type="text" id="passkey_name" name="name" maxlength={64} placeholder={o.newPasskeyPlaceholder} autocomplete="off" />
          {account.password_hash === undefined ? null : (
            <>
              <label for="passkey_password">{o.yourPassword}</label>
              <input type="password" id="passkey_password" name="current_password" autocomplete="current-password" required />
            </>
          )}
          <SecondaryButton label={o.addPasskey} />
        </PostForm>
      ) : (
        <p class="muted">{o.passkeysUnavailable}</p>
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
  const o = accountMessagesFor(props.input.lang).overview;
  const signIns = props.input.connectedSignIns ?? [];
  const connectable = props.input.connectableUpstreams ?? [];
  if (signIns.length === 0 && connectable.length === 0 && upstreamError === undefined) return null;
  return (
    <>
      <h2 id="connected-sign-ins">{o.connectedSignIns}</h2>
      <p class="muted">{o.connectedSignInsIntro}</p>
      <Alert message={upstreamError} />
      <ul class="items">
        {signIns.map((signIn) => (
          <li>
            <div>
              <strong>{signIn.name}</strong>
              {signIn.email === undefined ? null : <span class="block">{signIn.email}</span>}
              <span class="muted block">{o.connectedLine(when(signIn.created_at), signIn.last_used_at === undefined ? undefined : when(signIn.last_used_at))}</span>
            </div>
            <PostForm action={`${root}/upstreams/disconnect`} csrfToken={csrfToken}>
              <input type="hidden" name="upstream" value={signIn.upstream_id} />
              <button type="submit" class="secondary" aria-label={o.disconnectNamed(signIn.name)}>
                {o.disconnect}
              </button>
            </PostForm>
          </li>
        ))}
      </ul>
      {connectable.map((upstream) => (
        <PostForm action={`${root}/upstreams/connect`} csrfToken={csrfToken}>
          <input type="hidden" name="upstream" value={upstream.id} />
          <button type="submit" class="secondary">
            {o.connect(upstream.name)}
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
export function renderPasskeySetupPage(input: { lang?: string | undefined; root: string; csrfToken: string; options: string; name: string; error?: string | undefined }, brand: Brand = NO_BRAND): Promise<string> {
  const m = accountMessagesFor(input.lang);
  const p = m.passkeySetup;
  return renderDocument(
    <Layout brand={brand} lang={input.lang} title={p.title}>
      <h1>{p.title}</h1>
      <p>{p.intro}</p>
      <Alert message={input.error} />
      <PasskeyForm mode="create" action={`${input.root}/passkeys`} options={input.options} csrfToken={input.csrfToken} failed={p.failed}>
        <input type="hidden" name="name" value={input.name} />
        <CancelOrSubmit cancel={`${input.root}#passkeys`} submit={p.create} m={m} />
      </PasskeyForm>
      <noscript>
        <p>{p.needsScript}</p>
      </noscript>
      <PasskeyScript />
    </Layout>,
  );
}

/** What the profile says of the email address. */
function emailStatus(account: AccountRecord, confirmsEmail: boolean, m: AccountMessages): string {
  if (account.email === undefined) return m.overview.noEmail;
  if (account.email_verified === true) return m.overview.emailVerified;
  if (confirmsEmail) return m.overview.emailUnverifiedLinkMailed;
  return m.overview.emailUnverified;
}

/** How many recovery codes are left, in words. */
function recoveryCodesLeft(count: number, m: AccountMessages): string {
  return count === 0 ? m.overview.noRecoveryCodesLeft : m.overview.recoveryCodesLeft(count);
}

/**
 * The recovery codes just made, shown once (two-step verification turned on, or new codes asked
 * for): the person saves them before going on.
 */
export function renderRecoveryCodesPage(input: { lang?: string | undefined; root: string; codes: readonly string[]; next: string }, brand: Brand = NO_BRAND): Promise<string> {
  const r = accountMessagesFor(input.lang).recoveryCodes;
  return renderDocument(
    <Layout brand={brand} lang={input.lang} title={r.title}>
      <h1>{r.title}</h1>
      <p>{r.intro}</p>
      <ol class="recovery-codes">
        {input.codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a href={input.next}>{r.saved}</a>
      </p>
    </Layout>,
  );
}

/** A page that says something and offers one way on: signed out, an error, a refused form. */
export function renderMessagePage(input: { lang?: string | undefined; title: string; message: string; link?: { href: string; label: string } | undefined; refresh?: boolean }, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} lang={input.lang} title={input.title} refresh={input.refresh && input.link ? { seconds: 0, url: input.link.href } : undefined}>
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
