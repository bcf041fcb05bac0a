/**
 * The console's pages outside its navigation: signed out, not an administrator, a refused form,
 * a missing resource, a failed sign-in. Each says what happened and what to do next.
 */
import { CSRF_FIELD } from '../../../console/csrf.js';
import { BareLayout, renderDocument } from '../layout.js';

/** After sign-out. */
export function renderSignedOutPage(root: string): Promise<string> {
  return renderDocument(
    <BareLayout title="Signed out" root={root}>
      <h1>You are signed out</h1>
      <p>Your admin console session has ended.</p>
      <p><a class="button" href={root}>Sign in again</a></p>
    </BareLayout>,
  );
}

/** A signed-in user who does not hold the admin role (403). */
export function renderNotAdministratorPage(root: string, csrfToken: string): Promise<string> {
  return renderDocument(
    <BareLayout title="Not an administrator" root={root}>
      <h1>You are not an administrator</h1>
      <p role="alert">The account you signed in with does not have the admin role, so it cannot use the admin console.</p>
      <p class="muted">An administrator can give an account the role on its page in the console, or with <code>latchkey users create --admin</code>.</p>
      <form method="post" action={`${root}/sign-out`}>
        <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
        <button type="submit">Sign out and use another account</button>
      </form>
    </BareLayout>,
  );
}

/** A problem page: a refused form (403), a missing resource (404), a failed sign-in (400). */
export function renderProblemPage(root: string, title: string, message: string, action: { href: string; label: string } = { href: root, label: 'Back to the console' }): Promise<string> {
  return renderDocument(
    <BareLayout title={title} root={root}>
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <p><a href={action.href}>{action.label}</a></p>
    </BareLayout>,
  );
}

/** After the callback: on to the console page, by a same-origin navigation (see `app.ts`). */
export function renderContinuePage(location: string): Promise<string> {
  return renderDocument(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="referrer" content="no-referrer" />
        <meta http-equiv="refresh" content={`0;url=${location}`} />
        <title>Signed in · latchkey admin</title>
      </head>
      <body>
        <p><a href={location}>Continue to the admin console</a></p>
      </body>
    </html>,
  );
}
