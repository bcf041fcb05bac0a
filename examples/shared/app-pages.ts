/**
 * The host application's own sign-in page, framework-neutral: each example wires `show` and
 * `submit` to its router. It asks latchkey what the interaction needs
 * (`provider.interactions.details`), renders the app's login or consent form, and hands the
 * user's answer back (`provider.interactions.finish`), then sends the browser where latchkey says.
 *
 * The form is protected by a double-submit CSRF cookie; the interaction itself is also bound to
 * the browser that started it, which latchkey checks when the browser comes back.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidRequest, type InteractionDetails, type Provider } from 'latchkey';

/** What the page answers; each example turns it into its framework's response. */
export interface PageAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Where the sign-in page lives in every example. */
export const SIGN_IN_PATH = '/signin';

const CSRF_COOKIE = 'app_csrf';

/**
 * The app's sign-in page over `provider`, checking passwords with the app's own `checkPassword`.
 * `appUrl` is the app's own origin, e.g. `http://localhost:3000`.
 */
export function createAppPages(provider: Provider, checkPassword: (username: string, password: string) => Promise<string | undefined>, appUrl: string) {
  return {
    /** `GET /signin?uid=…`: the login form or the consent form, whichever the interaction needs. */
    async show(uid: string, _cookieHeader: string | undefined): Promise<PageAnswer> {
      const details = await detailsOrNothing(provider, uid);
      if (!details) return page(400, '<h1>This sign-in request has expired</h1><p>Go back to the application and try again.</p>');
      return render(details, appUrl);
    },

    /** `POST /signin?uid=…`: checks the CSRF token, then the password or the decision. */
    async submit(uid: string, form: URLSearchParams, cookieHeader: string | undefined): Promise<PageAnswer> {
      const expected = readCookie(cookieHeader, CSRF_COOKIE);
      const presented = form.get('csrf_token') ?? '';
      if (!expected || expected.length !== presented.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(presented))) {
        return page(403, '<h1>The form has expired</h1><p>Reload the page and try again.</p>');
      }
      const details = await detailsOrNothing(provider, uid);
      if (!details) return page(400, '<h1>This sign-in request has expired</h1>');

      if (details.prompt === 'login') {
        const accountId = await checkPassword(form.get('username') ?? '', form.get('password') ?? '');
        if (!accountId) return render(details, appUrl, 'Wrong username or password.', 401);
        return redirectTo(await provider.interactions.finish(uid, { login: { accountId, amr: ['pwd'] } }));
      }
      if (form.get('decision') === 'deny') return redirectTo(await provider.interactions.finish(uid, { error: 'access_denied' }));
      return redirectTo(await provider.interactions.finish(uid, { consent: { scopes: details.scopes, claims: details.claims } }));
    },
  };
}

async function detailsOrNothing(provider: Provider, uid: string): Promise<InteractionDetails | undefined> {
  try {
    return await provider.interactions.details(uid);
  } catch (error) {
    if (error instanceof InvalidRequest) return undefined;
    throw error;
  }
}

function render(details: InteractionDetails, appUrl: string, error?: string, status = 200): PageAnswer {
  const csrf = randomBytes(32).toString('base64url');
  const action = `${appUrl}${SIGN_IN_PATH}?uid=${encodeURIComponent(details.uid)}`;
  const app = escape(details.client.client_name ?? details.client.client_id);
  const body =
    details.prompt === 'login'
      ? `<h1>Sign in to continue to ${app}</h1>
         ${error ? `<p role="alert">${escape(error)}</p>` : ''}
         <form method="post" action="${escape(action)}">
           <input type="hidden" name="csrf_token" value="${csrf}">
           <label>Username <input name="username" autocomplete="username" value="${escape(details.loginHint ?? '')}" required></label>
           <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
           <button>Sign in</button>
         </form>`
      : `<h1>${app} asks for access</h1>
         <ul>${details.descriptions.map((line) => `<li>${escape(line.description)}</li>`).join('')}</ul>
         <form method="post" action="${escape(action)}">
           <input type="hidden" name="csrf_token" value="${csrf}">
           <button name="decision" value="allow">Allow</button>
           <button name="decision" value="deny">Deny</button>
         </form>`;
  return page(status, body, { 'set-cookie': `${CSRF_COOKIE}=${csrf}; Path=${SIGN_IN_PATH}; HttpOnly; SameSite=Lax` });
}

function page(status: number, body: string, headers: Record<string, string> = {}): PageAnswer {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', ...headers },
    body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign in</title><body>${body}</body></html>`,
  };
}

function redirectTo({ redirectTo: location }: { redirectTo: string }): PageAnswer {
  return { status: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
