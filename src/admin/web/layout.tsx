/**
 * The document around every console page: the stylesheet and script from `/admin/assets/`
 * (nothing inline, so the CSP allows nothing else), a skip link, the navigation with the
 * current section marked, the sign-out form, and the notice a redirect after a change asked for.
 */
import type { Child } from 'hono/jsx';
import { ADMIN_ASSETS } from './assets.js';
import { CSRF_FIELD } from '../../console/csrf.js';

/** The sections of the console, in navigation order. */
export const SECTIONS = [
  { id: 'dashboard', path: '', label: 'Dashboard' },
  { id: 'clients', path: '/clients', label: 'Clients' },
  { id: 'users', path: '/users', label: 'Users' },
  { id: 'groups', path: '/groups', label: 'Groups' },
  { id: 'consents', path: '/consents', label: 'Consents' },
  { id: 'sessions', path: '/sessions', label: 'Sessions' },
  { id: 'keys', path: '/keys', label: 'Keys' },
  { id: 'resource-servers', path: '/resource-servers', label: 'Resource servers' },
  { id: 'upstreams', path: '/upstreams', label: 'Upstream providers' },
  { id: 'initial-access-tokens', path: '/initial-access-tokens', label: 'Initial access tokens' },
  { id: 'audit-events', path: '/audit-events', label: 'Audit log' },
] as const;

/** One of the console's sections (`SECTIONS`). */
export type SectionId = (typeof SECTIONS)[number]['id'];

/**
 * What a `?notice=` code says after a change. Only these fixed sentences are ever shown, so a
 * crafted link cannot put words on a console page.
 */
const NOTICES: Readonly<Record<string, string>> = {
  'client-saved': 'The client was saved.',
  'client-enabled': 'The client is enabled.',
  'client-disabled': 'The client is disabled: it can no longer authenticate or start an authorization, and its tokens stop working.',
  'client-deleted': 'The client was deleted.',
  'user-created': 'The user was created.',
  'user-saved': 'The user was saved.',
  'user-enabled': 'The user is enabled: they can sign in again (tokens revoked when they were disabled stay revoked).',
  'user-disabled': 'The user is disabled: their sessions have ended and every token they were given is revoked, for good.',
  'password-set': 'The password was set.',
  'user-unlocked': 'The account is unlocked: failed logins were cleared.',
  'user-deleted': 'The user was deleted: their sessions ended, every code and token they were given is revoked, their consents are gone.',
  'user-two-step-off': 'Two-step verification is off: the next login asks for the password alone. The user can set up an authenticator again in their account console.',
  'user-passkey-removed': 'The passkey was removed: it no longer signs the user in.',
  'user-upstream-disconnected': 'The upstream identity was disconnected: signing in there no longer signs the user in here.',
  'consent-revoked': 'The consent was revoked, with the tokens issued under it.',
  'session-ended': 'The session was ended.',
  'keys-rotated': 'The signing keys were rotated.',
  'key-retired': 'The key was retired.',
  'resource-server-saved': 'The resource server was saved.',
  'resource-server-deleted': 'The resource server was deleted.',
  'upstream-created': 'The upstream provider was added. Register the redirect URI below at it.',
  'upstream-saved': 'The upstream provider was saved.',
  'upstream-deleted': 'The upstream provider was deleted, with every account\'s connection to it.',
  'initial-access-token-revoked': 'The initial access token was revoked.',
};

/** The URL of a console asset, versioned by its content. */
export function assetUrl(root: string, name: string): string {
  return `${root}/assets/${name}?v=${ADMIN_ASSETS.get(name)?.version ?? ''}`;
}

/** What every console page's layout needs. */
export interface LayoutProps {
  title: string;
  section: SectionId;
  /** The console's root path (`/admin` under the issuer's path). */
  root: string;
  csrfToken: string;
  /** The page's URL, for its `?notice=`. */
  url: URL;
  children?: Child;
}

/** A console page inside the navigation. */
export function ConsoleLayout(props: LayoutProps) {
  const notice = NOTICES[props.url.searchParams.get('notice') ?? ''];
  return (
    <Document title={`${props.title} · latchkey admin`} root={props.root}>
      <a class="skip" href="#content">Skip to content</a>
      <header class="top">
        <a class="brand" href={props.root}>latchkey admin</a>
        <form method="post" action={`${props.root}/sign-out`}>
          <input type="hidden" name={CSRF_FIELD} value={props.csrfToken} />
          <button type="submit" class="secondary">Sign out</button>
        </form>
      </header>
      <div class="shell">
        <nav class="side" aria-label="Sections">
          <ul>
            {SECTIONS.map((section) => (
              <li>
                <a href={`${props.root}${section.path}`} aria-current={section.id === props.section ? 'page' : undefined}>{section.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="content">
          {notice === undefined ? null : <p class="notice" role="status">{notice}</p>}
          {props.children}
        </main>
      </div>
    </Document>
  );
}

/** A page outside the console's navigation: signed out, not an administrator, an error. */
export function BareLayout(props: { title: string; root: string; children?: Child }) {
  return (
    <Document title={`${props.title} · latchkey admin`} root={props.root}>
      <main class="narrow" id="content">{props.children}</main>
    </Document>
  );
}

function Document(props: { title: string; root: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={assetUrl(props.root, 'admin.css')} />
        <script src={assetUrl(props.root, 'admin.js')} defer></script>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** Renders a page to a complete HTML document. */
export async function renderDocument(page: { toString(): string | Promise<string> }): Promise<string> {
  return `<!doctype html>${await page.toString()}`;
}
