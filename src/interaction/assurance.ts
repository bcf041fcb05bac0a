/**
 * Authentication assurance: the `acr` (Authentication Context Class Reference, OIDC Core §2) a
 * login reaches, what an authorization request asks for, and how the two compare.
 *
 * latchkey names four levels, ordered: one factor (a password); two factors (a password and a
 * code from an authenticator app); phishing-resistant (`phr`, OpenID EAP ACR Values 1.0: a key
 * bound to the site's origin, a synced passkey); phishing-resistant and hardware-protected
 * (`phrh`: a passkey kept on one device). A login's level follows from its methods (`amr`, RFC
 * 8176) — `mfa` among them is two factors, with `swk` phishing-resistant, with `hwk`
 * hardware-protected too — unless the login names an `acr` of its own (a host's login may); such
 * a value meets a request only for itself.
 *
 * A request asks with `acr_values` (OIDC Core §3.1.2.1: voluntary, preferred first), with the
 * `claims` parameter's `id_token.acr` (§5.5.1.1: `essential` makes it a requirement) or, asking
 * neither, with the client's `default_acr_values` (OIDC Registration §2). A session below a
 * requested level is stepped up when its account can reach it: the authenticator app's code for
 * two factors (RFC 9470 §4: the client asks, the server decides how), a sign-in with a passkey for
 * any level; a requirement that the account cannot meet ends the request with
 * `unmet_authentication_requirements`, a voluntary one is answered at the level reached, which the
 * ID token's `acr` says.
 */
import type { Account } from '../accounts/types.js';
import type { ProviderContext } from '../core/context.js';
import { offersPasskeys } from '../passkeys/relying-party.js';
import type { AuthorizationRequest, SessionRecord } from '../storage/types.js';

/** One factor: something the person knows (a password). */
export const ACR_ONE_FACTOR = 'urn:latchkey:loa:1fa';
/** Two factors: a password and a code from an authenticator app (or another second factor). */
export const ACR_TWO_FACTORS = 'urn:latchkey:loa:2fa';
/** Phishing-resistant (OpenID EAP ACR Values 1.0 §2): a key bound to the site, such as a synced passkey. */
export const ACR_PHISHING_RESISTANT = 'phr';
/** Phishing-resistant with the key hardware-protected (§2): a passkey kept on one device. */
export const ACR_PHISHING_RESISTANT_HARDWARE = 'phrh';
/** The levels latchkey reaches itself, lowest first: OAuth metadata `acr_values_supported`. */
export const ACR_LEVELS: readonly string[] = [ACR_ONE_FACTOR, ACR_TWO_FACTORS, ACR_PHISHING_RESISTANT, ACR_PHISHING_RESISTANT_HARDWARE];

/** The acr of a login: the one it names, else the level its methods reach (none without methods). */
export function acrOfLogin(amr: readonly string[], named?: string): string | undefined {
  if (named !== undefined) return named;
  if (amr.includes('mfa')) {
    if (amr.includes('hwk')) return ACR_PHISHING_RESISTANT_HARDWARE;
    return amr.includes('swk') ? ACR_PHISHING_RESISTANT : ACR_TWO_FACTORS;
  }
  return amr.length > 0 ? ACR_ONE_FACTOR : undefined;
}

/** Whether a login at `reached` meets the level `wanted`: the same value, or a higher latchkey level. */
export function meetsLevel(reached: string | undefined, wanted: string): boolean {
  if (reached === undefined) return false;
  if (reached === wanted) return true;
  const have = ACR_LEVELS.indexOf(reached);
  const want = ACR_LEVELS.indexOf(wanted);
  return have !== -1 && want !== -1 && have >= want;
}

/** Whether a login at `reached` meets what the request asks (any one of its values; nothing asked: yes). */
export function meetsRequest(reached: string | undefined, request: Pick<AuthorizationRequest, 'acr_values'>): boolean {
  return request.acr_values === undefined || request.acr_values.some((wanted) => meetsLevel(reached, wanted));
}

/**
 * The `acr` the tokens of this request say: the login's own when the request names it or asks
 * nothing; else the highest requested value the login meets (§5.5.1.1: an essential request is
 * answered with one of its values); else — a voluntary request not met — the login's own.
 */
export function reportedAcr(reached: string | undefined, request: Pick<AuthorizationRequest, 'acr_values'>): string | undefined {
  const asked = request.acr_values;
  if (asked === undefined || reached === undefined || asked.includes(reached)) return reached;
  const met = asked.filter((wanted) => meetsLevel(reached, wanted));
  if (met.length === 0) return reached;
  return met.reduce((best, value) => (ACR_LEVELS.indexOf(value) > ACR_LEVELS.indexOf(best) ? value : best));
}

/**
 * Whether the session's account can be stepped up to what the request asks, the session being
 * below it: with its second factor when two factors meet the request (`stepsUpByCode`), or —
 * where passkeys are offered — with a passkey when a phishing-resistant login meets it.
 */
export function canStepUp(account: Pick<Account, 'secondFactor' | 'passkeys'> | undefined, reached: string | undefined, request: Pick<AuthorizationRequest, 'acr_values'>, passkeysOffered = false): boolean {
  if (meetsRequest(reached, request)) return false;
  return stepsUpByCode(account, request) || (passkeysOffered && account?.passkeys === true && meetsRequest(ACR_PHISHING_RESISTANT, request));
}

/** Whether the account's second factor (the authenticator app's code) reaches what the request asks. */
export function stepsUpByCode(account: Pick<Account, 'secondFactor'> | undefined, request: Pick<AuthorizationRequest, 'acr_values'>): boolean {
  return account?.secondFactor !== undefined && meetsRequest(ACR_TWO_FACTORS, request);
}

/**
 * `canStepUp` for a browser's session: its account is looked up only when the session is below
 * what the request asks.
 */
export async function sessionCanStepUp(session: SessionRecord | undefined, request: AuthorizationRequest, ctx: Pick<ProviderContext, 'accounts' | 'urls'>): Promise<boolean> {
  if (session === undefined || meetsRequest(session.acr, request)) return false;
  return canStepUp(await ctx.accounts.findById(session.sub), session.acr, request, offersPasskeys(ctx));
}
