import type { ResourceServerRecord } from '../storage/types.js';
import { en, type Messages } from '../i18n/en.js';
import type { ScopeDisplay } from './pages.js';

/**
 * Consent-page descriptions for `scopes`, in the words of `messages` (English by default). A scope of the resource server the token will be for
 * (RFC 8707) names that API, so that the user sees where the access goes.
 */
export function describeScopes(scopes: readonly string[], server?: ResourceServerRecord, messages: Messages = en): ScopeDisplay[] {
  return scopes.map((scope) => {
    const known = Object.hasOwn(messages.scopes, scope) ? messages.scopes[scope as keyof Messages['scopes']] : undefined;
    if (known !== undefined) return { scope, description: known };
    if (server !== undefined && server.scope.split(' ').includes(scope)) return { scope, description: messages.apiScope(scope, server.name ?? server.resource) };
    return { scope, description: scope };
  });
}

/** Consent-page lines for claims requested one by one (the `claims` parameter, OIDC Core §5.5), in the words of `messages`. */
export function describeClaims(names: readonly string[], messages: Messages = en): ScopeDisplay[] {
  return names.map((name) => ({ scope: name, description: messages.claim(Object.hasOwn(messages.claims, name) ? messages.claims[name as keyof Messages['claims']] : name) }));
}
