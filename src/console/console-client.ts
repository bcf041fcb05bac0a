/**
 * A console's own client (`site.ts`): a public client (PKCE, no secret) whose only redirect URI is
 * `<issuer>/<name>/callback` (and whose only post-logout redirect URI is
 * `<issuer>/<name>/signed-out`), registered for the console's scope and exempt from consent (it is
 * latchkey itself). Created at start when missing, and kept in step with the issuer. The admin
 * API refuses to change it; it would only be recreated.
 */
import { registerClient, updateClient } from '../core/client-registration.js';
import type { ProviderContext } from '../core/context.js';
import { OAuthError } from '../core/errors.js';
import { registrationDeps } from '../endpoints/registration.js';
import { consoleCallbackUri, consoleSignedOutUri, type ConsoleSite } from './site.js';

function consoleClientMetadata(site: ConsoleSite, ctx: ProviderContext) {
  return {
    client_name: site.clientName,
    redirect_uris: [consoleCallbackUri(site, ctx)],
    post_logout_redirect_uris: [consoleSignedOutUri(site, ctx)],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: site.scope,
    skip_consent: true,
  };
}

/**
 * Registers the console's client, or brings its redirect URIs and scope in step with the issuer
 * and enables it again. Never fails the start: a problem is logged and the console cannot sign
 * in until it is fixed.
 */
export async function ensureConsoleClient(site: ConsoleSite, ctx: ProviderContext): Promise<void> {
  try {
    const existing = await ctx.storage.clients.find(site.clientId);
    const metadata = consoleClientMetadata(site, ctx);
    if (!existing) {
      await registerClient({ client_id: site.clientId, ...metadata }, registrationDeps(ctx), 'admin');
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
    ctx.logger.warn({ err: error }, `the ${site.name} console client could not be registered; /${site.name} cannot sign in`);
  }
}
