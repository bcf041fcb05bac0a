/**
 * The admin console's own client: a public client (PKCE, no secret) whose only redirect URI is
 * `<issuer>/admin/callback` (and whose only post-logout redirect URI is
 * `<issuer>/admin/signed-out`), registered for `openid latchkey:admin` and exempt from consent (it
 * is latchkey itself). Created at start when missing, and kept in step with the issuer. The
 * admin API refuses to change it; it would only be recreated.
 */
import { registerClient, updateClient } from '../core/client-registration.js';
import type { ProviderContext } from '../core/context.js';
import { OAuthError } from '../core/errors.js';
import { ADMIN_SCOPE } from '../core/scopes.js';
import { registrationDeps } from '../endpoints/registration.js';

/** client_id of the admin console. */
export const ADMIN_CLIENT_ID = 'latchkey-admin';

/** The admin console's redirect URI under this issuer. */
export function adminCallbackUri(ctx: ProviderContext): string {
  return `${ctx.urls.issuer}/admin/callback`;
}

/** Where `/end_session` sends the browser after the console signs out. */
export function adminSignedOutUri(ctx: ProviderContext): string {
  return `${ctx.urls.issuer}/admin/signed-out`;
}

function adminClientMetadata(ctx: ProviderContext) {
  return {
    client_name: 'latchkey admin console',
    redirect_uris: [adminCallbackUri(ctx)],
    post_logout_redirect_uris: [adminSignedOutUri(ctx)],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: `openid ${ADMIN_SCOPE}`,
    skip_consent: true,
  };
}

/**
 * Registers the admin console's client, or brings its redirect URI in step with the issuer.
 * Never fails the start: a problem is logged and the console cannot log in until it is fixed.
 */
export async function ensureAdminClient(ctx: ProviderContext): Promise<void> {
  try {
    const existing = await ctx.storage.clients.find(ADMIN_CLIENT_ID);
    const metadata = adminClientMetadata(ctx);
    if (!existing) {
      await registerClient({ client_id: ADMIN_CLIENT_ID, ...metadata }, registrationDeps(ctx), 'admin');
    } else if (
      existing.redirect_uris.join(' ') !== metadata.redirect_uris.join(' ') ||
      (existing.post_logout_redirect_uris ?? []).join(' ') !== metadata.post_logout_redirect_uris.join(' ') ||
      existing.scope !== metadata.scope ||
      existing.disabled
    ) {
      const { client } = await updateClient({ ...existing, disabled: false }, metadata, registrationDeps(ctx), 'admin');
      if (client.disabled) await ctx.storage.clients.update({ ...client, disabled: false });
    }
  } catch (error) {
    // Another instance starting at the same moment registered it first.
    if (error instanceof OAuthError && error.field === 'client_id') return;
    ctx.logger.warn({ err: error }, 'the admin console client could not be registered; /admin cannot log in');
  }
}
